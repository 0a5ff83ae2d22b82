import CoreMetrics
import Foundation
import HoSoCatalog

/// The station pipeline's numbers, through swift-metrics: files by station and outcome, the queue as
/// `hoso status` shows it, and how long a file waited from landing in the inbox to being indexed.
///
/// The factory is given, not global, so a server can export to its Prometheus registry and a test can
/// read its own.
public struct IngestMetrics: Sendable {
    /// Counter: files that ended, by `station` and `outcome` (stored, duplicate, split, quarantined, failed, superseded).
    public static let filesLabel = "hoso_ingest_files_total"
    /// Timer: landing in the inbox (the file's ctime: its last write or its rename in) → committed, by `station`.
    public static let latencyLabel = "hoso_ingest_latency_seconds"
    /// Gauge: jobs by `station` and `state` (queued, running, done, failed, quarantined), read from the catalog.
    public static let jobsLabel = "hoso_ingest_jobs"
    /// Latency buckets that fit a stability window of about a second and a busy queue.
    public static let latencyBuckets: [Duration] = [0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300].map { .milliseconds(Int($0 * 1000)) }

    private let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Counts one file's end, and its latency when it was indexed (stored, split, duplicate or quarantined).
    func record(_ outcome: IngestWorker.Outcome, station: String, landedAt: Date?, at time: Date) {
        Counter(label: Self.filesLabel, dimensions: [("station", station), ("outcome", outcome.name)], factory: factory).increment()
        guard outcome.wasIndexed, let landedAt else { return }
        let nanoseconds = max(0, time.timeIntervalSince(landedAt)) * 1e9
        Timer(label: Self.latencyLabel, dimensions: [("station", station)], factory: factory)
            .recordNanoseconds(Int64(nanoseconds.rounded()))
    }

    /// Publishes the catalog's job counts, the numbers `hoso status` prints.
    func publish(_ activity: [StationActivity]) {
        for station in activity {
            let states = [("queued", station.queued), ("running", station.running), ("done", station.done),
                          ("failed", station.failed), ("quarantined", station.quarantined)]
            for (state, count) in states {
                Gauge(label: Self.jobsLabel, dimensions: [("station", station.station), ("state", state)], factory: factory)
                    .record(count)
            }
        }
    }
}

extension IngestWorker.Outcome {
    /// The `outcome` label, and the word `hoso watch --once` counts by.
    public var name: String {
        switch self {
        case .stored: "stored"
        case .duplicate: "duplicate"
        case .split: "split"
        case .quarantined: "quarantined"
        case .failed: "failed"
        case .superseded: "superseded"
        case .deferred: "deferred"
        }
    }

    public static let names = ["stored", "duplicate", "split", "quarantined", "failed", "superseded", "deferred"]

    /// Whether the file reached a case or the quarantine.
    var wasIndexed: Bool {
        switch self {
        case .stored, .duplicate, .split, .quarantined: true
        case .failed, .superseded, .deferred: false
        }
    }
}
