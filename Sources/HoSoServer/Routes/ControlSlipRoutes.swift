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
        /// What HoSo saw, in sentences (Vietnamese, or English with `lang=en`).
        let facts: [String]
        let ending: Ending?
        let timeliness: TimelinessView?
    }

    @Sendable func controlSlip(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let format = try QueryChoice.value(request, "format", in: ["json", "pdf"])
        let words = SlipWords(language: try QueryChoice.value(request, "lang", in: Language.allCases.map(\.rawValue)).flatMap(Language.init) ?? .vi)
        let found = try await knownCase(context)
        let slip = Self.slip(found, events: try await catalog.events(of: found.id), documents: try await catalog.documents(of: found.id),
                             results: try await catalog.results(of: found.id), calendar: settings.calendar, words: words, now: Date())
        if format == "pdf" || (format == nil && (request.headers[.accept] ?? "").contains("application/pdf")) {
            let pdf: [UInt8]
            do { pdf = try ControlSlipPDF.render(slip, words: words) } catch {
                throw Problem(.internalServerError, "rendering_failed", "the control slip PDF cannot be made: \(error)")
            }
            return Response(status: .ok, headers: [.contentType: "application/pdf"], body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        return try JSON.response(slip)
    }

    static func slip(_ item: Case, events: [Event], documents: [Document], results: [CaseResult], calendar: WorkCalendar,
                     words: SlipWords, now: Date) -> ControlSlip {
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
            facts: SlipFacts(events: events, documents: documents, results: results, timeline: timeline, words: words).sentences, ending: ending,
            timeliness: timeline.timeliness.map { TimelinessView($0, calendar: calendar) })
    }
}

/// What HoSo saw of a case, as sentences for the slip: never event codes, tokens or hashes.
struct SlipFacts {
    let sentences: [String]

    init(events: [Event], documents: [Document], results: [CaseResult], timeline: CaseTimeline, words: SlipWords) {
        var sentences: [String] = []
        let stored = documents.filter { $0.status != .failed }
        if let first = stored.map(\.storedAt).min(), let last = stored.map(\.storedAt).max() {
            sentences.append(words.digitized(count: stored.count, components: Set(stored.compactMap(\.component)).sorted(),
                                             stations: Set(stored.map(\.station)).sorted(), first: first, last: last))
        } else {
            sentences.append(words.nothingDigitized)
        }
        for result in results {
            switch result.verdict {
            case .passed: sentences.append(words.signed(result.code.description, by: Self.signer(of: result), at: result.attachedAt))
            case .pending: sentences.append(words.unverified(result.code.description, at: result.attachedAt))
            }
        }
        for event in events {
            if case .extended(let due, let letter, let reason)? = ProgressEntry(event) {
                sentences.append(words.extended(at: event.time, letter: letter, due: due, reason: reason))
            }
        }
        sentences += timeline.pauses.map { words.paused(PauseView($0)) }
        switch timeline.ending {
        case .returned(let time)?: sentences.append(words.returned(at: time))
        case .refused(let time, let reason)?: sentences.append(words.refused(at: time, reason: reason))
        case .withdrawn(let time, let reason)?: sentences.append(words.withdrawn(at: time, reason: reason))
        case nil: sentences.append(words.notReturned)
        }
        self.sentences = sentences
    }

    /// The common name of the signer the acceptance rule matched, from the result's stored evidence (read
    /// as `ResultView` reads it).
    static func signer(of result: CaseResult) -> String? {
        guard let subject = ResultView(result).verification?.acceptance?.signer.signer else { return nil }
        let parts = subject.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return parts.first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? subject
    }
}
