import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// One side of a hand-over in a request body.
    struct PartyBody: Decodable {
        let agency: String?
        let name: String
        let person: String

        func party(field: String) throws -> Party {
            for (value, key) in [(name, "name"), (person, "person")] where value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw Problem(.unprocessableContent, "invalid_body", "\(field).\(key): must not be empty")
            }
            var code: AgencyCode?
            if let agency {
                do { code = try AgencyCode(parsing: agency) } catch {
                    throw Problem(.unprocessableContent, "invalid_agency_code", "\(field).agency: \(error.description)")
                }
            }
            return Party(agency: code, name: name, person: person)
        }
    }

    /// The body of `POST /v1/cases/{id}/steps`: a hand-over between units.
    struct StepBody: Decodable {
        let from: PartyBody
        let to: PartyBody
        /// When the file changed hands.
        let at: Date
        /// When the giving unit was due to hand it on.
        let dueAt: Date?
        let note: String?
    }

    /// The body of `POST /v1/cases/{id}/changes`: a change the case goes through.
    struct ChangeBody: Decodable {
        /// `extension`, `supplement_requested`, `supplement_received`, `withdrawal` or `refusal`.
        let kind: String
        let at: Date
        let reason: String?
        /// For an extension: the new date promised to the applicant…
        let newDueAt: Date?
        /// …in this apology letter (its number or reference).
        let apologyLetter: String?

        static let kinds = ["extension", "supplement_requested", "supplement_received", "withdrawal", "refusal"]

        func entry() throws -> ProgressEntry {
            func required(_ value: String?, _ field: String) throws -> String {
                guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw Problem(.unprocessableContent, "invalid_body", "\(field): required for a change of kind \(kind)")
                }
                return value
            }
            switch kind {
            case "extension":
                guard let due = newDueAt else { throw Problem(.unprocessableContent, "invalid_body", "newDueAt: required for an extension") }
                return .extended(newDueAt: due, apologyLetter: try required(apologyLetter, "apologyLetter"), reason: try required(reason, "reason"))
            case "supplement_requested": return .supplementRequested(reason: try required(reason, "reason"))
            case "supplement_received": return .supplementReceived(note: reason ?? "")
            case "withdrawal": return .withdrawn(reason: try required(reason, "reason"))
            case "refusal": return .refused(reason: try required(reason, "reason"))
            default:
                throw Problem(.unprocessableContent, "invalid_body", "kind: '\(kind)' is not one of \(Self.kinds.joined(separator: ", "))")
            }
        }
    }

    @Sendable func recordStep(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let body = try await JSON.decode(StepBody.self, from: request, context: context)
        let step = HandOver(from: try body.from.party(field: "from"), to: try body.to.party(field: "to"), dueAt: body.dueAt,
                            note: body.note.flatMap { $0.isEmpty ? nil : $0 })
        let (event, found) = try await record(.handOver(step), at: body.at, dueAt: body.dueAt, context)
        let timeline = CaseTimeline(case: found, events: try await catalog.events(of: found.id), calendar: settings.calendar, now: Date())
        guard let row = timeline.rows.last(where: { $0.time == event.time && $0.actor == event.actor }) else {
            throw Problem(.internalServerError, "step_lost", "the step was recorded as event \(event.id ?? 0) but does not read back")
        }
        return try JSON.response(StepView(row, calendar: settings.calendar), status: .created)
    }

    @Sendable func recordChange(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let body = try await JSON.decode(ChangeBody.self, from: request, context: context)
        let (event, found) = try await record(try body.entry(), at: body.at, dueAt: body.newDueAt, context)
        struct Answer: Encodable {
            let event: EventView
            let `case`: CaseView
        }
        return try JSON.response(Answer(event: EventView(event), case: CaseView(found)), status: .created)
    }

    /// Records an entry for the case the path names, at a time neither implausible nor in the future
    /// beyond the clock skew allowed; the rule's refusals as 422 (order, dates) or 409 (the case's state).
    private func record(_ entry: ProgressEntry, at time: Date, dueAt: Date?, _ context: HoSoRequestContext) async throws -> (Event, Case) {
        let found = try await knownCase(context)
        guard Self.plausible.contains(time), dueAt.map(Self.plausible.contains) != false else {
            throw Problem(.unprocessableContent, "invalid_body", "at, dueAt: times between the years 1900 and 9999")
        }
        let now = Date()
        if time.timeIntervalSince(now) > settings.clockSkewSeconds {
            throw Problem(.unprocessableContent, "in_the_future",
                          "at: \(RFC3339.format(time)) is later than the server's time \(RFC3339.format(now)) by more than \(Int(settings.clockSkewSeconds)) s")
        }
        switch try await catalog.recordProgress(entry, caseID: found.id, actor: context.actor, at: time) {
        case .recorded(let event, let after): return (event, after)
        case .refused(let refusal):
            switch refusal {
            case .beforePrevious, .dueNotLater: throw Problem(.unprocessableContent, refusal.code, refusal.description)
            case .caseClosed, .notPaused, .alreadyPaused: throw Problem(.conflict, refusal.code, refusal.description)
            }
        }
    }

    @Sendable func listSteps(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        let timeline = CaseTimeline(case: found, events: try await catalog.events(of: found.id), calendar: settings.calendar, now: Date())
        struct Answer: Encodable {
            let caseId: String
            let steps: [StepView]
            let pauses: [PauseView]
            let dueAt: Date?, promisedDueAt: Date?, effectiveDueAt: Date?
            let pausedWorkingHours: Double
            let timeliness: TimelinessView?
        }
        return try JSON.response(Answer(
            caseId: found.id.description, steps: timeline.rows.map { StepView($0, calendar: settings.calendar) },
            pauses: timeline.pauses.map(PauseView.init), dueAt: timeline.firstDueAt, promisedDueAt: timeline.promisedDueAt,
            effectiveDueAt: timeline.effectiveDueAt, pausedWorkingHours: TimelinessView.hours(timeline.pausedSeconds),
            timeliness: timeline.timeliness.map { TimelinessView($0, calendar: settings.calendar) }))
    }
}

