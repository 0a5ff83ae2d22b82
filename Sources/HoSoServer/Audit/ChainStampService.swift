import Foundation
import HoSoCatalog
import HoSoCore
import HoSoSignature
import Logging
import ServiceLifecycle

/// Now and then (`audit.stamp_interval_minutes`), has an RFC 3161 timestamp server (`audit.tsa_url`)
/// stamp the heads of the case trails that moved since the last stamp, and keeps the stamp with the
/// heads: an event removed or rewritten at the end of a chain after it is found by `hoso audit verify`.
/// One node stamps at a time (a lock).
public struct ChainStampService: Service {
    let tsa: URL
    let ledger: any ChainStampLedger
    let interval: Duration
    let locks: (any NodeLocks)?
    let logger: Logger

    public init(tsa: URL, ledger: any ChainStampLedger, every minutes: Int, locks: (any NodeLocks)?, logger: Logger) {
        self.tsa = tsa
        self.ledger = ledger
        interval = .seconds(minutes * 60)
        self.locks = locks
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let locks {
                    _ = try await locks.ifFree("chain-stamps", every: .seconds(30)) { [self] in _ = try await stamp() }
                } else {
                    _ = try await stamp()
                }
            } catch {
                logger.error("audit: the chain heads were not stamped: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Stamps the heads that moved since the last stamp; the stamp, or nil when none moved.
    public func stamp(at time: Date = Date()) async throws -> ChainStamp? {
        let through = try await ledger.latestStamp()?.throughEventID
        let heads = try await ledger.chainHeads(after: through)
        guard let last = heads.map(\.eventID).max() else { return nil }
        let text = ChainStamp.text(of: heads)
        let url = tsa
        let token = try await offThread(throwing: { try BytesTimestamp.token(over: text, from: url) })
        let stamp = ChainStamp(stampedAt: time, tsaURL: tsa.absoluteString, throughEventID: max(last, through ?? 0),
                               digest: ChainStamp.digest(of: heads).hex, token: Data(token).base64EncodedString(), heads: heads)
        try await ledger.recordStamp(stamp)
        logger.notice("audit: \(heads.count) chain head(s) stamped by \(tsa.absoluteString)")
        return stamp
    }
}
