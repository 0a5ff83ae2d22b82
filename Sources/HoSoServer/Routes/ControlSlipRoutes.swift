import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// The process control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, Biểu 05 of TT 01/2018/TT-VPCP):
    /// one row per hand-over the workflow server reported, each judged in working time against its due
    /// time, the case judged against its first due date with the clock stopped while documents were
    /// awaited, and what HoSo itself saw (inputs digitized, the result signed and by whom, the return) in
    /// Vietnamese words.
    struct ControlSlip: Encodable {
        struct Ending: Encodable {
            /// `returned`, `refused` or `withdrawn`.
            let kind: String
            let at: Date
            let reason: String?
        }

        let caseId: String
        let procedureCode: String?
        let applicant: Applicant?
        let decidingAgency: String
        let receivedAt: Date?
        /// The due date the case was registered with; `promisedDueAt` after an extension.
        let dueAt: Date?
        let promisedDueAt: Date?
        /// `dueAt` moved later by the working time the clock stood still.
        let effectiveDueAt: Date?
        /// The hand-overs, as `GET …/steps` gives them.
        let rows: [StepView]
        let pauses: [PauseView]
        /// What HoSo saw, in the form's language.
        let facts: [String]
        let ending: Ending?
        let timeliness: TimelinessView?
    }

    @Sendable func controlSlip(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let format = try QueryChoice.value(request, "format", in: ["json", "pdf"])
        let found = try await knownCase(context)
        let slip = Self.slip(found, events: try await catalog.events(of: found.id), documents: try await catalog.documents(of: found.id),
                             results: try await catalog.results(of: found.id), calendar: settings.calendar, now: Date())
        if format == "pdf" || (format == nil && (request.headers[.accept] ?? "").contains("application/pdf")) {
            let pdf: [UInt8]
            do { pdf = try ControlSlipPDF.render(slip) } catch {
                throw Problem(.internalServerError, "rendering_failed", "the control slip PDF cannot be made: \(error)")
            }
            return Response(status: .ok, headers: [.contentType: "application/pdf"], body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        return try JSON.response(slip)
    }

    static func slip(_ item: Case, events: [Event], documents: [Document], results: [CaseResult], calendar: WorkCalendar,
                     now: Date) -> ControlSlip {
        let timeline = CaseTimeline(case: item, events: events, calendar: calendar, now: now)
        var ending: ControlSlip.Ending?
        switch timeline.ending {
        case .returned(let time)?: ending = .init(kind: "returned", at: time, reason: nil)
        case .refused(let time, let reason)?: ending = .init(kind: "refused", at: time, reason: reason)
        case .withdrawn(let time, let reason)?: ending = .init(kind: "withdrawn", at: time, reason: reason)
        case nil: break
        }
        return ControlSlip(
            caseId: item.id.description, procedureCode: item.procedureCode?.rawValue, applicant: item.applicant,
            decidingAgency: item.decidingAgency.rawValue, receivedAt: item.receivedAt, dueAt: timeline.firstDueAt,
            promisedDueAt: timeline.promisedDueAt, effectiveDueAt: timeline.effectiveDueAt,
            rows: timeline.rows.map { StepView($0, calendar: calendar) },
            pauses: timeline.pauses.map(PauseView.init),
            facts: SlipFacts(events: events, documents: documents, results: results, timeline: timeline).sentences, ending: ending,
            timeliness: timeline.timeliness.map { TimelinessView($0, calendar: calendar) })
    }
}

/// What HoSo saw of a case, as sentences for the slip: never event codes, tokens or hashes.
struct SlipFacts {
    let sentences: [String]

    init(events: [Event], documents: [Document], results: [CaseResult], timeline: CaseTimeline) {
        var sentences: [String] = []
        let stored = documents.filter { $0.status != .failed }
        if let first = stored.map(\.storedAt).min(), let last = stored.map(\.storedAt).max() {
            let components = Set(stored.compactMap(\.component)).sorted()
            let stations = Set(stored.map(\.station)).sorted()
            let what = components.isEmpty ? "" : " (thành phần: \(components.joined(separator: ", ")))"
            let when = first == last ? "lúc \(VietnamTime.short(first))" : "từ \(VietnamTime.short(first)) đến \(VietnamTime.short(last))"
            sentences.append("Số hóa \(stored.count) tệp hồ sơ đầu vào\(what) tại trạm quét \(stations.joined(separator: ", ")), \(when).")
        } else {
            sentences.append("Chưa số hóa tệp hồ sơ đầu vào nào.")
        }
        for result in results {
            switch result.verdict {
            case .passed:
                let signer = Self.signer(in: result.report).map { " của \($0)" } ?? ""
                sentences.append("Kết quả \(result.code) có chữ ký số hợp lệ\(signer), đính kèm lúc \(VietnamTime.short(result.attachedAt)).")
            case .pending:
                sentences.append("Kết quả \(result.code) đính kèm lúc \(VietnamTime.short(result.attachedAt)), chữ ký số chưa xác minh được.")
            }
        }
        for event in events {
            switch ProgressEntry(event) {
            case .extended(let due, let letter, let reason)?:
                sentences.append("Gia hạn lúc \(VietnamTime.short(event.time)): phiếu xin lỗi và hẹn lại ngày trả số \(letter), hẹn lại ngày trả "
                                 + "\(VietnamTime.short(due)); lý do: \(reason).")
            default: break
            }
        }
        for pause in timeline.pauses {
            let end = pause.to.map { "nhận đủ bổ sung lúc \(VietnamTime.short($0))" } ?? "chưa nhận bổ sung"
            sentences.append("Yêu cầu bổ sung hồ sơ lúc \(VietnamTime.short(pause.from)) (lý do: \(pause.reason)); \(end); "
                             + "thời gian chờ không tính vào thời hạn giải quyết.")
        }
        switch timeline.ending {
        case .returned(let time)?: sentences.append("Trả kết quả cho người nộp lúc \(VietnamTime.short(time)).")
        case .refused(let time, let reason)?: sentences.append("Từ chối giải quyết lúc \(VietnamTime.short(time)); lý do: \(reason).")
        case .withdrawn(let time, let reason)?: sentences.append("Người nộp rút hồ sơ lúc \(VietnamTime.short(time)); lý do: \(reason).")
        case nil: sentences.append("Chưa trả kết quả.")
        }
        self.sentences = sentences
    }

    /// The common name of the signer the acceptance rule matched, from a stored verification report.
    static func signer(in report: String) -> String? {
        struct Report: Decodable {
            struct Acceptance: Decodable {
                struct Signer: Decodable { let signer: String? }
                let signer: Signer?
            }
            let acceptance: Acceptance?
        }
        guard let subject = (try? JSONDecoder().decode(Report.self, from: Data(report.utf8)))?.acceptance?.signer?.signer else { return nil }
        let parts = subject.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? subject
    }
}
