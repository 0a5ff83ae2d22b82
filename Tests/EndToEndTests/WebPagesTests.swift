import Foundation
import HoSoTestSupport
import Testing

/// The web pages of the real `hoso serve` over real HTTP (curl with a cookie jar): sign-in, sessions,
/// CSRF, the throttle, the role table walked for every page, escaping, agency scope, the CSV, the queue.
@Suite struct WebPagesTests {
    let work: URL
    let data: URL
    static let password = "mật khẩu đủ dài 2026"

    init() async throws {
        work = try makeTemporaryDirectory("web")
        data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    func addUser(_ name: String, role: String, agency: String? = nil) async throws {
        let file = work.appendingPathComponent("pw-\(name)")
        try (Self.password + "\n").write(to: file, atomically: true, encoding: .utf8)
        let added = try await HoSoProcess.run(["users", "add", name, "--role", role, "--password-file", file.path, "--data", data.path]
                                              + (agency.map { ["--agency", $0] } ?? []), in: work)
        try #require(added.status == 0, "\(added.stderr)")
    }

    func client(_ server: ServerProcess) -> WebClient { WebClient(port: server.port, folder: work) }

    func register(_ server: ServerProcess, _ token: String, _ id: String, applicant: String = "Nguyễn Văn An",
                  components: [String] = []) async throws {
        let answer = try await server.json("POST", "/v1/cases", token: token, [
            "caseId": id, "procedureCode": "1.001193", "applicant": ["name": applicant, "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": components,
        ])
        try #require(answer.status == 201, "\(answer.text)")
    }

    @Test func signingIn_andOut_withSessionCookieAndCSRF() async throws {
        try await addUser("lan", role: "admin")
        let server = try await ServerProcess(in: work, data: data)
        let browser = client(server)

        let away = try await browser.get("/ui/cases?q=Lan")
        #expect(away.status == 303 && away.header("location") == "/ui/login?next=%2Fui%2Fcases%3Fq%3DLan", "\(away.headers)")
        // The language switch on the sign-in page is remembered, and keeps the page asked for.
        let switched = try await browser.get("/ui/login?next=%2Fui%2Fcases&lang=en")
        #expect(switched.body.contains("Sign in") && switched.cookie("hoso_lang")?.hasPrefix("hoso_lang=en") == true)
        #expect(switched.body.contains(#"href="?lang=vi&amp;next=%2Fui%2Fcases""#), "\(switched.body)")
        #expect(try await browser.get("/ui/login?lang=vi").body.contains("Đăng nhập"))
        let form = try await browser.get("/ui/login")
        #expect(form.status == 200 && form.body.contains("Đăng nhập") && form.body.contains("name=\"username\""))
        let loginCookie = try #require(form.cookie("hoso_login"))
        #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict") && loginCookie.contains("Path=/ui"))
        let token = try #require(form.input("_csrf"))

        let forged = try await browser.post("/ui/login", [("username", "lan"), ("password", Self.password)])
        #expect(forged.status == 403 && token != forged.input("_csrf"), "a login without the form's token is refused, with a new form")
        let wrong = try await browser.post("/ui/login", [("_csrf", forged.input("_csrf") ?? ""), ("username", "lan"), ("password", "sai mật khẩu rồi"),
                                                         ("next", "/ui/cases?q=Lan")])
        #expect(wrong.status == 401 && wrong.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"), "\(wrong.status)")
        #expect(wrong.cookie("hoso_session") == nil)
        #expect(wrong.input("next") == "/ui/cases?q=Lan", "a failed attempt keeps the page asked for")

        let signedIn = try await browser.signIn("lan", Self.password)
        #expect(signedIn.status == 303 && signedIn.header("location") == "/ui/", "\(signedIn.status) \(signedIn.body)")
        let session = try #require(signedIn.cookie("hoso_session"))
        #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/ui") && !session.contains("Secure"))
        // The catalog keeps the id's SHA-256, never the id.
        let id = String(session.dropFirst("hoso_session=".count).prefix { $0 != ";" })
        let stored = try await ExternalTool.run("/usr/bin/python3", ["-c", """
            import sqlite3, sys, hashlib
            rows = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT id_hash FROM sessions")]
            print("hashed" if rows == [hashlib.sha256(sys.argv[2].encode()).hexdigest()] else "not hashed: %r" % rows)
            """, data.appendingPathComponent("catalog.sqlite").path, id])
        #expect(stored.output.trimmingCharacters(in: .whitespacesAndNewlines) == "hashed", "\(stored.output)")

        for broken in ["/ui/cases?cursor=bm90LWEtY3Vyc29y", "/ui/reports?after=xyz", "/ui/quarantine?after=%3C%3E"] {
            let page = try await browser.get(broken)
            #expect(page.status == 400 && page.body.contains("Liên kết trang sau không hợp lệ"), "\(broken): \(page.status)")
        }
        let overview = try await browser.get("/ui/")
        #expect(overview.status == 200 && overview.body.contains("Tổng quan") && overview.body.contains(#"<b id="user">lan</b>"#))
        #expect(overview.header("content-security-policy")?.contains("default-src 'self'") == true)
        let english = try await browser.get("/ui/?lang=en")
        #expect(english.body.contains("Overview") && english.cookie("hoso_lang")?.hasPrefix("hoso_lang=en") == true)
        #expect(try await browser.get("/ui/").body.contains("<html lang=\"en\">"), "the choice is kept")
        #expect(try await browser.get("/ui/", headers: ["Cookie: x=1"]).status == 200)

        let csrf = try #require(overview.input("_csrf"))
        #expect(try await browser.post("/ui/logout", []).status == 403, "a logout without the token is refused")
        let out = try await browser.post("/ui/logout", [("_csrf", csrf)])
        #expect(out.status == 303 && out.header("location") == "/ui/login")
        #expect(try await browser.get("/ui/").status == 303, "the session is over")
    }

    @Test func wrongPasswords_areThrottled_perUserAndPerAddress() async throws {
        try await addUser("an", role: "auditor")
        try await addUser("binh", role: "auditor")
        let server = try await ServerProcess(in: work, data: data)
        let browser = client(server)
        for attempt in 1...5 {
            #expect(try await browser.signIn("an", "không phải mật khẩu").status == 401, "attempt \(attempt)")
        }
        let throttled = try await browser.signIn("an", Self.password)
        #expect(throttled.status == 429 && throttled.body.contains("Quá nhiều lần đăng nhập sai"), "even the right password waits")
        let retry = try #require(throttled.header("retry-after").flatMap(Int.init))
        #expect(retry > 800 && retry <= 900, "\(retry)")
        // The address too: another user from the same address waits as well.
        #expect(try await browser.signIn("binh", Self.password).status == 429)
    }

    /// Every page, for every role: the role table of the API decides, 403 otherwise.
    @Test func everyPage_admitsExactlyTheRolesOfItsOperation() async throws {
        let roles = ["station", "office", "workflow", "auditor", "admin"]
        for role in roles { try await addUser("u-\(role)", role: role) }
        let server = try await ServerProcess(in: work, data: data)
        let expected: [String: Set<String>] = [
            "/ui/": Set(roles), "/ui/cases": ["office", "workflow", "auditor", "admin"], "/ui/quarantine": ["station", "workflow", "auditor", "admin"],
            "/ui/stations": ["station", "workflow", "auditor", "admin"], "/ui/reports": ["workflow", "auditor", "admin"],
            "/ui/reports/digitization.csv": ["workflow", "auditor", "admin"], "/ui/reports/signed-not-returned.csv": ["workflow", "auditor", "admin"],
            "/ui/reports/digitization.xlsx": ["workflow", "auditor", "admin"], "/ui/reports/signed-not-returned.xlsx": ["workflow", "auditor", "admin"],
            "/ui/reports/late-cases.csv": ["workflow", "auditor", "admin"], "/ui/reports/late-cases.xlsx": ["workflow", "auditor", "admin"],
            "/ui/signers": ["admin"],
        ]
        for role in roles {
            let browser = client(server)
            try #require(try await browser.signIn("u-\(role)", Self.password).status == 303)
            for (path, admitted) in expected {
                let page = try await browser.get(path)
                #expect(admitted.contains(role) ? page.status == 200 : page.status == 403, "\(role) \(path): \(page.status)")
            }
            let csrf = try await browser.get("/ui/").input("_csrf") ?? ""
            let fixing = try await browser.post("/ui/quarantine", [("_csrf", csrf), ("action", "reject"), ("reason", "x")])
            let mayFix = ["station", "workflow", "admin"].contains(role)
            #expect(mayFix ? fixing.status == 422 : fixing.status == 403, "\(role) fixing the queue: \(fixing.status)")
            let forged = try await browser.post("/ui/quarantine", [("action", "reject"), ("reason", "x")])
            #expect(forged.status == 403, "\(role): a form without the session's token")
        }
    }

    @Test func applicantsText_isEscaped_scopeHolds_andTheCSVsTotalsAreTheAPIs() async throws {
        try await addUser("admin", role: "admin")
        try await addUser("so14", role: "auditor", agency: "000.00.14.H27")
        let workflow = try await HoSoProcess.token("workflow", data: data, in: work)
        let server = try await ServerProcess(in: work, data: data)
        try await register(server, workflow, "000.00.14.H27-240815-0001", applicant: "<script>alert(1)</script>", components: ["Đơn", "Bản vẽ"])
        try await register(server, workflow, "000.00.15.H27-240815-0002", components: ["Đơn"])

        let admin = client(server)
        try #require(try await admin.signIn("admin", Self.password).status == 303)
        let casePage = try await admin.get("/ui/cases/000.00.14.H27-240815-0001")
        #expect(casePage.status == 200 && casePage.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!casePage.body.contains("<script>"), "no script from the data reaches the page")
        #expect(casePage.body.contains("Chưa có kết quả được ký số hợp lệ") && casePage.body.contains("Đơn, Bản vẽ"), "why the gate is closed")
        let reports = try await admin.get("/ui/reports")
        #expect(reports.body.contains("Tỷ lệ số hóa theo thủ tục") && reports.body.contains(">1.001193</text>"), "a chart per procedure")
        // Both cases are open and past their 2024 due dates: late, with no outage to excuse them.
        #expect(reports.body.contains("Hồ sơ quá hạn trong 30 ngày qua") && reports.body.contains("/ui/reports?late=1#late-cases")
                && !reports.body.contains("id=\"late-cases\""), "the list only when asked")
        let late = try await admin.get("/ui/reports?late=1")
        #expect(late.body.contains("<td>0 %</td><td>Không</td>"), "\(late.body)")
        let found = try await admin.get("/ui/cases?q=%3Cscript")
        #expect(found.body.contains("000.00.14.H27-240815-0001") && !found.body.contains("000.00.15.H27-240815-0002"))

        let scoped = client(server)
        try #require(try await scoped.signIn("so14", Self.password).status == 303)
        let list = try await scoped.get("/ui/cases")
        let scopedLate = try await scoped.get("/ui/reports?late=1")
        #expect(scopedLate.body.contains("/ui/cases/000.00.14.H27-240815-0001\"") && !scopedLate.body.contains("000.00.15.H27-240815-0002"),
                "a scoped person's late cases are its own agency's")
        #expect(list.body.contains("000.00.14.H27-240815-0001") && !list.body.contains("000.00.15.H27-240815-0002"))
        #expect(try await scoped.get("/ui/cases/000.00.15.H27-240815-0002").status == 404)

        // The CSV opens in Excel (BOM, quoted fields) and its totals are the API's.
        let (status, bytes) = try await admin.download("/ui/reports/digitization.csv")
        #expect(status == 200 && bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let rows = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").dropFirst().map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        let csvTotals = (2...6).map { column in rows.compactMap { Int($0[column]) }.reduce(0, +) }
        let auditor = try await HoSoProcess.token("auditor", data: data, in: work)
        let lines = (try await server.call("GET", "/v1/reports/digitization", token: auditor)).json["lines"] as? [[String: Any]] ?? []
        let apiTotals = ["cases", "inputsRequired", "inputsDigitized", "resultsSigned", "returned"].map { key in lines.compactMap { $0[key] as? Int }.reduce(0, +) }
        #expect(csvTotals == apiTotals && apiTotals[0] == 2 && apiTotals[1] == 3, "\(csvTotals) \(apiTotals)")
        let (lateStatus, lateBytes) = try await admin.download("/ui/reports/late-cases.csv")
        let lateRows = String(decoding: lateBytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").dropFirst()
        let lateAPI = (try await server.call("GET", "/v1/reports/late-cases", token: auditor)).json["cases"] as? [[String: Any]] ?? []
        #expect(lateStatus == 200 && lateRows.count == lateAPI.count && lateAPI.count == 2, "\(lateRows) \(lateAPI)")

        // The XLSX holds the same lines as numbers, as openpyxl (a reader HoSo did not write) reads them.
        let (xlsxStatus, workbook) = try await admin.download("/ui/reports/digitization.xlsx")
        #expect(xlsxStatus == 200 && workbook.starts(with: Array("PK".utf8)))
        let file = work.appendingPathComponent("so-hoa.xlsx")
        try Data(workbook).write(to: file)
        let read = try await ExternalTool.run(packageRoot.appendingPathComponent(".build/python/bin/python3").path, ["-W", "error", "-c", """
            import json, sys, openpyxl
            rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
            print(json.dumps({"header": rows[0], "totals": [sum(row[column] for row in rows[1:]) for column in range(2, 7)]}))
            """, file.path])
        try #require(read.status == 0, "\(read.output)")
        let sheet = try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any] ?? [:]
        #expect(sheet["totals"] as? [Int] == apiTotals, "\(read.output)")
        #expect((sheet["header"] as? [String])?.first == "Cơ quan", "\(read.output)")
    }

