import Foundation
import HoSoCore

/// The catalog of cases, their documents, results and events, and the ingest job queue.
///
/// Every method that changes state writes the change and its event in one transaction. Implementations:
/// ``SQLiteCatalog`` (embedded default); a PostgreSQL one is to follow and must pass the same tests.
/// Times are kept to the millisecond.
public protocol Catalog: Sendable {
    /// Makes sure the case exists, creating it with a `case_opened` event if it does not.
    @discardableResult
    func openCase(_ id: CaseID, actor: String, at time: Date) async throws -> Case

    /// Records what the workflow server says about a case; see ``RegistrationOutcome``.
    func registerCase(_ registration: CaseRegistration, actor: String, at time: Date) async throws -> RegistrationOutcome

    /// The case, or nil if HoSo has never heard of it.
    func fetchCase(_ id: CaseID) async throws -> Case?

    /// Cases matching the query, newest first, with their document counts.
    func listCases(_ query: CaseQuery) async throws -> [CaseSummary]

    /// Stores a document row for a blob that is already durable, opening its case if needed.
    ///
    /// The same bytes for the same case are stored once: a second arrival records a `duplicate` event.
    func recordDocument(_ document: Document, actor: String) async throws -> DocumentOutcome

    /// A case's documents in the order they were stored.
    func documents(of id: CaseID) async throws -> [Document]

    /// A case's events in the order they happened (time, then number), after `cursor`, at most `limit` (nil:
    /// all of them).
    func events(of id: CaseID, after cursor: EventCursor?, limit: Int?) async throws -> [Event]

    /// Appends an event to a case's trail.
    @discardableResult
    func appendEvent(_ event: Event) async throws -> Event

    /// Puts a file on the ingest queue, once: a second call for the same source key returns the first job.
    func enqueueJob(_ job: NewIngestJob, at time: Date) async throws -> IngestJob

    /// Takes the oldest job that is waiting, or whose claim expired, for `worker`.
    func claimNextJob(worker: String, at time: Date, leaseExpiry: Date) async throws -> IngestJob?

    /// Extends the lease of a running job `worker` holds; false when the job is no longer its (its lease
    /// expired and another worker, on this node or another, took it over).
    func renewLease(_ id: Int64, worker: String, until leaseExpiry: Date, at time: Date) async throws -> Bool

    /// Records that a job finished `step`, with what later steps need to know.
    func advanceJob(_ id: Int64, to step: IngestStep, progress: [String: String], at time: Date) async throws

    /// Ends a job, recording the last step it finished when given; a failed job keeps its reason.
    func finishJob(_ id: Int64, outcome: IngestJobOutcome, step: IngestStep?, at time: Date) async throws

    /// A job by its row number.
    func fetchJob(_ id: Int64) async throws -> IngestJob?

    /// Stores what an ingest job produced and marks the job committed, in one transaction, so a job
    /// re-run after a crash never stores twice.
    func commitIngestJob(_ id: Int64, _ commit: IngestCommit, actor: String, at time: Date) async throws -> IngestCommitOutcome

    /// Puts running jobs claimed by these workers back to pending (the workers are known to be dead).
    func releaseJobs(claimedBy workers: [String], at time: Date) async throws -> Int

    /// Workers that hold running jobs now.
    func jobClaimants() async throws -> [String]

    /// Quarantined scans, oldest first; resolved ones only when asked (``QuarantineQuery``).
    func quarantine(_ query: QuarantineQuery) async throws -> [QuarantineEntry]

    /// Assigns a quarantined scan to a case: records it as the case's document, in one transaction.
    func assignQuarantined(_ id: Int64, to caseID: CaseID, component: String?, actor: String, at time: Date) async throws -> DocumentOutcome

    /// Rejects a quarantined scan; it stays on record with the reason.
    func rejectQuarantined(_ id: Int64, reason: String, actor: String, at time: Date) async throws

    /// Per-station job counts and last activity, of the jobs created at or after `since` (nil: all).
    func stationActivity(since: Date?) async throws -> [StationActivity]

    /// A station's latest `limit` jobs, the last changed first.
    func recentJobs(of station: String, limit: Int) async throws -> [IngestJob]

    /// Running jobs whose lease had expired at `time`: their worker died or stalled (`hoso fsck`).
    func interruptedJobs(at time: Date) async throws -> [IngestJob]
}

extension Catalog {
    /// Per-station job counts and last activity, of every job.
    public func stationActivity() async throws -> [StationActivity] {
        try await stationActivity(since: nil)
    }

    /// Ends a job without recording a step.
    public func finishJob(_ id: Int64, outcome: IngestJobOutcome, at time: Date) async throws {
        try await finishJob(id, outcome: outcome, step: nil, at: time)
    }
}

/// What the workflow server says about a case when it registers it.
public struct CaseRegistration: Hashable, Sendable, Codable {
    public var id: CaseID
    public var procedureCode: ProcedureCode
    public var applicant: Applicant
    public var receivedAt: Date
    public var dueAt: Date
    public var requiredComponents: [String]
    /// The agency that decides the case, when it is not the receiving agency in the case ID.
    public var resolvingAgency: AgencyCode?

