import Foundation

/// The ≥ 1/4 rule for a late case: the systems the officers depend on were out for at least a quarter of
/// the working time the case was given, inside that time. Counted in working hours: from receipt to the
/// first due date moved by the time the clock stood still, the pauses left out, the outages (HoSo's own
/// and the monitored systems', overlaps once) clipped to it.
public struct ExcusableDelay: Sendable {
    /// Working seconds the case was given: receipt to its first due date.
    public let allowedSeconds: Double
    /// Working seconds of outage inside that time, the pauses left out.
    public let outageSeconds: Double
    /// The outages that fell inside that time, as evidence.
    public let outages: [TimeSpan]

    public init(timeline: CaseTimeline, receivedAt: Date, outages: [TimeSpan], calendar: WorkCalendar) {
        let due = timeline.effectiveDueAt ?? receivedAt
        let window = TimeSpan(from: receivedAt, to: max(due, receivedAt))
        let pauses = timeline.pauses.map { TimeSpan(from: $0.from, to: $0.to ?? due) }
        let inside = TimeSpan.merged(outages).compactMap { $0.clipped(to: window) }
        allowedSeconds = max(0, calendar.workingSeconds(from: receivedAt, to: timeline.firstDueAt ?? receivedAt))
        outageSeconds = calendar.workingSeconds(of: inside) - calendar.workingSeconds(of: TimeSpan.intersection(inside, pauses))
        self.outages = inside
    }

    /// The outage time as a share of the time given.
    public var share: Double { allowedSeconds > 0 ? outageSeconds / allowedSeconds : 0 }

    /// Whether the outages reach a quarter of the time given.
    public var excusable: Bool { allowedSeconds > 0 && outageSeconds * 4 >= allowedSeconds }
}
