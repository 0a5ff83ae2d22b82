import Foundation
import HoSoTestSupport
import Testing

/// The hand-overs of a case through the offices, over real HTTP, and the control slip (Biểu 05) they make,
/// read back by poppler's `pdftotext -layout`, `pdfinfo` and `qpdf --check`.
extension ServerTests {
    static let landCase = "000.00.14.H27-250403-0001"

    /// One unit's side of a hand-over.
    static func party(_ name: String, _ person: String, agency: String? = nil) -> [String: Any] {
        var party: [String: Any] = ["name": name, "person": person]
        party["agency"] = agency
        return party
    }

    static func step(_ from: [String: Any], _ to: [String: Any], at: String, due: String, note: String? = nil) -> [String: Any] {
        var body: [String: Any] = ["from": from, "to": to, "at": at + "+07:00", "dueAt": due + "+07:00"]
        body["note"] = note
        return body
    }

    @Test func aCaseWalkedThroughTheOffices_isJudgedStepByStepInWorkingTime_andPrintedAsBieu05() async throws {
        let holidays = work.appendingPathComponent("holidays.txt")
        try "2025-04-07   Giỗ Tổ Hùng Vương\n".write(to: holidays, atomically: true, encoding: .utf8)
        let (_, signed, _) = try await results(for: Self.landCase)
        let workflow = try await token("workflow", name: "mot-cua"), auditor = try await token("auditor", name: "thanh-tra")
        var settings = environment
        settings["HOSO_CALENDAR_HOLIDAYS"] = holidays.path
        let api = try await ServerProcess(in: work, data: data, environment: settings)
        let path = "/v1/cases/\(Self.landCase)"
        let registered = try await register(api, workflow, id: Self.landCase, due: "2025-04-10T17:00:00+07:00", components: [])
        #expect(registered.status == 201, "\(registered.text)")

        let desk = Self.party("Bộ phận Một cửa", "Nguyễn Thị Lan"), land = Self.party("Văn phòng Đăng ký đất đai", "Trần Văn Minh", agency: "000.00.14.H27")
        let leader = Self.party("Lãnh đạo Văn phòng", "Lê Quang Hùng"), clerk = Self.party("Văn thư", "Phạm Thu Hà")
        let walk: [(String, [String: Any])] = [
            ("steps", Self.step(desk, land, at: "2025-04-03T10:00:00", due: "2025-04-03T17:00:00", note: "Đủ thành phần")),
            ("steps", Self.step(land, leader, at: "2025-04-08T09:00:00", due: "2025-04-04T17:00:00")),
            ("changes", ["kind": "supplement_requested", "at": "2025-04-08T10:00:00+07:00", "reason": "Thiếu bản vẽ thửa đất"]),
            ("changes", ["kind": "supplement_received", "at": "2025-04-09T10:00:00+07:00", "reason": "Đã nộp bản vẽ"]),
            ("steps", Self.step(leader, clerk, at: "2025-04-10T08:00:00", due: "2025-04-09T17:00:00")),
            ("steps", Self.step(clerk, desk, at: "2025-04-11T14:00:00", due: "2025-04-10T17:00:00")),
        ]
        for (route, body) in walk {
            let answer = try await api.json("POST", path + "/" + route, token: workflow, body)
            #expect(answer.status == 201, "\(route): \(answer.text)")
        }

        // Bad input: each refused with its reason, nothing recorded.
        let early = try await api.json("POST", path + "/steps", token: workflow, Self.step(clerk, desk, at: "2025-04-11T13:59:00", due: "2025-04-11T17:00:00"))
        #expect(early.status == 422 && early.json["code"] as? String == "out_of_order", "\(early.text)")
        #expect((early.json["detail"] as? String ?? "").contains("2025-04-11T06:59:00.000Z")
                && (early.json["detail"] as? String ?? "").contains("2025-04-11T07:00:00.000Z"), "both times named: \(early.text)")
        let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let ahead = try await api.json("POST", path + "/steps", token: workflow, ["from": clerk, "to": desk, "at": future])
        #expect(ahead.status == 422 && ahead.json["code"] as? String == "in_the_future", "\(ahead.text)")
        let unknown = try await api.json("POST", "/v1/cases/000.00.14.H27-250403-0099/steps", token: workflow, Self.step(desk, land, at: "2025-04-03T10:00:00", due: "2025-04-03T17:00:00"))
        #expect(unknown.status == 404, "\(unknown.text)")
        let unpaired = try await api.json("POST", path + "/changes", token: workflow, ["kind": "supplement_received", "at": "2025-04-11T14:30:00+07:00"])
        #expect(unpaired.status == 409 && unpaired.json["code"] as? String == "not_paused", "\(unpaired.text)")
        let nameless = try await api.json("POST", path + "/steps", token: workflow, ["from": ["name": "", "person": "x"], "to": desk, "at": "2025-04-11T15:00:00+07:00"])
        #expect(nameless.status == 422 && (nameless.json["detail"] as? String ?? "").hasPrefix("from.name"), "\(nameless.text)")
        let noLetter = try await api.json("POST", path + "/changes", token: workflow, ["kind": "extension", "at": "2025-04-11T15:00:00+07:00",
                                                                                       "newDueAt": "2025-04-20T17:00:00+07:00", "reason": "x"])
        #expect(noLetter.status == 422 && (noLetter.json["detail"] as? String ?? "").hasPrefix("apologyLetter"), "\(noLetter.text)")
        #expect(try await api.json("POST", path + "/steps", token: auditor, Self.step(clerk, desk, at: "2025-04-11T15:00:00", due: "2025-04-11T17:00:00")).status == 403)

