import Foundation

/// A case's way through the offices as the law counts it, from its trail and a working-time calendar:
/// each hand-over judged against its due time, the clock stopped while more documents were awaited, and
/// the case as a whole judged against its first due date (an extension excuses nothing: it is the date
/// promised in the apology letter).
public struct CaseTimeline: Sendable {
    /// A hand-over with how the giving unit did.
    public struct Row: Sendable {
        public let number: Int
        public let time: Date
        public let actor: String
        public let step: HandOver
        /// The step's due time moved later by the working time the clock stood still inside the step.
        public let effectiveDueAt: Date?
        public let timeliness: Timeliness?
    }

    /// A stretch the clock stood still: from a request for more documents to their arrival (nil: still
    /// awaited at `now`).
    public struct Pause: Sendable {
        public let from: Date
        public let to: Date?
        public let reason: String
    }

    /// How the case ended, if it did.
    public enum Ending: Sendable {
        case returned(Date)
        case refused(Date, reason: String)
        case withdrawn(Date, reason: String)

        public var time: Date {
            switch self {
            case .returned(let time), .refused(let time, _), .withdrawn(let time, _): time
            }
        }
    }

    public let rows: [Row]
    public let pauses: [Pause]
    /// The due date the case was registered with (before any extension).
    public let firstDueAt: Date?
    /// The due date after the extensions, as promised to the applicant.
    public let promisedDueAt: Date?
    /// The first due date moved later by the working time the clock stood still.
    public let effectiveDueAt: Date?
    /// Working seconds the clock stood still (up to `now` for a pause still open).
    public let pausedSeconds: Double
    public let ending: Ending?
    /// The case as a whole: judged at its return or refusal; while open, late once past its due time
    /// (by how much at `now`); nil while on time, and for a withdrawn case.
    public let timeliness: Timeliness?

    public init(case item: Case, events: [Event], calendar: WorkCalendar, now: Date) {
        var rows: [Row] = []
        var pauses: [Pause] = []
        var firstDue = item.dueAt
        var ending: Ending?
        var extended = false
        var openPause: (from: Date, reason: String)?
        var stepStart = item.receivedAt ?? item.createdAt
        /// Working seconds the clock stood still inside `window`, a pause still open lasting to its end.
        func paused(within window: TimeSpan) -> Double {
            let spans = pauses.map { TimeSpan(from: $0.from, to: $0.to ?? window.to) }
                + (openPause.map { [TimeSpan(from: $0.from, to: window.to)] } ?? [])
            return calendar.workingSeconds(of: spans.compactMap { $0.clipped(to: window) })
        }
        for event in events {
            switch (event.kind, ProgressEntry(event)) {
            case (_, .handOver(let step)?):
                let due = step.dueAt.map { calendar.moving($0, by: paused(within: TimeSpan(from: stepStart, to: event.time))) }
                rows.append(Row(number: rows.count + 1, time: event.time, actor: event.actor, step: step, effectiveDueAt: due,
                                timeliness: due.map { Timeliness(done: event.time, due: $0, calendar: calendar) }))
                stepStart = event.time
            case (_, .extended?):
                // The first extension names the date the case was registered with.
                if !extended, let previous = event.details["previousDueAt"].flatMap(RFC3339.parse) { firstDue = previous }
                extended = true
            case (_, .supplementRequested(let reason)?):
                if openPause == nil { openPause = (event.time, reason) }
            case (_, .supplementReceived?):
                if let open = openPause {
                    pauses.append(Pause(from: open.from, to: event.time, reason: open.reason))
                    openPause = nil
                }
            case (_, .withdrawn(let reason)?): if ending == nil { ending = .withdrawn(event.time, reason: reason) }
            case (_, .refused(let reason)?): if ending == nil { ending = .refused(event.time, reason: reason) }
            case (.returned, _): if ending == nil { ending = .returned(event.time) }
            default: break
            }
        }
        if let open = openPause {
            pauses.append(Pause(from: open.from, to: nil, reason: open.reason))
            openPause = nil
        }
        let pausedSeconds = paused(within: TimeSpan(from: .distantPast, to: ending?.time ?? now))
        let effectiveDue = firstDue.map { calendar.moving($0, by: pausedSeconds) }
        self.rows = rows
        self.pauses = pauses
        self.firstDueAt = firstDue
        self.promisedDueAt = item.dueAt
        self.effectiveDueAt = effectiveDue
        self.pausedSeconds = pausedSeconds
        self.ending = ending
        switch (ending, effectiveDue) {
        case (.withdrawn?, _), (_, nil): timeliness = nil
        case (let ending?, let due?): timeliness = Timeliness(done: ending.time, due: due, calendar: calendar)
        case (nil, let due?): timeliness = now > due ? Timeliness(done: now, due: due, calendar: calendar) : nil
        }
    }
}

extension WorkCalendar {
    /// `due` moved later by `seconds` of working time (the clock stood still that long); unchanged for none.
    public func moving(_ due: Date, by seconds: Double) -> Date {
        seconds > 0 ? adding(workingSeconds: seconds, to: due) : due
    }
}
