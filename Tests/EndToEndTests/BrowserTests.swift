import Foundation
import HoSoTestSupport
import Testing

/// The web pages in a real browser: this side makes the data directory, the people, the cases and a
/// queue of two scans the server's own watcher quarantined, starts the real `hoso serve`, and runs the
/// Playwright tests (`Tests/Browser`) against it in Debian's Chromium. Screenshots of each page go to
/// `.build/ui-screens/`.
@Suite struct BrowserTests {
    @Test func thePages_inChromium() async throws {
        let work = try makeTemporaryDirectory("browser")
        let data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        let password = "mật khẩu đủ dài 2026"
        let file = work.appendingPathComponent("pw")
        try (password + "\n").write(to: file, atomically: true, encoding: .utf8)
        for (name, role, agency) in [("lan", "admin", nil), ("tram01", "station", nil), ("so14", "auditor", "000.00.14.H27"), ("an", "auditor", nil)] {
            let added = try await HoSoProcess.run(["users", "add", name, "--role", role, "--password-file", file.path, "--data", data.path]
                                                  + (agency.map { ["--agency", $0] } ?? []), in: work)
            try #require(added.status == 0, "\(added.stderr)")
        }
        let workflow = try await HoSoProcess.token("workflow", data: data, in: work)
        let auditor = try await HoSoProcess.token("auditor", data: data, in: work)
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let (target, xss, other) = ("000.00.14.H27-240815-0007", "000.00.14.H27-240815-0008", "000.00.15.H27-240815-0009")
        for (id, applicant) in [(target, "Nguyễn Thị Lan"), (xss, "<script>alert(1)</script>"), (other, "Trần Văn Bình")] {
            let registered = try await server.json("POST", "/v1/cases", token: workflow, [
                "caseId": id, "procedureCode": "1.001193", "applicant": ["name": applicant, "idNumber": "001085012345"],
                "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": ["Đơn", "Bản vẽ"],
            ])
            try #require(registered.status == 201, "\(registered.text)")
        }
        for (sample, name) in [("application-a4-colour-3p.tif", "scan-0001.tif"), ("scanner-output.pdf", "scan-0002.pdf")] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/\(sample)"), to: inbox.appendingPathComponent(name))
        }
        var waiting = 0
        for _ in 0..<600 where waiting < 2 {
            try await Task.sleep(for: .milliseconds(100))
            waiting = ((try await server.call("GET", "/v1/quarantine", token: workflow)).json["entries"] as? [Any])?.count ?? 0
        }
        try #require(waiting == 2, "the server's watcher quarantined both scans")

        let screens = packageRoot.appendingPathComponent(".build/ui-screens")
        try FileManager.default.createDirectory(at: screens, withIntermediateDirectories: true)
        let environment = [
            "HOSO_URL": "http://127.0.0.1:\(server.port)", "HOSO_PASSWORD": password, "HOSO_TOKEN": auditor, "HOSO_CASE": target,
            "HOSO_XSS_CASE": xss, "HOSO_OTHER_CASE": other, "HOSO_SCREENS": screens.path, "HOSO_DATA": data.path,
        ].map { "\($0.key)=\($0.value)" }
        let pytest = try await ExternalTool.run("/usr/bin/env", environment + [
            packageRoot.appendingPathComponent(".build/python/bin/python3").path, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--browser", "chromium", packageRoot.appendingPathComponent("Tests/Browser").path,
        ])
        #expect(pytest.status == 0, "\(pytest.output)")
        #expect(pytest.output.contains("11 passed"), "\(pytest.output.suffix(600))")
    }
}
