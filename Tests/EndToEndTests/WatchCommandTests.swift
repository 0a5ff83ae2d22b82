import Foundation
import HoSoCore
import HoSoSamples
import HoSoTestSupport
import Testing

/// `hoso watch` as a service: killed with -9 in the middle of a burst, restarted, every file once.
@Suite struct WatchCommandTests {
    let work: URL
    let inbox: URL

    init() async throws {
        work = try makeTemporaryDirectory("watch-cli")
        inbox = work.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try """
            data: ./var
            stations:
              - id: scan-01
                inbox: \(inbox.path)
                mode: inotify
                stability_window: 0.3
                poll_interval: 0.5
            """.write(to: work.appendingPathComponent("hoso.yaml"), atomically: true, encoding: .utf8)
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
    }

    func documents() async throws -> [[String: Any]] {
        let list = try await HoSoProcess.run(["cases", "list", "--all", "--json", "--config", "hoso.yaml"], in: work)
        return try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    }

    /// One log line per file taken, saying where it went (or why not) and how long it took: as JSON objects
    /// a collector parses (`log.format: json`), and as text.
    @Test func everyFileTaken_isOneLogLine_inJSONOrText() async throws {
        try dropTinyScans(0..<1, into: inbox, scratch: work)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/scanner-output.pdf"), to: inbox.appendingPathComponent("khong-ma.pdf"))
        try Data("not a scan".utf8).write(to: inbox.appendingPathComponent("hong.tif"))
        let run = try await HoSoProcess.run(["watch", "--once", "--config", "hoso.yaml"], in: work, environment: ["HOSO_LOG_FORMAT": "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        let byFile = Dictionary(uniqueKeysWithValues: lines.compactMap { line in line["file"].map { ($0, line) } })
        #expect(byFile.count == 3, "one line per file: \(run.stderr)")
        let stored = try #require(byFile["000.00.14.H27-240815-0001_Don.tif"])
        #expect(stored["outcome"] == "stored" && stored["case"] == "000.00.14.H27-240815-0001" && stored["level"] == "notice")
        #expect(byFile["khong-ma.pdf"]?["outcome"] == "quarantined" && byFile["khong-ma.pdf"]?["reason"] == "no_case_id")
        #expect(byFile["hong.tif"]?["outcome"] == "failed" && byFile["hong.tif"]?["level"] == "warning"
                && byFile["hong.tif"]?["reason"]?.contains("not a TIFF, JPEG, PNG or PDF") == true)
        for line in lines {
            #expect(line["station"] == "scan-01" && Int(line["ms"] ?? "") != nil && line["logger"] == "hoso.watch", "\(line)")
            #expect(line["time"]?.hasSuffix("+07:00") == true && line["time"].flatMap(RFC3339.parse) != nil, "\(line)")
        }

        try Data("still not a scan".utf8).write(to: inbox.appendingPathComponent("hong-nua.tif"))
        let text = try await HoSoProcess.run(["watch", "--once", "--config", "hoso.yaml"], in: work)
        let line = text.stderr.split(separator: "\n").first { $0.contains("hong-nua.tif") } ?? ""
        #expect(line.contains(" warning hoso.watch: scan-01 hong-nua.tif: failed: ") && line.contains(" outcome=failed ")
                && line.contains(" file=hong-nua.tif "), "\(text.stderr)")
    }

