import Foundation
import HoSoSamples
import HoSoTestSupport
import Testing

/// The return gate trusts the right signer on the right case: a real OpenSSL PKI with the office's seal,
/// a leader and a citizen under one root, the real `hoso` binary, `hoso serve` over real HTTP.
@Suite struct SignerRegistryTests {
    let work: URL
    let data: URL
    let pki: URL
    static let agency = "000.00.14.H27"
    static let caseID = "000.00.14.H27-240815-0007"
    static let otherCase = "000.00.14.H27-240816-0011"

    init() async throws {
        work = try makeTemporaryDirectory("signers")
        data = work.appendingPathComponent("data")
        pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    var environment: [String: String] {
        ["HOSO_TRUST_ANCHORS": pki.appendingPathComponent("anchors").path, "HOSO_TRUST_CRLS": pki.appendingPathComponent("crls").path]
    }

    func hoso(_ arguments: [String], environment: [String: String] = [:]) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(arguments + ["--data", data.path], in: work, environment: environment)
    }

    func addSigner(_ certificate: String, role: String = "organization", extra: [String] = []) async throws -> Int {
        let added = try await hoso(["signers", "add", "--agency", Self.agency, "--cert", pki.appendingPathComponent(certificate).path,
                              "--role", role, "--json"] + extra)
        try #require(added.status == 0, "\(added.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["id"] as? Int ?? 0
    }