    public init(
        id: CaseID, procedureCode: ProcedureCode, applicant: Applicant, receivedAt: Date, dueAt: Date,
        requiredComponents: [String], resolvingAgency: AgencyCode? = nil
    ) {
        self.id = id
        self.procedureCode = procedureCode
        self.applicant = applicant
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.requiredComponents = requiredComponents
        self.resolvingAgency = resolvingAgency
    }
}

/// What registering a case did.
public enum RegistrationOutcome: Hashable, Sendable {
    /// The case was new, or known only from its documents; it now carries the registration.
    case registered(Case)
    /// The same registration was already recorded; nothing changed.
    case unchanged(Case)
    /// The case is registered with different facts; nothing changed.
    case conflict(existing: Case)
}

/// What recording a document did.
public enum DocumentOutcome: Hashable, Sendable {
    case stored(Document)
    /// These bytes were already stored for this case; this is the earlier document.
    case duplicate(of: Document)

    /// The document on record: the new one, or the earlier one.
    public var document: Document {
        switch self {
        case .stored(let document), .duplicate(let document): document
        }
    }
}

/// Which cases to list.
public struct CaseQuery: Hashable, Sendable {
    public var status: CaseStatus?
    /// Only cases HoSo first heard of at or after this time.
    public var from: Date?
    /// Only cases HoSo first heard of before this time.
    public var to: Date?
    /// Only cases after this one in the list's order (``casePage(_:)`` gives it out).
    public var after: CaseCursor?
    /// Only the cases this agency or a unit of it received or resolves (`Caller.maySee`, in SQL).
    public var scope: AgencyCode?
    /// Only cases whose ID, applicant's name or applicant's ID number contains this text (as written:
    /// the match is exact in case, the same in both catalogs).
    public var text: String?
    public var procedure: ProcedureCode?
    /// Only cases received by this agency, as written (the agency in the case ID, before its first `-`).
    public var receivedBy: String?
    public var limit: Int

    public init(status: CaseStatus? = nil, from: Date? = nil, to: Date? = nil, after: CaseCursor? = nil, scope: AgencyCode? = nil,
                limit: Int = 1000) {
        self.status = status
        self.from = from
        self.to = to
        self.after = after
        self.scope = scope
        self.limit = limit
    }
}

/// A `CaseQuery`'s filters as SQL over `cases c`, for both catalogs: the conditions, with a placeholder
/// per parameter from `placeholder(n)` (1-based), and the parameters, all text.
///
/// Scope is `Caller.maySee` in SQL: the case ID's agency (before its first `-`) or the resolving agency
/// is the scope or ends with `.` and the scope's significant levels. Codes hold only `0-9`, `A-Z` and `.`,
/// nothing LIKE reads as a wildcard. Text search is a substring, exact in case in both catalogs.
struct CaseFilterSQL {
    enum Dialect { case sqlite, postgres }

    private(set) var conditions: [String] = []
    private(set) var parameters: [String] = []

    init(_ query: CaseQuery, dialect: Dialect, placeholder: (Int) -> String, from first: Int = 1) {
        func add(_ condition: (([String]) -> String), _ values: [String]) {
            let marks = values.indices.map { placeholder(first + parameters.count + $0) }
            conditions.append(condition(marks))
            parameters += values
        }
        if let status = query.status { add({ "c.status = \($0[0])" }, [status.rawValue]) }
        if let from = query.from { add({ "c.created_at >= \($0[0])" }, [RFC3339.format(from)]) }
        if let to = query.to { add({ "c.created_at < \($0[0])" }, [RFC3339.format(to)]) }
        if let after = query.after {
            add({ "(c.created_at < \($0[0]) OR (c.created_at = \($0[1]) AND c.id > \($0[2])))" },
                [RFC3339.format(after.createdAt), RFC3339.format(after.createdAt), after.id.description])
        }
        if let scope = query.scope {
            add({ "(c.id LIKE \($0[0]) OR c.id LIKE \($0[1]) OR c.resolving_agency = \($0[2]) OR c.resolving_agency LIKE \($0[3]))" },
                [scope.rawValue + "-%", "%." + scope.coveredSuffix + "-%", scope.rawValue, "%." + scope.coveredSuffix])
        }
        if let text = query.text {
            let contains = dialect == .sqlite ? "instr" : "strpos"
            add({ "(\(contains)(c.id, \($0[0])) > 0 OR \(contains)(c.applicant_name, \($0[1])) > 0 OR \(contains)(c.applicant_id_number, \($0[2])) > 0)" },
                [text, text, text])
        }
        if let procedure = query.procedure { add({ "c.procedure_code = \($0[0])" }, [procedure.rawValue]) }
        if let agency = query.receivedBy { add({ "\(Self.receivingAgency(dialect)) = \($0[0])" }, [agency]) }
    }

    /// The agency in a case's ID (before its first `-`), as SQL over `cases c`.
    static func receivingAgency(_ dialect: Dialect) -> String {
        dialect == .sqlite ? "substr(c.id, 1, instr(c.id, '-') - 1)" : "split_part(c.id, '-', 1)"
    }

    /// `WHERE …`, or nothing when no filter is set.
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// ` AND …` for each filter, to follow conditions of the caller's own.
    var andClause: String { conditions.map { " AND " + $0 }.joined() }
}

/// A line of a case list.
public struct CaseSummary: Hashable, Sendable, Codable {
    public let `case`: Case
    public let documentCount: Int
}
