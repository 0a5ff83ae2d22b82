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

    /// A standalone JPEG made by libjpeg through libtiff: the TIFF's shared tables and its one strip joined
    /// (SOI, tables, frame, scan, EOI), with `segments` right after SOI.
    func standaloneJPEG(_ page: RawTIFFPage, segments: [UInt8] = []) throws -> [UInt8] {
        let tiffURL = directory.appendingPathComponent("jpeg-\(UUID().uuidString).tif")
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
        return [0xFF, 0xD8] + segments + Array(tableBytes.dropFirst(2).dropLast(2)) + Array(strip.dropFirst(2))
    }

    /// A CMYK JPEG, with the Adobe APP14 segment Photoshop puts in CMYK JPEGs when `adobe` is set.
    func cmykJPEG(adobe: Bool) throws -> URL {
        let page = RawTIFFPage(width: 64, height: 48, bitsPerSample: 8, samplesPerPixel: 4, photometric: .cmyk,
                               compression: .jpeg(quality: 90), layout: .strips(rowsPerStrip: 48))
        // APP14 "Adobe": version 100, no flags, transform 0 (CMYK stored as is).
        let app14: [UInt8] = [0xFF, 0xEE, 0x00, 0x0E] + Array("Adobe".utf8) + [0x00, 0x64, 0, 0, 0, 0, 0]
        let url = directory.appendingPathComponent("cmyk-\(adobe).jpg")
        try Data(try standaloneJPEG(page, segments: adobe ? app14 : [])).write(to: url)
        return url
    }

    @Test(arguments: [true, false])
    func cmykJPEG_isInvertedByDecode_onlyWhenAdobeMarked(adobe: Bool) async throws {
        let input = try cmykJPEG(adobe: adobe)
        #expect(try await ExternalTool.run("file", [input.path]).output.contains("JPEG image data"))
        let pdf = directory.appendingPathComponent("cmyk.pdf")
        let metadata = try Normalizer().normalize(input, pdf: pdf, thumbnail: directory.appendingPathComponent("cmyk.png"))
        #expect(metadata.pages[0].colourMode == .cmyk)
        #expect(!metadata.pdfA, "a DeviceCMYK page cannot be PDF/A-2b with an sRGB intent")
        let image = try #require(try await PDFInspection(url: pdf).images().first)
        #expect(image.colour == "cmyk" && image.encoding == "jpeg")
        #expect(try await PDFInspection(url: pdf).objectText(image.objectID).contains("/Decode [ 1 0 1 0 1 0 1 0 ]") == adobe)
        #expect(try await ExternalTool.run("pdftoppm", ["-r", "10", pdf.path, directory.appendingPathComponent("r-\(adobe)").path]).status == 0)
    }

    // MARK: Files as cameras, phones and old scanners leave them

    /// A grey JPEG made by libjpeg, as its bytes.
    func greyJPEG() throws -> [UInt8] {
        try standaloneJPEG(RawTIFFPage(width: 96, height: 64, bitsPerSample: 8, samplesPerPixel: 1, photometric: .minIsBlack,
                                       compression: .jpeg(quality: 90), layout: .strips(rowsPerStrip: 64)))
    }

    /// An APP1 EXIF segment (little-endian TIFF structure) with these entries: tag, type, value held in the entry.
    func exifSegment(_ entries: [(tag: UInt16, type: UInt16, value: UInt32)]) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        var tiff: [UInt8] = Array("II".utf8) + u16(42) + u32(8) + u16(UInt16(entries.count))
        for entry in entries { tiff += u16(entry.tag) + u16(entry.type) + u32(1) + u32(entry.value) }
        tiff += u32(0)
        let body = Array("Exif".utf8) + [0, 0] + tiff
        return [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
    }

    func normalize(_ bytes: [UInt8], _ name: String) throws -> DocumentMetadata {
        let input = directory.appendingPathComponent(name + ".jpg")
        try Data(bytes).write(to: input)
        return try Normalizer().normalize(input, pdf: directory.appendingPathComponent(name + ".pdf"),
                                          thumbnail: directory.appendingPathComponent(name + ".png"))
    }

    @Test func exifResolution_isReadAsItsTypeSays() async throws {
        let jpeg = try greyJPEG()
        // SLONG 72 (as a camera wrote it): 96 × 64 px at 72 dpi is 96 × 64 pt.
        let slong = try normalize(Array(jpeg[0..<2]) + exifSegment([(0x011A, 9, 72), (0x011B, 9, 72), (0x0128, 3, 2)]) + jpeg[2...], "slong")
        #expect(slong.pages[0].dpi == 72)
        let info = try await ExternalTool.run("pdfinfo", [directory.appendingPathComponent("slong.pdf").path]).output
        #expect(info.contains("96 x 64 pts"), "\(info)")
        // The resolution as text ("72" in an ASCII entry): no number, so the default, with a warning.
        let ascii = try normalize(Array(jpeg[0..<2]) + exifSegment([(0x011A, 2, 0x3237), (0x011B, 2, 0x3237)]) + jpeg[2...], "ascii")
        #expect(ascii.pages[0].dpi == nil)
        #expect(ascii.pages[0].warnings.contains { $0.contains("no resolution in the file") }, "\(ascii.pages[0].warnings)")
    }

    @Test func strayBytes_trailingData_andLongHeaders_areReadAsReadersDo() async throws {
        let jpeg = try greyJPEG()
        // 320 KiB of APP2 segments before the frame, five stray bytes after them, and a second
        // image's worth of bytes after the end marker (as phones append an HDR gain map).
        let app2 = (0..<5).flatMap { _ in [0xFF, 0xE2, 0xFF, 0xFF] + [UInt8](repeating: 0x41, count: 65_533) }
        let trailing = Array("GAINMAP-THAT-IS-NOT-PART-OF-THE-PICTURE".utf8)
        let odd = Array(jpeg[0..<2]) + app2 + [0x00, 0x13, 0x37, 0x00, 0x42] + jpeg[2...] + trailing
        let document = try normalize(odd, "odd")
        let warnings = document.pages[0].warnings
        #expect(warnings.contains { $0.contains("5 stray byte(s)") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("\(trailing.count) byte(s) after the image's end") }, "\(warnings)")
        let pdf = directory.appendingPathComponent("odd.pdf")
        #expect(try await ExternalTool.run("qpdf", ["--check", pdf.path]).status == 0)
        // The copied image is the file up to its end marker: pdfimages gives those bytes back.
        let extracted = directory.appendingPathComponent("odd-image")
        #expect(try await ExternalTool.run("pdfimages", ["-j", pdf.path, extracted.path]).status == 0)
        let image = try Data(contentsOf: directory.appendingPathComponent("odd-image-000.jpg"))
        #expect(Array(image) == Array(odd.dropLast(trailing.count)))
    }

    @Test func aTruncatedJPEG_isRefused_notArchivedGrey() throws {
        let jpeg = try greyJPEG()
        #expect(throws: NormalizeError.self) { try normalize(Array(jpeg.dropLast(40)), "cut") }
        do {
            _ = try normalize(Array(jpeg.dropLast(40)), "cut2")
        } catch {
            #expect("\(error)".contains("truncated"), "\(error)")
        }
    }

    @Test func theThumbnail_isDecodedByLibjpeg_andDamageItCannotPassIsRefused() async throws {
        let jpeg = try greyJPEG()
        let document = try normalize(jpeg, "thumb")
        #expect(document.pages[0].encoding == "jpeg")
        // The thumbnail is libjpeg's scaled decode; poppler drawing the archived page must agree with it.
        let thumbnail = directory.appendingPathComponent("thumb.png")
        let drawn = directory.appendingPathComponent("thumb-poppler")
        #expect(try await ExternalTool.run("pdftoppm", ["-gray", "-singlefile", "-scale-to-x", "96", "-scale-to-y", "64",
                                                  directory.appendingPathComponent("thumb.pdf").path, drawn.path]).status == 0)
        let compare = try await ExternalTool.run(packageRoot.appendingPathComponent(".build/python/bin/python3").path, ["-c", """
            import sys
            from PIL import Image, ImageChops, ImageStat
            ours, theirs = Image.open(sys.argv[1]).convert("L"), Image.open(sys.argv[2]).convert("L")
            print(ours.size, round(ImageStat.Stat(ImageChops.difference(ours.resize(theirs.size), theirs)).mean[0], 1))
            """, thumbnail.path, drawn.path + ".pgm"])
        let parts = compare.output.split(separator: " ")
        #expect(compare.output.hasPrefix("(96, 64)") && (Double(parts.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 255) < 8,
                "the thumbnail and poppler's drawing differ: \(compare.output)")
        // A Huffman table libjpeg rejects: no reader can show the page, so it is not archived.
        var damaged = jpeg
        let table = try #require((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC4 })
        for index in (table + 5)..<(table + 21) { damaged[index] = 0xFF }
        do {
            _ = try normalize(damaged, "bad-huffman")
            Issue.record("a JPEG libjpeg cannot decode was archived")
        } catch {
            #expect("\(error)".contains("libjpeg"), "\(error)")
        }
    }
}
