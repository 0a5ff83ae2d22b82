import CTIFF
import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// Every TIFF kind that is decoded and re-compressed must come out with exactly the input's samples,
/// as qpdf decodes them from the PDF.
@Suite struct LosslessTIFFTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let page: RawTIFFPage
        let colourSamples: Int
        let colour: String
        var testDescription: String { name }
    }

    static let grayMap: (red: [UInt16], green: [UInt16], blue: [UInt16]) = (
        (0..<256).map { UInt16($0 * 257) }, (0..<256).map { UInt16((255 - $0) * 257) }, (0..<256).map { UInt16(($0 * 7 % 256) * 257) }
    )

    static func page(_ bits: Int, _ samples: Int, _ photometric: RawTIFFPage.Photometric, _ compression: TIFFPageFormat.Compression,
                     _ layout: TIFFPageFormat.Layout, width: Int = 203, height: Int = 157,
                     configure: (inout RawTIFFPage) -> Void = { _ in }) -> RawTIFFPage {
        var page = RawTIFFPage(width: width, height: height, bitsPerSample: bits, samplesPerPixel: samples,
                               photometric: photometric, compression: compression, layout: layout)
        configure(&page)
        return page
    }

    static let cases: [Case] = [
        Case(name: "gray 8-bit uncompressed strips", page: page(8, 1, .minIsBlack, .none, .strips(rowsPerStrip: 16)), colourSamples: 1, colour: "gray"),
        Case(name: "gray 8-bit LZW, one strip", page: page(8, 1, .minIsBlack, .lzw, .strips(rowsPerStrip: 157)), colourSamples: 1, colour: "gray"),
        Case(name: "gray 16-bit Deflate", page: page(16, 1, .minIsBlack, .deflate, .strips(rowsPerStrip: 10)), colourSamples: 1, colour: "gray"),
        Case(name: "gray 4-bit PackBits", page: page(4, 1, .minIsBlack, .packBits, .strips(rowsPerStrip: 32)), colourSamples: 1, colour: "gray"),
        Case(name: "gray 2-bit", page: page(2, 1, .minIsWhite, .none, .strips(rowsPerStrip: 32)), colourSamples: 1, colour: "gray"),
        Case(name: "bilevel PackBits", page: page(1, 1, .minIsWhite, .packBits, .strips(rowsPerStrip: 20)), colourSamples: 1, colour: "gray"),
        Case(name: "bilevel CCITT G3 (decoded)", page: page(1, 1, .minIsWhite, .ccittG3, .strips(rowsPerStrip: 157)), colourSamples: 1, colour: "gray"),
        Case(name: "RGB 8-bit PackBits tiles", page: page(8, 3, .rgb, .packBits, .tiles(width: 64, height: 48)), colourSamples: 3, colour: "rgb"),
        Case(name: "RGB 8-bit LZW, planes separate, tiles", page: page(8, 3, .rgb, .lzw, .tiles(width: 32, height: 32)) { $0.planarSeparate = true },
             colourSamples: 3, colour: "rgb"),
        Case(name: "RGB 16-bit Deflate, planes separate, strips", page: page(16, 3, .rgb, .deflate, .strips(rowsPerStrip: 8)) { $0.planarSeparate = true },
             colourSamples: 3, colour: "rgb"),
        Case(name: "RGB 8-bit with alpha (dropped)", page: page(8, 4, .rgb, .lzw, .strips(rowsPerStrip: 40)) { $0.alphaSamples = 1 },
             colourSamples: 3, colour: "rgb"),
        Case(name: "palette 8-bit", page: page(8, 1, .palette(red: grayMap.red, green: grayMap.green, blue: grayMap.blue), .lzw, .strips(rowsPerStrip: 50)),
             colourSamples: 1, colour: "index"),
        Case(name: "palette 4-bit", page: page(4, 1, .palette(red: Array(grayMap.red.prefix(16)), green: Array(grayMap.green.prefix(16)),
                                                               blue: Array(grayMap.blue.prefix(16))), .none, .strips(rowsPerStrip: 50)),
             colourSamples: 1, colour: "index"),
        Case(name: "CMYK 8-bit LZW", page: page(8, 4, .cmyk, .lzw, .strips(rowsPerStrip: 30)), colourSamples: 4, colour: "cmyk"),
    ]

    /// Run with the default strip buffer, and with none, which forces row-by-row reading everywhere.
    @Test(arguments: cases, [16 << 20, 0])
    func decodedPages_keepEverySample(_ example: Case, stripBuffer: Int) async throws {
        let directory = try makeTemporaryDirectory("lossless")
        let input = directory.appendingPathComponent("in.tif")
        try TIFFFixtures.write(example.page, to: input)
        let pdf = directory.appendingPathComponent("out.pdf"), thumbnail = directory.appendingPathComponent("out.png")
        let metadata = try Normalizer(limits: NormalizeLimits(maximumStripBuffer: stripBuffer))
            .normalize(input, pdf: pdf, thumbnail: thumbnail)

        let inspection = PDFInspection(url: pdf)
        #expect(try await inspection.check().status == 0)
        let images = try await inspection.images()
        try #require(images.count == 1)
        #expect(images[0].encoding == "image", "re-compressed with Flate")
        #expect(images[0].colour == example.colour)
        #expect(images[0].bitsPerComponent == example.page.bitsPerSample)
        let decoded = try inspection.decodedStream(images[0].objectID)
        let expected = TIFFFixtures.expectedSamples(example.page, colourSamples: example.colourSamples)
        #expect(decoded.count == expected.count)
        let same = decoded == expected  // compared outside #expect: a diff of megabytes would take minutes
        #expect(same, "samples differ from the input's")
        #expect(metadata.pages.first?.encoding == "flate")
        #expect(FileManager.default.fileExists(atPath: thumbnail.path))
    }

    @Test func bigTIFF_multiPage_tiled_keepsEveryPage() async throws {
        let directory = try makeTemporaryDirectory("bigtiff")
        let input = directory.appendingPathComponent("in.tif")
        let page = Self.page(8, 3, .rgb, .deflate, .tiles(width: 64, height: 64), width: 300, height: 200)
        try TIFFFixtures.write(page, to: input, pages: 3, bigTIFF: true)
        let pdf = directory.appendingPathComponent("out.pdf")
        let metadata = try Normalizer().normalize(input, pdf: pdf, thumbnail: directory.appendingPathComponent("t.png"))
        #expect(metadata.pageCount == 3)
        let inspection = PDFInspection(url: pdf)
        #expect(try await inspection.info().contains("Pages:           3"))
        let images = try await inspection.images()
        #expect(images.map(\.page) == [1, 2, 3])
        let same = try inspection.decodedStream(images[2].objectID) == TIFFFixtures.expectedSamples(page, colourSamples: 3)
        #expect(same)
    }

    @Test func geoTIFFOverviews_andMasks_areNotPages() async throws {
        // A map as GDAL writes it: the full image, then a half-size overview and a 1-bit mask, all in the
        // main IFD chain, told apart by NewSubfileType.
        let directory = try makeTemporaryDirectory("overviews")
        let url = directory.appendingPathComponent("map-with-overviews.tif")
        let map = RawTIFFPage(width: 200, height: 160, bitsPerSample: 8, samplesPerPixel: 3, photometric: .rgb,
                              compression: .none, layout: .strips(rowsPerStrip: 16))
        var overview = map
        overview.width = 100
        overview.height = 80
        overview.subfileType = Int(FILETYPE_REDUCEDIMAGE)
        var mask = RawTIFFPage(width: 200, height: 160, bitsPerSample: 1, samplesPerPixel: 1, photometric: .minIsBlack,
                               compression: .none, layout: .strips(rowsPerStrip: 160))
        mask.subfileType = Int(FILETYPE_MASK)
        let writer = try TIFFWriter(path: url.path, bigTIFF: false)
        for (index, page) in [map, overview, mask].enumerated() {
            try writer.writeRawPage(page, index: index, of: 3) { _ in [UInt8](repeating: 0x5A, count: page.rowBytes) }
        }
        writer.close()
        let pdf = directory.appendingPathComponent("map-with-overviews.pdf")
        let metadata = try Normalizer().normalize(url, pdf: pdf, thumbnail: directory.appendingPathComponent("map.png"))
        #expect(metadata.pages.count == 1 && metadata.pages[0].widthPixels == 200)
        #expect(metadata.pages[0].warnings.contains { $0.contains("2 reduced-resolution or mask image(s)") }, "\(metadata.pages[0].warnings)")
        #expect(try await ExternalTool.run("pdfinfo", [pdf.path]).output.contains("Pages:           1"))
    }
}
