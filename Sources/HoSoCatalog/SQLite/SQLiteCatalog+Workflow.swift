import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog: WorkflowCatalog {
    public func attachResult(caseID: CaseID, sha256: SHA256Digest, byteCount: Int64, verdict: ResultVerdict, report: String,
                             actor: String, at time: Date) async throws -> ResultOutcome {
        try await pool.write { db in
            guard try Self.fetchCase(db, caseID) != nil else { throw CatalogError.unknownCase(caseID) }
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM results WHERE case_id = ? AND sha256 = ?",
                                          arguments: [caseID.description, sha256.hex]) {
                return .alreadyAttached(try RowDecoding.result(row))
            }
            let number = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM results WHERE case_id = ?",
                                            arguments: [caseID.description]) ?? 0) + 1
            let code = try HoSoCore.ResultCode(caseID: caseID, number: number)
            try db.execute(
                sql: """
                    INSERT INTO results (case_id, number, result_code, sha256, byte_count, indication, report, attached_at, attached_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [caseID.description, number, code.description, sha256.hex, byteCount, verdict.rawValue, report,
                            RFC3339.format(time), actor]
            )
            if verdict == .passed {
                try db.execute(sql: "UPDATE cases SET status = ? WHERE id = ? AND status = ?",
                               arguments: [CaseStatus.resultAttached.rawValue, caseID.description, CaseStatus.open.rawValue])
            }
            try Self.recount(db, caseID)
            try Self.insertEvent(db, Event(caseID: caseID, time: time, actor: actor, kind: .resultAttached,
                                           details: CaseResult.attachedDetails(code: code, sha256: sha256, verdict: verdict)))
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM results WHERE result_code = ?", arguments: [code.description]) else {
                throw CatalogError.corruptRow(table: "results", reason: "result \(code) vanished")
            }
            return .attached(try RowDecoding.result(row))
        }
    }

    public func results(of id: CaseID) async throws -> [CaseResult] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM results WHERE case_id = ? ORDER BY number"), arguments: [id.description])
                .map(RowDecoding.result)
        }
    }

    public func returnCase(_ id: CaseID, actor: String, at time: Date) async throws -> ReturnOutcome {
        // A returned case stays returned: asking again is answered from a read, without the write lock.
        if let earlier = try await pool.read({ db in try Self.returnedEvent(db, id) }) { return .alreadyReturned(earlier) }
        return try await pool.write { db in
            guard let found = try Self.fetchCase(db, id) else { throw CatalogError.unknownCase(id) }
            if found.status == .returned, let earlier = try Self.returnedEvent(db, id) { return .alreadyReturned(earlier) }
            let verdicts = try String.fetchAll(db, sql: "SELECT indication FROM results WHERE case_id = ?", arguments: [id.description])
            let stored = Set(try String.fetchAll(db, sql: "SELECT component FROM documents WHERE case_id = ? AND component IS NOT NULL",
                                                 arguments: [id.description]))
            let gate = ReturnGate(requiredComponents: found.requiredComponents,
                                  verdicts: try verdicts.map { try RowDecoding.verdict($0) }, storedComponents: stored)
            let refusals = gate.refusals
            if !refusals.isEmpty {
                try Self.insertEvent(db, Event(caseID: id, time: time, actor: actor, kind: .returnRefused, details: ReturnGate.details(of: refusals)))
                return .refused(refusals)
            }
            try db.execute(sql: "UPDATE cases SET status = ? WHERE id = ?", arguments: [CaseStatus.returned.rawValue, id.description])
            return .returned(try Self.insertEvent(db, Event(caseID: id, time: time, actor: actor, kind: .returned)))
        }
    }

    /// The `returned` event of a returned case.
    private static func returnedEvent(_ db: Database, _ id: CaseID) throws -> Event? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT e.* FROM events e JOIN cases c ON c.id = e.case_id
            WHERE e.case_id = ? AND c.status = ? AND e.kind = ? ORDER BY e.id LIMIT 1
            """), arguments: [id.description, CaseStatus.returned.rawValue, EventKind.returned.rawValue]).map(RowDecoding.event)
    }

    public func signedNotReturned(_ query: WaitingReturnQuery) async throws -> [WaitingReturn] {
        let select = WaitingReturnSQL.lines(query, dialect: .sqlite, placeholder: { _ in "?" })
        return try await pool.read { db in
            try Row.fetchAll(db, sql: select.sql, arguments: StatementArguments(select.parameters)).map(WaitingReturnSQL.line)
        }
    }

    public func signedNotReturnedCount(_ query: WaitingReturnQuery) async throws -> Int {
        let count = WaitingReturnSQL.count(query, dialect: .sqlite, placeholder: { _ in "?" })
        return try await pool.read { db in try Int.fetchOne(db, sql: count.sql, arguments: StatementArguments(count.parameters)) ?? 0 }
    }
}

