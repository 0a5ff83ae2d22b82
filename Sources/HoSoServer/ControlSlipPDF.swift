import Foundation
import HoSoCore
import HoSoImaging

/// The control slip as Biểu 05 draws it, from the same data as its JSON.
enum ControlSlipPDF {
    static func render(_ slip: HoSoAPI.ControlSlip) throws -> [UInt8] {
        var facts = ["Mã hồ sơ: \(slip.caseId)", "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: \(slip.caseId))"]
        if let applicant = slip.applicant { facts.append("Người nộp hồ sơ: \(applicant.name) (số giấy tờ: \(applicant.idNumber))") }
        if let code = slip.procedureCode { facts.append("Thủ tục hành chính: \(code)") }
        facts.append("Cơ quan (bộ phận) giải quyết hồ sơ: \(slip.decidingAgency)")
        let coordinating = Set(slip.rows.flatMap { [$0.from.name, $0.to.name] }).sorted()
        if !coordinating.isEmpty { facts.append("Cơ quan, bộ phận tham gia giải quyết hồ sơ: \(coordinating.joined(separator: "; "))") }
        if let received = slip.receivedAt { facts.append("Tiếp nhận hồ sơ: \(VietnamTime.formWords(received))") }
        if let due = slip.dueAt {
            var line = "Hẹn trả kết quả: \(VietnamTime.formWords(due))"
            if let promised = slip.promisedDueAt, promised != due { line += "; hẹn lại: \(VietnamTime.formWords(promised))" }
            facts.append(line)
        }
        if let timeliness = slip.timeliness { facts.append("Kết quả giải quyết hồ sơ: \(words(timeliness))") }
        return try FormPDF(
            heading: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
            title: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            facts: facts,
            columns: [("TÊN CƠ QUAN", 24), ("THỜI GIAN GIAO, NHẬN HỒ SƠ", 30),
                      ("KẾT QUẢ GIẢI QUYẾT HỒ SƠ\n(Trước hạn/đúng hạn/quá hạn)", 29), ("GHI CHÚ", 17)],
            rows: slip.rows.map { row in
                ["1. Giao: \(row.from.name)\n2. Nhận: \(row.to.name)",
                 "\(row.handOverTime)\nNgười giao: \(row.from.person)\nNgười nhận: \(row.to.person)",
                 row.timeliness.map(words) ?? "", row.note ?? ""]
            },
            closingTitle: "Ghi nhận của hệ thống HoSo",
            closing: slip.facts
        ).render()
    }

    /// `Đúng hạn`, or `Quá hạn 2 giờ 30 phút` (working time).
    static func words(_ timeliness: TimelinessView) -> String {
        timeliness.verdict == "on_time" ? timeliness.words : "\(timeliness.words) \(timeliness.workingTime)"
    }
}
