import Foundation
import HoSoCatalog
import HoSoCore
import Metrics

/// HoSo's own numbers on `/metrics`, beside the ingest and HTTP ones: results attached by verdict and
/// returns refused by reason (counted as they happen), and what is sampled at each scrape — the queue
/// waiting and how old its oldest scan is, the free bytes where blobs and work files live, the build.
enum ServerMetrics {
    static func attached(_ verdict: ResultVerdict) {
        Counter(label: "hoso_results_attached_total", dimensions: [("verdict", verdict.rawValue)]).increment()
    }

    static func refused(_ reasons: [ReturnRefusal]) {
        for reason in reasons {
            Counter(label: "hoso_returns_refused_total", dimensions: [("reason", reason.code)]).increment()
        }
    }

    /// Records the gauges read at a scrape.
    static func sample(_ catalog: any ServerCatalog, settings: ServerSettings, now: Date = Date()) async throws {
        let waiting = try await catalog.quarantine(QuarantineQuery())
        Gauge(label: "hoso_quarantine_waiting").record(waiting.count)
        Gauge(label: "hoso_quarantine_oldest_seconds").record(waiting.first.map { max(0, now.timeIntervalSince($0.quarantinedAt)) } ?? 0)
        for (name, folder) in settings.watchedFolders {
            if let free = freeBytes(folder) { Gauge(label: "hoso_free_bytes", dimensions: [("folder", name)]).record(free) }
        }
        Gauge(label: "hoso_build_info", dimensions: [("version", settings.version)]).record(1)
    }

    /// The bytes an unprivileged process may still write on the file system holding `folder`.
    private static func freeBytes(_ folder: URL) -> Int64? {
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
