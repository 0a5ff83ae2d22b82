import Foundation
import HoSoTestSupport
import Testing

/// What a running `hoso serve` shares with other nodes stops in the middle of a burst of scans and comes
/// back: the catalog's PostgreSQL server, or the S3 store. Meanwhile `/readyz` and the API answer 503 at
/// once (never another 5xx, never a wait for the server), scans keep landing in the inbox, and once the
/// server is back every scan is stored on its case exactly once. Servers of the tests' own, since they stop.
@Suite struct OutageTests {
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("e2e-outage")
    }

    @Test func postgresStoppedMidIngest_answers503_thenEveryScanIsStoredOnce() async throws {
        let postgres = try await PrivatePostgres()
        do {
            try await burst(across: ["HOSO_CATALOG_URL": postgres.url], stop: { try await postgres.stop() }, start: { try await postgres.start() },
                            refusal: "catalog_unavailable")
        } catch {
            await postgres.remove()
            throw error
        }
        await postgres.remove()
    }

    @Test func theObjectStoreKilledMidIngest_answers503_thenEveryScanIsStoredOnce() async throws {
        let store = try await PrivateSeaweedFS()
        let blobs = [
            "HOSO_BLOBS_URL": "s3://outage?endpoint=\(store.endpoint)",
            "HOSO_S3_ACCESS_KEY_ID": TestS3.credentials.accessKeyID, "HOSO_S3_SECRET_ACCESS_KEY": TestS3.credentials.secretAccessKey,
        ]
        do {
            try await burst(across: blobs, stop: { await store.kill() }, start: { try await store.start() }, refusal: "blobs_unavailable")
        } catch {
            await store.remove()
            throw error
        }
        await store.remove()
    }

    /// `hoso serve` on the storage `shared` names: 20 scans, the server stopped once a few are in, 20 more,
    /// the API asked while it is down (`refusal` is the 503's code for a document read), started again.
    func burst(across shared: [String: String], stop: () async throws -> Void, start: () async throws -> Void, refusal: String) async throws {
        let data = work.appendingPathComponent("var")
        let (config, inbox) = try stationConfig(in: work, extra: """
            ingest:
              retry_seconds: 1
            catalog:
              connection_wait_seconds: 2

            """)
        let environment = shared.merging(["HOSO_CONFIG": config.path]) { $1 }
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
        do {
            let count = 40
            try dropTinyScans(0..<count / 2, into: inbox, scratch: work)
            var first: [[String: Any]] = []
            for _ in 0..<300 where first.count < 3 {
                first = try await cases() ?? []
                try await Task.sleep(for: .milliseconds(50))
            }
            let caseID = try #require(first.first?["caseId"] as? String)
            let documents = try await server.call("GET", "/v1/cases/\(caseID)/documents", token: token).json["documents"] as? [[String: Any]]
            let digest = try #require(documents?.first?["sha256"] as? String)
            try await stop()
            let stopped = Date()
            try dropTinyScans(count / 2..<count, into: inbox, scratch: work)

            // Readiness says so within a few seconds; a request needing the server is refused within the connection wait.
            var ready = try await server.call("GET", "/readyz")
            for _ in 0..<100 where ready.status == 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await server.call("GET", "/readyz")
            }
            #expect(ready.status == 503, "\(ready.text)")
            let asked = Date()
            let refused = try await server.call("GET", "/v1/documents/\(digest)", token: token)
            #expect(refused.status == 503 && refused.json["code"] as? String == refusal, "\(refused.text)")
            #expect(refused.headers["retry-after"] != nil)
            #expect(Date().timeIntervalSince(asked) < 10, "refused at once, not held until the server returns")
            try await Task.sleep(for: .seconds(max(0, 3 - Date().timeIntervalSince(stopped))))

            try await start()
            var listed: [[String: Any]] = []
            let back = Date()
            while Date().timeIntervalSince(back) < 120 {
                if let found = try await cases(), found.count == count,
                   found.allSatisfy({ $0["documentCount"] as? Int == 1 }) { listed = found; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            if listed.count != count {
                Issue.record("not every scan stored 120 s after the server came back; hoso serve logged: \(serverLog())")
            }
            #expect(listed.count == count, "every scan is on its case once the server is back: \(listed.count) of \(count)")
            #expect(listed.allSatisfy { $0["documentCount"] as? Int == 1 }, "each exactly once")
            let left = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".tif") }
            #expect(left.isEmpty, "nothing waits in the inbox: \(left)")
            ready = try await server.call("GET", "/readyz")
            for _ in 0..<100 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await server.call("GET", "/readyz")
            }
            #expect(ready.status == 200, "ready again: \(ready.text)")
            #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed").path), "no scan was given up on")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "only 200 and 503: \(Set(statuses))")
            #expect(try await server.call("GET", "/v1/documents/\(digest)", token: token).status == 200)
        } catch {
            Issue.record("hoso serve logged: \(serverLog())")
            throw error
        }
    }

    /// The end of what `hoso serve` logged, for a failure's record.
    func serverLog() -> Substring {
        ((try? String(contentsOf: work.appendingPathComponent("var.serve.log"), encoding: .utf8)) ?? "").suffix(4000)
    }
}
