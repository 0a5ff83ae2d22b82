import Foundation
import HoSoTestSupport
import Testing
import Yams

/// `hoso serve` over real HTTP on 127.0.0.1, with real signed PDFs, SQLite and the real binary.
@Suite struct ServerTests {
    let work: URL
    let data: URL
    let pki: URL
    static let caseID = "000.00.14.H27-240815-0007"
    static let roles = ["station", "office", "workflow", "auditor", "admin"]

    init() async throws {
        work = try makeTemporaryDirectory("serve")
        data = work.appendingPathComponent("data")
        pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        // The office's seal may sign results of the agency the test cases come from.
        let seal = try await HoSoProcess.run(["signers", "add", "--agency", "000.00.14.H27", "--cert", pki.appendingPathComponent("signer.pem").path,
                                        "--data", data.path], in: work)
        try #require(seal.status == 0, "\(seal.stderr)")
    }

    var environment: [String: String] {
        ["HOSO_TRUST_ANCHORS": pki.appendingPathComponent("anchors").path, "HOSO_TRUST_CRLS": pki.appendingPathComponent("crls").path,
         "HOSO_SERVER_HEARTBEAT_SECONDS": "1"]
    }

    func token(_ role: String, name: String? = nil) async throws -> String {
        try await HoSoProcess.token(role, name: name, data: data, in: work)
    }

