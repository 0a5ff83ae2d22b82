import Foundation
import HoSoCatalog
import HoSoCore
import Synchronization

/// The overview's totals, kept for `lifetime` per kind of viewer (role and agency scope): they sum over
/// every case, and a page many people keep open must not recount 100,000 cases on every view. The page
/// says how old its numbers may be; the reports page and its downloads always count afresh.
final class OverviewCache: Sendable {
    let lifetime: TimeInterval
    private let entries = Mutex<[String: (totals: OverviewTotals, until: Date)]>([:])

    init(lifetime: TimeInterval = 30) {
        self.lifetime = lifetime
    }

    func totals(for key: String, now: Date = Date(), compute: () async throws -> OverviewTotals) async rethrows -> OverviewTotals {
        if let kept = entries.withLock({ $0[key] }), kept.until > now { return kept.totals }
        let fresh = try await compute()
        entries.withLock { $0[key] = (fresh, now.addingTimeInterval(lifetime)) }
        return fresh
    }
}

/// What the overview counts for one kind of viewer; nil where the viewer's role may not see it.
struct OverviewTotals: Sendable {
    var quarantineWaiting: Int?
    var signedNotReturned: Int?
    var late: Int?
    /// The last week's outages, newest first.
    var outages: [UptimeRun.Outage]?
    /// The digitization charts per agency and per procedure, SVGs drawn by the server.
    var chart: String?
    var procedureChart: String?
    let countedAt: Date

    /// The template's values.
    var values: [String: Any] {
        var values: [String: Any] = ["countedAt": VietnamTime.short(countedAt)]
        values["quarantineWaiting"] = quarantineWaiting
        values["signedNotReturned"] = signedNotReturned
        values["late"] = late
        values["chart"] = chart
        values["procedureChart"] = procedureChart
        if let outages {
            values["outages"] = outages.count
            values["hasOutages"] = !outages.isEmpty
            values["outageList"] = outages.prefix(5).map {
                ["from": VietnamTime.short($0.from), "to": VietnamTime.short($0.to), "minutes": Int(($0.seconds / 60).rounded(.up))]
            }
        }
        return values
    }
}
