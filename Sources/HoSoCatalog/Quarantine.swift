import Foundation
import HoSoCore

/// What committing an ingest job stores.
public enum IngestCommit: Hashable, Sendable {
    /// A document of a case. `received` and `normalized` are when those steps happened, for the trail.
    case document(Document, received: Date, normalized: Date)
    /// A scan no case could be found for.
    case quarantine(QuarantineEntry)
}

/// What committing an ingest job did.
public enum IngestCommitOutcome: Hashable, Sendable {
    case stored(Document)
    case duplicate(of: Document)
    case quarantined(QuarantineEntry)
    /// The job had been committed before (a restart after a crash): nothing was written again.
    case alreadyCommitted
}

/// Counts of one station's ingest jobs, for `hoso status`.
public struct StationActivity: Hashable, Sendable, Codable {
    public let station: String
    public var queued: Int
    public var running: Int
    public var done: Int
    public var failed: Int
    public var quarantined: Int
    public var lastActivity: Date?
}
