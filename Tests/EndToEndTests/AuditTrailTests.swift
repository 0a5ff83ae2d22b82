import Foundation
import HoSoTestSupport
import Testing

/// The outage ledger's probes of the systems the officers depend on, the late-case report, and the chain
/// heads stamped by a real RFC 3161 server (`openssl ts -reply`), over `hoso serve` and `hoso audit verify`.
extension ServerTests {
    /// A process on 127.0.0.1:`port` (Python), killed with the test.
    static func helper(_ arguments: [String], port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard waitForLocalPort(port) else { process.terminate(); throw HelperFailed(port: port) }
        return process
    }

    struct HelperFailed: Error, CustomStringConvertible {
        let port: Int
        var description: String { "the helper on port \(port) did not come up" }
    }

    @Test func probes_recordAnUnreachableSystemsOutage_andStampsMakeARemovedLastEventFound() async throws {
        // Below the ephemeral range (`freeLocalPort`): the portal's port must stay free until it is started on it.
        var ports: Set<Int> = []
        while ports.count < 3 { ports.insert(try freeLocalPort()) }
        let (upPort, downPort, tsaPort) = (Array(ports)[0], Array(ports)[1], Array(ports)[2])
        let up = try Self.helper(["-m", "http.server", String(upPort), "--bind", "127.0.0.1", "--directory", work.path], port: upPort)
        let tsa = try Self.helper([packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/tsa-server.py").path, String(tsaPort), pki.path],
                                  port: tsaPort)
        var late: Process?
        defer { for process in [up, tsa, late].compactMap({ $0 }) { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

        // A case and a hand-over, recorded before the stamping server runs.
        let workflow = try await token("workflow", name: "mot-cua")
        let first = try await ServerProcess(in: work, data: data, environment: environment)
        #expect(try await register(first, workflow, id: Self.landCase, due: "2025-04-10T17:00:00+07:00", components: []).status == 201)
        let step = try await first.json("POST", "/v1/cases/\(Self.landCase)/steps", token: workflow,
                                        Self.step(Self.party("Bộ phận Một cửa", "Lan"), Self.party("Văn phòng Đăng ký đất đai", "Minh"),
                                                  at: "2025-04-03T10:00:00", due: "2025-04-03T17:00:00"))
        #expect(step.status == 201, "\(step.text)")
        first.kill()

        let config = work.appendingPathComponent("audit.yaml")
        try """
            monitor:
              targets:
                - {name: mot-cua, url: "http://127.0.0.1:\(upPort)/", interval_seconds: 5, timeout_seconds: 2}
                - {name: cong-dvc, url: "http://127.0.0.1:\(downPort)/", interval_seconds: 5, timeout_seconds: 2}
            audit:
              tsa_url: "http://127.0.0.1:\(tsaPort)/tsa"
            """.write(to: config, atomically: true, encoding: .utf8)
        var settings = environment
        settings["HOSO_CONFIG"] = config.path
        let api = try await ServerProcess(in: work, data: data, environment: settings)

        // The portal does not answer: its outage, not HoSo's error. The workflow server answers: no outage.
        var targets: [[String: Any]] = []
        for _ in 0..<40 where targets.isEmpty {
            targets = (try await api.call("GET", "/v1/reports/outages", token: workflow).json["targets"] as? [[String: Any]]) ?? []
            if targets.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(targets.map { $0["target"] as? String } == ["cong-dvc"] && targets.first?["endedAt"] == nil, "\(targets)")
        #expect((targets.first?["reason"] as? String ?? "").hasPrefix("no answer"), "\(targets)")
        #expect(try await api.call("GET", "/readyz").status == 200)
        // It comes back: the next probe closes the outage.
        late = try Self.helper(["-m", "http.server", String(downPort), "--bind", "127.0.0.1", "--directory", work.path], port: downPort)
        var closed = false
        for _ in 0..<60 where !closed {
            let now = (try await api.call("GET", "/v1/reports/outages", token: workflow).json["targets"] as? [[String: Any]]) ?? []
            closed = now.first?["endedAt"] is String
            if !closed { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(closed, "the outage closes once the portal answers")

        // The late-case report: the case is open and long past its 2025 due date.
        let report = try await api.call("GET", "/v1/reports/late-cases", token: workflow)
        let cases = (report.json["cases"] as? [[String: Any]]) ?? []
        #expect(report.status == 200 && cases.map { $0["caseId"] as? String } == [Self.landCase], "\(report.text)")
        #expect(cases.first?["excusable"] as? Bool == false && cases.first?["outageWorkingHours"] as? Double == 0
                && (cases.first?["allowedWorkingHours"] as? Double ?? 0) > 0, "no outage in 2024–2025: \(cases)")
        let csv = try await api.call("GET", "/v1/reports/late-cases?format=csv", token: workflow)
        #expect(csv.headers["content-type"] == "text/csv; charset=utf-8" && csv.text.contains("\"\(Self.landCase)\""), "\(csv.text)")
        #expect(try await api.call("GET", "/v1/reports/late-cases?from=yesterday", token: workflow).status == 400)

        // The heads were stamped at start; the audit checks the stamp's token against the TSA's root.
        var audit = try await HoSoProcess.run(["audit", "verify", "--data", data.path], in: work, environment: settings)
        for _ in 0..<40 where !audit.stdout.contains("1 stamp(s) checked") {
            try await Task.sleep(for: .milliseconds(250))
            audit = try await HoSoProcess.run(["audit", "verify", "--data", data.path], in: work, environment: settings)
        }
        #expect(audit.status == 0 && audit.stdout.contains("0 broken chain(s); 1 stamp(s) checked, 0 bad"), "\(audit.stdout)\(audit.stderr)")
        api.kill()

        // The last event (the step) removed with the trigger out of the way: the chain alone cannot tell; the stamp does.
        let catalogFile = data.appendingPathComponent("catalog.sqlite").path
        let removed = try await ExternalTool.run("sqlite3", [catalogFile, """
            DROP TRIGGER events_are_append_only_delete;
            DELETE FROM events WHERE id = (SELECT MAX(id) FROM events WHERE case_id = '\(Self.landCase)');
            """])
        try #require(removed.status == 0, "\(removed.output)")
        let found = try await HoSoProcess.run(["audit", "verify", "--data", data.path], in: work, environment: settings)
        #expect(found.status == 1 && found.stdout.contains("BROKEN case \(Self.landCase): the stamped head, event "), "\(found.stdout)\(found.stderr)")
        // Rewriting the stamp's list to match is found too: its token is over the list as it was.
        let rewritten = try await ExternalTool.run("sqlite3", [catalogFile, "UPDATE chain_stamp_heads SET hash = 'x' WHERE case_id = '\(Self.landCase)';"])
        try #require(rewritten.status == 0, "\(rewritten.output)")
        let bad = try await HoSoProcess.run(["audit", "verify", "--data", data.path], in: work, environment: settings)
        #expect(bad.status == 1 && bad.stdout.contains("BAD STAMP 1 of ") && bad.stdout.contains("its list of heads was changed"), "\(bad.stdout)")
    }
}
