import Foundation
import HoSoCore
import PostgresNIO

/// The watcher's side of the catalog: committing jobs, the quarantine, station activity.
extension PostgresCatalog {
    public func commitIngestJob(_ id: Int64, _ commit: IngestCommit, actor: String, at time: Date) async throws -> IngestCommitOutcome {
        try await transaction { session in
            let job = try await Self.fetchJob(session, id, lock: true).orThrow(.unknownJob(id))
            if job.step >= .committed { return .alreadyCommitted }
            let outcome: IngestCommitOutcome
            switch commit {
            case .documents(let documents, let received, let normalized):
                precondition(!documents.isEmpty, "a commit of documents has at least one")
                var outcomes: [DocumentOutcome] = []
                for document in documents {
                    try await Self.openCase(session, document.caseID, actor: actor, at: received)
                    try await Self.insertEvent(session, Event(caseID: document.caseID, time: received, actor: actor, kind: .documentReceived,
                                                              details: document.receivedDetails(job: id)))
                    try await Self.insertEvent(session, Event(caseID: document.caseID, time: normalized, actor: actor,
                                                              kind: .documentNormalized, details: document.normalizedDetails(job: id)))
                    outcomes.append(try await Self.insertDocument(session, document, actor: actor))
                }
                outcome = .documents(outcomes)
            case .quarantine(let entry):
                var stored = entry
                stored.id = try await Self.insertQuarantine(session, entry)
                outcome = .quarantined(stored)
            }
            let progress = job.progress.merging(outcome.progress(of: commit)) { _, new in new }
            try await session.execute("""
                UPDATE ingest_jobs SET step = \(IngestStep.committed.rawValue), progress = \(RowDecoding.encodeJSON(progress)),
                    outcome = \(progress["outcome"]), updated_at = \(RFC3339.format(time)) WHERE id = \(id)
                """)
            return outcome
        }
    }

    public func releaseJobs(claimedBy workers: [String], at time: Date) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        return try await transaction { session in
            try await session.execute("""
                UPDATE ingest_jobs SET state = 'pending', claimed_by = NULL, lease_expiry = NULL, updated_at = \(RFC3339.format(time))
                WHERE state = 'running' AND claimed_by = ANY(\(workers)) RETURNING id
                """)
        }
    }

    public func jobClaimants() async throws -> [String] {
        try await read { session in
            try await session.texts("SELECT DISTINCT claimed_by FROM ingest_jobs WHERE state = 'running' AND claimed_by IS NOT NULL")
        }
    }

    public func quarantine(_ query: QuarantineQuery) async throws -> [QuarantineEntry] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM quarantine WHERE (\(query.includeResolved) OR resolution IS NULL) AND id > \(query.afterID ?? 0)
                ORDER BY id LIMIT \(query.limit.map(Int64.init))
                """).map(RowDecoding.quarantine)
        }
    }

    public func assignQuarantined(_ id: Int64, to caseID: CaseID, component: String?, actor: String, at time: Date) async throws -> DocumentOutcome {
        try await transaction { session in
            let entry = try await Self.openQuarantineEntry(session, id)
            try await Self.openCase(session, caseID, actor: actor, at: time)
            try await Self.insertEvent(session, Event(caseID: caseID, time: time, actor: actor, kind: .assignedFromQuarantine,
                                                      details: entry.assignedDetails))
            let outcome = try await Self.insertDocument(session, entry.document(for: caseID, component: component, at: time), actor: actor)
            try await session.execute("""
                UPDATE quarantine SET resolution = 'assigned', resolved_case_id = \(caseID.description), resolved_by = \(actor),
                    resolved_at = \(RFC3339.format(time)) WHERE id = \(id)
                """)
            return outcome
        }
    }

    public func rejectQuarantined(_ id: Int64, reason: String, actor: String, at time: Date) async throws {
        try await transaction { session in
            _ = try await Self.openQuarantineEntry(session, id)
            try await session.execute("""
                UPDATE quarantine SET resolution = 'rejected', resolved_reason = \(reason), resolved_by = \(actor),
                    resolved_at = \(RFC3339.format(time)) WHERE id = \(id)
                """)
        }
    }

    public func stationActivity(since: Date?) async throws -> [StationActivity] {
        let since = since.map(RFC3339.format) ?? ""
        return try await read { session in
            try StationActivity.tally(try await session.rows("""
                SELECT station, state, outcome, COUNT(*) AS n, MAX(updated_at) AS last FROM ingest_jobs
                WHERE created_at >= \(since) GROUP BY station, state, outcome
                """))
        }
    }

    public func recentJobs(of station: String, limit: Int) async throws -> [IngestJob] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM ingest_jobs WHERE station = \(station) ORDER BY updated_at DESC, id DESC LIMIT \(limit)
                """).map(RowDecoding.job)
        }
    }

    public func interruptedJobs(at time: Date) async throws -> [IngestJob] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM ingest_jobs WHERE state = \(IngestJobState.running.rawValue) AND lease_expiry < \(RFC3339.format(time)) ORDER BY id
                """).map(RowDecoding.job)
        }
    }

    // MARK: Statements

    static func insertQuarantine(_ session: PostgresSession, _ entry: QuarantineEntry) async throws -> Int64 {
        let row = try await session.row("""
            INSERT INTO quarantine (station, source_file_name, sha256, byte_count, normalized, reason, detail, component, digitized_by,
                quarantined_at)
            VALUES (\(entry.station), \(entry.sourceFileName), \(entry.sha256.hex), \(entry.byteCount),
                \(entry.normalized.map { RowDecoding.encodeJSON($0) }), \(entry.reason.rawValue), \(entry.detail), \(entry.component),
                \(entry.digitizedBy), \(RFC3339.format(entry.quarantinedAt)))
            RETURNING id
            """)
        return try RowDecoding.integer(try row.orThrow(.corruptRow(table: "quarantine", reason: "no id returned")), "id", table: "quarantine")
    }

    /// The entry, locked, refusing one that does not exist or is already resolved.
    static func openQuarantineEntry(_ session: PostgresSession, _ id: Int64) async throws -> QuarantineEntry {
        let row = try await session.row("SELECT * FROM quarantine WHERE id = \(id) FOR UPDATE").orThrow(.unknownQuarantineEntry(id))
        let entry = try RowDecoding.quarantine(row)
        guard entry.resolution == nil else { throw CatalogError.alreadyResolved(id) }
        return entry
    }
}
