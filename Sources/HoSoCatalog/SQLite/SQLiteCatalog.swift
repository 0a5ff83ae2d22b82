import Foundation
import GRDB
import HoSoCore

/// The embedded catalog: one SQLite file in WAL mode, opened through GRDB.
///
/// Several processes may open the same file (the watcher and a CLI command, say); SQLite's locking and
/// the busy timeout serialize their writes.
public final class SQLiteCatalog: Catalog {
    let pool: DatabasePool
    public let path: String

    /// Opens or creates the catalog at `path` and brings its schema up to date.
    public init(path: String) throws(CatalogError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .unavailable(path: path, reason: "\(error)")
        }
        try Self.migrate(pool, path: path)
    }

    /// Applies the migrations this HoSo knows and the file lacks; refuses a file a newer HoSo migrated.
    private static func migrate(_ pool: DatabasePool, path: String) throws(CatalogError) {
        let migrator = Schema.migrator
        do {
            let unknown = try pool.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
            if let newer = unknown.sorted().first { throw CatalogError.newerSchema(path: path, migration: newer) }
            try migrator.migrate(pool)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .unavailable(path: path, reason: "\(error)")
        }
    }

    // MARK: Cases

    public func openCase(_ id: CaseID, actor: String, at time: Date) async throws -> Case {
        try await pool.write { db in try Self.openCase(db, id, actor: actor, at: time) }
    }

    public func registerCase(_ registration: CaseRegistration, actor: String, at time: Date) async throws -> RegistrationOutcome {
        try await pool.write { db in
            let existing = try Self.fetchCase(db, registration.id)
            if let existing, existing.procedureCode != nil {
                return registration.matches(existing) ? .unchanged(existing) : .conflict(existing: existing)
            }
            if existing == nil { try Self.openCase(db, registration.id, actor: actor, at: time) }
            try db.execute(
                sql: """
                    UPDATE cases SET procedure_code = ?, applicant_name = ?, applicant_id_number = ?,
                        received_at = ?, due_at = ?, required_components = ?, resolving_agency = ? WHERE id = ?
                    """,
                arguments: [
                    registration.procedureCode.rawValue, registration.applicant.name, registration.applicant.idNumber,
                    RFC3339.format(registration.receivedAt), RFC3339.format(registration.dueAt),
                    RowDecoding.encodeJSON(registration.requiredComponents), registration.resolvingAgency?.rawValue,
                    registration.id.description,
                ]
            )
            try Self.recount(db, registration.id)
            try Self.insertEvent(db, Event(caseID: registration.id, time: time, actor: actor, kind: .caseRegistered,
                                           details: registration.eventDetails))
            guard let registered = try Self.fetchCase(db, registration.id) else { throw CatalogError.unknownCase(registration.id) }
            return .registered(registered)
        }
    }

    public func fetchCase(_ id: CaseID) async throws -> Case? {
        try await pool.read { db in try Self.fetchCase(db, id) }
    }

    public func listCases(_ query: CaseQuery) async throws -> [CaseSummary] {
        try await pool.read { db in
            let filter = CaseFilterSQL(query, dialect: .sqlite, placeholder: { _ in "?" })
            let arguments = StatementArguments(filter.parameters) + [query.limit]
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.*, (SELECT COUNT(*) FROM documents d WHERE d.case_id = c.id) AS document_count
                FROM cases c \(filter.whereClause) ORDER BY c.created_at DESC, c.id LIMIT ?
                """, arguments: arguments)
            return try rows.map { CaseSummary(case: try RowDecoding.case($0), documentCount: $0["document_count"]) }
        }
    }

    public func digitization(_ query: CaseQuery, agency: String?) async throws -> [DigitizationCount] {
        var query = query
        query.after = nil
        query.receivedBy = agency
        let filter = CaseFilterSQL(query, dialect: .sqlite, placeholder: { _ in "?" })
        let parameters = StatementArguments(filter.parameters)
        // Decoded inside the read: a `Row` is not Sendable, and a read returning rows would be GRDB's
        // blocking one.
        let counts = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(CaseFilterSQL.receivingAgency(.sqlite)) AS agency, c.procedure_code AS procedure_code, COUNT(*) AS cases,
                    COALESCE(SUM(c.inputs_required), 0) AS inputs_required, COALESCE(SUM(c.inputs_digitized), 0) AS inputs_digitized,
                    COALESCE(SUM(c.result_passed), 0) AS results_signed, COALESCE(SUM(c.status = 'returned'), 0) AS returned
                FROM cases c \(filter.whereClause) GROUP BY 1, 2
                """, arguments: parameters).map { row in
                DigitizationCount(agency: try RowDecoding.text(row, "agency", table: "cases"), procedureCode: row["procedure_code"],
                                  cases: row["cases"], inputsRequired: row["inputs_required"], inputsDigitized: row["inputs_digitized"],
                                  resultsSigned: row["results_signed"], returned: row["returned"])
            }
        }
        return DigitizationCount.ordered(counts)
    }

    public func lateCaseCount(at now: Date, scope: AgencyCode?) async throws -> Int {
        let filter = CaseFilterSQL(CaseQuery(scope: scope), dialect: .sqlite, placeholder: { _ in "?" })
        return try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases c WHERE c.due_at < ? AND c.status NOT IN (?, ?, ?)" + filter.andClause,
                             arguments: StatementArguments([RFC3339.format(now)] + CaseStatus.closed + filter.parameters)) ?? 0
        }
    }

    // MARK: Documents

    public func recordDocument(_ document: Document, actor: String) async throws -> DocumentOutcome {
        try await pool.write { db in try Self.insertDocument(db, document, actor: actor) }
    }

    public func documents(of id: CaseID) async throws -> [Document] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM documents WHERE case_id = ? ORDER BY stored_at, id"),
                             arguments: [id.description]).map(RowDecoding.document)
        }
    }

    // MARK: Events

    public func events(of id: CaseID, after cursor: EventCursor?, limit: Int?) async throws -> [Event] {
        try await pool.read { db in
            // With no cursor, every event is after the time "" and the number 0.
            let time = cursor.map { RFC3339.format($0.time) } ?? ""
            return try Row.fetchAll(db, sql: """
                SELECT * FROM events WHERE case_id = ? AND (time > ? OR (time = ? AND id > ?)) ORDER BY time, id LIMIT ?
                """, arguments: [id.description, time, time, cursor?.id ?? 0, limit ?? -1]).map(RowDecoding.event)
        }
    }

    public func appendEvent(_ event: Event) async throws -> Event {
        try await pool.write { db in
            guard try Self.fetchCase(db, event.caseID) != nil else { throw CatalogError.unknownCase(event.caseID) }
            return try Self.insertEvent(db, event)
        }
    }

    // MARK: Ingest jobs

    public func enqueueJob(_ job: NewIngestJob, at time: Date) async throws -> IngestJob {
        try await pool.write { db in
            let stamp = RFC3339.format(time)
            try db.execute(
                sql: """
                    INSERT INTO ingest_jobs (source_key, station, source_path, step, state, progress, attempts,
                        created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', 0, ?, ?)
                    ON CONFLICT (source_key) DO NOTHING
                    """,
                arguments: [job.sourceKey, job.station, job.sourcePath, IngestStep.queued.rawValue,
                            IngestJobState.pending.rawValue, stamp, stamp]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM ingest_jobs WHERE source_key = ?",
                                             arguments: [job.sourceKey]) else {
                throw CatalogError.corruptRow(table: "ingest_jobs", reason: "job for \(job.sourceKey) vanished")
            }
            return try RowDecoding.job(row)
        }
    }

    public func claimNextJob(worker: String, at time: Date, leaseExpiry: Date) async throws -> IngestJob? {
        try await pool.write { db in
            let now = RFC3339.format(time)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM ingest_jobs
                WHERE state = 'pending' OR (state = 'running' AND lease_expiry < ?)
                ORDER BY id LIMIT 1
                """, arguments: [now]) else { return nil }
            let id: Int64 = row["id"]
            try db.execute(sql: """
                UPDATE ingest_jobs SET state = 'running', claimed_by = ?, lease_expiry = ?,
                    attempts = attempts + 1, updated_at = ? WHERE id = ?
                """, arguments: [worker, RFC3339.format(leaseExpiry), now, id])
            return try Self.fetchJob(db, id)
        }
    }

    public func renewLease(_ id: Int64, worker: String, until leaseExpiry: Date, at time: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE ingest_jobs SET lease_expiry = ?, updated_at = ? WHERE id = ? AND state = 'running' AND claimed_by = ?
                """, arguments: [RFC3339.format(leaseExpiry), RFC3339.format(time), id, worker])
            return db.changesCount > 0
        }
    }

    public func advanceJob(_ id: Int64, to step: IngestStep, progress: [String: String], at time: Date) async throws {
        try await pool.write { db in
            guard var job = try Self.fetchJob(db, id) else { throw CatalogError.unknownJob(id) }
            job.progress.merge(progress) { _, new in new }
            try db.execute(sql: "UPDATE ingest_jobs SET step = ?, progress = ?, updated_at = ? WHERE id = ?",
                           arguments: [step.rawValue, RowDecoding.encodeJSON(job.progress), RFC3339.format(time), id])
        }
    }

    public func finishJob(_ id: Int64, outcome: IngestJobOutcome, step: IngestStep?, at time: Date) async throws {
        try await pool.write { db in
            guard let job = try Self.fetchJob(db, id) else { throw CatalogError.unknownJob(id) }
            let (state, failure) = outcome.stateAndFailure
            try db.execute(sql: """
                UPDATE ingest_jobs SET state = ?, failure = ?, step = ?, claimed_by = NULL, lease_expiry = NULL,
                    updated_at = ? WHERE id = ?
                """, arguments: [state.rawValue, failure, (step ?? job.step).rawValue, RFC3339.format(time), id])
        }
    }

    public func fetchJob(_ id: Int64) async throws -> IngestJob? {
        try await pool.read { db in try Self.fetchJob(db, id) }
    }

    // MARK: Statements shared by the methods above, run inside their transactions

    /// Sets the counts the digitization report sums (inputs required and digitized, a passed result) from
    /// the case's rows; for every case without a `WHERE` (the migration that added them). `+x.indication`:
    /// results are looked up by case, not through the index on their indication (quadratic).
    static let recountSQL = """
        UPDATE cases SET inputs_required = json_array_length(required_components),
            inputs_digitized = (SELECT COUNT(*) FROM json_each(cases.required_components) r
                WHERE EXISTS (SELECT 1 FROM documents d WHERE d.case_id = cases.id AND d.component = r.value)),
            result_passed = EXISTS (SELECT 1 FROM results x WHERE x.case_id = cases.id AND +x.indication = 'TOTAL_PASSED')
        """

    /// `recountSQL` for one case, in the caller's transaction.
    static func recount(_ db: Database, _ id: CaseID) throws {
        try db.execute(sql: recountSQL + " WHERE id = ?", arguments: [id.description])
    }

    /// Stores a document (opening its case), or records a duplicate; inside the caller's transaction.
    static func insertDocument(_ db: Database, _ document: Document, actor: String) throws -> DocumentOutcome {
        try Self.openCase(db, document.caseID, actor: actor, at: document.storedAt)
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE case_id = ? AND sha256 = ?",
                                      arguments: [document.caseID.description, document.sha256.hex]) {
            let earlier = try RowDecoding.document(row)
            try Self.insertEvent(db, Event(
                caseID: document.caseID, time: document.storedAt, actor: actor, kind: .duplicate, details: document.duplicateDetails(of: earlier)
            ))
            return .duplicate(of: earlier)
        }
        let normalized = document.normalized
        try db.execute(
            sql: """
                INSERT INTO documents (case_id, component, sha256, byte_count, page_count, source_file_name,
                    station, digitized_by, stored_at, status, normalized_sha256, normalized_byte_count,
                    thumbnail_sha256, normalization, source_pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                document.caseID.description, document.component, document.sha256.hex, document.byteCount,
                document.pageCount, document.sourceFileName, document.station, document.digitizedBy,
                RFC3339.format(document.storedAt), document.status.rawValue, normalized?.pdf.hex,
                normalized?.pdfByteCount, normalized?.thumbnail.hex, normalized.map { RowDecoding.encodeJSON($0.metadata) },
                document.sourcePages?.description,
            ]
        )
        var stored = document
        stored.id = db.lastInsertedRowID
        try Self.recount(db, document.caseID)
        stored.storedAt = RFC3339.truncated(document.storedAt)
        try Self.insertEvent(db, Event(
            caseID: document.caseID, time: document.storedAt, actor: actor, kind: .documentStored, details: document.storedDetails
        ))
        return .stored(stored)
    }


    @discardableResult
    static func openCase(_ db: Database, _ id: CaseID, actor: String, at time: Date) throws -> Case {
        if let existing = try fetchCase(db, id) { return existing }
        try db.execute(
            sql: "INSERT INTO cases (id, required_components, status, created_at) VALUES (?, '[]', ?, ?)",
            arguments: [id.description, CaseStatus.open.rawValue, RFC3339.format(time)]
        )
        try insertEvent(db, Event(caseID: id, time: time, actor: actor, kind: .caseOpened))
        guard let created = try fetchCase(db, id) else { throw CatalogError.unknownCase(id) }
        return created
    }

    static func fetchCase(_ db: Database, _ id: CaseID) throws -> Case? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM cases WHERE id = ?"), arguments: [id.description]).map(RowDecoding.case)
    }

    static func fetchJob(_ db: Database, _ id: Int64) throws -> IngestJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM ingest_jobs WHERE id = ?", arguments: [id]).map(RowDecoding.job)
    }

    /// Appends an event to its case's chain: after the case's latest row, hashed (`EventChain`). The
    /// write transaction SQLite holds keeps two appends from taking the same head.
    @discardableResult
    static func insertEvent(_ db: Database, _ event: Event) throws -> Event {
        let details = RowDecoding.encodeJSON(event.details)
        let head = try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM events WHERE case_id = ? ORDER BY id DESC LIMIT 1"),
                                       arguments: [event.caseID.description])
        let chain = EventChain.hashes(of: event, details: details, after: head)
        try db.execute(
            sql: "INSERT INTO events (case_id, time, actor, kind, details, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [event.caseID.description, RFC3339.format(event.time), event.actor, event.kind.rawValue, details,
                        chain.previous, chain.hash]
        )
        return Event(id: db.lastInsertedRowID, caseID: event.caseID, time: RFC3339.truncated(event.time),
                     actor: event.actor, kind: event.kind, details: event.details)
    }
}
