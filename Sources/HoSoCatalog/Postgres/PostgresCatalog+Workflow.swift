import Foundation
import HoSoCore
import PostgresNIO

extension PostgresCatalog: WorkflowCatalog {
    public func attachResult(caseID: CaseID, sha256: SHA256Digest, byteCount: Int64, verdict: ResultVerdict, report: String,
                             actor: String, at time: Date) async throws -> ResultOutcome {
        try await transaction { session in
            // The case's row lock orders attaches to one case from every node: numbers never collide.
            guard try await Self.fetchCase(session, caseID, lock: true) != nil else { throw CatalogError.unknownCase(caseID) }
            if let row = try await session.row("SELECT * FROM results WHERE case_id = \(caseID.description) AND sha256 = \(sha256.hex)") {
                return .alreadyAttached(try RowDecoding.result(row))
            }
            let highest = try await session.row("SELECT MAX(number) AS n FROM results WHERE case_id = \(caseID.description)")
            let number = Int(try highest?.integer("n") ?? 0) + 1
            let code = try HoSoCore.ResultCode(caseID: caseID, number: number)
            let row = try await session.row("""
                INSERT INTO results (case_id, number, result_code, sha256, byte_count, indication, report, attached_at, attached_by)
                VALUES (\(caseID.description), \(Int64(number)), \(code.description), \(sha256.hex), \(byteCount), \(verdict.rawValue),
                    \(report), \(RFC3339.format(time)), \(actor))
                RETURNING *
                """)
            if verdict == .passed {
                try await session.execute("""
                    UPDATE cases SET status = \(CaseStatus.resultAttached.rawValue)
                    WHERE id = \(caseID.description) AND status = \(CaseStatus.open.rawValue)
                    """)
            }
            try await Self.recount(session, caseID)
            try await Self.insertEvent(session, Event(caseID: caseID, time: time, actor: actor, kind: .resultAttached,
                                                      details: CaseResult.attachedDetails(code: code, sha256: sha256, verdict: verdict)))
            return .attached(try RowDecoding.result(try row.orThrow(.corruptRow(table: "results", reason: "result \(code) vanished"))))
        }
    }

    public func results(of id: CaseID) async throws -> [CaseResult] {
        try await read { session in
            try await session.rows("SELECT * FROM results WHERE case_id = \(id.description) ORDER BY number").map(RowDecoding.result)
        }
    }

    public func returnCase(_ id: CaseID, actor: String, at time: Date) async throws -> ReturnOutcome {
        // A returned case stays returned: asking again is answered from a read, without the row lock.
        if let earlier = try await read({ session in try await Self.returnedEvent(session, id) }) { return .alreadyReturned(earlier) }
        return try await transaction { session in
            let found = try await Self.fetchCase(session, id, lock: true).orThrow(.unknownCase(id))
            if found.status == .returned, let earlier = try await Self.returnedEvent(session, id) { return .alreadyReturned(earlier) }
            let verdicts = try await session.texts("SELECT indication FROM results WHERE case_id = \(id.description)")
            let stored = try await session.texts("SELECT component FROM documents WHERE case_id = \(id.description) AND component IS NOT NULL")
            let gate = ReturnGate(requiredComponents: found.requiredComponents, verdicts: try verdicts.map { try RowDecoding.verdict($0) },
                                  storedComponents: Set(stored))
            let refusals = gate.refusals
            if !refusals.isEmpty {
                try await Self.insertEvent(session, Event(caseID: id, time: time, actor: actor, kind: .returnRefused,
                                                          details: ReturnGate.details(of: refusals)))
                return .refused(refusals)
            }
            try await session.execute("UPDATE cases SET status = \(CaseStatus.returned.rawValue) WHERE id = \(id.description)")
            return .returned(try await Self.insertEvent(session, Event(caseID: id, time: time, actor: actor, kind: .returned)))
        }
    }

    /// The `returned` event of a returned case.
    private static func returnedEvent(_ session: PostgresSession, _ id: CaseID) async throws -> Event? {
        try await session.row("""
            SELECT e.* FROM events e JOIN cases c ON c.id = e.case_id
            WHERE e.case_id = \(id.description) AND c.status = \(CaseStatus.returned.rawValue) AND e.kind = \(EventKind.returned.rawValue)
            ORDER BY e.id LIMIT 1
            """).map(RowDecoding.event)
    }

    public func signedNotReturned(_ query: WaitingReturnQuery) async throws -> [WaitingReturn] {
        let select = Self.query(WaitingReturnSQL.lines(query, dialect: .postgres, placeholder: { "$\($0)" }))
        return try await read { session in try await session.rows(select).map(WaitingReturnSQL.line) }
    }

