import Foundation
import HoSoTestSupport
import Testing

/// `hoso normalize` as a station operator runs it.
@Suite struct NormalizeCommandTests {
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("normalize-cli")
        for name in ["receipt-a4-bilevel.tif", "scanner-output.pdf"] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/\(name)"), to: work.appendingPathComponent(name))
        }
    }

    @Test func goodInputs_writePDFAndThumbnail_andJSONMetadata() async throws {
        let result = try await HoSoProcess.run(["normalize", "receipt-a4-bilevel.tif", "scanner-output.pdf", "-o", "out", "--json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.count == 2)
        let metadata = try #require(reports[0]["metadata"] as? [String: Any])
        let pages = try #require(metadata["pages"] as? [[String: Any]])
        #expect(pages[0]["paper"] as? String == "A4" && pages[0]["encoding"] as? String == "ccitt")
        #expect(pages[0]["widthPixels"] as? Int == 1654 && pages[0]["dpi"] as? Double == 200)
        let expected = try await ExternalTool.run("sha256sum", [work.appendingPathComponent("receipt-a4-bilevel.tif").path]).output
        #expect(expected.hasPrefix((metadata["inputSHA256"] as? String ?? "-") + " "))
        for name in ["receipt-a4-bilevel.pdf", "receipt-a4-bilevel.thumb.png", "scanner-output.pdf", "scanner-output.thumb.png"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/\(name)").path), "\(name)")
        }
        #expect(try await ExternalTool.run("qpdf", ["--check", work.appendingPathComponent("out/receipt-a4-bilevel.pdf").path]).status == 0)
    }

    @Test func aBadInput_exits65_aMissingOne66_andTheGoodOneIsStillWritten() async throws {
        try Data("not a scan".utf8).write(to: work.appendingPathComponent("notes.tif"))
        let bad = try await HoSoProcess.run(["normalize", "notes.tif", "receipt-a4-bilevel.tif", "-o", "out"], in: work)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("notes.tif: unsupported: not a TIFF, JPEG, PNG or PDF file"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out/notes.pdf").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/receipt-a4-bilevel.pdf").path))
        let missing = try await HoSoProcess.run(["normalize", "nope.tif", "-o", "out"], in: work)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nope.tif"))
    }

    @Test func inputsNormalizedAtOnce_areReportedInTheOrderGiven() async throws {
        // A big scan first and a small one after it: the small one finishes first, and is still printed second.
        let names = ["scanner-output.pdf", "receipt-a4-bilevel.tif"]
        let result = try await HoSoProcess.run(["normalize"] + names + ["-o", "out", "--jobs", "2", "--json"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.compactMap { $0["input"] as? String } == names)
        let none = try await HoSoProcess.run(["normalize", "receipt-a4-bilevel.tif", "-o", "out", "--jobs", "0"], in: work)
        #expect(none.status == 64 && none.stderr.contains("--jobs: 0"), "\(none.stderr)")
    }

    @Test func ingestingABadScan_exits65_andStoresNothing() async throws {
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
        try Data([0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF]).write(to: work.appendingPathComponent("broken.tif"))
        let result = try await HoSoProcess.run(["ingest", "receipt-a4-bilevel.tif", "broken.tif", "--case", "000.00.14.H27-240815-0007"], in: work)
        #expect(result.status == 65)
        #expect(result.stderr.contains("broken.tif: damaged"))
        let list = try await HoSoProcess.run(["cases", "list", "--json"], in: work)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]", "the good file was not stored either")
    }

    @Test func ingest_storesTheNormalizedPDFBesideTheOriginal() async throws {
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
        let ingest = try await HoSoProcess.run(["ingest", "receipt-a4-bilevel.tif", "--case", "000.00.14.H27-240815-0007"], in: work)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let show = try await HoSoProcess.run(["cases", "show", "000.00.14.H27-240815-0007", "--json"], in: work)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let document = try #require((json["documents"] as? [[String: Any]])?.first)
        let normalized = try #require(document["normalized"] as? [String: Any])
        let pdf = try #require(normalized["pdf"] as? String)
        let blob = work.appendingPathComponent("var/blobs/\(pdf.prefix(2))/\(pdf.dropFirst(2).prefix(2))/\(pdf)")
        #expect(try await ExternalTool.run("pdfinfo", [blob.path]).output.contains("Pages:           1"))
        #expect(document["pageCount"] as? Int == 1)
    }
}
