import AsyncHTTPClient
import Foundation
import HoSoCatalog
import Logging
import ServiceLifecycle

/// Probes each monitored system every interval and keeps its outages in the catalog: a probe that gets no
/// answer, or a 5xx, opens an outage (once); the next answer closes it. An unreachable target is that
/// target's outage, never HoSo's error. With nodes sharing a catalog, one node probes (a lock).
public struct MonitorService: Service {
    let targets: [MonitorTarget]
    let ledger: any MonitorLedger
    let locks: (any NodeLocks)?
    let logger: Logger

    public init(targets: [MonitorTarget], ledger: any MonitorLedger, locks: (any NodeLocks)?, logger: Logger) {
        self.targets = targets
        self.ledger = ledger
        self.locks = locks
        self.logger = logger
    }

    public func run() async throws {
        // A service that returns stops the server: with nothing to probe, it waits for the shutdown.
        guard !targets.isEmpty else { return try await gracefulShutdown() }
        let probing: @Sendable () async throws -> Void = { [targets, ledger, logger] in
            await withDiscardingTaskGroup { group in
                for target in targets {
                    group.addTask { await Self.watch(target, ledger: ledger, logger: logger) }
                }
            }
        }
        try? await cancelWhenGracefulShutdown {
            if let locks { try await locks.holding("monitor", every: .seconds(30), probing) } else { try await probing() }
        }
    }

    static func watch(_ target: MonitorTarget, ledger: any MonitorLedger, logger: Logger) async {
        while !Task.isCancelled {
            let failure = await probe(target)
            do {
                switch try await ledger.recordProbe(target: target.name, up: failure == nil, reason: failure ?? "", at: Date()) {
                case .opened: logger.warning("monitor: \(target.name) is down: \(failure ?? "")", metadata: ["target": "\(target.name)"])
                case .closed: logger.notice("monitor: \(target.name) answers again", metadata: ["target": "\(target.name)"])
                case .none: break
                }
            } catch {
                logger.error("monitor: cannot record the probe of \(target.name): \(error)")
            }
            try? await Task.sleep(for: target.interval)
        }
    }

    /// Nil when the target answered below 500 within its timeout; else what went wrong, in words.
    static func probe(_ target: MonitorTarget) async -> String? {
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .GET
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(target.timeout.components.seconds))
            for try await _ in response.body {}
            return response.status.code < 500 ? nil : "HTTP \(response.status.code)"
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "no answer within \(target.timeout.components.seconds) s"
        } catch {
            return "no answer: \(error)"
        }
    }
}
