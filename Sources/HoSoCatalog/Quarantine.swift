import Foundation
import HoSoCore

/// What committing an ingest job stores.
public enum IngestCommit: Hashable, Sendable {
    /// Documents of cases: one for most files, one per case a batch scan's separator sheets named.
    /// `received` and `normalized` are when those steps happened, for the trail.
    case documents([Document], received: Date, normalized: Date)
    /// A scan no case could be found for.
    case quarantine(QuarantineEntry)
}

/// What committing an ingest job did.
public enum IngestCommitOutcome: Hashable, Sendable {
    /// What became of each document, in the commit's order.
    case documents([DocumentOutcome])
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