    /// `pdf` signed by `signer` (a certificate of the test PKI) with `hoso sign`, for `caseID` when given.
    func sign(_ pdf: URL, as signer: String, certificate: String? = nil, for caseID: String? = nil, into name: String) async throws -> URL {
        let p12 = work.appendingPathComponent("\(signer)-\(certificate ?? signer).p12")
        if !FileManager.default.fileExists(atPath: p12.path) {
            let export = try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("\(signer).key").path,
                                                          "-in", pki.appendingPathComponent("\(certificate ?? signer).pem").path,
                                                          "-certfile", pki.appendingPathComponent("inter.pem").path, "-passout", "pass:x", "-out", p12.path])
            try #require(export.status == 0, "\(export.output)")
        }
        let folder = work.appendingPathComponent("signed-\(name)")
        let input = work.appendingPathComponent("in-\(name)").appendingPathComponent(name + ".pdf")
        try FileManager.default.createDirectory(at: input.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: input)
        try FileManager.default.copyItem(at: pdf, to: input)
        let signed = try await HoSoProcess.run(["sign", "--p12", p12.path, "--pass-env", "P", "--out", folder.path, input.path]
                                         + (caseID.map { ["--case", $0] } ?? []), in: work, environment: ["P": "x"])
        try #require(signed.status == 0, "\(signed.stderr)")
        return folder.appendingPathComponent(name + ".pdf")
    }

    /// The result scan, normalized: an image-only PDF with no text and no code.
    func imageOnlyResult() async throws -> URL {
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/result-a4-bilevel.tif").path, "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        return work.appendingPathComponent("result-a4-bilevel.pdf")
    }

    /// A one-page PDF whose text holds `lines` (Helvetica), written by hand.
    func textResult(_ lines: [String], name: String) throws -> URL {
        let content = "BT /F1 14 Tf 72 760 Td " + lines.map { "(\($0)) Tj 0 -20 Td" }.joined(separator: " ") + " ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
        ]
        let text = PDFSurgery.handWritten(objects)
        let url = work.appendingPathComponent(name + ".pdf")
        try text.write(to: url, atomically: true, encoding: .ascii)
        return url
    }

    /// A scanned result whose only mention of its case is the QR code in page 1's top-left corner.
    func qrResult(for caseID: String) async throws -> URL {
        let scan = work.appendingPathComponent("qr-result.tif")
        try SampleSet.writeCodedBatch(to: scan, pages: [.receipt(caseID: caseID, symbology: .qr,
                                                                 payload: "MaHS:\(caseID);MaTTHC:1.001193;CCCD:001088012345")], dpi: 300)
        let normalized = try await HoSoProcess.run(["normalize", scan.path, "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        return work.appendingPathComponent("qr-result.pdf")
    }

    func register(_ server: ServerProcess, _ token: String, id: String, resolvingAgency: String? = nil) async throws {
        var body: [String: Any] = [
            "caseId": id, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": [String](),
        ]
        body["resolvingAgency"] = resolvingAgency
        let answer = try await server.json("POST", "/v1/cases", token: token, body)
        try #require(answer.status == 201, "\(answer.text)")
    }

    func attach(_ server: ServerProcess, _ token: String, _ file: URL, to id: String) async throws -> ServerProcess.Answer {
        try await server.call("POST", "/v1/cases/\(id)/results", token: token, body: try Data(contentsOf: file), type: "application/pdf")
    }

    func token(_ role: String) async throws -> String {
        let made = try await hoso(["token", "create", "--role", role, "--name", role])
        try #require(made.status == 0, "\(made.stderr)")
        return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Two nodes sharing one PostgreSQL catalog and one S3 bucket, each with its own data directory: a
    /// result attached through node A opens the gate at node B at once (no node keeps the gate's state).
    @Test func aResultAttachedOnNodeA_opensTheGateOnNodeB() async throws {
        let database = try #require(URLComponents(string: try await TestPostgres.freshDatabaseURL()))
        var shared = environment
        shared["HOSO_CATALOG_URL"] = database.string! + "?sslmode=disable"
        shared["HOSO_BLOBS_URL"] = "s3://\(TestS3.bucket)?endpoint=\(try TestS3.endpoint())"
        shared["HOSO_S3_ACCESS_KEY_ID"] = TestS3.credentials.accessKeyID
        shared["HOSO_S3_SECRET_ACCESS_KEY"] = TestS3.credentials.secretAccessKey
        let nodeA = work.appendingPathComponent("node-a"), nodeB = work.appendingPathComponent("node-b")
        func node(_ arguments: [String], _ data: URL) async throws -> HoSoProcess.Result {
            try await HoSoProcess.run(arguments + ["--data", data.path], in: work, environment: shared)
        }
        try #require(try await node(["init"], nodeA).status == 0)
        let workflow = try await node(["token", "create", "--role", "workflow", "--name", "wf"], nodeA).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let added = try await node(["signers", "add", "--agency", Self.agency, "--cert", pki.appendingPathComponent("signer.pem").path], nodeB)
        try #require(added.status == 0, "\(added.stderr)")
        let sealed = try await sign(try await imageOnlyResult(), as: "signer", for: Self.caseID, into: "sealed")
        let a = try await ServerProcess(in: work, data: nodeA, environment: shared)
        let b = try await ServerProcess(in: work, data: nodeB, environment: shared)

        try await register(a, workflow, id: Self.caseID)
        let closed = try await b.call("POST", "/v1/cases/\(Self.caseID)/return", token: workflow)
        #expect(closed.status == 409, "node B sees node A's case, and no result yet: \(closed.text)")
        #expect(try await attach(a, workflow, sealed, to: Self.caseID).status == 201)
        let opened = try await b.call("POST", "/v1/cases/\(Self.caseID)/return", token: workflow)
        #expect(opened.status == 200, "the very next request on node B: \(opened.text)")
        #expect(try await a.call("GET", "/v1/cases/\(Self.caseID)", token: workflow).json["status"] as? String == "returned")
        let served = try await b.call("GET", "/v1/cases/\(Self.caseID)/results", token: workflow)
        #expect(served.status == 200 && served.text.contains("TOTAL_PASSED"), "\(served.text)")
    }

    @Test func onlyTheAgencysRegisteredSigner_onThisCase_opensTheGate() async throws {
        let workflow = try await token("workflow")
        let image = try await imageOnlyResult()
        let sealed = try await sign(image, as: "signer", for: Self.caseID, into: "sealed")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        try await register(server, workflow, id: Self.caseID)
        try await register(server, workflow, id: Self.otherCase)

        // Nobody registered for the agency yet: no signature counts.
        let unregistered = try await attach(server, workflow, sealed, to: Self.caseID)
        #expect(unregistered.status == 422 && unregistered.json["code"] as? String == "no_signer_registered", "\(unregistered.text)")

        let seal = try await addSigner("signer.pem", extra: ["--name", "Con dấu Sở Tư pháp"])
        // A citizen's certificate under the same root, naming the case: not the agency's signer.
        let byCitizen = try await attach(server, workflow, try sign(image, as: "citizen", for: Self.caseID, into: "citizen"), to: Self.caseID)
        #expect(byCitizen.status == 422 && byCitizen.json["code"] as? String == "signer_not_authorized", "\(byCitizen.text)")
        let detail = byCitizen.json["detail"] as? String ?? ""
        #expect(detail.contains("CN=citizen") && detail.contains(Self.agency) && detail.contains("Con dấu Sở Tư pháp"), "\(detail)")
        let accepted = (((byCitizen.json["verification"] as? [String: Any])?["acceptance"] as? [String: Any])?["signer"] as? [String: Any])?["accepted"]
        #expect((accepted as? [[String: Any]])?.first?["id"] as? Int == seal, "\(byCitizen.text)")

        // The agency's seal on another case's result: refused, naming what the result does name.
        let elsewhere = try await attach(server, workflow, sealed, to: Self.otherCase)
        #expect(elsewhere.status == 422 && elsewhere.json["code"] as? String == "result_case_not_named", "\(elsewhere.text)")
        #expect((elsewhere.json["detail"] as? String ?? "").contains("\(Self.caseID) in signature"), "\(elsewhere.text)")

        // The seal with --case on an image-only PDF: accepted, the evidence says what matched and what named the case.
        let attached = try await attach(server, workflow, sealed, to: Self.caseID)
        #expect(attached.status == 201, "\(attached.text)")
        let acceptance = (attached.json["verification"] as? [String: Any])?["acceptance"] as? [String: Any]
        let signer = acceptance?["signer"] as? [String: Any], binding = acceptance?["binding"] as? [String: Any]
        #expect(signer?["outcome"] as? String == "authorized" && (signer?["entry"] as? [String: Any])?["id"] as? Int == seal, "\(attached.text)")
        #expect(binding?["source"] as? String == "signature" && (binding?["place"] as? String ?? "").contains("/HoSo.CaseID"), "\(attached.text)")
        #expect((acceptance?["policy"] as? [String: Any])?["requireCaseBinding"] as? Bool == true)
        #expect(try await server.call("POST", "/v1/cases/\(Self.caseID)/return", token: workflow).status == 200)

        // What `hoso sign --case` wrote is still a signature every other validator accepts.
        let pdfsig = try await ExternalTool.run("pdfsig", [sealed.path]).output
        #expect(pdfsig.contains("Signature is Valid.") && pdfsig.contains("Total document signed"), "\(pdfsig)")
        let objects = try await ExternalTool.run("qpdf", ["--json", "--json-key=qpdf", sealed.path]).output
        #expect(objects.contains("\"/Reason\": \"u:Kết quả giải quyết hồ sơ \(Self.caseID)\"")
                && objects.contains("\"/HoSo.CaseID\": \"u:\(Self.caseID)\""), "what qpdf reads of the signature dictionary")
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let pyhanko = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Benchmarks/pyhanko-validate.py").path,
                                                    pki.appendingPathComponent("anchors/root.pem").path, sealed.path])
        #expect(pyhanko.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("1"), "pyHanko: \(pyhanko.output)")
        #expect(try await ExternalTool.run("qpdf", ["--check", sealed.path]).status == 0)
    }

    @Test func theCaseIsNamed_byTheText_orByThePage1QRCode() async throws {
        let workflow = try await token("workflow")
        _ = try await addSigner("signer.pem")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        try await register(server, workflow, id: Self.caseID)
        try await register(server, workflow, id: Self.otherCase)
        // The ID broken over two lines, as a layout would.
        let text = try await sign(try textResult(["QUYET DINH", "Ma ho so: 000.00.14.H27-", "240815-0007"], name: "text"), as: "signer", into: "text")
        let byText = try await attach(server, workflow, text, to: Self.caseID)
        #expect(byText.status == 201, "\(byText.text)")
        let binding = ((byText.json["verification"] as? [String: Any])?["acceptance"] as? [String: Any])?["binding"] as? [String: Any]
        #expect(binding?["source"] as? String == "text", "\(byText.text)")
        let wrongText = try await attach(server, workflow, text, to: Self.otherCase)
        #expect(wrongText.status == 422 && wrongText.json["code"] as? String == "result_case_not_named", "\(wrongText.text)")
        #expect((wrongText.json["detail"] as? String ?? "").contains("\(Self.caseID) in the PDF's text"), "\(wrongText.text)")

        let qr = try await sign(try qrResult(for: Self.otherCase), as: "signer", into: "qr")
        let byCode = try await attach(server, workflow, qr, to: Self.otherCase)
        #expect(byCode.status == 201, "\(byCode.text)")
        let codeBinding = ((byCode.json["verification"] as? [String: Any])?["acceptance"] as? [String: Any])?["binding"] as? [String: Any]
        #expect(codeBinding?["source"] as? String == "barcode" && codeBinding?["place"] as? String == "page 1 QR code", "\(byCode.text)")
    }

    @Test func aPolicy_aRenewal_aRemoval_andTheResolvingAgency() async throws {
        let workflow = try await token("workflow")
        let seal = try await addSigner("signer.pem")
        _ = try await addSigner("leader.pem", role: "leader")
        let policy = try await hoso(["signers", "policy", "--agency", Self.agency, "--require", "leader,organization"])
        #expect(policy.status == 0 && policy.stdout.contains("requires leader and organization"), "\(policy.stdout)\(policy.stderr)")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        let cases = ["000.00.14.H27-240815-0001", "000.00.14.H27-240815-0002", "000.00.14.H27-240815-0003"]
        for id in cases { try await register(server, workflow, id: id) }
        let image = try await imageOnlyResult()

        let sealOnly = try await sign(image, as: "signer", for: cases[0], into: "seal-only")
        let oneOfTwo = try await attach(server, workflow, sealOnly, to: cases[0])
        #expect(oneOfTwo.status == 422 && oneOfTwo.json["code"] as? String == "signer_not_authorized", "\(oneOfTwo.text)")
        #expect((oneOfTwo.json["detail"] as? String ?? "").contains("missing roles: leader"), "\(oneOfTwo.text)")
        // The leader signs first, the seal after: both roles, and the last signature is registered.
        let both = try await sign(try sign(image, as: "leader", for: cases[0], into: "leader-first"), as: "signer", for: cases[0], into: "both")
        #expect(try await attach(server, workflow, both, to: cases[0]).status == 201)
        #expect(try await hoso(["signers", "policy", "--agency", Self.agency, "--require", "none"]).status == 0)

        // The seal renewed on the same key still matches the registered entry.
        let renewed = try await sign(image, as: "signer", certificate: "signer-renewed", for: cases[1], into: "renewed")
        #expect(try await attach(server, workflow, renewed, to: cases[1]).status == 201)
        #expect(try await server.call("POST", "/v1/cases/\(cases[1])/return", token: workflow).status == 200)

        // Removed: the next attach is refused at once; what was attached stays, and its gate stays open.
        let removed = try await hoso(["signers", "remove", String(seal), "--reason", "con dấu thu hồi"])
        #expect(removed.status == 0, "\(removed.stderr)")
        let afterRemoval = try await attach(server, workflow, try sign(image, as: "signer", for: cases[2], into: "after"), to: cases[2])
        #expect(afterRemoval.status == 422 && afterRemoval.json["code"] as? String == "signer_not_authorized", "\(afterRemoval.text)")
        let earlier = try await server.call("GET", "/v1/cases/\(cases[0])", token: workflow)
        #expect((earlier.json["results"] as? [[String: Any]])?.count == 1, "\(earlier.text)")
        #expect(try await server.call("POST", "/v1/cases/\(cases[0])/return", token: workflow).status == 200, "the earlier result still opens its gate")
        let history = try await hoso(["signers", "history", "--json"])
        let kinds = ((try? JSONSerialization.jsonObject(with: Data(history.stdout.utf8))) as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds == ["signer_added", "signer_added", "policy_set", "policy_set", "signer_removed"], "\(history.stdout)")

        // A case decided by another agency: the receiving agency's signers do not count for it.
        _ = try await addSigner("signer.pem")
        let decidedElsewhere = "000.00.14.H27-240817-0001"
        try await register(server, workflow, id: decidedElsewhere, resolvingAgency: "000.00.21.H27")
        let shown = try await hoso(["cases", "show", decidedElsewhere, "--json"])
        #expect(shown.stdout.contains("000.00.21.H27"), "\(shown.stdout)")
        let other = try await attach(server, workflow, try sign(image, as: "signer", for: decidedElsewhere, into: "elsewhere"), to: decidedElsewhere)
        #expect(other.status == 422 && other.json["code"] as? String == "no_signer_registered", "\(other.text)")
        #expect((other.json["detail"] as? String ?? "").contains("000.00.21.H27"), "\(other.text)")
    }

    @Test func theClerkChecksBeforeAttaching_andBadEntriesAreRefused() async throws {
        _ = try await addSigner("signer.pem")
        let image = try await imageOnlyResult()
        let sealed = try await sign(image, as: "signer", for: Self.caseID, into: "sealed")
        let trust = ["--trust", pki.appendingPathComponent("anchors").path, "--crl", pki.appendingPathComponent("crls").path]
        let good = try await hoso(["verify", sealed.path, "--case", Self.caseID] + trust)
        #expect(good.status == 0 && good.stdout.contains("signer: authorized"), "\(good.stdout)\(good.stderr)")
        let wrongCase = try await hoso(["verify", sealed.path, "--case", Self.otherCase] + trust)
        #expect(wrongCase.status == 1 && wrongCase.stdout.contains("refused: result_case_not_named"), "\(wrongCase.stdout)")
        let citizen = try await hoso(["verify", try sign(image, as: "citizen", for: Self.caseID, into: "citizen").path, "--case", Self.caseID],
                               environment: environment)
        #expect(citizen.status == 1 && citizen.stdout.contains("refused: signer_not_authorized"), "trust from the configuration: \(citizen.stdout)")

        // What cannot be a registry entry: exit 65 from the CLI, 422 from the API, each naming the field.
        let notPEM = work.appendingPathComponent("notes.pem")
        try "not a certificate".write(to: notPEM, atomically: true, encoding: .utf8)
        let garbage = try await hoso(["signers", "add", "--agency", Self.agency, "--cert", notPEM.path])
        #expect(garbage.status == 65 && garbage.stderr.contains("--cert") && garbage.stderr.contains("not an X.509 certificate"), "\(garbage.stderr)")
        let ca = try await hoso(["signers", "add", "--agency", Self.agency, "--cert", pki.appendingPathComponent("inter.pem").path])
        #expect(ca.status == 65 && ca.stderr.contains("CA certificate"), "\(ca.stderr)")
        let agency = try await hoso(["signers", "add", "--agency", "14.H27", "--cert", pki.appendingPathComponent("signer.pem").path])
        #expect(agency.status == 65 && agency.stderr.contains("--agency"), "\(agency.stderr)")
        #expect(try await hoso(["signers", "remove", "999", "--reason", "x"]).status == 69)

        let admin = try await token("admin")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        let pem = try String(contentsOf: pki.appendingPathComponent("leader.pem"), encoding: .utf8)
        let bad = try await server.json("POST", "/v1/signers", token: admin, ["agency": Self.agency, "certificate": "junk"])
        #expect(bad.status == 422 && (bad.json["detail"] as? String ?? "").hasPrefix("certificate:"), "\(bad.text)")
        let badAgency = try await server.json("POST", "/v1/signers", token: admin, ["agency": "H27", "certificate": pem])
        #expect(badAgency.status == 422 && badAgency.json["code"] as? String == "invalid_agency_code", "\(badAgency.text)")
        let added = try await server.json("POST", "/v1/signers", token: admin, ["agency": Self.agency, "certificate": pem, "role": "leader"])
        #expect(added.status == 201 && added.json["role"] as? String == "leader", "\(added.text)")
        #expect(try await server.json("POST", "/v1/signers", token: admin, ["agency": Self.agency, "certificate": pem, "role": "leader"]).status == 200)
        let listed = (try await server.call("GET", "/v1/signers?agency=\(Self.agency)", token: admin).json["signers"] as? [[String: Any]]) ?? []
        #expect(listed.count == 2 && listed.allSatisfy { ($0["keySha256"] as? String)?.count == 64 && ($0["certificateSha256"] as? String)?.count == 64 })
        let id = added.json["id"] as? Int ?? 0
        #expect(try await server.call("DELETE", "/v1/signers/\(id)", token: admin).status == 400, "a removal needs its reason")
        #expect(try await server.call("DELETE", "/v1/signers/\(id)?reason=nghi%20huu", token: admin).status == 200)
        #expect(try await server.call("DELETE", "/v1/signers/\(id)?reason=again", token: admin).status == 409)
    }
}
