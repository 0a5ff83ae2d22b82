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
            var progress = job.progress
            switch commit {
            case .documents(let documents, let received, let normalized):
                precondition(!documents.isEmpty, "a commit of documents has at least one")
                var outcomes: [DocumentOutcome] = []
                for document in documents {
                    try Self.openCase(db, document.caseID, actor: actor, at: received)
                    var facts = ["sourceFileName": document.sourceFileName, "station": document.station, "job": String(id)]
                    facts["sourcePages"] = document.sourcePages?.description
                    try Self.insertEvent(db, Event(caseID: document.caseID, time: received, actor: actor, kind: .documentReceived, details: facts))
                    var normalizedFacts = facts
                    normalizedFacts["pages"] = document.pageCount.map(String.init)
                    normalizedFacts["normalizedSHA256"] = document.normalized?.pdf.hex
                    try Self.insertEvent(db, Event(caseID: document.caseID, time: normalized, actor: actor,
                                                   kind: .documentNormalized, details: normalizedFacts))
                    outcomes.append(try Self.insertDocument(db, document, actor: actor))
                }
                outcome = .documents(outcomes)
                // One document: "stored" or "duplicate"; a split batch is "stored" if any part was new.
                progress["outcome"] = outcomes.contains { if case .stored = $0 { true } else { false } } ? "stored" : "duplicate"
                progress["caseID"] = documents.map(\.caseID.description).joined(separator: ",")
                progress["sha256"] = documents[0].sha256.hex
                progress["normalizedSHA256"] = documents.compactMap { $0.normalized?.pdf.hex }.joined(separator: ",")
            case .quarantine(let entry):
                var stored = entry
                stored.id = try Self.insertQuarantine(db, entry)
                outcome = .quarantined(stored)
                progress["outcome"] = "quarantined"
                progress["quarantineID"] = String(stored.id!)
                progress["sha256"] = entry.sha256.hex
            }
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

    public func quarantine(includeResolved: Bool) async throws -> [QuarantineEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM quarantine \(includeResolved ? "" : "WHERE resolution IS NULL") ORDER BY id")
                .map(RowDecoding.quarantine)
        }
    }

    public func assignQuarantined(_ id: Int64, to caseID: CaseID, component: String?, actor: String, at time: Date) async throws -> DocumentOutcome {
        try await pool.write { db in
            let entry = try Self.openQuarantineEntry(db, id)
            let document = Document(
                caseID: caseID, component: component ?? entry.component, sha256: entry.sha256, byteCount: entry.byteCount,
                pageCount: entry.normalized?.metadata.pageCount, sourceFileName: entry.sourceFileName, station: entry.station,
                digitizedBy: entry.digitizedBy, storedAt: time, status: entry.normalized == nil ? .stored : .normalized,
                normalized: entry.normalized
            )
            try Self.openCase(db, caseID, actor: actor, at: time)
            try Self.insertEvent(db, Event(caseID: caseID, time: time, actor: actor, kind: .assignedFromQuarantine, details: [
                "quarantineID": String(id), "reason": entry.reason.rawValue, "sourceFileName": entry.sourceFileName,
                "quarantinedAt": RFC3339.format(entry.quarantinedAt),
            ]))
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

    public func stationActivity() async throws -> [StationActivity] {
        try await pool.read { db in
            var byStation: [String: StationActivity] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT station, state, outcome, COUNT(*) AS n, MAX(updated_at) AS last FROM ingest_jobs
                GROUP BY station, state, outcome
                """)
            for row in rows {
                let station: String = row["station"]
                var activity = byStation[station] ?? StationActivity(station: station, queued: 0, running: 0, done: 0, failed: 0, quarantined: 0)
                let count: Int = row["n"]
                switch (row["state"] as String, row["outcome"] as String?) {
                case ("pending", _): activity.queued += count
                case ("running", _): activity.running += count
                case ("failed", _): activity.failed += count
                case ("done", "quarantined"): activity.quarantined += count
                default: activity.done += count
                }
                if let last: String = row["last"], let date = RFC3339.parse(last), date > (activity.lastActivity ?? .distantPast) {
                    activity.lastActivity = date
                }
                byStation[station] = activity
            }
            return byStation.values.sorted { $0.station < $1.station }
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
