import Foundation
import GRDB
import HoSoCore

/// The watcher's side of the catalog: committing jobs, the quarantine, station activity.
extension SQLiteCatalog {
    public func commitIngestJob(_ id: Int64, _ commit: IngestCommit, actor: String, at time: Date) async throws -> IngestCommitOutcome {
        try await pool.write { db in
            guard let job = try Self.fetchJob(db, id) else { throw CatalogError.unknownJob(id) }
            if job.step >= .committed { return .alreadyCommitted }
            let outcome: IngestCommitOutcome
            switch commit {
            case .documents(let documents, let received, let normalized):
                precondition(!documents.isEmpty, "a commit of documents has at least one")
                var outcomes: [DocumentOutcome] = []
                for document in documents {
                    try Self.openCase(db, document.caseID, actor: actor, at: received)
                    try Self.insertEvent(db, Event(caseID: document.caseID, time: received, actor: actor, kind: .documentReceived,
                                                   details: document.receivedDetails(job: id)))
                    try Self.insertEvent(db, Event(caseID: document.caseID, time: normalized, actor: actor, kind: .documentNormalized,
                                                   details: document.normalizedDetails(job: id)))
                    outcomes.append(try Self.insertDocument(db, document, actor: actor))
                }
                outcome = .documents(outcomes)
            case .quarantine(let entry):
                var stored = entry
                stored.id = try Self.insertQuarantine(db, entry)
                outcome = .quarantined(stored)
            }
            let progress = job.progress.merging(outcome.progress(of: commit)) { _, new in new }
            try db.execute(sql: "UPDATE ingest_jobs SET step = ?, progress = ?, outcome = ?, updated_at = ? WHERE id = ?",
                           arguments: [IngestStep.committed.rawValue, RowDecoding.encodeJSON(progress), progress["outcome"],
                                       RFC3339.format(time), id])
            return outcome
        }
    }

    public func releaseJobs(claimedBy workers: [String], at time: Date) async throws -> Int {
        guard !workers.isEmpty else { return 0 }
        return try await pool.write { db in
            let marks = workers.map { _ in "?" }.joined(separator: ", ")
            var arguments: StatementArguments = [RFC3339.format(time)]
            arguments += StatementArguments(workers)
            try db.execute(sql: """
                UPDATE ingest_jobs SET state = 'pending', claimed_by = NULL, lease_expiry = NULL, updated_at = ?
                WHERE state = 'running' AND claimed_by IN (\(marks))
                """, arguments: arguments)
            return db.changesCount
        }
    }

    public func jobClaimants() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT claimed_by FROM ingest_jobs WHERE state = 'running' AND claimed_by IS NOT NULL")
        }
    }

    public func quarantine(_ query: QuarantineQuery) async throws -> [QuarantineEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM quarantine WHERE (? OR resolution IS NULL) AND id > ? ORDER BY id LIMIT ?
                """, arguments: [query.includeResolved, query.afterID ?? 0, query.limit ?? -1])
                .map(RowDecoding.quarantine)
        }
    }

    public func assignQuarantined(_ id: Int64, to caseID: CaseID, component: String?, actor: String, at time: Date) async throws -> DocumentOutcome {
        try await pool.write { db in
            let entry = try Self.openQuarantineEntry(db, id)
            try Self.openCase(db, caseID, actor: actor, at: time)
            try Self.insertEvent(db, Event(caseID: caseID, time: time, actor: actor, kind: .assignedFromQuarantine, details: entry.assignedDetails))
            let document = entry.document(for: caseID, component: component, at: time)
            let outcome = try Self.insertDocument(db, document, actor: actor)
            try db.execute(sql: """
                UPDATE quarantine SET resolution = 'assigned', resolved_case_id = ?, resolved_by = ?, resolved_at = ? WHERE id = ?
                """, arguments: [caseID.description, actor, RFC3339.format(time), id])
            return outcome
        }
    }

    public func rejectQuarantined(_ id: Int64, reason: String, actor: String, at time: Date) async throws {
        try await pool.write { db in
            _ = try Self.openQuarantineEntry(db, id)
            try db.execute(sql: """
                UPDATE quarantine SET resolution = 'rejected', resolved_reason = ?, resolved_by = ?, resolved_at = ? WHERE id = ?
                """, arguments: [reason, actor, RFC3339.format(time), id])
        }
    }

    public func stationActivity(since: Date?) async throws -> [StationActivity] {
        try await pool.read { db in
            try StationActivity.tally(try Row.fetchAll(db, sql: """
                SELECT station, state, outcome, COUNT(*) AS n, MAX(updated_at) AS last FROM ingest_jobs
                WHERE created_at >= ? GROUP BY station, state, outcome
                """, arguments: [since.map(RFC3339.format) ?? ""]))
        }
    }

    public func recentJobs(of station: String, limit: Int) async throws -> [IngestJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ingest_jobs WHERE station = ? ORDER BY updated_at DESC, id DESC LIMIT ?",
                             arguments: [station, limit]).map(RowDecoding.job)
        }
    }

    public func interruptedJobs(at time: Date) async throws -> [IngestJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ingest_jobs WHERE state = ? AND lease_expiry < ? ORDER BY id",
                             arguments: [IngestJobState.running.rawValue, RFC3339.format(time)]).map(RowDecoding.job)
        }
    }

    // MARK: Statements

    static func insertQuarantine(_ db: Database, _ entry: QuarantineEntry) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO quarantine (station, source_file_name, sha256, byte_count, normalized, reason, detail, component,
                digitized_by, quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                entry.station, entry.sourceFileName, entry.sha256.hex, entry.byteCount,
                entry.normalized.map { RowDecoding.encodeJSON($0) }, entry.reason.rawValue, entry.detail, entry.component,
                entry.digitizedBy, RFC3339.format(entry.quarantinedAt),
            ])
        return db.lastInsertedRowID
    }

    /// The entry, refusing one that does not exist or is already resolved.
    static func openQuarantineEntry(_ db: Database, _ id: Int64) throws -> QuarantineEntry {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE id = ?", arguments: [id]) else {
            throw CatalogError.unknownQuarantineEntry(id)
        }
        let entry = try RowDecoding.quarantine(row)
        guard entry.resolution == nil else { throw CatalogError.alreadyResolved(id) }
        return entry
    }
}
