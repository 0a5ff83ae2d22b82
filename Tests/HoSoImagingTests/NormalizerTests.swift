import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// Page geometry, metadata, PDF/A parts, thumbnails and the other input kinds.
@Suite struct NormalizerTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("normalizer")
    }

    func normalize(_ input: URL, limits: NormalizeLimits = NormalizeLimits()) async throws -> (DocumentMetadata, PDFInspection, URL) {
        let pdf = directory.appendingPathComponent("out.pdf"), thumbnail = directory.appendingPathComponent("out.thumb.png")
        let metadata = try Normalizer(limits: limits).normalize(input, pdf: pdf, thumbnail: thumbnail)
        let inspection = PDFInspection(url: pdf)
        #expect(try await inspection.check().status == 0)
        return (metadata, inspection, thumbnail)
    }

    func gray(width: Int, height: Int, configure: (inout RawTIFFPage) -> Void = { _ in }) throws -> URL {
        var page = RawTIFFPage(width: width, height: height, bitsPerSample: 8, samplesPerPixel: 1, photometric: .minIsBlack,
                               compression: .lzw, layout: .strips(rowsPerStrip: 64))
        configure(&page)
        let url = directory.appendingPathComponent("gray-\(UUID()).tif")
        try TIFFFixtures.write(page, to: url)
        return url
    }

    @Test func pageSize_isPixelsOverDPI_exactly() async throws {
        // 2480 × 3508 at 300 dpi is A4: 595.2 × 841.92 pt.
        let (metadata, inspection, _) = try await normalize(try gray(width: 2480, height: 3508))
        #expect(try await inspection.info().contains("Page size:       595.2 x 841.92 pts (A4)"))
        let page = metadata.pages[0]
        #expect(page.paper == .a4 && page.widthMM == 210 && page.heightMM == 297 && page.dpi == 300)
        #expect(page.warnings == ["not colour (gray); ND 30/2020 asks for colour copies"])
    }

    @Test func orientation6_turnsThePage_withoutTouchingPixels() async throws {
        let input = try gray(width: 300, height: 200) { $0.orientation = 6; $0.dpi = 100 }
        let (_, inspection, thumbnail) = try await normalize(input)
        #expect(try await inspection.info().contains("Page size:       144 x 216 pts"), "portrait after turning")
        let image = try #require(try await inspection.images().first)
        #expect(image.width == 300 && image.height == 200, "the image is stored as scanned")
        // The thumbnail is turned too: 200 wide, 300 high (PNG IHDR).
        let png = Array(try Data(contentsOf: thumbnail))
        #expect(Array(png[16..<24]) == [0, 0, 0, 200, 0, 0, 1, 44])
    }

    @Test func missingResolution_usesTheDefault_andSaysSo() async throws {
        let input = try gray(width: 400, height: 400) { $0.dpi = nil }
        let (metadata, inspection, _) = try await normalize(input, limits: NormalizeLimits(defaultDPI: 200))
        #expect(try await inspection.info().contains("Page size:       144 x 144 pts"))
        #expect(metadata.pages[0].dpi == nil)
        #expect(metadata.pages[0].warnings.contains("no resolution in the file; 200 dpi assumed"))
    }

    @Test func lowResolution_isWarned_notRefused() async throws {
        let input = try gray(width: 100, height: 100) { $0.dpi = 150 }
        let (metadata, _, _) = try await normalize(input)
        #expect(metadata.pages[0].warnings.contains { $0.hasPrefix("below 200 dpi (150 dpi)") })
    }

    @Test func output_isPDFA2b_withXMP_sRGBIntent_andFileID() async throws {
        let (metadata, inspection, _) = try await normalize(packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"))
        #expect(metadata.pdfA)
        let text = try await ExternalTool.run("qpdf", ["--qdf", "--object-streams=disable", inspection.url.path, "-"]).output
        #expect(text.contains("<pdfaid:part>2</pdfaid:part>"))
        #expect(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"))
        #expect(text.contains("/S /GTS_PDFA1"))
        #expect(text.contains("/ID ["))
        #expect(try String(contentsOf: inspection.url, encoding: .isoLatin1).hasPrefix("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}"))
    }

    @Test func theEmbeddedSRGBProfile_convertsLikeLittleCMSsOwnSRGB() async throws {
        let (_, inspection, _) = try await normalize(try gray(width: 10, height: 10))
        let listing = try await ExternalTool.run("qpdf", ["--show-object=trailer", inspection.url.path]).output
        #expect(listing.contains("/Root"))
        // Find the ICC stream: the only stream with /N 3.
        var profile: [UInt8]?
        for id in 1...20 where await (try? inspection.objectText(id))?.contains("/N 3") == true {
            profile = try inspection.rawStream(id)
        }
        let icc = directory.appendingPathComponent("profile.icc")
        try Data(try #require(profile)).write(to: icc)
        func lab(_ profile: String) throws -> [Double] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/transicc")
            process.arguments = ["-i", profile, "-o", "*Lab", "-n"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data("0.8 0.3 0.1\n".utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }.suffix(3)
        }
        let ours = try lab(icc.path), reference = try lab("*sRGB")
        #expect(ours.count == 3 && reference.count == 3)
        for (a, b) in zip(ours, reference) { #expect(abs(a - b) < 0.01, "\(ours) vs \(reference)") }
    }

    @Test func popplerRendersEveryPage_ofEveryOutput() async throws {
        let inputs = ["receipt-a4-bilevel.tif", "application-a4-colour-3p.tif", "scanner-output.pdf"]
        for name in inputs {
            let (metadata, inspection, _) = try await normalize(packageRoot.appendingPathComponent("Samples/\(name)"))
            let prefix = directory.appendingPathComponent("render-\(name)").path
            let render = try await ExternalTool.run("pdftoppm", ["-r", "20", "-gray", inspection.url.path, prefix])
            #expect(render.status == 0 && render.output.isEmpty, "\(name): \(render.output)")
            let pages = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasPrefix("render-\(name)") && $0.hasSuffix(".pgm") }
            #expect(pages.count == metadata.pageCount, "\(name): every page rendered")
            for page in pages {
                // A rendered page has ink on it: pixels clearly darker than paper (the PGM header is skipped).
                let pixels = Array(try Data(contentsOf: directory.appendingPathComponent(page)))
                let ink = pixels.suffix(pixels.count - 20).filter { $0 < 200 }.count
                #expect(ink > 20, "\(name) \(page) rendered blank")
            }
        }
    }

    @Test func sameInput_givesTheSameBytes() async throws {
        let input = packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")
        let first = try await normalize(input).0
        let second = try await normalize(input).0
        #expect(first.outputSHA256 == second.outputSHA256, "a retried job stores the same blob")
    }

    @Test func thumbnail_isAPNG_ofAtMost512px() async throws {
        let (_, _, thumbnail) = try await normalize(packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif"))
        let info = try await ExternalTool.run("file", [thumbnail.path]).output
        #expect(info.contains("PNG image data, 362 x 512, 8-bit/color RGB"), "\(info)")
    }

    @Test func scannerPDF_isKeptByteForByte() async throws {
        let input = packageRoot.appendingPathComponent("Samples/scanner-output.pdf")
        let (metadata, inspection, thumbnail) = try await normalize(input)
        let same = try Data(contentsOf: inspection.url) == (try Data(contentsOf: input))
        #expect(same)
        #expect(metadata.inputSHA256 == metadata.outputSHA256)
        #expect(metadata.pageCount == 2 && metadata.pages.allSatisfy { $0.encoding == "original" && $0.paper == .a4 })
        #expect(!metadata.pdfA)
        #expect(FileManager.default.fileExists(atPath: thumbnail.path))
    }

    @Test func jpegFile_isEmbeddedAsIs() async throws {
        // A JPEG made by poppler's pdftoppm, at 150 dpi.
        let prefix = directory.appendingPathComponent("page").path
        let pdf = packageRoot.appendingPathComponent("Samples/scanner-output.pdf").path
        #expect(try await ExternalTool.run("pdftoppm", ["-jpeg", "-r", "150", "-f", "2", "-l", "2", "-singlefile", pdf, prefix]).status == 0)
        let input = URL(fileURLWithPath: prefix + ".jpg")
        let (metadata, inspection, _) = try await normalize(input)
        let image = try #require(try await inspection.images().first)
        #expect(image.encoding == "jpeg" && image.width == 1240)
        let same = try inspection.rawStream(image.objectID) == Array(try Data(contentsOf: input))
        #expect(same, "the JPEG's bytes are the image stream")
        #expect(metadata.pages[0].paper == .a4 && metadata.pages[0].encoding == "jpeg")
    }

    /// PNGs made by poppler's pdftocairo; the same render as TIFF, read with libtiff, gives the pixels.
    @Test(arguments: [("", "rgb", 8), ("-gray", "gray", 8), ("-mono", "gray", 1)])
    func pngFile_keepsItsPixels(mode: String, colour: String, bits: Int) async throws {
        let pdf = packageRoot.appendingPathComponent("Samples/scanner-output.pdf").path
        let prefix = directory.appendingPathComponent("png").path
        for format in ["-png", "-tiff"] {
            let arguments = [format] + (mode.isEmpty ? [] : [mode]) + ["-r", "40", "-f", "2", "-l", "2", "-singlefile", pdf, prefix]
            #expect(try await ExternalTool.run("pdftocairo", arguments).status == 0)
        }
        let (metadata, inspection, _) = try await normalize(URL(fileURLWithPath: prefix + ".png"))
        let image = try #require(try await inspection.images().first)
        #expect(image.colour == colour && image.bitsPerComponent == bits)
        let decoded = try inspection.decodedStream(image.objectID)
        let expected = try TIFFFixtures.scanlines(of: URL(fileURLWithPath: prefix + ".tif"))
        #expect(decoded.count == expected.count)
        let same = decoded == expected
        #expect(same, "the PDF's pixels differ from the PNG's")
        #expect(metadata.pages[0].encoding == "png-idat")
    }

    @Test func pngWithAlpha_isDecoded_alphaDropped() async throws {
        let pdf = packageRoot.appendingPathComponent("Samples/scanner-output.pdf").path
        let prefix = directory.appendingPathComponent("alpha").path
        #expect(try await ExternalTool.run("pdftocairo", ["-png", "-transp", "-r", "30", "-f", "2", "-l", "2", "-singlefile", pdf, prefix]).status == 0)
        let (metadata, inspection, _) = try await normalize(URL(fileURLWithPath: prefix + ".png"))
        let image = try #require(try await inspection.images().first)
        #expect(image.colour == "rgb")
        #expect(try inspection.decodedStream(image.objectID).count == image.width * image.height * 3)
        #expect(metadata.pages[0].warnings.contains("alpha channel dropped (scans are opaque)"))
    }

    /// PNG thumbnails are drawn from rows decoded one at a time while the IDAT is copied: for each kind
    /// of PNG (made by Pillow), ours must look like poppler's drawing of the archived page.
    @Test(arguments: ["RGB", "L", "P", "1", "RGBA", "I;16"])
    func pngThumbnails_matchPopplersDrawing(mode: String) async throws {
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let png = directory.appendingPathComponent("png-\(mode.replacingOccurrences(of: ";", with: "")).png")
        let made = try await ExternalTool.run(python, ["-c", """
            import sys
            from PIL import Image
            image = Image.linear_gradient("L").resize((300, 200)).rotate(30, expand=False, fillcolor=40)
            image = image.convert("RGB") if sys.argv[1] != "I;16" else image.convert("I").point(lambda v: v * 256)
            if sys.argv[1] == "P":
                image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
            elif sys.argv[1] not in ("RGB", "I;16"):
                image = image.convert(sys.argv[1])
            elif sys.argv[1] == "I;16":
                image = image.convert("I;16")
            image.save(sys.argv[2])
            """, mode, png.path])
        try #require(made.status == 0, "\(made.output)")
        let pdf = directory.appendingPathComponent(png.lastPathComponent + ".pdf"), thumbnail = directory.appendingPathComponent(png.lastPathComponent + ".thumb.png")
        _ = try Normalizer().normalize(png, pdf: pdf, thumbnail: thumbnail)
        let drawn = directory.appendingPathComponent(png.lastPathComponent + "-poppler")
        #expect(try await ExternalTool.run("pdftoppm", ["-gray", "-singlefile", "-scale-to-x", "300", "-scale-to-y", "200", pdf.path, drawn.path]).status == 0)
        let compare = try await ExternalTool.run(python, ["-c", """
            import sys
            from PIL import Image, ImageChops, ImageStat
            ours, theirs = Image.open(sys.argv[1]).convert("L"), Image.open(sys.argv[2]).convert("L")
            small = (60, 40)  # compared as a person sees them: a 1-bit page's dither differs pixel by pixel
            difference = ImageChops.difference(ours.resize(small, Image.BOX), theirs.resize(small, Image.BOX))
            print(ours.size, round(ImageStat.Stat(difference).mean[0], 1))
            """, thumbnail.path, drawn.path + ".pgm"])
        let difference = Double(compare.output.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 255
        #expect(compare.output.hasPrefix("(300, 200)") && difference < 10, "\(mode): \(compare.output)")
    }
}
