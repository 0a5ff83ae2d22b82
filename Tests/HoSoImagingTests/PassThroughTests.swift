import CTIFF
import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// JPEG data goes into the PDF as it is: the coded bytes in the PDF are the TIFF's own. G4 pages are
/// decoded by libtiff and coded again, one image a page: what poppler draws is what libtiff decoded.
@Suite struct PassThroughTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("passthrough")
    }

    /// The coded bytes of each strip of page 1 of a TIFF, read with libtiff.
    func rawStrips(_ url: URL) throws -> [[UInt8]] {
        let tiff = try #require(TIFFOpen(url.path, "r"))
        defer { TIFFClose(tiff) }
        return (0..<Int(TIFFNumberOfStrips(tiff))).map { strip in
            let size = Int(TIFFRawStripSize64(tiff, UInt32(strip)))
            var bytes = [UInt8](repeating: 0, count: size)
            _ = bytes.withUnsafeMutableBytes { TIFFReadRawStrip(tiff, UInt32(strip), $0.baseAddress, tmsize_t(size)) }
            return bytes
        }
    }

    func normalize(_ input: URL) async throws -> (DocumentMetadata, PDFInspection) {
        let pdf = directory.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".pdf")
        let metadata = try Normalizer().normalize(input, pdf: pdf, thumbnail: directory.appendingPathComponent("thumb.png"))
        let inspection = PDFInspection(url: pdf)
        #expect(try await inspection.check().status == 0)
        return (metadata, inspection)
    }

    /// Page 1 of `input` decoded by libtiff, and the PDF's first image decoded by poppler's own CCITT
    /// decoder (pdfimages writes it as a PBM, 1 for black): how many pixels differ.
    func differingPixels(_ input: URL, _ pdf: URL) async throws -> Int {
        let tiff = try #require(TIFFOpen(input.path, "r"))
        defer { TIFFClose(tiff) }
        var width: UInt32 = 0, height: UInt32 = 0, photometric: UInt16 = 0
        _ = hoso_tiff_get_u32(tiff, UInt32(TIFFTAG_IMAGEWIDTH), &width)
        _ = hoso_tiff_get_u32(tiff, UInt32(TIFFTAG_IMAGELENGTH), &height)
        _ = hoso_tiff_get_u16(tiff, UInt32(TIFFTAG_PHOTOMETRIC), &photometric)
        let prefix = directory.appendingPathComponent(UUID().uuidString).path
        let drawn = try await ExternalTool.run("pdfimages", ["-f", "1", "-l", "1", pdf.path, prefix])
        try #require(drawn.status == 0 && drawn.output.isEmpty, "poppler: \(drawn.output)")
        let pbm = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + "-000.pbm")))
        var row = [UInt8](repeating: 0, count: (Int(width) + 7) / 8)
        let header = "P4\n\(width) \(height)\n".utf8.count
        try #require(pbm.count == header + row.count * Int(height))
        var differing = 0
        for y in 0..<Int(height) {
            _ = row.withUnsafeMutableBytes { TIFFReadScanline(tiff, $0.baseAddress, UInt32(y), 0) }
            for x in 0..<Int(width) {
                let bit = row[x / 8] >> UInt8(7 - x % 8) & 1 == 1
                let tiffBlack = photometric == UInt16(PHOTOMETRIC_MINISWHITE) ? bit : !bit
                let pbmBlack = pbm[header + y * row.count + x / 8] >> UInt8(7 - x % 8) & 1 == 1  // PBM: 1 is black
                if tiffBlack != pbmBlack { differing += 1 }
            }
        }
        return differing
    }

    @Test func multiStripG4_becomesOneG4ImagePerPage_withLibtiffsPixels() async throws {
        let input = directory.appendingPathComponent("batch.tif")
        let ids = ["000.00.14.H27-240815-0001", "000.00.14.H27-240815-0002"]
        try SampleSet.writeReceiptBatch(to: input, caseIDs: ids, dpi: 200, rowsPerStrip: 500)
        #expect(try rawStrips(input).count > 1)
        let (metadata, inspection) = try await normalize(input)
        #expect(metadata.pageCount == 2)
        #expect(metadata.pages.allSatisfy { $0.encoding == "ccitt" && $0.paper == .a4 && $0.colourMode == .bilevel })
        let images = try await inspection.images()
        #expect(images.map(\.page) == [1, 2])
        #expect(images.allSatisfy { $0.encoding == "ccitt" })
        #expect(try await differingPixels(input, inspection.url) == 0)
        #expect(try await inspection.info().contains("595.44 x 842.04 pts (A4)"))
    }

    @Test func g4WithMinIsBlackAndFillOrder2_isDrawnAsLibtiffDecodesIt() async throws {
        var page = RawTIFFPage(width: 64, height: 40, bitsPerSample: 1, samplesPerPixel: 1, photometric: .minIsBlack,
                               compression: .ccittG4, layout: .strips(rowsPerStrip: 40))
        page.fillOrderReversed = true
        let input = directory.appendingPathComponent("g4.tif")
        try TIFFFixtures.write(page, to: input)
        let (_, inspection) = try await normalize(input)
        let image = try #require(try await inspection.images().first)
        #expect(image.encoding == "ccitt")
        #expect(try await inspection.objectText(image.objectID).contains("/Decode [ 1 0 ]"))
        #expect(try await differingPixels(input, inspection.url) == 0)
    }

    @Test func jpegStrips_areCopied_andRenderAsTheirTIFF() async throws {
        let input = packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif")
        let (metadata, inspection) = try await normalize(input)
        #expect(metadata.pageCount == 3 && metadata.pages.allSatisfy { $0.encoding == "jpeg" && $0.colourMode == .rgb })
        let images = try await inspection.images().filter { $0.page == 1 }
        #expect(images.count == 37 && images.allSatisfy { $0.encoding == "jpeg" })
        // Each image is the strip's JPEG with the shared tables put in front.
        let strips = try rawStrips(input)
        let raw = try inspection.rawStream(images[5].objectID)
        let same = Array(raw.suffix(strips[5].count - 2)) == Array(strips[5].dropFirst(2))
        #expect(same)
        #expect(raw.starts(with: [0xFF, 0xD8]))
    }

    @Test func tiledJPEG_isCopiedTileByTile_andClippedToThePage() async throws {
        var page = RawTIFFPage(width: 200, height: 150, bitsPerSample: 8, samplesPerPixel: 3, photometric: .ycbcr,
                               compression: .jpeg(quality: 80), layout: .tiles(width: 64, height: 64))
        page.dpi = 150
        let input = directory.appendingPathComponent("tiled-jpeg.tif")
        try TIFFFixtures.write(page, to: input)
        let (metadata, inspection) = try await normalize(input)
        #expect(metadata.pages[0].encoding == "jpeg")
        let images = try await inspection.images()
        #expect(images.count == 4 * 3 && images.allSatisfy { $0.encoding == "jpeg" && $0.width == 64 })
        #expect(try await inspection.info().contains("Page size:       96 x 72 pts"))
    }

    @Test func popplerDecodesTheG4_toLibtiffsBits() async throws {
        let input = packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")
        let (_, inspection) = try await normalize(input)
        #expect(try await differingPixels(input, inspection.url) == 0)
    }
}
