import Foundation
import HoSoCore
import HoSoDigest

/// The chains' heads as an RFC 3161 timestamp server saw them: now and then the heads that moved since
/// the last stamp are listed, their digest stamped, and the stamp kept with the list, so rows removed or
/// rewritten at the end of a chain after the stamp are found too.
public protocol ChainStampLedger: Sendable {
    /// The head (latest event) of each case with an event after row `after` (nil: every case), by case.
    func chainHeads(after: Int64?) async throws -> [ChainHead]

    /// Stores a stamp and the heads it covers.
    func recordStamp(_ stamp: ChainStamp) async throws

    /// The latest stamp, if any.
    func latestStamp() async throws -> ChainStamp?

    /// Every stamp, oldest first, without its heads.
    func stamps() async throws -> [ChainStamp]

    /// The heads one stamp covers, by case.
    func stampHeads(of stampID: Int64) async throws -> [ChainHead]

    /// The latest stamped head of each case (of one case, when given): the chain must still reach it.
    func latestStampedHeads(of caseID: CaseID?) async throws -> [ChainHead]
}

/// The latest event of a case's chain.
public struct ChainHead: Hashable, Sendable, Codable {
    public let caseID: String
    public let eventID: Int64
    public let hash: String

    public init(caseID: String, eventID: Int64, hash: String) {
        self.caseID = caseID
        self.eventID = eventID
        self.hash = hash
    }
}

/// A timestamp over a list of heads.
public struct ChainStamp: Hashable, Sendable {
    public var id: Int64?
    public let stampedAt: Date
    public let tsaURL: String
    /// The highest event row the heads were read through: the next stamp lists the cases with later rows.
    public let throughEventID: Int64
    /// SHA-256 (hex) of the heads' list (``ChainStamp/digest(of:)``): what the timestamp token imprints.
    public let digest: String
    /// The timestamp token (DER), base64.
    public let token: String
    /// The heads covered (empty when read without them).
    public let heads: [ChainHead]

    public init(id: Int64? = nil, stampedAt: Date, tsaURL: String, throughEventID: Int64, digest: String, token: String, heads: [ChainHead]) {
        self.id = id
        self.stampedAt = stampedAt
        self.tsaURL = tsaURL
        self.throughEventID = throughEventID
        self.digest = digest
        self.token = token
        self.heads = heads
    }

    /// What a stamp imprints for a list of heads: a line `case event hash` per head, sorted by case.
    public static func text(of heads: [ChainHead]) -> [UInt8] {
        Array(heads.sorted { $0.caseID < $1.caseID }.map { "\($0.caseID) \($0.eventID) \($0.hash)\n" }.joined().utf8)
    }

    /// The SHA-256 of ``text(of:)``.
    public static func digest(of heads: [ChainHead]) -> SHA256Digest { SHA256Hasher.digest(of: text(of: heads)) }
}