        // The signed result, then the return.
        let attach = try await api.call("POST", path + "/results", token: workflow, body: try Data(contentsOf: signed), type: "application/pdf")
        #expect(attach.status == 201, "\(attach.text)")
        #expect(try await api.call("POST", path + "/return", token: workflow).status == 200)

        // Each step judged by hand (see CaseTimelineTests): on time; 1 h 30 late (Monday was the holiday); on time once
        // the day the documents were awaited is given back; 5 h late.
        let steps = (try await api.call("GET", path + "/steps", token: auditor).json["steps"] as? [[String: Any]]) ?? []
        let verdicts = steps.map { ($0["timeliness"] as? [String: Any])?["verdict"] as? String ?? "-" }
        let hours = steps.map { ($0["timeliness"] as? [String: Any])?["workingHours"] as? Double ?? -1 }
        #expect(verdicts == ["on_time", "late", "on_time", "late"] && hours == [0, 1.5, 0, 5], "\(steps)")
        #expect(steps.map { $0["handOverTime"] as? String ?? "" }.first == "10 giờ 00 phút, ngày 03 tháng 04 năm 2025")

        let slip = try await api.call("GET", path + "/control-slip", token: auditor).json
        #expect((slip["rows"] as? [Any])?.count == 4 && (slip["ending"] as? [String: Any])?["kind"] as? String == "returned", "\(slip)")
        let facts = (slip["facts"] as? [String]) ?? []
        #expect(facts.contains { $0.hasPrefix("Kết quả \(Self.landCase)-KQ1 có chữ ký số hợp lệ của ") }, "\(facts)")

        let pdf = try await api.call("GET", path + "/control-slip?format=pdf", token: auditor)
        let file = work.appendingPathComponent("bieu-05.pdf")
        try pdf.body.write(to: file)
        let text = try await ExternalTool.run("pdftotext", ["-layout", file.path, "-"]).output
        for words in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                      "Mã hồ sơ: \(Self.landCase)", "Nguyễn Văn An", "TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
                      "GHI CHÚ", "Người giao: Nguyễn Thị Lan", "Người nhận: Trần Văn Minh", "Quá hạn 1 giờ 30 phút", "Quá hạn 5 giờ",
                      "Đúng hạn", "Đủ thành phần", "Yêu cầu bổ sung hồ sơ lúc 10:00 08/04/2025", "Trả kết quả cho người nộp lúc"] {
            #expect(text.contains(words), "'\(words)' missing from:\n\(text)")
        }
        // The rows in the order the file went: desk, land office, leader, records clerk, desk.
        let order = ["10 giờ 00 phút, ngày 03 tháng 04", "09 giờ 00 phút, ngày 08 tháng 04", "08 giờ 00 phút, ngày 10 tháng 04",
                     "14 giờ 00 phút, ngày 11 tháng 04"].map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(text)")
        for code in ["case_opened", "handed_over", "token:", "document_stored", "sha256"] {
            #expect(!text.contains(code), "no event codes, tokens or hashes on the slip: '\(code)'")
        }
        // In English for who reads it so: the same rows, the same judgement.
        let english = try await api.call("GET", path + "/control-slip?format=pdf&lang=en", token: auditor)
        let englishFile = work.appendingPathComponent("bieu-05-en.pdf")
        try english.body.write(to: englishFile)
        let englishText = try await ExternalTool.run("pdftotext", ["-layout", englishFile.path, "-"]).output
        for words in ["PROCESS CONTROL SLIP", "HAND-OVER TIME", "Late by 1 h 30 min", "Late by 5 h", "On time", "Given by: Nguyễn Thị Lan",
                      "Recorded by HoSo", "Returned to the applicant at"] {
            #expect(englishText.contains(words), "'\(words)' missing from:\n\(englishText)")
        }
        #expect(try await api.call("GET", path + "/control-slip?lang=fr", token: auditor).status == 400)
        #expect(try await ExternalTool.run("qpdf", ["--check", file.path]).status == 0)
        #expect(try await ExternalTool.run("pdfinfo", [file.path]).output.contains("Pages:"))
        if let keep = ProcessInfo.processInfo.environment["HOSO_KEEP_SLIP"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: file, to: URL(fileURLWithPath: keep))
        }

        // The trail's chain holds; then an event edited in the file is found.
        api.kill()
        let clean = try await HoSoProcess.run(["audit", "verify", "--data", data.path], in: work)
        #expect(clean.status == 0 && clean.stdout.contains("0 broken chain(s)"), "\(clean.stdout)\(clean.stderr)")
        let edit = try await ExternalTool.run("sqlite3", [data.appendingPathComponent("catalog.sqlite").path, """
            DROP TRIGGER events_are_append_only_update;
            UPDATE events SET time = '2025-04-08T01:00:00.000Z' WHERE kind = 'handed_over' AND time = '2025-04-08T02:00:00.000Z';
            """])
        try #require(edit.status == 0, "\(edit.output)")
        let broken = try await HoSoProcess.run(["audit", "verify", "--case", Self.landCase, "--data", data.path], in: work)
        #expect(broken.status == 1 && broken.stdout.contains("BROKEN case \(Self.landCase): event ") && broken.stdout.contains("was edited"),
                "\(broken.stdout)\(broken.stderr)")
    }
}
