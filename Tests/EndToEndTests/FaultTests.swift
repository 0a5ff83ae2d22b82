import Foundation
import HoSoTestSupport
import Testing

/// Faults that are not a scan's fault. A full disk pauses ingestion: the scan waits in its inbox (never in
/// `failed/`), `/readyz` answers 503 saying why, and once space is back the scan is stored.
@Suite struct FaultTests {
    let work: URL

    init() async throws {
        work = try makeTemporaryDirectory("fault")
    }

    /// Whether this machine lets a test mount a small tmpfs (root outside a restricted container).
    static let canMount: Bool = {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("hoso-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: point) }
        guard (try? ExternalTool.runBlocking("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", point.path]))?.status == 0 else { return false }
        _ = try? ExternalTool.runBlocking("/bin/umount", [point.path])
        return true
    }()

    /// `GET /readyz`: its status and body.
    func ready(_ port: Int) async throws -> (status: Int, body: [String: Any]) {
        let run = try await ExternalTool.run("curl", ["-s", "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/readyz"])
        let lines = run.output.split(separator: "\n")
        let body = (try? JSONSerialization.jsonObject(with: Data((lines.dropLast().joined(separator: "\n")).utf8))) as? [String: Any] ?? [:]
        return (Int(lines.last ?? "") ?? 0, body)
    }

    @Test(.enabled(if: FaultTests.canMount, "mounting a small tmpfs needs root; the full-disk test is skipped here"))
    func aFullDisk_pausesIngestion_andTheScanIsStoredOnceSpaceIsBack() async throws {
        let disk = work.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(try await ExternalTool.run("/bin/mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.path]).status == 0)
        defer { _ = try? ExternalTool.runBlocking("/bin/umount", ["-l", disk.path]) }
        let data = disk.appendingPathComponent("var")
        #expect(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        let (config, inbox) = try stationConfig(in: work, extra: "ingest:\n  retry_seconds: 1\n")
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        #expect(try await ready(server.port).status == 200)

        // The disk full but for 600 KB (room for the catalog's writes, not for a 430 KB scan, its PDF and
        // their copies in the store), then the scan dropped in.
        var space = statvfs()
        try #require(statvfs(disk.path, &space) == 0)
        let free = Int(space.f_bavail) * Int(space.f_frsize)
        let filler = disk.appendingPathComponent("filler")
        #expect(try await ExternalTool.run("/usr/bin/fallocate", ["-l", String(free - 600 * 1024), filler.path]).status == 0)
        let scan = inbox.appendingPathComponent("scan-0001.tif")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/application-a4-colour-3p.tif"), to: scan)
        var answer = try await ready(server.port)
        for _ in 0..<150 where answer.status == 200 {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await ready(server.port)
        }
        #expect(answer.status == 503 && answer.body["code"] as? String == "ingest_paused", "\(answer)")
        let detail = answer.body["detail"] as? String ?? ""
        #expect(detail.contains("next try at"), "\(detail)")
        #expect(detail.contains("No space left on device") || detail.contains("disk is full"), "the reason names the full disk: \(detail)")
        // The scan waits where it is; nothing was given up on.
        #expect(FileManager.default.fileExists(atPath: scan.path))
        #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed").path))

        // Space back: the next try stores it (a name without a case ID: the quarantine), and ready again.
        try FileManager.default.removeItem(at: filler)
        for _ in 0..<150 where FileManager.default.fileExists(atPath: scan.path) || answer.status != 200 {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await ready(server.port)
        }
        #expect(!FileManager.default.fileExists(atPath: scan.path), "taken from the inbox once space is back")
        #expect(answer.status == 200, "\(answer)")
        let quarantine = try await HoSoProcess.run(["quarantine", "list", "--json", "--data", data.path], in: work)
        #expect(quarantine.stdout.contains("scan-0001.tif"), "\(quarantine.stdout) \(quarantine.stderr)")
        #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed").path))
        server.kill()
    }

    /// Opens a connection, sends `bytes`, and returns how many seconds pass before the server closes it
    /// (nil: still open after `limit` seconds).
    func secondsUntilClosed(port: Int, sending bytes: String, limit: Int = 20) async throws -> Double? {
        let script = """
            import socket, sys, time
            s = socket.create_connection(("127.0.0.1", \(port)))
            s.sendall(sys.argv[1].encode().decode("unicode_escape").encode("latin-1"))
            start = time.monotonic()
            s.settimeout(\(limit))
            try:
                while s.recv(4096):
                    pass
                print(time.monotonic() - start)
            except socket.timeout:
                print("open")
            """
        let run = try await ExternalTool.run("/usr/bin/python3", ["-c", script, bytes])
        return Double(run.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func slowClients_areDisconnected_andOthersAreStillServed() async throws {
        let data = work.appendingPathComponent("var")
        #expect(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_SERVER_IDLE_TIMEOUT_SECONDS": "2"])
        // Headers that never end (a byte at a time would do the same), and a body that never comes.
        let head = try await secondsUntilClosed(port: server.port, sending: "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n")
        #expect(head.map { $0 < 10 } == true, "a request head that never ends is cut off: \(String(describing: head))")
        let body = try await secondsUntilClosed(port: server.port, sending: "POST /v1/cases HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100\\r\\n\\r\\n{")
        #expect(body.map { $0 < 10 } == true, "a body that never comes is cut off: \(String(describing: body))")
        let health = try await ExternalTool.run("curl", ["-s", "http://127.0.0.1:\(server.port)/healthz"])
        #expect(health.output.contains("ok"), "\(health.output)")
        server.kill()
    }
}
