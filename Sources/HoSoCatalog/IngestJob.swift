import Foundation

/// A file on the ingest queue. It becomes a row before any work is done on it, so a crash loses nothing.
public struct IngestJob: Hashable, Sendable, Codable {
    public let id: Int64
    /// What makes the file this file: station, path, size and modification time.
    public let sourceKey: String
    public let station: String
    public let sourcePath: String
    public var step: IngestStep
    public var state: IngestJobState
    /// What earlier steps found (the blob's digest, the case ID, ...), for the steps after them.
    public var progress: [String: String]
    public var attempts: Int
    public var claimedBy: String?
    public var leaseExpiry: Date?
    public var failure: String?
    public let createdAt: Date
    public var updatedAt: Date
}

/// A file to put on the ingest queue.
public struct NewIngestJob: Hashable, Sendable {
    public var sourceKey: String
    public var station: String
    public var sourcePath: String

    public init(sourceKey: String, station: String, sourcePath: String) {
        self.sourceKey = sourceKey
        self.station = station
        self.sourcePath = sourcePath
    }
}

/// The last step a job finished. Steps run in this order and each is idempotent.
///
/// The station worker records `committed` (in the commit's own transaction) and `disposed` (when the job
/// ends): the steps before the commit repeat safely after a crash, so recording each of them would cost
/// a transaction per step and save nothing. `advanceJob` remains for callers whose steps are expensive to
/// repeat.
public enum IngestStep: String, Sendable, Codable, CaseIterable, Comparable {
    case queued
    /// SHA-256 computed and the original copied into the blob store.
    case fixity
    /// The archival PDF made and stored.
    case normalized
    /// The case ID found (or the quarantine reason).
    case indexed
    /// Document and events committed to the catalog.
    case committed
    /// The original removed or moved out of the inbox.
    case disposed

    public static func < (lhs: IngestStep, rhs: IngestStep) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whether a job waits, runs or has ended.
public enum IngestJobState: String, Sendable, Codable, CaseIterable {
    case pending
    case running
    case done
    case failed
}

/// How a job ended.
public enum IngestJobOutcome: Hashable, Sendable {
    case done
    case failed(reason: String)
}
