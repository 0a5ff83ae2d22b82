import Foundation
import HoSoCatalog
import HoSoCore

/// The late cases of a period, each with the ≥ 1/4 rule's numbers (`ExcusableDelay`) and the outages —
/// HoSo's own (no node up for longer than `tolerance` seconds) and the monitored systems' — it rests on.
struct LateCaseReport {
    let catalog: any ServerCatalog
    let calendar: WorkCalendar
    let tolerance: Double

    /// One late case in the report, with the ≥ 1/4 rule's numbers and the outages it rests on.
    struct LateCase: Encodable {
        let caseId: String
        let receivedAt: Date
        /// The due date the case was registered with, and as moved by the time the clock stood still.
        let dueAt: Date?
        let effectiveDueAt: Date?
        /// When it was returned, refused or withdrawn; nil while still open.
        let endedAt: Date?
        let lateWorkingHours: Double
        /// The working time the case was given, and the outage time inside it.
        let allowedWorkingHours: Double
        let outageWorkingHours: Double
        /// Outage time over the time given, to the thousandth.
        let outageShare: Double
        /// The outages reach a quarter of the time given.
        let excusable: Bool
        let outages: [Outage]
    }

    /// A time a system was out: HoSo (`hoso`, no node up) or a monitored target.
    struct Outage: Encodable, Hashable {
        let system: String
        let from: Date
        let to: Date
        let reason: String?
    }

    /// The late cases `scope` may see (nil: all) among those HoSo heard of in `from..<to`, and every outage
    /// that touched one.
    func lines(from: Date, to: Date, scope: AgencyCode?, now: Date) async throws -> ([LateCase], [Outage]) {
        var late: [(Case, CaseTimeline)] = []
        var query = CaseQuery(from: from, to: to, scope: scope, limit: 500)
        while true {
            let page = try await catalog.casePage(query)
            for summary in page.cases where summary.case.dueAt != nil {
                let timeline = CaseTimeline(case: summary.case, events: try await catalog.events(of: summary.case.id), calendar: calendar, now: now)
                if case .late? = timeline.timeliness { late.append((summary.case, timeline)) }
            }
            guard let next = page.next else { break }
            query.after = next
        }
        guard let start = late.map({ $0.0.receivedAt ?? $0.0.createdAt }).min(),
              let end = late.compactMap({ $0.1.effectiveDueAt }).max() else { return ([], []) }
        let own = UptimeRun.outages(in: try await catalog.runs(from: start, to: end), tolerance: tolerance)
            .map { Outage(system: "hoso", from: $0.from, to: $0.to, reason: nil) }
        let targets = try await catalog.targetOutages(from: start, to: end).map {
            Outage(system: $0.target, from: $0.startedAt, to: $0.endedAt ?? now, reason: $0.reason)
        }
        let all = own + targets
        let lines = late.map { item, timeline -> LateCase in
            let received = item.receivedAt ?? item.createdAt
            let delay = ExcusableDelay(timeline: timeline, receivedAt: received, outages: all.map { TimeSpan(from: $0.from, to: $0.to) },
                                       calendar: calendar)
            var lateSeconds = 0.0
            if case .late(let seconds)? = timeline.timeliness { lateSeconds = seconds }
            let window = TimeSpan(from: received, to: timeline.effectiveDueAt ?? received)
            return LateCase(caseId: item.id.description, receivedAt: received, dueAt: timeline.firstDueAt, effectiveDueAt: timeline.effectiveDueAt,
                            endedAt: timeline.ending?.time, lateWorkingHours: TimelinessView.hours(lateSeconds),
                            allowedWorkingHours: TimelinessView.hours(delay.allowedSeconds),
                            outageWorkingHours: TimelinessView.hours(delay.outageSeconds), outageShare: (delay.share * 1000).rounded() / 1000,
                            excusable: delay.excusable,
                            outages: all.filter { TimeSpan(from: $0.from, to: $0.to).clipped(to: window) != nil })
        }
        let cited = Set(lines.flatMap(\.outages))
        return (lines, all.filter { cited.contains($0) }.sorted { $0.from < $1.from })
    }
}
