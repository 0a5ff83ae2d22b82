import Foundation
import HoSoTestSupport
import Testing

/// schemathesis generates requests from docs/openapi.yaml (valid and invalid ones) against the running
/// server: none may get a 5xx, and the server must still be up afterwards.
@Suite struct SchemathesisTests {
    @Test func generatedRequests_neverGetAServerError() async throws {
        let schemathesis = packageRoot.appendingPathComponent(".build/python/bin/schemathesis").path
        try #require(FileManager.default.isExecutableFile(atPath: schemathesis), "make test-deps installs schemathesis")
        let work = try makeTemporaryDirectory("schemathesis")
        let data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        let token = try await HoSoProcess.run(["token", "create", "--role", "admin", "--name", "fuzzer", "--data", data.path], in: work)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await ServerProcess(in: work, data: data)
        let run = try await ExternalTool.run(schemathesis, [
            "run", "http://127.0.0.1:\(server.port)/v1/openapi.yaml", "--header", "Authorization: Bearer \(token)",
            "--checks", "not_a_server_error", "--max-examples", "25", "--seed", "20261123", "--no-color",
        ])
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        #expect(server.process.isRunning, "the server survived")
        let health = try await server.call("GET", "/healthz")
        #expect(health.status == 200)
    }
}