/// How something ended against its due time: the verdict, the form's words, and by how much working
/// time (hours, and the words "x ngày y giờ z phút" of working time).
struct TimelinessView: Encodable {
    /// `early`, `on_time` or `late`.
    let verdict: String
    /// Trước hạn, Đúng hạn, Quá hạn.
    let words: String
    let workingHours: Double
    /// The working time in Vietnamese, counting a day as the office's hours of one day.
    let workingTime: String
    /// The same in English, for the English slip.
    private let workingTimeInEnglish: String

    private enum CodingKeys: String, CodingKey { case verdict, words, workingHours, workingTime }

    /// The working time in `language`'s words.
    func workingTime(_ language: Language) -> String { language == .vi ? workingTime : workingTimeInEnglish }

    init(_ timeliness: Timeliness, calendar: WorkCalendar) {
        var seconds = 0.0
        switch timeliness {
        case .early(let early): verdict = "early"; seconds = early
        case .onTime: verdict = "on_time"
        case .late(let late): verdict = "late"; seconds = late
        }
        words = timeliness.vietnamese
        workingHours = Self.hours(seconds)
        workingTime = calendar.hours.vietnamese(workingSeconds: seconds)
        workingTimeInEnglish = calendar.hours.english(workingSeconds: seconds)
    }

    /// Seconds as hours, to the hundredth.
    static func hours(_ seconds: Double) -> Double { (seconds / 36).rounded() / 100 }
}

/// A hand-over as the API shows it.
struct StepView: Encodable {
    let number: Int
    let time: Date
    /// As the form prints it: `08 giờ 30 phút, ngày 05 tháng 5 năm 2025`.
    let handOverTime: String
    let from: Party
    let to: Party
    let dueAt: Date?
    /// The due time moved later by the working time the clock stood still inside the step.
    let effectiveDueAt: Date?
    let timeliness: TimelinessView?
    let note: String?
    let recordedBy: String

    init(_ row: CaseTimeline.Row, calendar: WorkCalendar) {
        number = row.number
        time = row.time
        handOverTime = VietnamTime.formWords(row.time)
        from = row.step.from
        to = row.step.to
        dueAt = row.step.dueAt
        effectiveDueAt = row.effectiveDueAt
        timeliness = row.timeliness.map { TimelinessView($0, calendar: calendar) }
        note = row.step.note
        recordedBy = row.actor
    }
}

/// A stretch the clock stood still.
struct PauseView: Encodable {
    let from: Date
    let to: Date?
    let reason: String

    init(_ pause: CaseTimeline.Pause) {
        from = pause.from
        to = pause.to
        reason = pause.reason
    }
}
