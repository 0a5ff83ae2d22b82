import CTIFF
import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// G4 and JPEG data go into the PDF as they are: the coded bytes in the PDF are the TIFF's own.
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

    func normalize(_ input: URL) throws -> (DocumentMetadata, PDFInspection) {
        let pdf = directory.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".pdf")
        let metadata = try Normalizer().normalize(input, pdf: pdf, thumbnail: directory.appendingPathComponent("thumb.png"))
        let inspection = PDFInspection(url: pdf)
        #expect(try inspection.check().status == 0)
        return (metadata, inspection)
    }

    @Test func multiStripG4_isCopiedStripByStrip_asCCITT() throws {
        let input = directory.appendingPathComponent("batch.tif")
        let ids = ["000.00.14.H27-240815-0001", "000.00.14.H27-240815-0002"]
        try SampleSet.writeReceiptBatch(to: input, caseIDs: ids, dpi: 200, rowsPerStrip: 500)
        let (metadata, inspection) = try normalize(input)
        #expect(metadata.pageCount == 2)
        #expect(metadata.pages.allSatisfy { $0.encoding == "ccitt" && $0.paper == .a4 && $0.colourMode == .bilevel })
        let images = try inspection.images()
        let strips = try rawStrips(input)
        #expect(images.filter { $0.page == 1 }.count == strips.count)
        #expect(images.allSatisfy { $0.encoding == "ccitt" })
        for (image, strip) in zip(images.filter { $0.page == 1 }, strips) {
            let same = try inspection.rawStream(image.objectID) == strip
            #expect(same, "strip bytes copied unchanged")
        }
        #expect(try inspection.info().contains("595.44 x 842.04 pts (A4)"))
    }

    @Test func g4WithMinIsBlack_isInvertedByDecode_andFillOrder2IsReversed() throws {
        var page = RawTIFFPage(width: 64, height: 40, bitsPerSample: 1, samplesPerPixel: 1, photometric: .minIsBlack,
                               compression: .ccittG4, layout: .strips(rowsPerStrip: 40))
        page.fillOrderReversed = true
        let input = directory.appendingPathComponent("g4.tif")
        try TIFFFixtures.write(page, to: input)
        let (_, inspection) = try normalize(input)
        let image = try #require(try inspection.images().first)
        #expect(image.encoding == "ccitt")
        #expect(try inspection.objectText(image.objectID).contains("/Decode [ 1 0 ]"))
        let stored = try rawStrips(input)[0]
        let reversed = stored.map(Self.reversedBits)
        let same = try inspection.rawStream(image.objectID) == reversed
        #expect(same)
    }

    static func reversedBits(_ byte: UInt8) -> UInt8 {
        var out: UInt8 = 0
        for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { out |= 1 << UInt8(7 - bit) }
        return out
    }

    @Test func jpegStrips_areCopied_andRenderAsTheirTIFF() throws {
        let input = packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif")
        let (metadata, inspection) = try normalize(input)
        #expect(metadata.pageCount == 3 && metadata.pages.allSatisfy { $0.encoding == "jpeg" && $0.colourMode == .rgb })
        let images = try inspection.images().filter { $0.page == 1 }
        #expect(images.count == 37 && images.allSatisfy { $0.encoding == "jpeg" })
        // Each image is the strip's JPEG with the shared tables put in front.
        let strips = try rawStrips(input)
        let raw = try inspection.rawStream(images[5].objectID)
        let same = Array(raw.suffix(strips[5].count - 2)) == Array(strips[5].dropFirst(2))
        #expect(same)
        #expect(raw.starts(with: [0xFF, 0xD8]))
    }

    @Test func tiledJPEG_isCopiedTileByTile_andClippedToThePage() throws {
        var page = RawTIFFPage(width: 200, height: 150, bitsPerSample: 8, samplesPerPixel: 3, photometric: .ycbcr,
                               compression: .jpeg(quality: 80), layout: .tiles(width: 64, height: 64))
        page.dpi = 150
        let input = directory.appendingPathComponent("tiled-jpeg.tif")
        try TIFFFixtures.write(page, to: input)
        let (metadata, inspection) = try normalize(input)
        #expect(metadata.pages[0].encoding == "jpeg")
        let images = try inspection.images()
        #expect(images.count == 4 * 3 && images.allSatisfy { $0.encoding == "jpeg" && $0.width == 64 })
        #expect(try inspection.info().contains("Page size:       96 x 72 pts"))
    }

    @Test func popplerDecodesTheCopiedG4_toLibtiffsBits() throws {
        // pdfimages decodes the image streams with poppler's own CCITT decoder and writes PBM files.
        let input = packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")
        let (_, inspection) = try normalize(input)
        let prefix = directory.appendingPathComponent("image").path
        #expect(try ExternalTool.run("pdfimages", [inspection.url.path, prefix]).status == 0)
        let pbm = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + "-000.pbm")))
        let tiff = try #require(TIFFOpen(input.path, "r"))
        defer { TIFFClose(tiff) }
        var differing = 0
        var row = [UInt8](repeating: 0, count: (1654 + 7) / 8)
        let header = "P4\n1654 2339\n".utf8.count
        #expect(pbm.count == header + row.count * 2339)
        for y in 0..<2339 {
            _ = row.withUnsafeMutableBytes { TIFFReadScanline(tiff, $0.baseAddress, UInt32(y), 0) }
            for x in 0..<1654 {
                let tiffBlack = row[x / 8] >> UInt8(7 - x % 8) & 1 == 1  // MinIsWhite: 1 is black
                let pbmBlack = pbm[header + y * row.count + x / 8] >> UInt8(7 - x % 8) & 1 == 1  // PBM: 1 is black
                if tiffBlack != pbmBlack { differing += 1 }
            }
        }
        #expect(differing == 0, "\(differing) pixels differ between poppler's decoding and libtiff's")
    }
}
