import Foundation
import HoSoCore

/// The control slip's words: Vietnamese, the form's own, or English for who reads it in English. Names,
/// reasons and notes stay as the workflow server gave them.
struct SlipWords: Sendable {
    let language: Language

    private func say(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    var heading: [String] {
        [say("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"), say("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness")]
    }
    var title: String { say("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "PROCESS CONTROL SLIP") }
    var columns: [String] {
        [say("TÊN CƠ QUAN", "AGENCY"), say("THỜI GIAN GIAO, NHẬN HỒ SƠ", "HAND-OVER TIME"),
         say("KẾT QUẢ GIẢI QUYẾT HỒ SƠ\n(Trước hạn/đúng hạn/quá hạn)", "RESULT\n(early/on time/late)"), say("GHI CHÚ", "NOTE")]
    }
    var closingTitle: String { say("Ghi nhận của hệ thống HoSo", "Recorded by HoSo") }

    func caseCode(_ id: String) -> [String] {
        [say("Mã hồ sơ: ", "Case code: ") + id, say("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: ", "(With the receipt and appointment slip no. ") + id + ")"]
    }
    func applicant(_ applicant: Applicant) -> String {
        say("Người nộp hồ sơ: ", "Applicant: ") + applicant.name + say(" (số giấy tờ: ", " (ID: ") + applicant.idNumber + ")"
    }
    func procedure(_ code: String) -> String { say("Thủ tục hành chính: ", "Procedure: ") + code }
    func deciding(_ agency: String) -> String { say("Cơ quan (bộ phận) giải quyết hồ sơ: ", "Deciding agency: ") + agency }
    func takingPart(_ units: [String]) -> String { say("Cơ quan, bộ phận tham gia giải quyết hồ sơ: ", "Units taking part: ") + units.joined(separator: "; ") }
    func received(_ time: Date) -> String { say("Tiếp nhận hồ sơ: ", "Received: ") + moment(time) }
    func due(_ time: Date, promised: Date?) -> String {
        say("Hẹn trả kết quả: ", "Due: ") + moment(time) + (promised.map { say("; hẹn lại: ", "; rescheduled to: ") + moment($0) } ?? "")
    }
    func outcome(_ timeliness: TimelinessView) -> String { say("Kết quả giải quyết hồ sơ: ", "Outcome: ") + words(timeliness) }

    /// A hand-over's first two cells.
    func units(_ step: StepView) -> String { say("1. Giao: ", "1. Given by: ") + step.from.name + say("\n2. Nhận: ", "\n2. Received by: ") + step.to.name }
    func people(_ step: StepView) -> String {
        moment(step.time) + say("\nNgười giao: ", "\nGiven by: ") + step.from.person + say("\nNgười nhận: ", "\nReceived by: ") + step.to.person
    }

    /// `10 giờ 00 phút, ngày 03 tháng 04 năm 2025`, or `10:00 03/04/2025`.
    func moment(_ time: Date) -> String { language == .vi ? VietnamTime.formWords(time) : VietnamTime.short(time) }

    /// `Đúng hạn`, `Quá hạn 2 giờ 30 phút`; `On time`, `Late by 2 h 30 min` (working time).
    func words(_ timeliness: TimelinessView) -> String {
        let amount = timeliness.workingTime(language)
        switch (timeliness.verdict, language) {
        case ("on_time", .vi): return timeliness.words
        case ("on_time", .en): return "On time"
        case ("early", .en): return "Early by \(amount)"
        case ("late", .en): return "Late by \(amount)"
        default: return "\(timeliness.words) \(amount)"
        }
    }

    // What HoSo saw, a sentence each.

    func digitized(count: Int, components: [String], stations: [String], first: Date, last: Date) -> String {
        let what = components.isEmpty ? "" : say(" (thành phần: ", " (components: ") + components.joined(separator: ", ") + ")"
        let when = first == last ? say("lúc ", "at ") + VietnamTime.short(first)
            : say("từ ", "from ") + VietnamTime.short(first) + say(" đến ", " to ") + VietnamTime.short(last)
        return say("Số hóa \(count) tệp hồ sơ đầu vào", "\(count) input file(s) digitized") + what + say(" tại trạm quét ", " at station(s) ")
            + stations.joined(separator: ", ") + ", " + when + "."
    }
    var nothingDigitized: String { say("Chưa số hóa tệp hồ sơ đầu vào nào.", "No input digitized yet.") }
    func signed(_ code: String, by signer: String?, at time: Date) -> String {
        say("Kết quả \(code) có chữ ký số hợp lệ", "Result \(code) validly signed") + (signer.map { say(" của ", " by ") + $0 } ?? "")
            + say(", đính kèm lúc ", ", attached at ") + VietnamTime.short(time) + "."
    }
    func unverified(_ code: String, at time: Date) -> String {
        say("Kết quả \(code) đính kèm lúc \(VietnamTime.short(time)), chữ ký số chưa xác minh được.",
            "Result \(code) attached at \(VietnamTime.short(time)); its signature could not be verified yet.")
    }
    func extended(at time: Date, letter: String, due: Date, reason: String) -> String {
        say("Gia hạn lúc \(VietnamTime.short(time)): phiếu xin lỗi và hẹn lại ngày trả số \(letter), hẹn lại ngày trả \(VietnamTime.short(due)); lý do: \(reason).",
            "Due date extended at \(VietnamTime.short(time)): apology letter no. \(letter), new date \(VietnamTime.short(due)); reason: \(reason).")
    }
    func paused(_ pause: PauseView) -> String {
        let end = pause.to.map { say("nhận đủ bổ sung lúc ", "received at ") + VietnamTime.short($0) } ?? say("chưa nhận bổ sung", "not received yet")
        return say("Yêu cầu bổ sung hồ sơ lúc ", "More documents asked for at ") + VietnamTime.short(pause.from) + say(" (lý do: ", " (reason: ")
            + pause.reason + "); " + end + say("; thời gian chờ không tính vào thời hạn giải quyết.", "; the waiting does not count against the due date.")
    }
    func returned(at time: Date) -> String { say("Trả kết quả cho người nộp lúc ", "Returned to the applicant at ") + VietnamTime.short(time) + "." }
    func refused(at time: Date, reason: String) -> String {
        say("Từ chối giải quyết lúc ", "Refused at ") + VietnamTime.short(time) + say("; lý do: ", "; reason: ") + reason + "."
    }
    func withdrawn(at time: Date, reason: String) -> String {
        say("Người nộp rút hồ sơ lúc ", "Withdrawn by the applicant at ") + VietnamTime.short(time) + say("; lý do: ", "; reason: ") + reason + "."
    }
    var notReturned: String { say("Chưa trả kết quả.", "Not returned yet.") }
}
