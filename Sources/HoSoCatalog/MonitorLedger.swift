import Foundation
import HoSoCore

/// The outages of the systems the officers depend on besides HoSo (the workflow server, the portal), as
/// HoSo's probes of them saw them (`monitor.targets`).
public protocol MonitorLedger: Sendable {
    /// Records one probe of `target`, in one transaction: down opens an outage with the reason unless one
    /// is open; up closes the open one. Returns what changed.
    @discardableResult
    func recordProbe(target: String, up: Bool, reason: String, at time: Date) async throws -> ProbeChange

    /// The targets' outages that overlap `from..<to` (one still open has no end), oldest first.
    func targetOutages(from: Date, to: Date) async throws -> [TargetOutage]
}

/// What a probe changed in the ledger.
public enum ProbeChange: Hashable, Sendable {
    case none
    case opened
    case closed
}

/// A time one monitored system did not answer.
public struct TargetOutage: Hashable, Sendable, Codable {
    public let id: Int64
    public let target: String
    public let startedAt: Date
    /// Nil while it lasts.
    public let endedAt: Date?
    /// What the first failed probe found.
    public let reason: String

    public init(id: Int64, target: String, startedAt: Date, endedAt: Date?, reason: String) {
        self.id = id
        self.target = target
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.reason = reason
    }
}
