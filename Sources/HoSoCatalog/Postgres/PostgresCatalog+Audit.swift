import Foundation
import HoSoCore
import PostgresNIO

extension PostgresCatalog: MonitorLedger {
    public func recordProbe(target: String, up: Bool, reason: String, at time: Date) async throws -> ProbeChange {
        try await transaction { session in
            // Probes of one target come from the one node holding the monitor's lock; the unique index on
            // open outages keeps two from opening one each all the same.
            let open = try await session.row("SELECT id FROM target_outages WHERE target = \(target) AND ended_at IS NULL FOR UPDATE")
            switch (up, try open?.integer("id")) {
            case (false, nil):
                try await session.execute("""
                    INSERT INTO target_outages (target, started_at, reason) VALUES (\(target), \(RFC3339.format(time)), \(reason))
                    """)
                return .opened
            case (true, let id?):
                try await session.execute("UPDATE target_outages SET ended_at = \(RFC3339.format(time)) WHERE id = \(id)")
                return .closed
            default:
                return .none
            }
        }
    }

    public func targetOutages(from: Date, to: Date) async throws -> [TargetOutage] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM target_outages WHERE (ended_at IS NULL OR ended_at > \(RFC3339.format(from))) AND started_at < \(RFC3339.format(to))
                ORDER BY started_at, id
                """).map(RowDecoding.targetOutage)
        }
    }
}

extension PostgresCatalog: ChainStampLedger {
    public func chainHeads(after: Int64?) async throws -> [ChainHead] {
        try await read { session in
            try await session.rows("""
                SELECT e.case_id AS case_id, e.id AS event_id, e.hash AS hash FROM events e
                JOIN (SELECT case_id, MAX(id) AS id FROM events
                      WHERE case_id IN (SELECT DISTINCT case_id FROM events WHERE id > \(after ?? 0)) GROUP BY case_id) last ON last.id = e.id
                ORDER BY e.case_id COLLATE "C"
                """).map(RowDecoding.chainHead)
        }
    }

    public func recordStamp(_ stamp: ChainStamp) async throws {
        try await transaction { session in
            let row = try await session.row("""
                INSERT INTO chain_stamps (stamped_at, tsa_url, through_event_id, digest, token)
                VALUES (\(RFC3339.format(stamp.stampedAt)), \(stamp.tsaURL), \(stamp.throughEventID), \(stamp.digest), \(stamp.token))
                RETURNING id
                """)
            let id = try row?.integer("id") ?? 0
            for head in stamp.heads {
                try await session.execute("""
                    INSERT INTO chain_stamp_heads (stamp_id, case_id, event_id, hash) VALUES (\(id), \(head.caseID), \(head.eventID), \(head.hash))
                    """)
            }
        }
    }

    public func latestStamp() async throws -> ChainStamp? {
        try await read { session in
            try await session.row("SELECT * FROM chain_stamps ORDER BY id DESC LIMIT 1").map { try RowDecoding.chainStamp($0, heads: []) }
        }
    }

    public func stamps() async throws -> [ChainStamp] {
        try await read { session in
            try await session.rows("SELECT * FROM chain_stamps ORDER BY id").map { try RowDecoding.chainStamp($0, heads: []) }
        }
    }

    public func stampHeads(of stampID: Int64) async throws -> [ChainHead] {
        try await read { session in
            try await session.rows("""
                SELECT case_id, event_id, hash FROM chain_stamp_heads WHERE stamp_id = \(stampID) ORDER BY case_id COLLATE "C"
                """).map(RowDecoding.chainHead)
        }
    }

    public func latestStampedHeads(of caseID: CaseID?) async throws -> [ChainHead] {
        try await read { session in
            try await session.rows("""
                SELECT DISTINCT ON (h.case_id) h.case_id AS case_id, h.event_id AS event_id, h.hash AS hash FROM chain_stamp_heads h
                WHERE \(caseID?.description)::text IS NULL OR h.case_id = \(caseID?.description)
                ORDER BY h.case_id, h.event_id DESC
                """).map(RowDecoding.chainHead)
        }
    }
}
