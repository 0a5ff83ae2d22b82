import CTIFF
import Foundation
import HoSoSamples
import HoSoTestSupport
import Testing

@Suite struct SampleSetTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("samples")
    }

    @Test func smallSet_isWhatTheCommittedSamplesAre() throws {
        try SampleSet.writeSmall(to: directory)
        let committed = packageRoot.appendingPathComponent("Samples")
        for name in SampleSet.smallFiles {
            let made = try Data(contentsOf: directory.appendingPathComponent(name))
            let kept = try Data(contentsOf: committed.appendingPathComponent(name))
            #expect(made == kept, "\(name) differs from Samples/\(name): run `hoso-samples small --out Samples`")
        }
    }

    @Test func receipt_isAnA4BilevelG4PageAt200dpi() async throws {
        try SampleSet.writeSmall(to: directory)
        let tiffinfo = try await ExternalTool.run("tiffinfo", [directory.appendingPathComponent("receipt-a4-bilevel.tif").path])
        #expect(tiffinfo.status == 0)
        let info = tiffinfo.output
        #expect(info.contains("Image Width: 1654 Image Length: 2339"))
        #expect(info.contains("CCITT Group 4"))
        #expect(info.contains("Resolution: 200, 200 pixels/inch"))
        #expect(info.contains("min-is-white"))
    }

    @Test func colourForm_hasThreeJPEGPages_thatLibtiffDecodes() throws {
        try SampleSet.writeSmall(to: directory)
        let path = directory.appendingPathComponent("application-a4-colour-3p.tif").path
        let tiff = try #require(TIFFOpen(path, "r"))
        defer { TIFFClose(tiff) }
        #expect(TIFFNumberOfDirectories(tiff) == 3)
        var rgba = [UInt32](repeating: 0, count: 1654 * 2339)
        #expect(TIFFReadRGBAImage(tiff, 1654, 2339, &rgba, 1) == 1)
        // The header band is navy: blue well above red.
        let pixel = rgba[(2339 - 1 - 100) * 1654 + 800]  // RGBA images are stored bottom-up
        let red = pixel & 0xFF, blue = (pixel >> 16) & 0xFF
        #expect(blue > red + 50, "pixel \(String(pixel, radix: 16))")
    }

    @Test func scannerPDF_passesQpdf_andHasAG4AndAFlatePage() async throws {
        try SampleSet.writeSmall(to: directory)
        let path = directory.appendingPathComponent("scanner-output.pdf").path
        let check = try await ExternalTool.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.output)")
        let images = try await ExternalTool.run("pdfimages", ["-list", path]).output
        #expect(images.contains("ccitt"))
        #expect(images.contains("rgb     3   8  image"))
        let info = try await ExternalTool.run("pdfinfo", [path]).output
        #expect(info.contains("Pages:           2"))
        #expect(info.contains("(A4)"))
    }

    @Test func g4Batch_hasOnePagePerCase_inManyStrips() throws {
        let url = directory.appendingPathComponent("batch.tif")
        try SampleSet.writeReceiptBatch(to: url, caseIDs: ["000.00.14.H27-240815-0001", "000.00.14.H27-240815-0002"], dpi: 100)
        let tiff = try #require(TIFFOpen(url.path, "r"))
        defer { TIFFClose(tiff) }
        #expect(TIFFNumberOfDirectories(tiff) == 2)
        #expect(TIFFNumberOfStrips(tiff) > 1)
    }

    @Test func tiledBigTIFF_isBigTIFF_withTiles() throws {
        let url = directory.appendingPathComponent("tiled.tif")
        try SampleSet.writeMap(to: url, widthMM: 100, heightMM: 80, dpi: 150, colour: .rgb8, compression: .deflate,
                               layout: .tiles(width: 256, height: 256), bigTIFF: true)
        let tiff = try #require(TIFFOpen(url.path, "r"))
        defer { TIFFClose(tiff) }
        #expect(TIFFIsBigTIFF(tiff) == 1)
        #expect(TIFFIsTiled(tiff) == 1)
        var rgba = [UInt32](repeating: 0, count: 591 * 472)
        #expect(TIFFReadRGBAImage(tiff, 591, 472, &rgba, 1) == 1)
    }
}
