import Foundation
import HoSoCore
import PostgresNIO

/// Cases, documents, events and the ingest queue, as ``SQLiteCatalog`` has them.
extension PostgresCatalog {
    public func openCase(_ id: CaseID, actor: String, at time: Date) async throws -> Case {
        try await transaction { session in try await Self.openCase(session, id, actor: actor, at: time) }
    }

    /// Sets the counts the digitization report sums (inputs required and digitized, a passed result) from
    /// the case's rows; for every case without a `WHERE` (the migration that added them).
    static let recountSQL = """
        UPDATE cases c SET inputs_required = jsonb_array_length(c.required_components::jsonb),
            inputs_digitized = (SELECT COUNT(*) FROM jsonb_array_elements_text(c.required_components::jsonb) r(value)
                WHERE EXISTS (SELECT 1 FROM documents d WHERE d.case_id = c.id AND d.component = r.value)),
            result_passed = CASE WHEN EXISTS (SELECT 1 FROM results x WHERE x.case_id = c.id AND x.indication = 'TOTAL_PASSED') THEN 1 ELSE 0 END
        """

    /// `recountSQL` for one case, in the caller's transaction.
    static func recount(_ session: PostgresSession, _ id: CaseID) async throws {
        var binds = PostgresBindings()
        binds.append(id.description)
        _ = try await session.execute(PostgresQuery(unsafeSQL: recountSQL + " WHERE c.id = $1", binds: binds))
    }

    public func registerCase(_ registration: CaseRegistration, actor: String, at time: Date) async throws -> RegistrationOutcome {
        try await transaction { session in
            let existing = try await Self.openCase(session, registration.id, actor: actor, at: time, lock: true)
            if existing.procedureCode != nil {
                return registration.matches(existing) ? .unchanged(existing) : .conflict(existing: existing)
            }
            try await session.execute("""
                UPDATE cases SET procedure_code = \(registration.procedureCode.rawValue), applicant_name = \(registration.applicant.name),
                    applicant_id_number = \(registration.applicant.idNumber), received_at = \(RFC3339.format(registration.receivedAt)),
                    due_at = \(RFC3339.format(registration.dueAt)), required_components = \(RowDecoding.encodeJSON(registration.requiredComponents)),
                    resolving_agency = \(registration.resolvingAgency?.rawValue) WHERE id = \(registration.id.description)
                """)
            try await Self.recount(session, registration.id)
            try await Self.insertEvent(session, Event(caseID: registration.id, time: time, actor: actor, kind: .caseRegistered,
                                                      details: registration.eventDetails))
            return .registered(try await Self.fetchCase(session, registration.id, lock: false).orThrow(.unknownCase(registration.id)))
        }
    }

    public func fetchCase(_ id: CaseID) async throws -> Case? {
        try await read { session in try await Self.fetchCase(session, id, lock: false) }
    }

