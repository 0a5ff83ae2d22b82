import CTIFF
import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// JPEG files as cameras and Photoshop write them: EXIF orientation and resolution, Adobe CMYK.
@Suite struct JPEGHeaderTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("jpeg")
    }

    /// A standalone CMYK JPEG, made by libjpeg through libtiff: its shared tables and its one strip joined,
    /// with the Adobe APP14 segment Photoshop puts in CMYK JPEGs when `adobe` is set.
    func cmykJPEG(adobe: Bool) throws -> URL {
        let tiffURL = directory.appendingPathComponent("cmyk.tif")
        let page = RawTIFFPage(width: 64, height: 48, bitsPerSample: 8, samplesPerPixel: 4, photometric: .cmyk,
                               compression: .jpeg(quality: 90), layout: .strips(rowsPerStrip: 48))
        try TIFFFixtures.write(page, to: tiffURL)
        let tiff = try #require(TIFFOpen(tiffURL.path, "r"))
        defer { TIFFClose(tiff) }
        var count: UInt32 = 0
        var tables: UnsafeMutableRawPointer?
        #expect(hoso_tiff_get_jpegtables(tiff, &count, &tables) == 1)
        let tableBytes = Array(UnsafeRawBufferPointer(start: tables, count: Int(count)))
        let size = Int(TIFFRawStripSize64(tiff, 0))
        var strip = [UInt8](repeating: 0, count: size)
        _ = strip.withUnsafeMutableBytes { TIFFReadRawStrip(tiff, 0, $0.baseAddress, tmsize_t(size)) }
        // APP14 "Adobe": version 100, no flags, transform 0 (CMYK stored as is).
        let app14: [UInt8] = [0xFF, 0xEE, 0x00, 0x0E] + Array("Adobe".utf8) + [0x00, 0x64, 0, 0, 0, 0, 0]
        let jpeg = [0xFF, 0xD8] + (adobe ? app14 : []) + Array(tableBytes.dropFirst(2).dropLast(2)) + Array(strip.dropFirst(2))
        let url = directory.appendingPathComponent("cmyk-\(adobe).jpg")
        try Data(jpeg).write(to: url)
        return url
    }

    @Test(arguments: [true, false])
    func cmykJPEG_isInvertedByDecode_onlyWhenAdobeMarked(adobe: Bool) throws {
        let input = try cmykJPEG(adobe: adobe)
        #expect(try ExternalTool.run("file", [input.path]).output.contains("JPEG image data"))
        let pdf = directory.appendingPathComponent("cmyk.pdf")
        let metadata = try Normalizer().normalize(input, pdf: pdf, thumbnail: directory.appendingPathComponent("cmyk.png"))
        #expect(metadata.pages[0].colourMode == .cmyk)
        #expect(!metadata.pdfA, "a DeviceCMYK page cannot be PDF/A-2b with an sRGB intent")
        let image = try #require(try PDFInspection(url: pdf).images().first)
        #expect(image.colour == "cmyk" && image.encoding == "jpeg")
        #expect(try PDFInspection(url: pdf).objectText(image.objectID).contains("/Decode [ 1 0 1 0 1 0 1 0 ]") == adobe)
        #expect(try ExternalTool.run("pdftoppm", ["-r", "10", pdf.path, directory.appendingPathComponent("r-\(adobe)").path]).status == 0)
    }
}