    @Test func killedDuringABurst_thenRestarted_everyFileEndsUpExactlyOnce() async throws {
        let count = 400
        try dropTinyScans(0..<count, into: inbox, scratch: work)
        let watcher = HoSoProcess.start(["watch", "--config", "hoso.yaml"], in: work)
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        // Kill it once some, but not all, files are in. The tight wait runs on a thread of its own: a sleeping
        // task could wake too late on a busy test pool and miss the middle of the burst, and a wait on one
        // of the pool's two threads would stall every other test.
        let processed = inbox.appendingPathComponent("processed")
        let pid = watcher.processIdentifier
        await offThread {
            for _ in 0..<20_000 {
                let done = (try? FileManager.default.subpathsOfDirectory(atPath: processed.path))?.filter { $0.hasSuffix(".tif") }.count ?? 0
                if done >= 10 { break }
                usleep(2_000)
            }
            kill(pid, SIGKILL)
        }
        await watcher.exited()
        let before = try await documents().count
        #expect(before < count, "the kill came before the end")

        let rerun = try await HoSoProcess.run(["watch", "--once", "--config", "hoso.yaml"], in: work)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let cases = try await documents()
        #expect(cases.count == count, "every file once")
        #expect(cases.allSatisfy { $0["documentCount"] as? Int == 1 }, "none twice")
        for summary in cases.prefix(5) {
            let id = try #require((summary["case"] as? [String: Any])?["id"] as? String)
            let events = try await HoSoProcess.run(["events", id, "--json", "--config", "hoso.yaml"], in: work)
            #expect(!events.stdout.contains("\"duplicate\""))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".tif") }
        #expect(left.isEmpty, "the inbox is empty: \(left.prefix(3))")
        let status = try await HoSoProcess.run(["status", "--config", "hoso.yaml"], in: work)
        #expect(status.stdout.contains("scan-01"))
    }

    @Test func theDaemonReadsAReceiptsQRCode_throughItsOwnBarcodeChild() async throws {
        let caseID = "000.00.14.H27-240815-0042"
        let scratch = work.appendingPathComponent(".receipt.tif")
        try SampleSet.writeCodedBatch(to: scratch, pages: [.receipt(caseID: caseID, symbology: .qr, payload: "MaHS:\(caseID)")], dpi: 200)
        let read = try await HoSoProcess.run(["barcodes", "--json", scratch.path], in: work)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains(#""text" : "MaHS:\#(caseID)""#) || read.stdout.contains(#""text":"MaHS:\#(caseID)""#), "\(read.stdout)")
        try FileManager.default.moveItem(at: scratch, to: inbox.appendingPathComponent("scan-0001.tif"))

        let once = try await HoSoProcess.run(["watch", "--once", "--config", "hoso.yaml"], in: work)
        #expect(once.status == 0 && once.stdout.contains("1 stored"), "\(once.stdout)\(once.stderr)")
        #expect(try await documents().contains { ($0["case"] as? [String: Any])?["id"] as? String == caseID })
    }

    @Test func sigterm_stopsCleanly() async throws {
        let watcher = HoSoProcess.start(["watch", "--config", "hoso.yaml"], in: work)
        let output = Pipe()
        watcher.standardOutput = output
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        try await Task.sleep(for: .milliseconds(500))
        kill(watcher.processIdentifier, SIGTERM)
        await watcher.exited()
        #expect(watcher.terminationStatus == 0)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("watching scan-01") && text.contains("stopped"))
    }

    @Test func aBadStation_isAConfigurationErrorNamingTheKey() async throws {
        try "stations:\n  - id: scan-01\n    inbox: /tmp/x\n    mode: smb\n".write(to: work.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let result = try await HoSoProcess.run(["watch", "--config", "bad.yaml"], in: work)
        #expect(result.status == 78)
        #expect(result.stderr.contains("stations[0].mode: 'smb' is not inotify or poll"))
    }
}

/// A file the watcher cannot read goes to failed/ with a note; it neither stops the watcher nor loops.
/// Root reads everything, so the watcher runs as `nobody` here (util-linux `setpriv`).
@Suite struct UnreadableFileTests {
    @Test func anUnreadableFile_goesToFailed_andTheRestIsIngested() async throws {
        let work = try makeTemporaryDirectory("unreadable")
        let inbox = work.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try """
            data: \(work.appendingPathComponent("var").path)
            stations:
              - id: scan-01
                inbox: \(inbox.path)
                stability_window: 0.2
            """.write(to: work.appendingPathComponent("hoso.yaml"), atomically: true, encoding: .utf8)
        for name in ["000.00.14.H27-240815-0001_Don.tif", "000.00.14.H27-240815-0002_Don.tif"] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"),
                                             to: inbox.appendingPathComponent(name))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: inbox.appendingPathComponent("000.00.14.H27-240815-0002_Don.tif").path)
        #expect(try await ExternalTool.run("chown", ["-R", "nobody:nogroup", work.path]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)

        func asNobody(_ arguments: [String]) async throws -> ExternalTool.Result {
            try await ExternalTool.run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", HoSoProcess.binary.path]
                + arguments + ["--config", work.appendingPathComponent("hoso.yaml").path])
        }
        #expect(try await asNobody(["init"]).status == 0)
        let run = try await asNobody(["watch", "--once"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("1 stored") && run.output.contains("1 failed"), "\(run.output)")
        let note = inbox.appendingPathComponent("failed/000.00.14.H27-240815-0002_Don.tif.error.json")
        #expect(try String(contentsOf: note, encoding: .utf8).contains("Permission denied"))
        #expect(try await asNobody(["watch", "--once"]).output.contains("0 file(s)"), "not retried")
    }
}
