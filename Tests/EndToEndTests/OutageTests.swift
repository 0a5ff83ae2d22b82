import Foundation
import HoSoTestSupport
import Testing

/// The shared catalog's PostgreSQL server stopped under a running `hoso serve` in the middle of a burst of
/// scans, and started again: meanwhile `/readyz` and the API answer 503 at once (never another 5xx, never
/// a wait for the server), scans keep landing in the inbox, and once the server is back every scan is
/// stored on its case exactly once. A PostgreSQL of this test's own, since it is stopped.
@Suite struct CatalogOutageTests {
    @Test func postgresStoppedMidIngest_answers503_thenEveryScanIsStoredOnce() async throws {
        let work = try makeTemporaryDirectory("e2e-outage")
        let postgres = try await PrivatePostgres()
        do {
            try await check(work: work, postgres: postgres)
        } catch {
            await postgres.remove()
            let log = (try? String(contentsOf: work.appendingPathComponent("var.serve.log"), encoding: .utf8)) ?? ""
            Issue.record("hoso serve logged: \(log.suffix(3000))")
            throw error
        }
        await postgres.remove()
    }

    func check(work: URL, postgres: PrivatePostgres) async throws {
        let data = work.appendingPathComponent("var")
        let (config, inbox) = try stationConfig(in: work, extra: """
            ingest:
              retry_seconds: 1
            catalog:
              connection_wait_seconds: 2

            """)
        let environment = ["HOSO_CONFIG": config.path, "HOSO_CATALOG_URL": postgres.url]
        let initialized = try await HoSoProcess.run(["init", "--data", data.path], in: work, environment: environment)
        try #require(initialized.status == 0, "\(initialized.stderr)")
        let token = try await HoSoProcess.run(["token", "create", "--role", "workflow", "--name", "wf", "--data", data.path], in: work,
                                              environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        var statuses: [Int] = []
        func cases() async throws -> [[String: Any]]? {
            let answer = try await server.call("GET", "/v1/cases?limit=500", token: token)
            statuses.append(answer.status)
            return answer.status == 200 ? answer.json["cases"] as? [[String: Any]] : nil
        }

        let count = 40
        try dropTinyScans(0..<count / 2, into: inbox, scratch: work)
        for _ in 0..<300 where (try await cases()?.count ?? 0) < 3 { try await Task.sleep(for: .milliseconds(50)) }
        try await postgres.stop()
        let stopped = Date()
        try dropTinyScans(count / 2..<count, into: inbox, scratch: work)

        // Readiness says so within a few seconds, and a request is refused within the connection wait (2 s).
        var ready = try await server.call("GET", "/readyz")
        for _ in 0..<100 where ready.status == 200 {
            try await Task.sleep(for: .milliseconds(100))
            ready = try await server.call("GET", "/readyz")
        }
        #expect(ready.status == 503 && ready.json["code"] as? String == "catalog_unavailable", "\(ready.text)")
        let asked = Date()
        let refused = try await server.call("GET", "/v1/cases", token: token)
        #expect(refused.status == 503 && refused.json["code"] as? String == "catalog_unavailable", "\(refused.text)")
        #expect(refused.headers["retry-after"] != nil)
        #expect(Date().timeIntervalSince(asked) < 10, "refused after the connection wait, not held until the server returns")
        try await Task.sleep(for: .seconds(max(0, 3 - Date().timeIntervalSince(stopped))))

        try await postgres.start()
        var listed: [[String: Any]] = []
        for _ in 0..<600 {
            if let found = try await cases(), found.count == count,
               found.allSatisfy({ $0["documentCount"] as? Int == 1 }) { listed = found; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(listed.count == count, "every scan is on its case once the catalog is back: \(listed.count) of \(count)")
        #expect(listed.allSatisfy { $0["documentCount"] as? Int == 1 }, "each exactly once")
        let left = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".tif") }
        #expect(left.isEmpty, "nothing waits in the inbox: \(left)")
        #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed").path), "no scan was given up on")
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "only 200 and 503: \(Set(statuses))")
        ready = try await server.call("GET", "/readyz")
        for _ in 0..<100 where ready.status != 200 {
            try await Task.sleep(for: .milliseconds(100))
            ready = try await server.call("GET", "/readyz")
        }
        #expect(ready.status == 200, "ready again: \(ready.text)")
    }
}