    /// A station operator fixes the queue in the pages: a scan with no case ID is assigned to a case and
    /// then shows on that case's page with its thumbnail; another is rejected with a reason.
    @Test func aQuarantinedScan_isAssignedInThePages_andShowsOnItsCase() async throws {
        try await addUser("tram01", role: "station")
        try await addUser("vanthu", role: "office")
        let workflow = try await HoSoProcess.token("workflow", data: data, in: work)
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let caseID = "000.00.14.H27-240815-0007"
        try await register(server, workflow, caseID, components: ["Đơn"])
        for (sample, name) in [("application-a4-colour-3p.tif", "scan-0001.tif"), ("scanner-output.pdf", "scan-0002.pdf")] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/\(sample)"), to: inbox.appendingPathComponent(name))
        }
        let operator_ = client(server)
        try #require(try await operator_.signIn("tram01", Self.password).status == 303)
        var queue = try await operator_.get("/ui/quarantine")
        for _ in 0..<300 where !(queue.body.contains("scan-0001.tif") && queue.body.contains("scan-0002.pdf")) {
            try await Task.sleep(for: .milliseconds(100))
            queue = try await operator_.get("/ui/quarantine")
        }
        try #require(queue.body.contains("scan-0001.tif") && queue.body.contains("scan-0002.pdf"), "both scans reached the queue")
        #expect(queue.body.contains("Không tìm thấy mã hồ sơ trên bản quét hay tên tệp"), "the reason in words")
        let entryIDs = queue.body.matches(of: /id="entry-([0-9]+)"/).map { String($0.1) }
        try #require(entryIDs.count == 2)
        let thumbnail = try await operator_.download("/ui/quarantine/\(entryIDs[0])/thumbnail")
        #expect(thumbnail.status == 200 && thumbnail.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG thumbnail")
        let csrf = try #require(queue.input("_csrf"))
        // The overview counts today's intake per station: the two scans the watcher took, both quarantined.
        let overview = try await operator_.get("/ui/")
        #expect(overview.body.contains(#"id="intake-today""#) && overview.body.contains("Tiếp nhận hôm nay theo trạm"))
        #expect(overview.body.contains("<tr><td>scan-01</td><td>0</td><td>2</td><td>0</td><td>0</td>"), "\(overview.body)")
        // The stations page lists the station's latest files and what became of them.
        let stations = try await operator_.get("/ui/stations")
        #expect(stations.body.contains("Tệp gần đây — scan-01") && stations.body.contains("<td>scan-0002.pdf</td>"), "\(stations.body)")
        #expect(stations.body.contains("Chuyển vào hàng chờ (không xác định được hồ sơ)"))
        let first = queue.body.range(of: "scan-0001.tif")!.lowerBound < queue.body.range(of: "scan-0002.pdf")!.lowerBound ? 0 : 1