    /// A normalized result PDF, the same signed by `hoso sign` for `caseID`, and the signed one with a byte changed.
    func results(for caseID: String = caseID) async throws -> (unsigned: URL, signed: URL, tampered: URL) {
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/result-a4-bilevel.tif").path, "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let unsigned = work.appendingPathComponent("result-a4-bilevel.pdf")
        let p12 = work.appendingPathComponent("office.p12")
        let export = try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("signer.key").path,
                                                      "-in", pki.appendingPathComponent("signer.pem").path, "-certfile",
                                                      pki.appendingPathComponent("inter.pem").path, "-passout", "pass:x", "-out", p12.path])
        try #require(export.status == 0, "\(export.output)")
        let signedFolder = work.appendingPathComponent("signed-\(caseID)")
        let sign = try await HoSoProcess.run(["sign", "--p12", p12.path, "--pass-env", "P", "--out", signedFolder.path, "--case", caseID, unsigned.path],
                                       in: work, environment: ["P": "x"])
        try #require(sign.status == 0, "\(sign.stderr)")
        let signed = signedFolder.appendingPathComponent("result-a4-bilevel.pdf")
        var bytes = try Data(contentsOf: signed)
        bytes[600] ^= 0x01  // inside the scan's coded data: still a PDF, no longer the signed bytes
        let tampered = work.appendingPathComponent("tampered-\(caseID).pdf")
        try bytes.write(to: tampered)
        return (unsigned, signed, tampered)
    }

    func register(_ server: ServerProcess, _ token: String, id: String = caseID, due: String = "2024-08-29T17:00:00+07:00",
                  components: [String] = ["Đơn đăng ký"]) async throws -> ServerProcess.Answer {
        try await server.json("POST", "/v1/cases", token: token, [
            "caseId": id, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": due, "requiredComponents": components,
        ])
    }

    @Test func theGate_opensOnlyForAVerifiedSignedResult_andAllOfItSurvivesARestart() async throws {
        let (unsigned, signed, tampered) = try await results()
        let workflow = try await token("workflow", name: "mot-cua"), station = try await token("station", name: "scan-01")
        var server: ServerProcess? = try await ServerProcess(in: work, data: data, environment: environment)
        let api = server!
        let path = "/v1/cases/\(Self.caseID)"

        #expect(try await register(api, workflow).status == 201)
        #expect(try await register(api, workflow).status == 200, "the same registration again")
        let conflict = try await register(api, workflow, components: [])
        #expect(conflict.status == 409 && conflict.json["code"] as? String == "case_conflict", "\(conflict.text)")

        var gate = try await api.call("POST", path + "/return", token: workflow)
        #expect(gate.status == 409)
        #expect(gate.headers["content-type"] == "application/problem+json")
        let reasons = (gate.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(reasons == ["missing_signed_result", "inputs_not_digitized"], "\(gate.text)")

        // The station scans the required component.
        let scan = try Data(contentsOf: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"))
        let uploadPath = path + "/documents?fileName=don.tif&component=%C4%90%C6%A1n%20%C4%91%C4%83ng%20k%C3%BD"
        let uploaded = try await api.call("POST", uploadPath, token: station, body: scan, type: "application/octet-stream")
        #expect(uploaded.status == 201, "\(uploaded.text)")
        let mistyped = try await api.call("POST", "/v1/cases/000.00.15.H27-240815-0098/documents?fileName=don.tif", token: station, body: scan,
                                          type: "application/octet-stream")
        #expect(mistyped.status == 404 && mistyped.json["code"] as? String == "unknown_case", "\(mistyped.text)")
        let created = try await api.call("POST", "/v1/cases/000.00.15.H27-240815-0098/documents?fileName=don.tif&createCase=true", token: station,
                                         body: scan, type: "application/octet-stream")
        #expect(created.status == 201, "\(created.text)")
        #expect(try await api.call("POST", uploadPath, token: station, body: scan, type: "application/octet-stream").status == 200)

        // Results that are not a verified signed PDF are refused, with the report.
        let plain = try await api.call("POST", path + "/results", token: workflow, body: try Data(contentsOf: unsigned), type: "application/pdf")
        #expect(plain.status == 422 && plain.json["code"] as? String == "unsigned_result", "\(plain.text)")
        let broken = try await api.call("POST", path + "/results", token: workflow, body: try Data(contentsOf: tampered), type: "application/pdf")
        #expect(broken.status == 422 && broken.json["code"] as? String == "signature_failed", "\(broken.text)")
        #expect(broken.text.contains("HASH_FAILURE"), "\(broken.text)")
        #expect(broken.json["verification"] != nil, "the report comes with the refusal")
        let notPDF = try await api.call("POST", path + "/results", token: workflow, body: Data("hello".utf8), type: "application/pdf")
        #expect(notPDF.status == 422 && notPDF.json["code"] as? String == "not_a_pdf", "\(notPDF.text)")
        #expect(try await api.call("POST", path + "/results", token: workflow, body: Data("x".utf8), type: "text/plain").status == 415)
        gate = try await api.call("POST", path + "/return", token: workflow)
        #expect((gate.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } == ["missing_signed_result"], "\(gate.text)")

        // The signed result: 201 and KQ1; again, raw or as multipart: 200 and the same result.
        let attached = try await api.call("POST", path + "/results", token: workflow, body: try Data(contentsOf: signed), type: "application/pdf")
        #expect(attached.status == 201, "\(attached.text)")
        #expect(attached.json["resultCode"] as? String == "\(Self.caseID)-KQ1")
        #expect(attached.json["verdict"] as? String == "TOTAL_PASSED")
        let evidence = attached.json["verification"] as? [String: Any]
        #expect((evidence?["trustAnchors"] as? [String])?.first?.contains("Test Root CA") == true, "\(attached.text)")
        #expect(evidence?["crls"] as? [String] == ["issuing.crl", "root.crl"])
        let again = try await api.call("POST", path + "/results", token: workflow, body: try Data(contentsOf: signed), type: "application/pdf")
        #expect(again.status == 200 && again.json["resultCode"] as? String == "\(Self.caseID)-KQ1")
        var multipart = Data("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kq.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        multipart += try Data(contentsOf: signed) + Data("\r\n--b0undary--\r\n".utf8)
        let viaForm = try await api.call("POST", path + "/results", token: workflow, body: multipart, type: "multipart/form-data; boundary=b0undary")
        #expect(viaForm.status == 200 && viaForm.json["resultCode"] as? String == "\(Self.caseID)-KQ1", "\(viaForm.text)")

        gate = try await api.call("POST", path + "/return", token: workflow)
        #expect(gate.status == 200 && gate.json["returnedNow"] as? Bool == true, "\(gate.text)")
        gate = try await api.call("POST", path + "/return", token: workflow)
        #expect(gate.status == 200 && gate.json["returnedNow"] as? Bool == false, "repeating the return changes nothing")

        // The trail: real times, real actors; the slip is built from it.
        let events = (try await api.call("GET", path + "/events", token: workflow).json["events"] as? [[String: Any]]) ?? []
        let kinds = events.compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "returned" }.count == 1 && kinds.filter { $0 == "return_refused" }.count == 2, "\(kinds)")
        #expect(kinds.contains("case_registered") && kinds.contains("document_stored") && kinds.contains("result_attached"))
        #expect(events.first { $0["kind"] as? String == "document_stored" }?["actor"] as? String == "token:scan-01")
        #expect(events.first { $0["kind"] as? String == "returned" }?["actor"] as? String == "token:mot-cua")
        let slip = try await api.call("GET", path + "/control-slip", token: workflow).json
        #expect((slip["rows"] as? [Any])?.count == 0, "no hand-over was reported")
        #expect((slip["timeliness"] as? [String: Any])?["verdict"] as? String == "late", "returned long after its 2024 due date")
        #expect((slip["facts"] as? [String])?.last?.hasPrefix("Trả kết quả cho người nộp lúc ") == true, "\(slip)")
        let slipPDF = try await api.call("GET", path + "/control-slip?format=pdf", token: workflow)
        #expect(slipPDF.headers["content-type"] == "application/pdf")
        let slipFile = work.appendingPathComponent("slip.pdf")
        try slipPDF.body.write(to: slipFile)
        let slipText = try await ExternalTool.run("pdftotext", [slipFile.path, "-"]).output
        #expect(slipText.contains("PHIẾU KIỂM SOÁT") && slipText.contains(Self.caseID) && slipText.contains("Số hóa 1 tệp hồ sơ đầu vào"), "\(slipText)")
        #expect(!slipText.contains("token:"), "no tokens on the slip")

        // Documents come back with their bytes intact.
        let documents = (try await api.call("GET", path + "/documents", token: workflow).json["documents"] as? [[String: Any]]) ?? []
        #expect(documents.count == 1)
        let sha = documents.first?["sha256"] as? String ?? ""
        let original = try await api.call("GET", "/v1/documents/\(sha)", token: workflow)
        #expect(original.status == 200 && original.body == scan)
        #expect(original.headers["content-length"] == String(scan.count))
        let thumbnail = try await api.call("GET", "/v1/documents/\(sha)/thumbnail", token: workflow)
        #expect(thumbnail.headers["content-type"] == "image/png" && thumbnail.body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        // A stored copy damaged on disk is never served: its hash is checked before the first byte goes out.
        let blob = data.appendingPathComponent("blobs/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)")
        let kept = try Data(contentsOf: blob)
        var damaged = kept
        damaged[damaged.count / 2] ^= 0x01
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: blob.path)
        try damaged.write(to: blob)
        let refused = try await api.call("GET", "/v1/documents/\(sha)", token: workflow)
        #expect(refused.status == 500 && String(decoding: refused.body, as: UTF8.self).contains("blob_damaged"), "\(refused.status)")
        try kept.write(to: blob)

        // A second case waits with its signed result: the forgotten-return report finds it.
        let second = "000.00.14.H27-240816-0003"
        #expect(try await register(api, workflow, id: second, components: []).status == 201)
        let secondResult = try await results(for: second).signed
        #expect(try await api.call("POST", "/v1/cases/\(second)/results", token: workflow, body: try Data(contentsOf: secondResult), type: "application/pdf").status == 201)
        let waiting = (try await api.call("GET", "/v1/reports/signed-not-returned?olderThan=0m", token: workflow).json["cases"] as? [[String: Any]]) ?? []
        #expect(waiting.compactMap { $0["caseId"] as? String } == [second], "\(waiting)")
        let report = try await api.call("GET", "/v1/reports/digitization?agency=000.00.14.H27", token: workflow).json
        let line = (report["lines"] as? [[String: Any]])?.first
        #expect(line?["cases"] as? Int == 2 && line?["inputsRequired"] as? Int == 1 && line?["inputsDigitized"] as? Int == 1, "\(report)")
        #expect(line?["resultsSigned"] as? Int == 2 && line?["returned"] as? Int == 1, "\(report)")

        let attachedMetrics = try await api.call("GET", "/metrics").text
        #expect(attachedMetrics.contains("hoso_results_attached_total{verdict=\"TOTAL_PASSED\"} 2"), "\(attachedMetrics)")

        // Killed and started again three seconds later: everything is there, and the gap is an outage.
        api.kill()
        server = nil
        sleep(3)
        let restarted = try await ServerProcess(in: work, data: data, environment: environment)
        let after = try await restarted.call("GET", path, token: workflow).json
        #expect(after["status"] as? String == "returned")
        #expect((after["results"] as? [[String: Any]])?.first?["resultCode"] as? String == "\(Self.caseID)-KQ1")
        let outages = try await restarted.call("GET", "/v1/reports/outages", token: workflow).json
        #expect((outages["outages"] as? [[String: Any]])?.count == 1, "\(outages)")
        #expect((outages["totalSeconds"] as? Double ?? 0) >= 2, "\(outages)")
        _ = server
    }

    @Test func everyOperation_admitsExactlyTheRolesTheSpecNames() async throws {
        var tokens: [String: String] = [:]
        for role in Self.roles { tokens[role] = try await token(role) }
        let revoked = try await token("admin", name: "old-admin")
        #expect(try await HoSoProcess.run(["token", "revoke", "old-admin", "--data", data.path], in: work).status == 0)
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        #expect(try await register(server, tokens["workflow"]!).status == 201)

        let spec = try Yams.load(yaml: String(contentsOf: packageRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)) as? [String: Any]
        let paths = spec?["paths"] as? [String: [String: Any]] ?? [:]
        var checked = 0
        for (template, operations) in paths.sorted(by: { $0.key < $1.key }) {
            let path = template.replacingOccurrences(of: "{id}", with: Self.caseID)
                .replacingOccurrences(of: "{sha}", with: String(repeating: "0", count: 64)).replacingOccurrences(of: "{qid}", with: "1")
                .replacingOccurrences(of: "{sid}", with: "1")
            for (method, body) in operations {
                let operation = body as? [String: Any] ?? [:]
                let allowed = Set(operation["x-roles"] as? [String] ?? [])
                let post = method == "post"
                let call = { (token: String?) in
                    try await server.call(method.uppercased(), path, token: token, body: post ? Data("{}".utf8) : nil, type: post ? "application/json" : nil)
                }
                let anonymous = try await call(nil)
                if allowed.isEmpty {
                    #expect(anonymous.status == 200, "\(method) \(template) is public")
                    continue
                }
                #expect(anonymous.status == 401, "\(method) \(template) without a token")
                #expect(try await call(revoked).status == 401, "\(method) \(template) with a revoked token")
                for role in Self.roles {
                    let status = try await call(tokens[role]).status
                    if allowed.contains(role) {
                        #expect(status != 401 && status != 403, "\(method) \(template) as \(role): \(status)")
                    } else {
                        #expect(status == 403, "\(method) \(template) as \(role): \(status)")
                    }
                    #expect(status < 500, "\(method) \(template) as \(role): \(status)")
                    checked += 1
                }
            }
        }
        #expect(checked == 25 * Self.roles.count, "every protected operation walked")
    }

    @Test func anIndeterminateResult_isKeptAsPendingWhenAllowed_andNeverOpensTheGate() async throws {
        let (_, signed, _) = try await results()
        let workflow = try await token("workflow")
        // No anchors: the chain cannot be confirmed, so the verdict is INDETERMINATE.
        let refusing = try await ServerProcess(in: work, data: data, environment: ["HOSO_SERVER_HEARTBEAT_SECONDS": "1"])
        #expect(try await register(refusing, workflow, components: []).status == 201)
        let refused = try await refusing.call("POST", "/v1/cases/\(Self.caseID)/results", token: workflow, body: try Data(contentsOf: signed),
                                              type: "application/pdf")
        #expect(refused.status == 422 && refused.json["code"] as? String == "signature_indeterminate", "\(refused.text)")
        refusing.kill()

        let pending = try await ServerProcess(in: work, data: data, environment: ["HOSO_RESULTS_ALLOW_PENDING": "true"])
        let kept = try await pending.call("POST", "/v1/cases/\(Self.caseID)/results", token: workflow, body: try Data(contentsOf: signed),
                                          type: "application/pdf")
        #expect(kept.status == 201 && kept.json["verdict"] as? String == "INDETERMINATE", "\(kept.text)")
        let gate = try await pending.call("POST", "/v1/cases/\(Self.caseID)/return", token: workflow)
        #expect(gate.status == 409, "\(gate.text)")
        #expect((gate.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } == ["result_not_verified"], "\(gate.text)")
        let metrics = try await pending.call("GET", "/metrics")
        #expect(metrics.status == 200 && metrics.text.contains("hb_requests"), "\(metrics.text.prefix(400))")
    }

    @Test func sigterm_stopsItGracefully_andTheLimitOnResultsHolds() async throws {
        let workflow = try await token("workflow")
        let server = try await ServerProcess(in: work, data: data, environment: environment.merging(["HOSO_SERVER_MAX_RESULT_BYTES": "1000"]) { $1 })
        #expect(try await register(server, workflow, components: []).status == 201)
        let big = try await server.call("POST", "/v1/cases/\(Self.caseID)/results", token: workflow, body: Data(repeating: 0x25, count: 5000),
                                        type: "application/pdf")
        #expect(big.status == 413 && big.json["code"] as? String == "body_too_large", "\(big.text)")
        // A declared length of a terabyte with no body behind it: 413 at once, not a wait for the body.
        let declared = try await ExternalTool.run("curl", ["-s", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                                     "-H", "Authorization: Bearer \(workflow)", "-H", "Content-Type: application/pdf",
                                                     "-H", "Content-Length: 1000000000000",
                                                     "http://127.0.0.1:\(server.port)/v1/cases/\(Self.caseID)/results"])
        #expect(declared.output == "413", "\(declared.output)")
        kill(server.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while server.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.process.isRunning, "SIGTERM stops the server")
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        let rest = String(decoding: server.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(rest.contains("stopped"), "\(rest)")
    }

    @Test func theServersOwnWatcher_quarantinesAnUnknownScan_andTheAPIFilesIt() async throws {
        let workflow = try await token("workflow")
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: environment.merging(["HOSO_CONFIG": config.path]) { $1 })
        #expect(try await register(server, workflow, components: ["Đơn"]).status == 201)
        // Names with no case ID in them, and no code on the pages: both go to quarantine.
        for (sample, name) in [("application-a4-colour-3p.tif", "scan-0001.tif"), ("scanner-output.pdf", "scan-0002.pdf")] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/\(sample)"), to: inbox.appendingPathComponent(name))
        }
        var entries: [[String: Any]] = []
        for _ in 0..<300 where entries.count < 2 {
            try await Task.sleep(for: .milliseconds(100))
            entries = (try await server.call("GET", "/v1/quarantine", token: workflow).json["entries"] as? [[String: Any]]) ?? []
        }
        try #require(entries.count == 2, "the watcher in hoso serve quarantined both scans: \(entries)")
        // /metrics samples the queue, the free space and the build at each scrape.
        let scraped = try await server.call("GET", "/metrics").text
        #expect(scraped.contains("hoso_quarantine_waiting 2") && scraped.contains("hoso_build_info{version=\""), "\(scraped)")
        let oldest = scraped.split(separator: "\n").first { $0.hasPrefix("hoso_quarantine_oldest_seconds ") }.flatMap { Double($0.split(separator: " ")[1]) }
        #expect((oldest ?? -1) >= 0 && (oldest ?? .infinity) < 120, "\(scraped)")
        for folder in ["blobs", "work"] {
            let free = scraped.split(separator: "\n").first { $0.hasPrefix("hoso_free_bytes{folder=\"\(folder)\"} ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect((free ?? 0) > 0, "\(folder): \(scraped)")
        }
        let qid = entries.first { $0["sourceFileName"] as? String == "scan-0001.tif" }?["id"] as? Int ?? 0
        let other = entries.first { $0["sourceFileName"] as? String == "scan-0002.pdf" }?["id"] as? Int ?? 0
        // A case nobody registered (a mistyped ID) is not created by the assignment unless asked.
        let unregistered = try await server.json("POST", "/v1/quarantine/\(qid)/assign", token: workflow, ["caseId": "000.00.14.H27-240815-0099"])
        #expect(unregistered.status == 404 && unregistered.json["code"] as? String == "unknown_case", "\(unregistered.text)")
        let cli = try await HoSoProcess.run(["quarantine", "assign", String(qid), "--case", "000.00.14.H27-240815-0099", "--data", data.path], in: work)
        #expect(cli.status == 69 && cli.stderr.contains("--create-case"), "\(cli.stderr)")
        let assigned = try await server.json("POST", "/v1/quarantine/\(qid)/assign", token: workflow, ["caseId": Self.caseID, "component": "Đơn"])
        #expect(assigned.status == 200 && (assigned.json["document"] as? [String: Any])?["component"] as? String == "Đơn", "\(assigned.text)")
        let again = try await server.json("POST", "/v1/quarantine/\(qid)/assign", token: workflow, ["caseId": Self.caseID])
        #expect(again.status == 409 && again.json["code"] as? String == "already_resolved", "\(again.text)")
        #expect(try await server.json("POST", "/v1/quarantine/999/reject", token: workflow, ["reason": "x"]).status == 404)
        #expect(try await server.json("POST", "/v1/quarantine/\(other)/reject", token: workflow, ["reason": ""]).status == 422)
        #expect(try await server.json("POST", "/v1/quarantine/\(other)/reject", token: workflow, ["reason": "trang trắng"]).status == 200)
        #expect((try await server.call("GET", "/v1/quarantine", token: workflow).json["entries"] as? [Any])?.isEmpty == true)
        #expect((try await server.call("GET", "/v1/quarantine?resolved=true", token: workflow).json["entries"] as? [Any])?.count == 2)
        let documents = (try await server.call("GET", "/v1/cases/\(Self.caseID)/documents", token: workflow).json["documents"] as? [[String: Any]]) ?? []
        #expect(documents.count == 1)
        // The required component is there now; only the signed result is missing.
        let gate = try await server.call("POST", "/v1/cases/\(Self.caseID)/return", token: workflow)
        #expect((gate.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } == ["missing_signed_result"], "\(gate.text)")
        let counted = try await server.call("GET", "/metrics").text
        #expect(counted.contains("hoso_returns_refused_total{reason=\"missing_signed_result\"} 1") && counted.contains("hoso_quarantine_waiting 0"),
                "\(counted)")
        // With its watcher running too, SIGTERM is a clean stop.
        kill(server.process.processIdentifier, SIGTERM)
        await server.process.exited()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0, "\(server.process.terminationStatus)")
    }

    @Test func aCertificateAndKey_makeItHTTPS() async throws {
        let server = try await ServerProcess(in: work, data: data, environment: environment.merging([
            "HOSO_SERVER_TLS_CERTIFICATE": pki.appendingPathComponent("signer-chain.pem").path,
            "HOSO_SERVER_TLS_KEY": pki.appendingPathComponent("signer.key").path,
        ]) { $1 })
        let https = try await ExternalTool.run("curl", ["-sk", "https://127.0.0.1:\(server.port)/healthz"])
        #expect(https.output.contains("\"status\":\"ok\""), "\(https.output)")
        let handshake = try await ExternalTool.run("/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(server.port) </dev/null 2>/dev/null"])
        #expect(handshake.output.contains("CN = signer") || handshake.output.contains("CN=signer"), "\(handshake.output.prefix(600))")
        let plain = try await ExternalTool.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/healthz"])
        #expect(plain.output != "200", "plain HTTP is not served: \(plain.output)")
        let half = try await HoSoProcess.run(["serve", "--data", data.path], in: work,
                                       environment: ["HOSO_SERVER_TLS_KEY": pki.appendingPathComponent("signer.key").path])
        #expect(half.status == 78 && half.stderr.contains("set both"), "\(half.stderr)")
    }

    /// One access line per request (status, milliseconds, who called, the request ID a problem names),
    /// without the query, which can hold a citizen's name.
    @Test func everyRequest_isOneAccessLine_withStatusTimeActorAndRequestID() async throws {
        let workflow = try await token("workflow", name: "mot-cua")
        let server = try await ServerProcess(in: work, data: data, environment: environment.merging(["HOSO_LOG_FORMAT": "json"]) { $1 })
        #expect(try await server.call("GET", "/v1/cases?q=Nguyen%20Van%20An", token: workflow).status == 200)
        let missing = try await server.call("GET", "/v1/cases/000.00.14.H27-240815-0099", token: workflow)
        let anonymous = try await server.call("GET", "/v1/cases")
        #expect(anonymous.status == 401 && anonymous.headers["www-authenticate"] == #"Bearer realm="hoso""#, "\(anonymous.headers)")
        let lines = try String(contentsOf: server.log, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }.filter { $0["path"] != nil }
        let requestID = (missing.json["instance"] as? String)?.replacingOccurrences(of: "urn:request:", with: "")
        let access = lines.map { [$0["method"] ?? "", $0["path"] ?? "", $0["status"] ?? "", $0["actor"] ?? ""] }
        #expect(access == [["GET", "/v1/cases", "200", "token:mot-cua"], ["GET", "/v1/cases/000.00.14.H27-240815-0099", "404", "token:mot-cua"],
                           ["GET", "/v1/cases", "401", "-"]], "\(lines)")
        #expect(lines.count == 3 && lines[1]["request_id"] == requestID && requestID?.isEmpty == false, "\(lines)")
        #expect(lines.allSatisfy { Double($0["ms"] ?? "") != nil && $0["level"] == "info" }, "\(lines)")
        #expect(!(try String(contentsOf: server.log, encoding: .utf8)).contains("Nguyen"), "the query is not logged")
    }

    @Test func hostileInput_getsProblemsNotTraces() async throws {
        let workflow = try await token("workflow")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        for bad in ["..%2F..%2Fetc%2Fpasswd", "000.00.14.H27-241399-0001", "x"] {
            let answer = try await server.call("GET", "/v1/cases/\(bad)", token: workflow)
            #expect(answer.status == 400 && answer.json["code"] as? String == "invalid_case_id", "\(bad): \(answer.text)")
        }
        let missing = try await server.json("POST", "/v1/cases", token: workflow, ["caseId": Self.caseID])
        #expect(missing.status == 400 && (missing.json["detail"] as? String ?? "").hasPrefix("procedureCode"), "\(missing.text)")
        let huge = try await server.call("POST", "/v1/cases", token: workflow, body: Data(repeating: 0x20, count: 300_000), type: "application/json")
        #expect(huge.status == 413, "\(huge.text)")
        let unknown = try await server.call("GET", "/v1/nothing", token: workflow)
        #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/problem+json")
        #expect(unknown.headers["x-request-id"]?.isEmpty == false)
        // Two that schemathesis found: an absurd duration crashed the process, a 255-byte file name
        // overflowed the upload's path.
        for olderThan in ["1e300h", "99999999999999d", "infh"] {
            let report = try await server.call("GET", "/v1/reports/signed-not-returned?olderThan=\(olderThan)", token: workflow)
            #expect(report.status == 400, "\(olderThan): \(report.text)")
        }
        let farFuture = try await server.call("GET", "/v1/cases?from=99999-01-01T00:00:00Z", token: workflow)
        #expect(farFuture.status == 400, "\(farFuture.text)")
        let station = try await token("station")
        #expect(try await register(server, workflow).status == 201)
        let longName = String(repeating: "a", count: 251) + ".tif"
        let upload = try await server.call("POST", "/v1/cases/\(Self.caseID)/documents?fileName=\(longName)", token: station,
                                           body: try Data(contentsOf: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif")),
                                           type: "application/octet-stream")
        #expect(upload.status == 201, "\(upload.text)")
        #expect((upload.json["document"] as? [String: Any])?["sourceFileName"] as? String == longName)
        #expect(try await server.call("GET", "/healthz").status == 200, "still up")
        let notFound = try await server.call("GET", "/v1/cases/000.00.14.H27-240815-0099", token: workflow)
        #expect(notFound.status == 404 && notFound.json["code"] as? String == "unknown_case")
        // A query value outside its enum is named, never read as the default.
        for (path, parameter) in [("/v1/cases?status=bogus", "status"), ("/v1/quarantine?resolved=maybe", "resolved"),
                                  ("/v1/cases/\(Self.caseID)/control-slip?format=xml", "format"),
                                  ("/v1/cases/\(Self.caseID)/documents?createCase=yes", "createCase")] {
            let upload = path.contains("/documents")
            let answer = try await server.call(upload ? "POST" : "GET", path, token: upload ? station : workflow,
                                               body: upload ? Data("x".utf8) : nil, type: upload ? "application/octet-stream" : nil)
            #expect(answer.status == 400 && answer.json["code"] as? String == "invalid_query"
                    && (answer.json["detail"] as? String ?? "").hasPrefix(parameter + ": one of"), "\(path): \(answer.text)")
        }
        #expect(try await server.call("GET", "/v1/quarantine?resolved=true", token: workflow).status == 200)
        for query in ["limit=0", "cursor=bm90LWEtY3Vyc29y"] {
            let answer = try await server.call("GET", "/v1/quarantine?\(query)", token: workflow)
            #expect(answer.status == 400 && answer.json["code"] as? String == "invalid_query", "\(query): \(answer.text)")
        }
    }

    /// `GET /v1/cases` a page at a time: `limit` cases and a `next` cursor while there are more, every case
    /// once across the pages in the list's order; a bad `limit` or `cursor` is a 400 naming it.
    @Test func theCaseList_comesInPages_eachCaseOnce() async throws {
        let workflow = try await token("workflow")
        let server = try await ServerProcess(in: work, data: data, environment: environment)
        let ids = (1...5).map { String(format: "000.00.14.H27-240815-%04d", $0) }
        for id in ids { #expect(try await register(server, workflow, id: id).status == 201) }
        let whole = try await server.call("GET", "/v1/cases", token: workflow)
        let everyCase = (whole.json["cases"] as? [[String: Any]] ?? []).compactMap { $0["caseId"] as? String }
        #expect(Set(everyCase) == Set(ids) && whole.json["next"] == nil, "\(whole.text)")

        var paged: [String] = [], pages: [Int] = [], cursor: String?
        repeat {
            let answer = try await server.call("GET", "/v1/cases?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: workflow)
            try #require(answer.status == 200, "\(answer.text)")
            let page = (answer.json["cases"] as? [[String: Any]] ?? []).compactMap { $0["caseId"] as? String }
            paged += page
            pages.append(page.count)
            cursor = answer.json["next"] as? String
        } while cursor != nil && pages.count < 10
        #expect(pages == [2, 2, 1], "\(pages)")
        #expect(paged == everyCase, "the pages, one after another, are the whole list in its order")

        for (query, parameter) in [("limit=0", "limit"), ("limit=1001", "limit"), ("limit=two", "limit"), ("cursor=bm90LWEtY3Vyc29y", "cursor")] {
            let answer = try await server.call("GET", "/v1/cases?\(query)", token: workflow)
            #expect(answer.status == 400 && answer.json["code"] as? String == "invalid_query"
                    && (answer.json["detail"] as? String ?? "").hasPrefix(parameter + ":"), "\(query): \(answer.text)")
        }
        let trail = try await server.call("GET", "/v1/cases/\(ids[0])/events", token: workflow)
        let firstEvent = try await server.call("GET", "/v1/cases/\(ids[0])/events?limit=1", token: workflow)
        let rest = try await server.call("GET", "/v1/cases/\(ids[0])/events?cursor=\(try #require(firstEvent.json["next"] as? String))", token: workflow)
        #expect((firstEvent.json["events"] as? [Any])?.count == 1
                && (firstEvent.json["events"] as? [Any] ?? []).count + (rest.json["events"] as? [Any] ?? []).count == (trail.json["events"] as? [Any])?.count,
                "\(rest.text)")
        #expect(try await server.call("GET", "/v1/cases/\(ids[0])/events?cursor=\(whole.json["next"] as? String ?? "x")", token: workflow).status == 400)
        // The digitization report's lines (an agency and procedure each) page the same way.
        #expect(try await register(server, workflow, id: "000.00.15.H27-240815-0001").status == 201)
        let firstLine = try await server.call("GET", "/v1/reports/digitization?limit=1", token: workflow)
        let secondLine = try await server.call("GET", "/v1/reports/digitization?limit=1&cursor=\(firstLine.json["next"] as? String ?? "")", token: workflow)
        let agencies = [firstLine, secondLine].flatMap { ($0.json["lines"] as? [[String: Any]] ?? []).compactMap { $0["agency"] as? String } }
        #expect(agencies == ["000.00.14.H27", "000.00.15.H27"] && secondLine.json["next"] == nil, "\(firstLine.text) \(secondLine.text)")
        #expect(try await server.call("GET", "/v1/reports/signed-not-returned?cursor=x", token: workflow).status == 400)
        let more = try await HoSoProcess.run(["cases", "list", "--limit", "2", "--data", data.path], in: work, environment: environment)
        #expect(more.status == 0 && more.stderr.contains("more: hoso cases list --limit 2 --cursor "), "\(more.stderr)")
        let all = try await HoSoProcess.run(["cases", "list", "--all", "--limit", "2", "--json", "--data", data.path], in: work, environment: environment)
        #expect((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [Any])?.count == 6, "\(all.stdout)")
    }
}
