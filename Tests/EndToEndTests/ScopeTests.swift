import Foundation
import HoSoTestSupport
import Testing

/// Tokens scoped to an agency, over the real server: they see and change only the cases their agency or
/// its units received or resolve, and cannot even learn that the others exist.
@Suite struct ScopeTests {
    let work: URL
    let data: URL
    static let here = "000.00.14.H27-240815-0001"          // received by the scope's agency
    static let elsewhere = "000.00.15.H27-240815-0002"     // another district's
    static let resolvedHere = "000.00.15.H27-240815-0003"  // received elsewhere, resolved by a unit of the scope

    init() async throws {
        work = try makeTemporaryDirectory("scope")
        data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    func register(_ server: ServerProcess, _ token: String, _ id: String, resolvedBy agency: String? = nil) async throws -> ServerProcess.Answer {
        var body: [String: Any] = [
            "caseId": id, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00",
        ]
        if let agency { body["resolvingAgency"] = agency }
        return try await server.json("POST", "/v1/cases", token: token, body)
    }

    @Test func aScopedToken_seesOnlyItsAgencysCases() async throws {
        let made = try await HoSoProcess.run(["token", "create", "--role", "auditor", "--name", "so-14", "--agency", "000.00.14.H27",
                                              "--data", data.path], in: work)
        try #require(made.status == 0, "\(made.stderr)")
        let scoped = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let scopedWorkflow = try await HoSoProcess.run(["token", "create", "--role", "workflow", "--name", "mot-cua-14", "--agency", "000.00.14.H27",
                                                        "--data", data.path], in: work).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let workflow = try await HoSoProcess.token("workflow", data: data, in: work)
        let station = try await HoSoProcess.token("station", data: data, in: work)
        let server = try await ServerProcess(in: work, data: data)

        #expect(try await register(server, workflow, Self.here).status == 201)
        #expect(try await register(server, workflow, Self.elsewhere).status == 201)
        #expect(try await register(server, workflow, Self.resolvedHere, resolvedBy: "000.05.14.H27").status == 201)
        let scan = try Data(contentsOf: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"))
        let uploaded = try await server.call("POST", "/v1/cases/\(Self.elsewhere)/documents?fileName=don.tif", token: station, body: scan,
                                             type: "application/octet-stream")
        try #require(uploaded.status == 201, "\(uploaded.text)")
        let document = try #require((uploaded.json["document"] as? [String: Any])?["sha256"] as? String)

        // The list, in pages too, holds only the scope's cases.
        let listed = try await server.call("GET", "/v1/cases?limit=1", token: scoped)
        let next = try #require(listed.json["next"] as? String, "\(listed.text)")
        let rest = try await server.call("GET", "/v1/cases?cursor=\(next)", token: scoped)
        let ids = ((listed.json["cases"] as? [[String: Any]] ?? []) + (rest.json["cases"] as? [[String: Any]] ?? [])).compactMap { $0["caseId"] as? String }
        #expect(Set(ids) == [Self.here, Self.resolvedHere], "\(listed.text) \(rest.text)")
        #expect(((try await server.call("GET", "/v1/cases", token: workflow)).json["cases"] as? [Any])?.count == 3)

        // Another agency's case, its trail and its document are as unknown as a case that does not exist.
        for path in ["/v1/cases/\(Self.elsewhere)", "/v1/cases/\(Self.elsewhere)/events", "/v1/cases/\(Self.elsewhere)/documents",
                     "/v1/documents/\(document)", "/v1/documents/\(document)/thumbnail"] {
            let answer = try await server.call("GET", path, token: scoped)
            #expect(answer.status == 404, "\(path): \(answer.status) \(answer.text)")
        }
        #expect(try await server.call("GET", "/v1/documents/\(document)", token: workflow).status == 200)
        #expect(try await server.call("GET", "/v1/cases/\(Self.resolvedHere)", token: scoped).status == 200)

        // The report counts only the scope's cases.
        let report = try await server.call("GET", "/v1/reports/digitization", token: scoped)
        let counted = (report.json["lines"] as? [[String: Any]] ?? []).compactMap { $0["cases"] as? Int }.reduce(0, +)
        #expect(counted == 2, "\(report.text)")

        // A scoped workflow server registers only its agency's cases.
        let foreign = try await register(server, scopedWorkflow, "000.00.15.H27-240815-0004")
        #expect(foreign.status == 403 && foreign.json["code"] as? String == "out_of_scope", "\(foreign.text)")
        #expect(try await register(server, scopedWorkflow, "000.00.15.H27-240815-0005", resolvedBy: "000.00.14.H27").status == 201)
        #expect(try await server.call("POST", "/v1/cases/\(Self.elsewhere)/return", token: scopedWorkflow).status == 404)
    }
}
