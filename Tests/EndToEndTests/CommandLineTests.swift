import Foundation
import HoSoTestSupport
import Testing

@Suite struct CommandLineTests {
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("cli")
    }

    @Test func demo_runsTheWholeFlow_againstItsOwnServer() async throws {
        let samples = packageRoot.appendingPathComponent("Samples").path
        let result = try await HoSoProcess.run(["demo", "--samples", samples], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        for id in ["000.00.14.H27-240815-0007", "000.00.21.H27-240816-0012", "000.00.14.H27-240816-0003"] {
            #expect(result.stdout.contains("POST /v1/cases \(id) → 201"), "\(result.stdout)")
        }
        #expect(result.stdout.contains("4 file(s): 4 stored"), "\(result.stdout)")
        #expect(result.stdout.contains("1 file(s): 0 stored, 1 duplicate"))
        // The result is signed, and poppler and `hoso verify` agree with the demo's own verdict.
        #expect(result.stdout.contains("verified   TOTAL_PASSED"), "\(result.stdout)")
        let signed = work.appendingPathComponent("var/demo/signed/000.00.14.H27-240815-0007-KQ1.pdf")
        let pdfsig = try await ExternalTool.run("pdfsig", [signed.path]).output
        #expect(pdfsig.contains("Signature is Valid.") && pdfsig.contains("Total document signed"), "\(pdfsig)")
        let verify = try await HoSoProcess.run(["verify", "--trust", work.appendingPathComponent("var/demo/pki/anchors").path, signed.path], in: work)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Attached over HTTP, the gate opens for it, and stays shut for the case without a signed result.
        #expect(result.stdout.contains("/results → 201  000.00.14.H27-240815-0007-KQ1  TOTAL_PASSED"), "\(result.stdout)")
        #expect(result.stdout.contains("POST /v1/signers → 201"), "the office's seal registered for its agency")
        for refusal in ["unsigned_result", "signer_not_authorized", "result_case_not_named", "no_signer_registered"] {
            #expect(result.stdout.contains("→ 422  \(refusal)"), "\(refusal): \(result.stdout)")
        }
        #expect(result.stdout.contains("case named in signature"), "\(result.stdout)")
        #expect(result.stdout.contains("POST /v1/cases/000.00.14.H27-240815-0007/return → 200  returned"))
        #expect(result.stdout.contains("POST /v1/cases/000.00.21.H27-240816-0012/return → 409  refused: missing_signed_result"))
        let slip = try await ExternalTool.run("pdftotext", [work.appendingPathComponent("var/demo/control-slip-000.00.14.H27-240815-0007.pdf").path, "-"])
        #expect(slip.output.contains("PHIẾU KIỂM SOÁT") && slip.output.contains("Người nhận: Trần Văn Minh"), "\(slip.output)")
        // The hand-overs judged in working hours: Wednesday 17:00 to Thursday 09:00 is 1 h 30; Monday 15:00 to
        // Tuesday 17:00 is 10 h, a day and 2 h.
        #expect(result.stdout.contains("Văn phòng Đăng ký đất đai → Lãnh đạo Văn phòng → 201  Quá hạn 1 giờ 30 phút"), "\(result.stdout)")
        #expect(result.stdout.contains("Lãnh đạo Văn phòng → Văn thư → 201  Trước hạn 1 ngày 2 giờ"), "\(result.stdout)")
        #expect(result.stdout.contains("12 stored files read back"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        // It says where the signed result is, and its hints run as printed: the binary's own path, a token that works.
        #expect(result.stdout.contains("signed     \(signed.path) by"), "\(result.stdout)")
        let hint = try #require(result.stdout.split(separator: "\n").first { $0.contains(" cases show ") }.map { $0.trimmingCharacters(in: .whitespaces) })
        let words = hint.split(separator: " ").map(String.init)
        let shown = try await ExternalTool.run(words[0], Array(words.dropFirst()))
        #expect(shown.status == 0 && shown.output.contains("000.00.14.H27-240815-0007"), "\(hint): \(shown.output)")
        #expect(result.stdout.contains("curl -H 'Authorization: Bearer "), "\(result.stdout)")
        // Without its samples it stops before anything, naming them.
        let lost = try await HoSoProcess.run(["demo", "--samples", work.path], in: work)
        #expect(lost.status == 66 && lost.stderr.contains("seal-red.png") && lost.stderr.contains("--samples"), "\(lost.stderr)")
        // A second run starts from scratch again.
        let again = try await HoSoProcess.run(["demo", "--samples", samples], in: work)
        #expect(again.status == 0 && again.stdout.contains("4 file(s): 4 stored"))
    }

    @Test(arguments: [["init"], ["ingest"], ["normalize"], ["watch"], ["quarantine", "list"], ["quarantine", "assign"],
                      ["quarantine", "reject"], ["status"], ["cases", "list"], ["cases", "show"], ["events"], ["demo"],
                      ["config", "check"], ["sign"], ["verify"], ["barcodes"], ["serve"], ["token"], ["users"], ["signers"], ["migrate"], ["backup"], ["restore"], ["fsck"]])
    func everyCommand_hasHelpWithAnExample(_ command: [String]) async throws {
        let result = try await HoSoProcess.run(command + ["--help"], in: work)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
    }

    @Test func version_isPrinted() async throws {
        let result = try await HoSoProcess.run(["--version"], in: work)
        #expect(result.status == 0 && result.stdout.split(separator: ".").count == 3)
    }

    @Test func configCheck_printsEffectiveValues_andTheirSources() async throws {
        let result = try await HoSoProcess.run(["config", "check"], in: work, environment: ["HOSO_INGEST_STATION": "scan-02"])
        #expect(result.status == 0)
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("ingest.station ") } ?? ""
        #expect(line.contains(" scan-02 ") && line.contains("$HOSO_INGEST_STATION"), "\(line)")
    }

    @Test func configCheck_namesTheBadKey_andExits78() async throws {
        let file = work.appendingPathComponent("bad.yaml")
        try "data: ./var\ningest:\n  max_input_bytes: many\n  statoin: x\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await HoSoProcess.run(["config", "check", "--config", file.path], in: work)
        #expect(result.status == 78)
        #expect(result.stderr.contains("ingest.max_input_bytes: 'many' is not an integer"))
        #expect(result.stderr.contains("ingest.statoin: is not a known setting"))
    }

    /// `hoso config check` before a start: every problem named with its setting (exit 78), relative paths
    /// taken from the file's folder whatever folder it runs in; the same settings put right pass.
    @Test func configCheck_namesEveryProblemBeforeAStart() async throws {
        let etc = work.appendingPathComponent("etc/hoso")
        for folder in ["anchors-empty", "anchors", "inbox-ok"] {
            try FileManager.default.createDirectory(at: etc.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "not a folder".write(to: etc.appendingPathComponent("plain-file"), atomically: true, encoding: .utf8)
        for name in ["a", "b"] {
            let made = try await ExternalTool.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                                                              "-subj", "/CN=hoso-\(name)", "-keyout", etc.appendingPathComponent("\(name).key").path,
                                                              "-out", etc.appendingPathComponent("\(name).pem").path])
            try #require(made.status == 0, "\(made.output)")
        }
        try FileManager.default.copyItem(at: etc.appendingPathComponent("a.pem"), to: etc.appendingPathComponent("anchors/a.pem"))
        try "# days off\nTết 2025-01-25\n".write(to: etc.appendingPathComponent("holidays.txt"), atomically: true, encoding: .utf8)
        let yaml = { (inboxes: [String], anchors: String, seal: String, key: String) in
            "data: ../../data\ncalendar:\n  holidays: holidays.txt\ntrust:\n  anchors: \(anchors)\nsigning:\n  seal_image: \(seal)\nserver:\n  tls_certificate: a.pem\n  tls_key: \(key)\n"
                + (key == "b.key" ? "monitor:\n  targets:\n    - {name: mot-cua, url: \"ftp://x\"}\naudit:\n  tsa_url: \"https://tsa\"\n" : "")
                + "stations:\n"
                + inboxes.enumerated().map { "  - id: s\($0.offset)\n    inbox: \($0.element)\n" }.joined()
        }
        let file = etc.appendingPathComponent("hoso.yaml")
        try yaml(["plain-file", "plain-file/inbox", "inbox-ok"], "anchors-empty", "a.pem", "b.key").write(to: file, atomically: true, encoding: .utf8)
        let elsewhere = work.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let bad = try await HoSoProcess.run(["config", "check"], in: elsewhere, environment: ["HOSO_CONFIG": file.path])
        #expect(bad.status == 78, "\(bad.stderr)")
        for expected in ["stations[0].inbox: \(etc.path)/plain-file is not a folder",
                         "stations[1].inbox: \(etc.path)/plain-file/inbox does not exist and cannot be created",
                         "trust.anchors: \(etc.path)/anchors-empty holds no certificate", "signing.seal_image:",
                         "server.tls_key: \(etc.path)/b.key is not the key of \(etc.path)/a.pem (CN=hoso-a)",
                         "calendar.holidays: \(etc.path)/holidays.txt line 2: 'Tết': not a day",
                         "monitor.targets[0].url: 'ftp://x' is not an http:// or https:// URL", "audit.tsa_url: 'https://tsa' is not an http:// URL",
                         "8 problem(s)"] {
            #expect(bad.stderr.contains(expected), "\(expected)\n\(bad.stderr)")
        }
        #expect(!bad.stderr.contains("stations[2]"), "an inbox that is a writable folder is fine")
        let data = bad.stdout.split(separator: "\n").first { $0.hasPrefix("data ") } ?? ""
        #expect(data.contains(" \(work.path)/data "), "the file's ../../data, not the working folder's: \(data)")

        try yaml(["inbox-ok", "new-inbox"], "anchors", packageRoot.appendingPathComponent("Samples/seal-red.png").path, "a.key")
            .write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: etc.appendingPathComponent("holidays.txt"))
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Config/holidays.txt"), to: etc.appendingPathComponent("holidays.txt"))
        let good = try await HoSoProcess.run(["config", "check"], in: elsewhere, environment: ["HOSO_CONFIG": file.path])
        #expect(good.status == 0 && good.stdout.contains("configuration: no problems found"), "\(good.stderr)")
    }

    /// A long command says what it is doing on standard error: a line per step in a script, a bar redrawn in
    /// place on a terminal (util-linux's `script` gives it one); standard output keeps its results.
    @Test func longCommands_sayWhatTheyAreDoing() async throws {
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
        let samples = packageRoot.appendingPathComponent("Samples")
        let ingested = try await HoSoProcess.run(["ingest", samples.appendingPathComponent("receipt-a4-bilevel.tif").path,
                                                  samples.appendingPathComponent("application-a4-colour-3p.tif").path,
                                                  "--case", "000.00.14.H27-240815-0001"], in: work)
        #expect(ingested.status == 0 && ingested.stderr.contains("[1/2] receipt-a4-bilevel.tif: normalized in ")
                && ingested.stderr.contains("[2/2] application-a4-colour-3p.tif: normalized in "), "\(ingested.stderr)")
        #expect(!ingested.stdout.contains("normalized in"), "results only on standard output")
        let onTerminal = try await ExternalTool.run("script", ["-qec", "\(hosoBinary.path) normalize \(samples.appendingPathComponent("application-a4-colour-3p.tif").path) -o \(work.path)/out",
                                                               "/dev/null"])
        #expect(onTerminal.output.contains("\r\u{1B}[K[----------] 1/1 normalizing application-a4-colour-3p.tif…"), "\(onTerminal.output)")
        #expect(!onTerminal.output.contains("[1/1] application"), "no per-step lines on a terminal")
    }

    @Test func anUnknownCase_exits69() async throws {
        _ = try await HoSoProcess.run(["init"], in: work)
        let result = try await HoSoProcess.run(["events", "000.00.14.H27-240815-0001"], in: work)
        #expect(result.status == 69)
        #expect(result.stderr.contains("000.00.14.H27-240815-0001"))
    }
}