    public func listCases(_ query: CaseQuery) async throws -> [CaseSummary] {
        try await read { session in
            let filter = CaseFilterSQL(query, dialect: .postgres, placeholder: { "$\($0)" })
            var binds = PostgresBindings()
            for parameter in filter.parameters { binds.append(parameter) }
            var sql = "SELECT c.*, (SELECT COUNT(*) FROM documents d WHERE d.case_id = c.id) AS document_count FROM cases c " + filter.whereClause
            binds.append(Int64(query.limit))
            sql += " ORDER BY c.created_at DESC, c.id LIMIT $\(binds.count)"
            return try await session.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
                CaseSummary(case: try RowDecoding.case(row), documentCount: Int(try RowDecoding.integer(row, "document_count", table: "cases")))
            }
        }
    }

    public func digitization(_ query: CaseQuery, agency: String?) async throws -> [DigitizationCount] {
        var query = query
        query.after = nil
        query.receivedBy = agency
        let filter = CaseFilterSQL(query, dialect: .postgres, placeholder: { "$\($0)" })
        var binds = PostgresBindings()
        for parameter in filter.parameters { binds.append(parameter) }
        let sql = """
            SELECT \(CaseFilterSQL.receivingAgency(.postgres)) AS agency, c.procedure_code AS procedure_code, COUNT(*) AS cases,
                COALESCE(SUM(c.inputs_required), 0)::bigint AS inputs_required, COALESCE(SUM(c.inputs_digitized), 0)::bigint AS inputs_digitized,
                COALESCE(SUM(c.result_passed), 0)::bigint AS results_signed,
                COUNT(*) FILTER (WHERE c.status = 'returned') AS returned
            FROM cases c \(filter.whereClause) GROUP BY 1, 2
            """
        let counting = PostgresQuery(unsafeSQL: sql, binds: binds)
        return DigitizationCount.ordered(try await read { session in
            try await session.rows(counting).map { row in
                let count = { (column: String) in Int(try RowDecoding.integer(row, column, table: "cases")) }
                return DigitizationCount(agency: try RowDecoding.text(row, "agency", table: "cases"), procedureCode: try row.text("procedure_code"),
                                         cases: try count("cases"), inputsRequired: try count("inputs_required"),
                                         inputsDigitized: try count("inputs_digitized"), resultsSigned: try count("results_signed"),
                                         returned: try count("returned"))
            }
        })
    }

    public func lateCaseCount(at now: Date, scope: AgencyCode?) async throws -> Int {
        let filter = CaseFilterSQL(CaseQuery(scope: scope), dialect: .postgres, placeholder: { "$\($0)" }, from: 5)
        var binds = PostgresBindings()
        for parameter in [RFC3339.format(now)] + CaseStatus.closed + filter.parameters { binds.append(parameter) }
        let query = PostgresQuery(unsafeSQL: "SELECT COUNT(*) AS late FROM cases c WHERE c.due_at < $1 AND c.status NOT IN ($2, $3, $4)" + filter.andClause,
                                  binds: binds)
        return try await read { session in
            Int(try await session.row(query).map { try RowDecoding.integer($0, "late", table: "cases") } ?? 0)
        }
    }

    public func recordDocument(_ document: Document, actor: String) async throws -> DocumentOutcome {
        try await transaction { session in try await Self.insertDocument(session, document, actor: actor) }
    }

    public func documents(of id: CaseID) async throws -> [Document] {
        try await read { session in
            try await session.rows("SELECT * FROM documents WHERE case_id = \(id.description) ORDER BY stored_at, id").map(RowDecoding.document)
        }
    }

    public func events(of id: CaseID, after cursor: EventCursor?, limit: Int?) async throws -> [Event] {
        try await read { session in
            // With no cursor, every event is after the time "" and the number 0.
            let time = cursor.map { RFC3339.format($0.time) } ?? ""
            return try await session.rows("""
                SELECT * FROM events WHERE case_id = \(id.description) AND (time > \(time) OR (time = \(time) AND id > \(cursor?.id ?? 0)))
                ORDER BY time, id LIMIT \(limit.map(Int64.init))
                """).map(RowDecoding.event)
        }
    }

    public func appendEvent(_ event: Event) async throws -> Event {
        try await transaction { session in
            guard try await Self.fetchCase(session, event.caseID, lock: false) != nil else { throw CatalogError.unknownCase(event.caseID) }
            return try await Self.insertEvent(session, event)
        }
    }

    // MARK: Ingest jobs

    public func enqueueJob(_ job: NewIngestJob, at time: Date) async throws -> IngestJob {
        try await transaction { session in
            let stamp = RFC3339.format(time)
            try await session.execute("""
                INSERT INTO ingest_jobs (source_key, station, source_path, step, state, progress, attempts, created_at, updated_at)
                VALUES (\(job.sourceKey), \(job.station), \(job.sourcePath), \(IngestStep.queued.rawValue), \(IngestJobState.pending.rawValue),
                    '{}', 0, \(stamp), \(stamp))
                ON CONFLICT (source_key) DO NOTHING
                """)
            // Every node's idle workers hear of it when this commits (PostgresCatalog+WakeUps).
            try await session.execute("NOTIFY hoso_jobs")
            guard let row = try await session.row("SELECT * FROM ingest_jobs WHERE source_key = \(job.sourceKey)") else {
                throw CatalogError.corruptRow(table: "ingest_jobs", reason: "job for \(job.sourceKey) vanished")
            }
            return try RowDecoding.job(row)
        }
    }

    /// The oldest waiting job, or one whose lease expired, taken with `SKIP LOCKED`: nodes claiming at
    /// once each get a different job and never wait for one another.
    public func claimNextJob(worker: String, at time: Date, leaseExpiry: Date) async throws -> IngestJob? {
        try await transaction { session in
            let now = RFC3339.format(time)
            return try await session.row("""
                UPDATE ingest_jobs SET state = 'running', claimed_by = \(worker), lease_expiry = \(RFC3339.format(leaseExpiry)),
                    attempts = attempts + 1, updated_at = \(now)
                WHERE id = (SELECT id FROM ingest_jobs WHERE state = 'pending' OR (state = 'running' AND lease_expiry < \(now))
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).map(RowDecoding.job)
        }
    }

    public func renewLease(_ id: Int64, worker: String, until leaseExpiry: Date, at time: Date) async throws -> Bool {
        try await transaction { session in
            try await session.execute("""
                UPDATE ingest_jobs SET lease_expiry = \(RFC3339.format(leaseExpiry)), updated_at = \(RFC3339.format(time))
                WHERE id = \(id) AND state = 'running' AND claimed_by = \(worker) RETURNING id
                """) > 0
        }
    }

    public func advanceJob(_ id: Int64, to step: IngestStep, progress: [String: String], at time: Date) async throws {
        try await transaction { session in
            var job = try await Self.fetchJob(session, id, lock: true).orThrow(.unknownJob(id))
            job.progress.merge(progress) { _, new in new }
            try await session.execute("""
                UPDATE ingest_jobs SET step = \(step.rawValue), progress = \(RowDecoding.encodeJSON(job.progress)),
                    updated_at = \(RFC3339.format(time)) WHERE id = \(id)
                """)
        }
    }

    public func finishJob(_ id: Int64, outcome: IngestJobOutcome, step: IngestStep?, at time: Date) async throws {
        try await transaction { session in
            let job = try await Self.fetchJob(session, id, lock: true).orThrow(.unknownJob(id))
            let (state, failure) = outcome.stateAndFailure
            try await session.execute("""
                UPDATE ingest_jobs SET state = \(state.rawValue), failure = \(failure), step = \((step ?? job.step).rawValue),
                    claimed_by = NULL, lease_expiry = NULL, updated_at = \(RFC3339.format(time)) WHERE id = \(id)
                """)
        }
    }

    public func fetchJob(_ id: Int64) async throws -> IngestJob? {
        try await read { session in try await Self.fetchJob(session, id, lock: false) }
    }

    // MARK: Statements shared by the methods, run inside their transactions

    /// The case, created with its `case_opened` event if it is new; with `lock`, its row is locked until
    /// the transaction ends (every change to a case takes this lock first).
    @discardableResult
    static func openCase(_ session: PostgresSession, _ id: CaseID, actor: String, at time: Date, lock: Bool = true) async throws -> Case {
        let created = try await session.execute("""
            INSERT INTO cases (id, required_components, status, created_at)
            VALUES (\(id.description), '[]', \(CaseStatus.open.rawValue), \(RFC3339.format(time)))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """)
        if created > 0 { try await insertEvent(session, Event(caseID: id, time: time, actor: actor, kind: .caseOpened)) }
        return try await fetchCase(session, id, lock: lock).orThrow(.unknownCase(id))
    }

    static func fetchCase(_ session: PostgresSession, _ id: CaseID, lock: Bool) async throws -> Case? {
        try await session.row("SELECT * FROM cases WHERE id = \(id.description) \(unescaped: lock ? "FOR UPDATE" : "")").map(RowDecoding.case)
    }

    static func fetchJob(_ session: PostgresSession, _ id: Int64, lock: Bool) async throws -> IngestJob? {
        try await session.row("SELECT * FROM ingest_jobs WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")").map(RowDecoding.job)
    }

    /// Appends an event to its case's chain: after the case's latest row, hashed (`EventChain`), with the
    /// case's row locked so two appends never take the same head.
    @discardableResult
    static func insertEvent(_ session: PostgresSession, _ event: Event) async throws -> Event {
        try await session.execute("SELECT id FROM cases WHERE id = \(event.caseID.description) FOR UPDATE")
        let details = RowDecoding.encodeJSON(event.details)
        let head = try await session.row("SELECT hash FROM events WHERE case_id = \(event.caseID.description) ORDER BY id DESC LIMIT 1")
        let chain = EventChain.hashes(of: event, details: details, after: try head?.text("hash"))
        let row = try await session.row("""
            INSERT INTO events (case_id, time, actor, kind, details, previous_hash, hash)
            VALUES (\(event.caseID.description), \(RFC3339.format(event.time)), \(event.actor), \(event.kind.rawValue),
                    \(details), \(chain.previous), \(chain.hash))
            RETURNING id
            """)
        return Event(id: try row?.integer("id"), caseID: event.caseID, time: RFC3339.truncated(event.time), actor: event.actor,
                     kind: event.kind, details: event.details)
    }

    /// Stores a document (opening and locking its case), or records a duplicate.
    static func insertDocument(_ session: PostgresSession, _ document: Document, actor: String) async throws -> DocumentOutcome {
        try await openCase(session, document.caseID, actor: actor, at: document.storedAt)
        if let row = try await session.row("""
            SELECT * FROM documents WHERE case_id = \(document.caseID.description) AND sha256 = \(document.sha256.hex)
            """) {
            let earlier = try RowDecoding.document(row)
            try await insertEvent(session, Event(caseID: document.caseID, time: document.storedAt, actor: actor, kind: .duplicate,
                                                 details: document.duplicateDetails(of: earlier)))
            return .duplicate(of: earlier)
        }
        let normalized = document.normalized
        let row = try await session.row("""
            INSERT INTO documents (case_id, component, sha256, byte_count, page_count, source_file_name, station, digitized_by,
                stored_at, status, normalized_sha256, normalized_byte_count, thumbnail_sha256, normalization, source_pages)
            VALUES (\(document.caseID.description), \(document.component), \(document.sha256.hex), \(document.byteCount),
                \(document.pageCount.map(Int64.init)), \(document.sourceFileName), \(document.station), \(document.digitizedBy),
                \(RFC3339.format(document.storedAt)), \(document.status.rawValue), \(normalized?.pdf.hex), \(normalized?.pdfByteCount),
                \(normalized?.thumbnail.hex), \(normalized.map { RowDecoding.encodeJSON($0.metadata) }), \(document.sourcePages?.description))
            RETURNING id
            """)
        var stored = document
        stored.id = try row?.integer("id")
        try await recount(session, document.caseID)
        stored.storedAt = RFC3339.truncated(document.storedAt)
        try await insertEvent(session, Event(caseID: document.caseID, time: document.storedAt, actor: actor, kind: .documentStored,
                                             details: document.storedDetails))
        return .stored(stored)
    }
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow(_ error: CatalogError) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
