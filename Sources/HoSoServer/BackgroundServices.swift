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

/// Re-reads every stored blob of every case now and then and checks its SHA-256: a file damaged on
/// disk is found by HoSo, not by the citizen who cannot open it.
public struct FixityScrubService: Service {
    let catalog: any WorkflowCatalog
    let blobs: any BlobStore
    let interval: Duration
    let logger: Logger
    let checked = Counter(label: "hoso_fixity_checked_total")
    let damaged = Counter(label: "hoso_fixity_damaged_total")

    public init(catalog: any WorkflowCatalog, blobs: any BlobStore, every hours: Int, logger: Logger) {
        self.catalog = catalog
        self.blobs = blobs
        interval = .seconds(hours * 3600)
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { return }
            await scrub()
        }
    }

    /// One pass; returns the digests that failed.
    @discardableResult
    public func scrub() async -> [SHA256Digest] {
        var failed: [SHA256Digest] = []
        guard let cases = try? await catalog.listCases(CaseQuery(limit: Int.max)) else { return [] }
        for summary in cases {
            guard !Task.isShuttingDownGracefully else { break }
            var digests: [SHA256Digest] = []
            for document in (try? await catalog.documents(of: summary.case.id)) ?? [] {
                digests += [document.sha256] + [document.normalized?.pdf, document.normalized?.thumbnail].compactMap { $0 }
            }
            digests += ((try? await catalog.results(of: summary.case.id)) ?? []).map(\.sha256)
            for digest in digests {
                checked.increment()
                // The store hashes a local blob on a thread of its own, never on the concurrency pool.
                do { try await blobs.verify(digest) } catch {
                    damaged.increment()
                    failed.append(digest)
                    logger.error("fixity: \(digest) of case \(summary.case.id): \(error)")
                }
            }
        }
        return failed
    }
}
