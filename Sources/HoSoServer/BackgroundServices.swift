import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import Logging
import Metrics
import ServiceLifecycle

/// Beats the uptime ledger while the server runs, so the gaps between runs are known outages.
public struct HeartbeatService: Service {
    let ledger: any UptimeLedger
    let run: Int64
    let interval: Duration
    let logger: Logger

    public init(ledger: any UptimeLedger, run: Int64, every seconds: Int, logger: Logger) {
        self.ledger = ledger
        self.run = run
        interval = .seconds(seconds)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do { try await ledger.beat(run: run, at: Date()) } catch {
                logger.error("uptime ledger: cannot record a beat: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        try? await ledger.beat(run: run, at: Date())
    }
}

/// Re-reads every stored blob now and then and checks its SHA-256: a file damaged on disk or in a bucket
/// is found by HoSo, not by the citizen who cannot open it.
///
/// The blobs are scrubbed in sixteen shards, by the first hex digit of their SHA-256; the catalog records
/// when each was last finished and by which node, so a shard is due once per interval whichever node
/// does it, a server restarted daily still scrubs (what is due is done at start), and nodes sharing a
/// catalog split the work: each shard is scrubbed under a lock only one node holds.
public struct FixityScrubService: Service {
    let catalog: any WorkflowCatalog
    let blobs: any BlobStore
    let interval: Duration
    let node: String
    let locks: (any NodeLocks)?
    let logger: Logger
    let checked = Counter(label: "hoso_fixity_checked_total")
    let damaged = Counter(label: "hoso_fixity_damaged_total")

    public init(catalog: any WorkflowCatalog, blobs: any BlobStore, every hours: Int, node: String = ProcessInfo.processInfo.hostName,
                locks: (any NodeLocks)? = nil, logger: Logger) {
        self.catalog = catalog
        self.blobs = blobs
        interval = .seconds(hours * 3600)
        self.node = node
        self.locks = locks
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await scrub(onlyDue: true)
            // Wake at least hourly: another node may have stopped before its shards were done.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: min(interval, .seconds(3600))) }
        }
    }

    /// One pass over the shards; with `onlyDue`, only those not finished within the interval. Returns the
    /// digests that failed.
    @discardableResult
    public func scrub(onlyDue: Bool = false) async -> [SHA256Digest] {
        let failures = Failures()
        for shard in BlobReferences.shards {
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            let pass: @Sendable () async throws -> Void = {
                if onlyDue, let last = try await catalog.lastScrub(of: shard),
                   Date().timeIntervalSince(last.at) < Double(interval.components.seconds) { return }
                await failures.add(await scrub(shard: shard))
                try await catalog.recordScrub(of: shard, node: node, at: Date())
            }
            do {
                if let locks { _ = try await locks.ifFree("scrub:\(shard)", every: .seconds(5), pass) } else { try await pass() }
            } catch {
                logger.error("fixity: shard \(shard) not scrubbed: \(error)")
            }
        }
        return await failures.digests
    }

    /// Verifies every blob of one shard; returns those that failed.
    private func scrub(shard: String) async -> [SHA256Digest] {
        var failed: [SHA256Digest] = []
        let digests: [SHA256Digest]
        do { digests = try await catalog.blobDigests(withPrefix: shard) } catch {
            logger.error("fixity: the catalog cannot list shard \(shard): \(error)")
            return []
        }
        for digest in digests {
            guard !Task.isShuttingDownGracefully else { break }
            checked.increment()
            // The store hashes a local blob on a thread of its own, never on the concurrency pool.
            do { try await blobs.verify(digest) } catch {
                damaged.increment()
                failed.append(digest)
                let owner = (try? await catalog.document(containing: digest)).flatMap { $0 }.map { " of case \($0.caseID)" } ?? ""
                logger.error("fixity: \(digest)\(owner): \(error)")
            }
        }
        return failed
    }

    /// The failures of a pass, gathered from the shards' tasks.
    private actor Failures {
        private(set) var digests: [SHA256Digest] = []
        func add(_ more: [SHA256Digest]) { digests += more }
    }
}