        // A mistyped case is refused, and nothing moves.
        let mistyped = try await operator_.post("/ui/quarantine", [("_csrf", csrf), ("entry", entryIDs[first]), ("action", "assign"),
                                                                   ("caseId", "000.00.14.H27-240815-0099")])
        #expect(mistyped.status == 404 && mistyped.body.contains("scan-0001.tif"), "\(mistyped.status)")
        let assigned = try await operator_.post("/ui/quarantine", [("_csrf", csrf), ("entry", entryIDs[first]), ("action", "assign"),
                                                                   ("caseId", caseID), ("component", "Đơn")])
        #expect(assigned.status == 200 && assigned.body.contains("Đã gán bản quét vào hồ sơ: 1") && !assigned.body.contains("scan-0001.tif"))
        let rejected = try await operator_.post("/ui/quarantine", [("_csrf", csrf), ("entry", entryIDs[1 - first]), ("action", "reject"),
                                                                   ("reason", "trang trắng")])
        #expect(rejected.status == 200 && rejected.body.contains("Đã từ chối bản quét: 1") && !rejected.body.contains("scan-0002.pdf"))

        // The records clerk sees it on the case, with its thumbnail, and the trail names the operator.
        let clerk = client(server)
        try #require(try await clerk.signIn("vanthu", Self.password).status == 303)
        let casePage = try await clerk.get("/ui/cases/\(caseID)")
        #expect(casePage.body.contains("scan-0001.tif") && casePage.body.contains("/thumbnail"), "\(casePage.status)")
        #expect(casePage.body.contains("user:tram01") && casePage.body.contains("Gán bản quét từ hàng chờ"))
        let image = try #require(casePage.body.firstMatch(of: /src="(\/ui\/documents\/[0-9a-f]{64}\/thumbnail)"/).map { String($0.1) })
        let shown = try await clerk.download(image)
        #expect(shown.status == 200 && shown.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The control slip is for the roles the API gives it to: not the records clerk, who sees no link to it either.
        #expect(try await clerk.download("/ui/cases/\(caseID)/control-slip.pdf").status == 403 && !casePage.body.contains("control-slip.pdf"))
        try await addUser("motcua", role: "workflow")
        let desk = client(server)
        try #require(try await desk.signIn("motcua", Self.password).status == 303)
        #expect(try await desk.get("/ui/cases/\(caseID)").body.contains("control-slip.pdf"))
        #expect(try await desk.download("/ui/cases/\(caseID)/control-slip.pdf").bytes.starts(with: Array("%PDF".utf8)))
    }

    /// An administrator keeps the signer registry in the pages: a certificate pasted as PEM is added (the
    /// API's checks: a broken one is named and refused), listed, and removed with a reason, by the person.
    @Test func theSignerRegistry_isKeptInThePages() async throws {
        try await addUser("quantri", role: "admin")
        let made = try await ExternalTool.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                          "-keyout", work.appendingPathComponent("seal.key").path, "-out", work.appendingPathComponent("seal.pem").path,
                                                          "-days", "30", "-subj", "/CN=Sở Tư pháp tỉnh Bình Định/O=UBND tỉnh Bình Định", "-utf8",
                                                          "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "keyUsage=critical,digitalSignature,nonRepudiation"])
        try #require(made.status == 0, "\(made.output)")
        let pem = try String(contentsOf: work.appendingPathComponent("seal.pem"), encoding: .utf8)
        let server = try await ServerProcess(in: work, data: data)
        let admin = client(server)
        try #require(try await admin.signIn("quantri", Self.password).status == 303)
        let empty = try await admin.get("/ui/signers")
        #expect(empty.status == 200 && empty.body.contains("Thêm người ký"))
        let csrf = try #require(empty.input("_csrf"))

        let broken = try await admin.post("/ui/signers", [("_csrf", csrf), ("agency", "000.00.14.H27"), ("role", "organization"), ("name", "Con dấu"),
                                                          ("match", "key"), ("certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")])
        #expect(broken.status == 422 && broken.body.contains("certificate"), "\(broken.status)")
        let added = try await admin.post("/ui/signers", [("_csrf", csrf), ("agency", "000.00.14.H27"), ("role", "organization"),
                                                         ("name", "Con dấu Sở Tư pháp"), ("match", "key"), ("certificate", pem)])
        #expect(added.status == 200 && added.body.contains("Đã thêm người ký: Con dấu Sở Tư pháp"), "\(added.status) \(added.body.firstMatch(of: /class="error"[^<]*/).map { String($0.0) } ?? "")")
        #expect(added.body.contains("Sở Tư pháp tỉnh Bình Định") && added.body.contains("Theo khóa công khai"))
        let auditor = try await HoSoProcess.token("admin", data: data, in: work)
        let listed = (try await server.call("GET", "/v1/signers", token: auditor)).json["signers"] as? [[String: Any]] ?? []
        try #require(listed.count == 1 && listed[0]["addedBy"] as? String == "user:quantri", "\(listed)")
        let id = try #require(listed[0]["id"] as? Int)

        let noReason = try await admin.post("/ui/signers/remove", [("_csrf", csrf), ("signer", "\(id)"), ("reason", " ")])
        #expect(noReason.status == 400 && noReason.body.contains("reason"))
        let removed = try await admin.post("/ui/signers/remove", [("_csrf", csrf), ("signer", "\(id)"), ("reason", "thu hồi chứng thư")])
        #expect(removed.status == 200 && removed.body.contains("Đã gỡ người ký: Con dấu Sở Tư pháp"))
        #expect(!removed.body.contains(#"id="signer-\#(id)""#), "a removed entry is hidden unless asked for")
        let all = try await admin.get("/ui/signers?removed=1")
        #expect(all.body.contains(#"id="signer-\#(id)""#) && all.body.contains("user:quantri: thu hồi chứng thư"))
        let again = try await admin.post("/ui/signers/remove", [("_csrf", csrf), ("signer", "\(id)"), ("reason", "lần nữa")])
        #expect(again.status == 409)
        let forged = try await admin.post("/ui/signers/remove", [("signer", "\(id)"), ("reason", "x")])
        #expect(forged.status == 403, "no form without the session's token")
    }

    /// The stations serve every agency, but their latest files name a case only to whom may see it.
    @Test func theStationsPage_namesOnlyCasesTheViewerMaySee() async throws {
        try await addUser("quantri", role: "admin")
        try await addUser("so14", role: "auditor", agency: "000.00.14.H27")
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"),
                                         to: inbox.appendingPathComponent("000.00.15.H27-240815-0001_Don.tif"))
        let admin = client(server)
        try #require(try await admin.signIn("quantri", Self.password).status == 303)
        var page = try await admin.get("/ui/stations")
        for _ in 0..<300 where !page.body.contains("Đã lưu vào hồ sơ 000.00.15.H27-240815-0001") {
            try await Task.sleep(for: .milliseconds(100))
            page = try await admin.get("/ui/stations")
        }
        #expect(page.body.contains("Đã lưu vào hồ sơ 000.00.15.H27-240815-0001"), "\(page.body)")
        let scoped = client(server)
        try #require(try await scoped.signIn("so14", Self.password).status == 303)
        let seen = try await scoped.get("/ui/stations")
        #expect(seen.body.contains("000.00.15.H27-240815-0001_Don.tif") && seen.body.contains("Đã lưu vào hồ sơ"), "the file and its fate")
        #expect(!seen.body.contains("Đã lưu vào hồ sơ 000.00.15.H27-240815-0001"), "not another agency's case: \(seen.body)")
    }
}