extension SQLiteCatalog {
    public func blobDigests(withPrefix prefix: String) async throws -> [SHA256Digest] {
        try await pool.read { db in
            let union = BlobReferences.columns.map { "SELECT \($1) AS d FROM \($0) WHERE \($1) LIKE ?" }.joined(separator: " UNION ")
            let pattern = prefix + "%"
            let texts = try String.fetchAll(db, sql: union, arguments: StatementArguments(BlobReferences.columns.map { _ in pattern }))
            let copies = try String.fetchAll(db, sql: "SELECT normalized FROM quarantine WHERE normalized IS NOT NULL")
            return try BlobReferences.digests(texts + BlobReferences.quarantineCopies(copies), prefix: prefix)
        }
    }

    public func lastScrub(of shard: String) async throws -> (at: Date, node: String)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM scrub_shards WHERE shard = ?", arguments: [shard]) else { return nil }
            return (try RowDecoding.time(row, "scrubbed_at", table: "scrub_shards"), try RowDecoding.text(row, "node", table: "scrub_shards"))
        }
    }

    public func recordScrub(of shard: String, node: String, at time: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO scrub_shards (shard, scrubbed_at, node) VALUES (?, ?, ?)
                ON CONFLICT (shard) DO UPDATE SET scrubbed_at = excluded.scrubbed_at, node = excluded.node
                """, arguments: [shard, RFC3339.format(time), node])
        }
    }

    public func document(containing digest: SHA256Digest) async throws -> Document? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM documents WHERE sha256 = ?1 OR normalized_sha256 = ?1 OR thumbnail_sha256 = ?1 ORDER BY id LIMIT 1
                """, arguments: [digest.hex]).map(RowDecoding.document)
        }
    }
}

extension SQLiteCatalog: TokenCatalog {
    public func createToken(_ token: APIToken) async throws -> APIToken {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_tokens WHERE name = ?", arguments: [token.name]) == 0 else {
                throw CatalogError.tokenNameTaken(token.name)
            }
            try db.execute(sql: "INSERT INTO api_tokens (name, role, agency, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [token.name, token.role.rawValue, token.agency?.rawValue, token.tokenHash, RFC3339.format(token.createdAt)])
            var stored = token
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func liveToken(hash: String) async throws -> APIToken? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL"), arguments: [hash])
                .map(RowDecoding.token)
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY id").map(RowDecoding.token) }
    }

    public func revokeToken(name: String, at time: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                           arguments: [RFC3339.format(time), name])
            return db.changesCount > 0
        }
    }
}

extension SQLiteCatalog: UptimeLedger {
    public func startRun(node: String, at time: Date) async throws -> Int64 {
        try await pool.write { db in
            let stamp = RFC3339.format(time)
            try db.execute(sql: "INSERT INTO uptime_runs (node, started_at, last_beat_at) VALUES (?, ?, ?)", arguments: [node, stamp, stamp])
            return db.lastInsertedRowID
        }
    }

    public func beat(run: Int64, at time: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE uptime_runs SET last_beat_at = ? WHERE id = ?", arguments: [RFC3339.format(time), run])
        }
    }

    public func runs(from: Date, to: Date) async throws -> [UptimeRun] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM uptime_runs WHERE last_beat_at >= ? AND started_at < ? ORDER BY started_at, id",
                             arguments: [RFC3339.format(from), RFC3339.format(to)]).map(RowDecoding.uptimeRun)
        }
    }
}
