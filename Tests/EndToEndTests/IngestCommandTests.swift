import Foundation
import HoSoTestSupport
import Testing

/// The `hoso` binary, run as the acceptance checks describe.
@Suite struct IngestCommandTests {
    let work: URL
    let caseID = "000.00.14.H27-240815-0007"

    init() throws {
        work = try makeTemporaryDirectory("e2e")
        try FileManager.default.copyItem(
            at: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"),
            to: work.appendingPathComponent("x.tif"))
    }

    func hoso(_ arguments: String...) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(arguments, in: work)
    }

    @Test func ingest_thenShow_givesTheSHA256OfSha256sum() async throws {
        #expect(try await hoso("init").status == 0)
        let ingest = try await hoso("ingest", "x.tif", "--case", caseID)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let show = try await hoso("cases", "show", caseID, "--json")
        #expect(show.status == 0, "\(show.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let documents = try #require(json["documents"] as? [[String: Any]])
        #expect(documents.count == 1)
        let expected = try await ExternalTool.run("sha256sum", [work.appendingPathComponent("x.tif").path]).output
        #expect(expected.hasPrefix((documents[0]["sha256"] as? String ?? "none") + " "))
        #expect(documents[0]["sourceFileName"] as? String == "x.tif")
        #expect(documents[0]["station"] as? String == "cli")
        let size = try FileManager.default.attributesOfItem(atPath: work.appendingPathComponent("x.tif").path)[.size] as? Int
        #expect(documents[0]["byteCount"] as? Int == size)
    }

    @Test func ingest_withAnImpossibleDate_exits65_namingFileAndDate_andStoresNothing() async throws {
        _ = try await hoso("init")
        let result = try await hoso("ingest", "x.tif", "--case", "000.00.14.H27-240231-0007")
        #expect(result.status == 65)
        #expect(result.stderr.contains("x.tif"))
        #expect(result.stderr.contains("date '240231' is not a date"))
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(try await hoso("cases", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }

    @Test func ingest_withAMissingFile_exits66_andStoresNoneOfTheFiles() async throws {
        _ = try await hoso("init")
        let result = try await hoso("ingest", "x.tif", "nope.tif", "--case", caseID)
        #expect(result.status == 66)
        #expect(result.stderr.contains("nope.tif"))
        #expect(try await hoso("cases", "show", caseID).status == 69, "nothing stored, so the case is unknown")
    }

    @Test func ingest_beforeInit_exits66_andSaysHowToStart() async throws {
        let result = try await hoso("ingest", "x.tif", "--case", caseID)
        #expect(result.status == 66)
        #expect(result.stderr.contains("hoso init"))
    }

    @Test func events_listTheTrailInTimeOrder_withActors() async throws {
        _ = try await hoso("init")
        _ = try await hoso("ingest", "x.tif", "--case", caseID, "--station", "scan-07")
        _ = try await HoSoProcess.run(["ingest", "x.tif", "--case", caseID], in: work, environment: ["HOSO_ACTOR": "cli:vanthu"])
        let result = try await hoso("events", caseID, "--json")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(events.map { $0["kind"] as? String } == ["case_opened", "document_stored", "duplicate"])
        #expect(events.last?["actor"] as? String == "cli:vanthu")
        let times = events.compactMap { $0["time"] as? String }
        #expect(times == times.sorted() && times.count == 3)
        let text = try await hoso("events", caseID)
        #expect(text.stdout.contains("+07:00"))
    }

    @Test func dataDirectory_comesFromFlagThenEnvironment() async throws {
        _ = try await hoso("init", "--data", "elsewhere")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("elsewhere/catalog.sqlite").path))
        let viaEnvironment = try await HoSoProcess.run(["ingest", "x.tif", "--case", caseID], in: work,
                                                 environment: ["HOSO_DATA": "elsewhere"])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        #expect(try await hoso("cases", "list", "--data", "elsewhere").stdout.contains(caseID))
    }
}
