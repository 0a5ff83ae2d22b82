import Foundation
import HoSoCore

/// Everything a catalog is: what the server, and every command, works with. Both catalogs are one.
public typealias ServerCatalog = WorkflowCatalog & CaseTrailCatalog & TokenCatalog & UserCatalog & UptimeLedger & SignerRegistry
    & MonitorLedger & ChainStampLedger

/// Results, the return gate and lookups: what the workflow API needs beyond cases and documents.
public protocol WorkflowCatalog: Catalog {
    /// Attaches a verified result as the case's next `<case ID>-KQ<n>`, with a `result_attached` event,
    /// in one transaction; the same bytes attached again return the earlier result unchanged.
    func attachResult(caseID: CaseID, sha256: SHA256Digest, byteCount: Int64, verdict: ResultVerdict, report: String,
                      actor: String, at time: Date) async throws -> ResultOutcome

    /// A case's results, oldest first.
    func results(of id: CaseID) async throws -> [CaseResult]

    /// The return gate, in one transaction: returns the case (a `returned` event) only if a passed result
    /// is attached and every required component has a stored document; otherwise records a
    /// `return_refused` event with every reason. A returned case stays returned (idempotent).
    func returnCase(_ id: CaseID, actor: String, at time: Date) async throws -> ReturnOutcome

    /// The forgotten returns: each case not returned whose first passed result was attached at or before
    /// `query.attachedBefore`, of the cases `query.scope` may see (nil: all), oldest attachment first, then
    /// by result code, after `query.after`, at most `query.limit`. Only what the report shows is read (not
    /// the result's report); the scope and the page are in the query.
    func signedNotReturned(_ query: WaitingReturnQuery) async throws -> [WaitingReturn]

    /// How many forgotten returns `query` selects (its page ignored), counted in the database.
    func signedNotReturnedCount(_ query: WaitingReturnQuery) async throws -> Int

    /// The digitization report's counts per receiving agency (the agency in the case ID) and procedure,
    /// for the cases `query` selects (its paging ignored) and, when given, received by `agency`: counted in
    /// the database, one pass over the cases, not a query per case.
    func digitization(_ query: CaseQuery, agency: String?) async throws -> [DigitizationCount]

    /// How many of the cases `scope` may see (nil: all) are past their due time at `now` and not returned.
    func lateCaseCount(at now: Date, scope: AgencyCode?) async throws -> Int

    /// The document whose original, archival PDF or thumbnail has this SHA-256, if any.
    func document(containing digest: SHA256Digest) async throws -> Document?

    /// Every blob the catalog names (originals, archival PDFs, thumbnails, results, quarantined scans and
    /// their copies) whose SHA-256 in hex starts with `prefix`, each once, in order.
    func blobDigests(withPrefix prefix: String) async throws -> [SHA256Digest]

    /// When the fixity scrub last finished the blobs whose hex starts with `shard`, and on which node.
    func lastScrub(of shard: String) async throws -> (at: Date, node: String)?

    /// Records that `node` finished scrubbing `shard`.
    func recordScrub(of shard: String, node: String, at time: Date) async throws
}

/// The one query both catalogs run for ``WorkflowCatalog/blobDigests(withPrefix:)``: every column that
/// names a blob, matched on a prefix (`?`, a LIKE pattern), united (so each digest comes once) and sorted.
/// Quarantined scans' normalized copies are kept as JSON; their digests are read from it by the caller.
public enum BlobReferences {
    /// The sixteen prefixes every referenced blob falls under (the first hex digit of its SHA-256): how
    /// the fixity scrub and `hoso migrate` walk them a part at a time.
    public static let shards = "0123456789abcdef".map(String.init)

    static let columns = [
        ("documents", "sha256"), ("documents", "normalized_sha256"), ("documents", "thumbnail_sha256"),
        ("results", "sha256"), ("quarantine", "sha256"),
    ]

    /// Digests of quarantined scans' normalized copies, from their JSON.
    static func quarantineCopies(_ json: [String]) throws -> [String] {
        try json.flatMap { text -> [String] in
            let copy: NormalizedCopy = try RowDecoding.json(text, column: "normalized", table: "quarantine")
            return [copy.pdf.hex, copy.thumbnail.hex]
        }
    }

    /// The digests, checked and sorted, each once.
    static func digests(_ texts: [String], prefix: String) throws -> [SHA256Digest] {
        try Set(texts.filter { $0.hasPrefix(prefix) }).sorted().map { text in
            do { return try SHA256Digest(hex: text) } catch {
                throw CatalogError.corruptRow(table: "documents", reason: "a blob reference '\(text)' is not a SHA-256")
            }
        }
    }
}

/// The API's bearer tokens, stored hashed.
public protocol TokenCatalog: Sendable {
    /// Stores a new token; a name already in use (revoked or not) is refused.
    func createToken(_ token: APIToken) async throws -> APIToken
    /// The live (not revoked) token with this hash.
    func liveToken(hash: String) async throws -> APIToken?
    func tokens() async throws -> [APIToken]
    /// Revokes the token with this name; false when there is none live.
    func revokeToken(name: String, at time: Date) async throws -> Bool
}

/// HoSo's own availability: each server run of each node records when it started and beats while it runs,
/// so the times no node was running are the outages (the ≥ 1/4 rule for late cases).
public protocol UptimeLedger: Sendable {
    /// Starts a run of `node`; returns its row number.
    func startRun(node: String, at time: Date) async throws -> Int64
    func beat(run: Int64, at time: Date) async throws
    /// Runs that overlap `from..<to`, oldest first.
    func runs(from: Date, to: Date) async throws -> [UptimeRun]
}

/// One stretch of time one node's server was up.
public struct UptimeRun: Hashable, Sendable, Codable {
    public let id: Int64
    /// The node (`node.id`) that ran; empty for runs recorded before nodes were.
    public let node: String
    public let startedAt: Date
    public let lastBeatAt: Date

    public init(id: Int64, node: String, startedAt: Date, lastBeatAt: Date) {
        self.id = id
        self.node = node
        self.startedAt = startedAt
        self.lastBeatAt = lastBeatAt
    }

    /// A time no node was up.
    public struct Outage: Hashable, Sendable, Codable {
        public let from: Date
        public let to: Date
        public var seconds: Double { to.timeIntervalSince(from) }

        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }
    }

    /// The outages among `runs` (any nodes', in any order): the gaps longer than `tolerance` seconds
    /// between the end of everything up to a point (the latest last beat so far) and the next start. A
    /// node that stopped while another ran is no outage.
    public static func outages(in runs: [UptimeRun], tolerance: TimeInterval) -> [Outage] {
        var outages: [Outage] = []
        var coveredUntil: Date?
        for run in runs.sorted(by: { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }) {
            if let covered = coveredUntil, run.startedAt.timeIntervalSince(covered) > tolerance {
                outages.append(Outage(from: covered, to: run.startedAt))
            }
            coveredUntil = max(coveredUntil ?? run.lastBeatAt, run.lastBeatAt)
        }
        return outages
    }
}
