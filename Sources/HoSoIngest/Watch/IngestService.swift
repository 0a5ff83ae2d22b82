import Foundation
import Glibc
import HoSoCatalog
import Logging
import ServiceLifecycle

/// Runs every station's watcher and the ingest workers together until cancelled or shut down: a
/// swift-service-lifecycle service, which `hoso watch` runs alone and `hoso serve` beside the API.
public final class IngestService: Service, @unchecked Sendable {
    public let stations: [StationConfig]
    private let catalog: any Catalog
    private let intake: DocumentIntake
    private let workerCount: Int
    private let barcodes: BarcodeReader
    private let metrics: IngestMetrics
    private let doorbell = Doorbell()
    /// Running, or paused by a fault until a retry time (for `/readyz`).
    public let health = IngestHealth()
    /// How long ingestion pauses after an I/O fault before it tries again.
    private let retryDelay: Duration
    /// Locks between nodes that share the catalog: each station's inbox is watched by one node at a time.
    /// Nil when this process is the only one (the embedded default).
    private let locks: (any NodeLocks)?
    /// How often a node that does not hold a station tries to take it (and the holder checks it still does).
    private let lockInterval: Duration
    private let logger: Logger
    /// How long an idle worker waits for the doorbell before looking at the queue anyway (jobs whose
    /// lease expired, uploads queued by another process).
    static let idleCheck = Duration.seconds(2)

    public init(
        stations: [StationConfig], catalog: any Catalog, intake: DocumentIntake, barcodes: BarcodeReader,
        metrics: IngestMetrics = IngestMetrics(), workers: Int = 1, retryDelay: Duration = .seconds(30),
        locks: (any NodeLocks)? = nil, lockInterval: Duration = .seconds(5), logger: Logger = Logger(label: "hoso.ingest")
    ) {
        self.stations = stations
        self.retryDelay = retryDelay
        self.locks = locks
        self.lockInterval = lockInterval
        self.logger = logger
        self.barcodes = barcodes
        self.metrics = metrics
        self.catalog = catalog
        self.intake = intake
        workerCount = max(1, workers)
    }

    /// This process's worker names: `host:pid:n`, so a restarted process can tell its dead predecessors.
    static func workerName(_ index: Int) -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(index)"
    }

    /// Gives jobs held by dead processes on this host back to the queue; returns how many.
    public func releaseJobsOfDeadWorkers() async throws -> Int {
        let host = ProcessInfo.processInfo.hostName
        let dead = try await catalog.jobClaimants().filter { claimant in
            let parts = claimant.split(separator: ":")
            guard parts.count == 3, parts[0] == host, let pid = Int32(parts[1]) else { return false }
            return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
        }
        return try await catalog.releaseJobs(claimedBy: dead, at: Date())
    }

    /// Watches and ingests until the task is cancelled or the service group shuts down gracefully
    /// (SIGTERM). A job in hand then is finished if it is past its commit, else left for the next start,
    /// which redoes it without storing anything twice.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.watchAndIngest() }
        } catch is CancellationError {
            // Shut down as asked (SIGTERM): not a failure of the service, so `hoso serve` exits 0.
        }
    }

    private func watchAndIngest() async throws {
        _ = try await releaseJobsOfDeadWorkers()
        let doorbell = doorbell
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [catalog, metrics] in
                // The queue as `hoso status` shows it, for the metrics endpoint, every few seconds.
                while !Task.isCancelled {
                    // A catalog that does not answer now keeps the last figures (readiness says why).
                    if let activity = try? await catalog.stationActivity() { metrics.publish(activity) }
                    try await Task.sleep(for: .seconds(5))
                }
            }
            if let wakeUps = catalog as? any JobWakeUps {
                group.addTask { [logger] in
                    // Jobs other nodes queue wake this node's workers at once; the idle check stays as the net.
                    while !Task.isCancelled {
                        do { try await wakeUps.listenForJobs { doorbell.ring() } } catch is CancellationError { return } catch {
                            logger.debug("not hearing of queued jobs, listening again shortly: \(error)")
                        }
                        try await Task.sleep(for: Self.idleCheck)
                    }
                }
            }
            for station in stations {
                let watcher = StationWatcher(station: station, catalog: catalog, onQueued: { doorbell.ring() }, onFault: { [self] reason in
                    pause(station: station.id, reason: "the catalog cannot queue a file: \(reason)")
                })
                if let locks {
                    group.addTask { [lockInterval] in try await locks.holding("station:\(station.id)", every: lockInterval) { try await watcher.run() } }
                } else {
                    group.addTask { try await watcher.run() }
                }
            }
            for index in 0..<workerCount {
                let worker = IngestWorker(name: Self.workerName(index), catalog: catalog, intake: intake, stations: stations, barcodes: barcodes,
                                          metrics: metrics, logger: logger)
                group.addTask { [self] in
                    // Drain the queue, then wait for the doorbell or the idle check, whichever is first. A
                    // fault that is not a file's (a full disk, a catalog that cannot write) pauses this
                    // worker until the retry time; the files wait in their inboxes.
                    while !Task.isCancelled {
                        let fault: (station: String, reason: String)?
                        do {
                            let outcomes = try await worker.drain()
                            if case .deferred(let station, let reason)? = outcomes.last {
                                fault = (station, reason)
                            } else {
                                fault = nil
                                if health.pause != nil {
                                    health.resume()
                                    logger.notice("ingest resumed")
                                }
                            }
                        } catch is CancellationError {
                            return
                        } catch {
                            fault = ("", "the catalog: \(error)")
                        }
                        if let fault {
                            pause(station: fault.station, reason: fault.reason)
                            try await Task.sleep(for: retryDelay)
                            // A job this worker had in hand when the catalog failed goes back to the queue
                            // now, not when its lease runs out (a minute): it is redone, nothing stored twice.
                            _ = try? await catalog.releaseJobs(claimedBy: [worker.name], at: Date())
                            continue
                        }
                        await doorbell.wait(upTo: Self.idleCheck)
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Records a fault that is not a file's, for `/readyz` and the log.
    private func pause(station: String, reason: String) {
        health.pause(station: station, reason: reason, retryAt: Date().addingTimeInterval(Double(retryDelay.components.seconds)))
        logger.error("ingest paused, retrying in \(retryDelay.components.seconds) s", metadata: [
            "station": .string(station), "reason": .string(reason),
        ])
    }

    /// Takes what is in the inboxes now, waits out the stability windows, ingests it all, and returns:
    /// `hoso watch --once`, for scripts and tests.
    public func runOnce() async throws -> [IngestWorker.Outcome] {
        _ = try await releaseJobsOfDeadWorkers()
        let watchers = stations.map { StationWatcher(station: $0, catalog: catalog) {} }
        let longest = stations.map(\.stabilityWindow).max() ?? 0
        for watcher in watchers { _ = try await watcher.scanOnce() }
        try await Task.sleep(for: .milliseconds(Int(longest * 1000) + 50))
        for watcher in watchers { _ = try await watcher.scanOnce() }
        let worker = IngestWorker(name: Self.workerName(0), catalog: catalog, intake: intake, stations: stations, barcodes: barcodes,
                                  metrics: metrics, logger: logger)
        let outcomes = try await worker.drain()
        metrics.publish(try await catalog.stationActivity())
        return outcomes
    }
}
