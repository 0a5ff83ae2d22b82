import Foundation
import HoSoCatalog
import HoSoCore

/// Watches one station's inbox and puts every file that has stopped changing on the ingest queue.
///
/// inotify (or, in poll mode, a timer) only says when to look; every look is a full scan of the inbox,
/// so an event that was missed, a file renamed in, or a folder made after start-up are all found by the
/// next scan. A file becomes a job row before any work is done on it.
public final class StationWatcher: @unchecked Sendable {
    public let station: StationConfig
    private let catalog: any Catalog
    /// Called after new jobs were queued, to wake the workers.
    private let onQueued: @Sendable () -> Void
    /// Called when the catalog cannot take a job (a full disk): the file is queued at a later scan.
    private let onFault: @Sendable (String) -> Void
    private var tracker: StabilityTracker

    public init(station: StationConfig, catalog: any Catalog, onQueued: @escaping @Sendable () -> Void,
                onFault: @escaping @Sendable (String) -> Void = { _ in }) {
        self.station = station
        self.catalog = catalog
        self.onQueued = onQueued
        self.onFault = onFault
        tracker = StabilityTracker(window: station.stabilityWindow)
    }

    /// Scans and queues until the task is cancelled.
    public func run() async throws {
        try FileManager.default.createDirectory(at: station.inbox, withIntermediateDirectories: true)
        let waker = station.mode == .inotify ? InotifyWaker() : nil
        while !Task.isCancelled {
            let (files, folders) = InboxScanner(station: station).scan()
            if let waker {
                waker.watch(folders.map(\.path))
                waker.keepOnly(Set(folders.map(\.path)))
            }
            do {
                try await queueStable(files)
            } catch is CancellationError {
                return
            } catch {
                // The files stay stable and unqueued: the next scan hands them over again.
                onFault("\(error)")
            }
            let now = Date()
            // Look again when a waiting file's window ends, or at the rescan interval at the latest.
            let timeout = min(tracker.nextDeadline(now: now).map { $0 + 0.02 } ?? station.pollInterval, station.pollInterval)
            if let waker {
                let woken = await offThread { waker.wait(seconds: timeout) }
                // Let a burst of events settle into one scan.
                if woken { try await Task.sleep(for: .milliseconds(20)) }
            } else {
                try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            }
        }
    }

    /// One scan, for tests and for `hoso watch --once`.
    public func scanOnce() async throws -> Int {
        let (files, _) = InboxScanner(station: station).scan()
        return try await queueStable(files)
    }

    @discardableResult
    private func queueStable(_ files: [InboxScanner.Seen]) async throws -> Int {
        let stable = tracker.observe(files, station: station.id, now: Date())
        for file in stable {
            _ = try await catalog.enqueueJob(
                NewIngestJob(sourceKey: file.sourceKey(station: station.id), station: station.id, sourcePath: file.url.path), at: Date())
            tracker.handedOver(file, station: station.id)
        }
        if !stable.isEmpty { onQueued() }
        return stable.count
    }
}
