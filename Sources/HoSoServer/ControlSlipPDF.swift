import Foundation
import HoSoCore
import HoSoImaging

/// The control slip as a printable PDF, from the same data as its JSON.
enum ControlSlipPDF {
    static func render(_ slip: HoSoAPI.ControlSlip) throws -> [UInt8] {
        let outcome = ["early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "not_returned": "Chưa trả kết quả"][slip.outcome] ?? slip.outcome
        var facts = ["Mã hồ sơ: \(slip.caseId)"]
        if let code = slip.procedureCode { facts.append("Mã thủ tục: \(code)") }
        if let applicant = slip.applicant { facts.append("Người nộp: \(applicant)") }
        if let received = slip.receivedAt { facts.append("Nhận hồ sơ: \(VietnamTime.format(received))") }
        if let due = slip.dueAt { facts.append("Hẹn trả kết quả: \(VietnamTime.format(due))") }
        facts.append("Kết quả: \(outcome)" + (slip.returnedAt.map { " (trả lúc \(VietnamTime.format($0)))" } ?? ""))
        return try TablePDF(
            title: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            facts: facts,
            columns: [("#", 3), ("Thời gian", 17), ("Bước", 17), ("Người thực hiện", 18), ("Ghi chú", 45)],
            rows: slip.steps.map { [String($0.number), $0.handOverTime, $0.kind, $0.actor, $0.note] }
        ).render()
    }
}
