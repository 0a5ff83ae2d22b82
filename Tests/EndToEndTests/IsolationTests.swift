import Foundation
import HoSoTestSupport
import Synchronization
import Testing

/// `hoso serve` parses scans and results in `hoso parse-worker` children: a file that kills its parser
/// costs that file (HTTP 4xx, or `failed/` with its reason), never the server or its watcher.
@Suite struct IsolationTests {
    static let caseID = "000.00.14.H27-240815-0007"
    let work: URL
    let data: URL

    init() async throws {
        work = try makeTemporaryDirectory("isolation")
        data = work.appendingPathComponent("var")
        #expect(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    func token(_ role: String) async throws -> String {
        try await HoSoProcess.token(role, data: data, in: work)
    }

    func upload(_ file: URL, to server: ServerProcess, token: String) async throws -> ServerProcess.Answer {
        try await server.call("POST", "/v1/cases/\(Self.caseID)/documents?fileName=\(file.lastPathComponent)&createCase=true", token: token,
                              body: try Data(contentsOf: file), type: "application/octet-stream")
    }

    /// Waits until `failed` holds `count` files besides their notes; returns the notes' texts by file name.
    func failedNotes(in failed: URL, count: Int) async throws -> [String: String] {
        for _ in 0..<300 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: failed.path)) ?? []
            let notes = names.filter { $0.hasSuffix(".error.json") }
            if notes.count >= count {
                return try Dictionary(uniqueKeysWithValues: notes.map {
                    (String($0.dropLast(".error.json".count)), try String(contentsOf: failed.appendingPathComponent($0), encoding: .utf8))
                })
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return [:]
    }

    @Test func hostileFiles_postedAndDroppedInTheInbox_costOnlyThemselves() async throws {
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let station = try await token("station"), workflow = try await token("workflow")
        let folder = work.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = HostileFiles(folder: folder)
        let hostile = try files.refusedScans()

        for (file, reason) in hostile {
            let answer = try await upload(file, to: server, token: station)
            #expect([413, 422].contains(answer.status) && (answer.json["detail"] as? String ?? "").contains(reason),
                    "\(file.lastPathComponent): \(answer.status) \(answer.text)")
            #expect(try await server.call("GET", "/healthz").status == 200)
        }
        // PDFs as results: read by the verifier, in a worker too.
        let registered = try await server.json("POST", "/v1/cases", token: workflow, [
            "caseId": Self.caseID, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": ["Đơn"],
        ])
        #expect(registered.status == 201, "\(registered.text)")
        for (file, code) in [(try files.xrefNearIntMax(), "not_a_pdf")] + hostile.filter({ $0.file.pathExtension == "pdf" }).map({ ($0.file, "unsigned_result") }) {
            let answer = try await server.call("POST", "/v1/cases/\(Self.caseID)/results", token: workflow, body: try Data(contentsOf: file),
                                               type: "application/pdf")
            #expect(answer.status == 422 && answer.json["code"] as? String == code, "\(file.lastPathComponent): \(answer.text)")
        }

        for (index, (file, _)) in hostile.enumerated() {
            try FileManager.default.copyItem(at: file, to: inbox.appendingPathComponent("\(Self.caseID)_\(index)_\(file.lastPathComponent)"))
        }
        let notes = try await failedNotes(in: inbox.appendingPathComponent("failed"), count: hostile.count)
        #expect(notes.count == hostile.count, "\(notes.keys.sorted())")
        for (index, (file, reason)) in hostile.enumerated() {
            let note = notes["\(Self.caseID)_\(index)_\(file.lastPathComponent)"] ?? ""
            #expect(note.contains(reason), "\(file.lastPathComponent): \(note)")
        }
        #expect(server.process.isRunning)
        #expect(try await server.call("GET", "/healthz").status == 200)
        server.kill()
    }

    @Test func aParserWorkerThatDies_costsOneFile_andIsReplaced() async throws {
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let station = try await token("station")
        let scan = packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif")
        #expect(try await upload(scan, to: server, token: station).status == 201)
        let first = ParserWorkerKiller.workers(of: server.process.processIdentifier)
        #expect(first.count == 1, "one worker waits for the next file: \(first)")

        // A worker killed while waiting (the OOM killer, an operator) is replaced: the next file is stored.
        for pid in first { kill(pid, SIGKILL) }
        let receipt = packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")
        #expect(try await upload(receipt, to: server, token: station).status == 201)
        let second = ParserWorkerKiller.workers(of: server.process.processIdentifier)
        #expect(second.count == 1 && second != first, "\(first) → \(second)")

        // Every worker killed as soon as it starts: the file is tried twice, then refused as crashing the
        // parser; the upload and the dropped scan each cost themselves only.
        let large = work.appendingPathComponent("a0-50dpi.tif")
        let made = try await ExternalTool.run(HoSoProcess.binary.deletingLastPathComponent().appendingPathComponent("hoso-samples").path,
                                        ["large", "a0-rgb-lzw", "--dpi", "50", "--out", large.path])
        try #require(made.status == 0, "\(made.output)")
        let killer = ParserWorkerKiller(parent: server.process.processIdentifier)
        let crashed = try await upload(large, to: server, token: station)
        #expect(crashed.status == 422 && crashed.json["code"] as? String == "input_crashed_parser", "\(crashed.text)")
        #expect((crashed.json["detail"] as? String ?? "").contains("signal 9"), "\(crashed.text)")
        try FileManager.default.copyItem(at: large, to: inbox.appendingPathComponent("\(Self.caseID)_Ban-do.tif"))
        let notes = try await failedNotes(in: inbox.appendingPathComponent("failed"), count: 1)
        #expect(notes["\(Self.caseID)_Ban-do.tif"]?.contains("crashed") == true, "\(notes)")
        killer.stop()
        #expect(killer.killed >= 4, "two tries for the upload, two for the dropped scan: \(killer.killed)")

        #expect(server.process.isRunning)
        #expect(try await server.call("GET", "/healthz").status == 200)
        let again = try await upload(large, to: server, token: station)
        #expect(again.status == 201, "stored once workers live: \(again.text)")
        server.kill()
    }

    @Test func aFileOverTheWorkersCPULimit_isRefusedWith413() async throws {
        let (config, _) = try stationConfig(in: work, extra: "isolation:\n  cpu_seconds: 1\n")
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let station = try await token("station")
        // An A0 map at 120 dpi takes a debug build about 5 CPU seconds, well past the limit of 1 however
        // quiet the machine (at 60 dpi it took 1.3–1.5 s, and passed only when the machine was loaded).
        let large = work.appendingPathComponent("a0-120dpi.tif")
        let made = try await ExternalTool.run(HoSoProcess.binary.deletingLastPathComponent().appendingPathComponent("hoso-samples").path,
                                        ["large", "a0-rgb-lzw", "--dpi", "120", "--out", large.path])
        try #require(made.status == 0, "\(made.output)")
        let answer = try await upload(large, to: server, token: station)
        #expect(answer.status == 413 && answer.json["code"] as? String == "input_over_limit", "\(answer.text)")
        #expect((answer.json["detail"] as? String ?? "").contains("isolation.cpu_seconds"), "\(answer.text)")
        let small = packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")
        #expect(try await upload(small, to: server, token: station).status == 201)
        server.kill()
    }
}

/// Kills every `hoso parse-worker` child of a process as soon as it appears, on a thread of its own,
/// until stopped: what a decoder crashing on every file would look like.
final class ParserWorkerKiller: Sendable {
    private let running = Mutex(true)
    private let count = Mutex(0)
    private let done = DispatchSemaphore(value: 0)

    init(parent: Int32) {
        Thread.detachNewThread { [self] in
            while running.withLock({ $0 }) {
                for pid in Self.workers(of: parent) where kill(pid, SIGKILL) == 0 { count.withLock { $0 += 1 } }
                usleep(2_000)
            }
            done.signal()
        }
    }

    var killed: Int { count.withLock { $0 } }

    func stop() {
        running.withLock { $0 = false }
        done.wait()
    }

    /// The parser workers of `parent`, from /proc.
    static func workers(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            // After "pid (comm) ": the state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent,
                  let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
            return String(decoding: command, as: UTF8.self).contains("parse-worker")
        }.sorted()
    }
}
