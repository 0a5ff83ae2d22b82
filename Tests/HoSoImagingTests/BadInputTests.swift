import Foundation
import HoSoCore
import HoSoImaging
import HoSoSamples
import HoSoTestSupport
import Testing

/// Damaged, hostile and wrong files: a one-line reason naming the file, never a crash, never output.
@Suite struct BadInputTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("bad")
    }

    /// Normalizes `input` expecting failure; checks nothing was left behind and returns the error.
    func refuse(_ input: URL, limits: NormalizeLimits = NormalizeLimits()) throws -> NormalizeError {
        let out = directory.appendingPathComponent("out-\(UUID())", isDirectory: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let outcome = Result { () throws(NormalizeError) in
            try Normalizer(limits: limits).normalize(input, pdf: out.appendingPathComponent("x.pdf"),
                                                     thumbnail: out.appendingPathComponent("x.png"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "a failed run leaves nothing behind")
        guard case .failure(let error) = outcome else {
            Issue.record("\(input.lastPathComponent) was accepted")
            throw CancellationError()
        }
        #expect(error.description.contains(input.path), "the message names the file: \(error)")
        #expect(!error.description.contains("\n"), "one line: \(error)")
        return error
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    var sampleTIFF: [UInt8] {
        get throws { Array(try Data(contentsOf: packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif"))) }
    }

    @Test func zeroBytes() throws {
        let error = try refuse(try file("empty.tif", []))
        #expect(error.description.contains("empty"))
    }

    @Test func missingFile() throws {
        guard case .missing = try refuse(directory.appendingPathComponent("nope.tif")) else { Issue.record("not .missing"); return }
    }

    @Test func wrongExtension_isJudgedByContent() throws {
        // A text file named .tif is not a TIFF...
        let error = try refuse(try file("notes.tif", Array("Biên bản họp\n".utf8)))
        guard case .unsupported = error else { Issue.record("expected unsupported: \(error)"); return }
        // ...and a TIFF named .pdf is still a TIFF.
        let disguised = try file("scan.pdf", try sampleTIFF)
        let metadata = try Normalizer().normalize(disguised, pdf: directory.appendingPathComponent("ok.pdf"),
                                                  thumbnail: directory.appendingPathComponent("ok.png"))
        #expect(metadata.inputKind == "tiff")
    }

    @Test(arguments: [0.1, 0.5, 0.9, 0.99])
    func truncatedTIFF(keeping fraction: Double) throws {
        let bytes = try sampleTIFF
        let cut = try file("cut-\(fraction).tif", Array(bytes.prefix(Int(Double(bytes.count) * fraction))))
        _ = try refuse(cut)
    }

    @Test(arguments: [16, 4096, 100_000, 300_000])
    func corruptedTIFF(atOffset offset: Int) throws {
        // Flip a run of bytes: in the header, the directory, or the middle of JPEG data.
        var bytes = try sampleTIFF
        for i in offset..<min(offset + 64, bytes.count) { bytes[i] ^= 0xA5 }
        let url = try file("flipped-\(offset).tif", bytes)
        let out = directory.appendingPathComponent("flip-\(offset)", isDirectory: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // Flipped JPEG data may still decode (to wrong pixels): that is not detectable and not an error.
        // What must never happen is a crash or a half-written file.
        let outcome = Result { () throws(NormalizeError) in
            try Normalizer().normalize(url, pdf: out.appendingPathComponent("x.pdf"), thumbnail: out.appendingPathComponent("x.png"))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        switch outcome {
        case .success: #expect(left == ["x.pdf", "x.png"])
        case .failure(let error):
            #expect(left.isEmpty)
            #expect(error.description.contains(url.path))
        }
    }

    /// A classic TIFF with one directory whose tags `entries` gives, and no image data.
    func handMadeTIFF(_ name: String, _ entries: [(tag: UInt16, type: UInt16, value: UInt32)]) throws -> URL {
        var bytes: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0]
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> ($0 * 8) & 0xFF) } }
        bytes += u16(UInt16(entries.count))
        for entry in entries.sorted(by: { $0.tag < $1.tag }) {
            bytes += u16(entry.tag) + u16(entry.type) + u32(1)
            bytes += entry.type == 3 ? u16(UInt16(entry.value)) + [0, 0] : u32(entry.value)
        }
        bytes += u32(0)
        bytes += [UInt8](repeating: 0, count: 64)
        return try file(name, bytes)
    }

    @Test func tiffBomb_declaring100000Squared_isRefusedFromTheHeader() throws {
        let bomb = try handMadeTIFF("bomb.tif", [
            (256, 4, 100_000), (257, 4, 100_000), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8), (277, 3, 1),
            (278, 4, 100_000), (279, 4, 10_000_000),
        ])
        let error = try refuse(bomb)
        guard case .overLimit = error else { Issue.record("expected overLimit: \(error)"); return }
        #expect(error.description.contains("100000 × 100000"))
    }

    @Test func a0At600dpi48bit_isWithinTheDefaultLimits() throws {
        // Only the header: A0 at 600 dpi, 16 bits × 3; the data is missing, so it fails as damaged, not as over a limit.
        let header = try handMadeTIFF("a0.tif", [
            (256, 4, 19_866), (257, 4, 28_087), (258, 3, 16), (259, 3, 1), (262, 3, 2), (273, 4, 8), (277, 3, 3),
            (278, 4, 1), (279, 4, 19_866 * 6),
        ])
        let error = try refuse(header)
        if case .overLimit = error { Issue.record("A0 at 600 dpi must be admitted: \(error)") }
    }

    @Test func tooManyPages_isRefusedBeforeWriting() throws {
        let input = directory.appendingPathComponent("many.tif")
        try SampleSet.writeReceiptBatch(to: input, caseIDs: (1...4).map { "000.00.14.H27-240815-000\($0)" }, dpi: 50)
        let error = try refuse(input, limits: NormalizeLimits(maximumPages: 3))
        #expect(error.description.contains("4 pages, limit 3"))
    }

    @Test func oversizedFile_isRefusedByItsSize() throws {
        let error = try refuse(try file("big.tif", try sampleTIFF), limits: NormalizeLimits(maximumInputBytes: 1000))
        guard case .overLimit = error else { Issue.record("expected overLimit: \(error)"); return }
    }

    @Test func encryptedPDF_isRefusedAsEncrypted() async throws {
        let plain = packageRoot.appendingPathComponent("Samples/scanner-output.pdf").path
        let locked = directory.appendingPathComponent("locked.pdf").path
        let result = try await ExternalTool.run("qpdf", ["--encrypt", "user", "owner", "256", "--", plain, locked])
        #expect(result.status == 0, "\(result.output)")
        #expect(try refuse(URL(fileURLWithPath: locked)) == .encrypted(file: locked))
    }

    @Test func truncatedPDF_isRefused() throws {
        let bytes = Array(try Data(contentsOf: packageRoot.appendingPathComponent("Samples/scanner-output.pdf")))
        let error = try refuse(try file("cut.pdf", Array(bytes.prefix(bytes.count / 2))))
        #expect(error.description.contains("%%EOF"))
    }

    @Test func garbagePDF_isRefused() throws {
        _ = try refuse(try file("junk.pdf", Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n".utf8)))
    }

    @Test(arguments: [0.3, 0.7])
    func truncatedJPEGAndPNG(keeping fraction: Double) async throws {
        let source = packageRoot.appendingPathComponent("Samples/scanner-output.pdf").path
        let prefix = directory.appendingPathComponent("render-\(fraction)").path
        #expect(try await ExternalTool.run("pdftocairo", ["-png", "-r", "30", "-singlefile", source, prefix]).status == 0)
        let png = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".png")))
        _ = try refuse(try file("cut-\(fraction).png", Array(png.prefix(Int(Double(png.count) * fraction)))))
        #expect(try await ExternalTool.run("pdftocairo", ["-jpeg", "-r", "30", "-singlefile", source, prefix]).status == 0)
        let jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".jpg")))
        // A cut JPEG still has its header, and PDF readers show what is there: HoSo takes the header
        // at its word only if the frame header survives.
        if fraction < 0.01 { _ = try refuse(try file("cut.jpg", Array(jpeg.prefix(10)))) }
        _ = try refuse(try file("headless-\(fraction).jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array(jpeg.prefix(8))))
    }
}