    public func signedNotReturnedCount(_ query: WaitingReturnQuery) async throws -> Int {
        let count = Self.query(WaitingReturnSQL.count(query, dialect: .postgres, placeholder: { "$\($0)" }))
        return try await read { session in
            Int(try await session.row(count).map { try RowDecoding.integer($0, "waiting", table: "results") } ?? 0)
        }
    }

    private static func query(_ sql: WaitingReturnSQL) -> PostgresQuery {
        var binds = PostgresBindings()
        for parameter in sql.parameters { binds.append(parameter) }
        return PostgresQuery(unsafeSQL: sql.sql, binds: binds)
    }

    public func blobDigests(withPrefix prefix: String) async throws -> [SHA256Digest] {
        try await read { session in
            var binds = PostgresBindings()
            var selects: [String] = []
            for (table, column) in BlobReferences.columns {
                binds.append(prefix + "%")
                selects.append("SELECT \(column) AS d FROM \(table) WHERE \(column) LIKE $\(binds.count)")
            }
            let texts = try await session.texts(PostgresQuery(unsafeSQL: selects.joined(separator: " UNION "), binds: binds))
            let copies = try await session.texts("SELECT normalized FROM quarantine WHERE normalized IS NOT NULL")
            return try BlobReferences.digests(texts + BlobReferences.quarantineCopies(copies), prefix: prefix)
        }
    }

    public func lastScrub(of shard: String) async throws -> (at: Date, node: String)? {
        try await read { session in
            guard let row = try await session.row("SELECT * FROM scrub_shards WHERE shard = \(shard)") else { return nil }
            return (try RowDecoding.time(row, "scrubbed_at", table: "scrub_shards"), try RowDecoding.text(row, "node", table: "scrub_shards"))
        }
    }

    public func recordScrub(of shard: String, node: String, at time: Date) async throws {
        try await transaction { session in
            _ = try await session.execute("""
                INSERT INTO scrub_shards (shard, scrubbed_at, node) VALUES (\(shard), \(RFC3339.format(time)), \(node))
                ON CONFLICT (shard) DO UPDATE SET scrubbed_at = excluded.scrubbed_at, node = excluded.node
                """)
        }
    }

    public func document(containing digest: SHA256Digest) async throws -> Document? {
        try await read { session in
            try await session.row("""
                SELECT * FROM documents WHERE sha256 = \(digest.hex) OR normalized_sha256 = \(digest.hex) OR thumbnail_sha256 = \(digest.hex)
                ORDER BY id LIMIT 1
                """).map(RowDecoding.document)
        }
    }
}

extension PostgresCatalog: TokenCatalog {
    public func createToken(_ token: APIToken) async throws -> APIToken {
        try await transaction { session in
            guard let row = try await session.row("""
                INSERT INTO api_tokens (name, role, agency, token_hash, created_at)
                VALUES (\(token.name), \(token.role.rawValue), \(token.agency?.rawValue), \(token.tokenHash), \(RFC3339.format(token.createdAt)))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """) else { throw CatalogError.tokenNameTaken(token.name) }
            var stored = token
            stored.id = try row.integer("id")
            return stored
        }
    }

    public func liveToken(hash: String) async throws -> APIToken? {
        try await read { session in
            try await session.row("SELECT * FROM api_tokens WHERE token_hash = \(hash) AND revoked_at IS NULL").map(RowDecoding.token)
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await read { session in try await session.rows("SELECT * FROM api_tokens ORDER BY id").map(RowDecoding.token) }
    }

    public func revokeToken(name: String, at time: Date) async throws -> Bool {
        try await transaction { session in
            try await session.execute("""
                UPDATE api_tokens SET revoked_at = \(RFC3339.format(time)) WHERE name = \(name) AND revoked_at IS NULL RETURNING id
                """) > 0
        }
    }
}

extension PostgresCatalog: UptimeLedger {
    public func startRun(node: String, at time: Date) async throws -> Int64 {
        try await transaction { session in
            let stamp = RFC3339.format(time)
            let row = try await session.row("INSERT INTO uptime_runs (node, started_at, last_beat_at) VALUES (\(node), \(stamp), \(stamp)) RETURNING id")
            return try RowDecoding.integer(try row.orThrow(.corruptRow(table: "uptime_runs", reason: "no id returned")), "id", table: "uptime_runs")
        }
    }

    public func beat(run: Int64, at time: Date) async throws {
        try await transaction { session in
            _ = try await session.execute("UPDATE uptime_runs SET last_beat_at = \(RFC3339.format(time)) WHERE id = \(run)")
        }
    }

    public func runs(from: Date, to: Date) async throws -> [UptimeRun] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM uptime_runs WHERE last_beat_at >= \(RFC3339.format(from)) AND started_at < \(RFC3339.format(to))
                ORDER BY started_at, id
                """).map(RowDecoding.uptimeRun)
        }
    }
}
