import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog: MonitorLedger {
    public func recordProbe(target: String, up: Bool, reason: String, at time: Date) async throws -> ProbeChange {
        try await pool.write { db in
            let open = try Int64.fetchOne(db, sql: "SELECT id FROM target_outages WHERE target = ? AND ended_at IS NULL", arguments: [target])
            switch (up, open) {
            case (false, nil):
                try db.execute(sql: "INSERT INTO target_outages (target, started_at, reason) VALUES (?, ?, ?)",
                               arguments: [target, RFC3339.format(time), reason])
                return .opened
            case (true, let id?):
                try db.execute(sql: "UPDATE target_outages SET ended_at = ? WHERE id = ?", arguments: [RFC3339.format(time), id])
                return .closed
            default:
                return .none
            }
        }
    }

    public func targetOutages(from: Date, to: Date) async throws -> [TargetOutage] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM target_outages WHERE (ended_at IS NULL OR ended_at > ?) AND started_at < ? ORDER BY started_at, id
                """, arguments: [RFC3339.format(from), RFC3339.format(to)]).map(RowDecoding.targetOutage)
        }
    }
}

extension SQLiteCatalog: ChainStampLedger {
    public func chainHeads(after: Int64?) async throws -> [ChainHead] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.case_id AS case_id, e.id AS event_id, e.hash AS hash FROM events e
                JOIN (SELECT case_id, MAX(id) AS id FROM events
                      WHERE case_id IN (SELECT DISTINCT case_id FROM events WHERE id > ?) GROUP BY case_id) last ON last.id = e.id
                ORDER BY e.case_id
                """, arguments: [after ?? 0]).map(RowDecoding.chainHead)
        }
    }

    public func recordStamp(_ stamp: ChainStamp) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO chain_stamps (stamped_at, tsa_url, through_event_id, digest, token) VALUES (?, ?, ?, ?, ?)",
                           arguments: [RFC3339.format(stamp.stampedAt), stamp.tsaURL, stamp.throughEventID, stamp.digest, stamp.token])
            let id = db.lastInsertedRowID
            for head in stamp.heads {
                try db.execute(sql: "INSERT INTO chain_stamp_heads (stamp_id, case_id, event_id, hash) VALUES (?, ?, ?, ?)",
                               arguments: [id, head.caseID, head.eventID, head.hash])
            }
        }
    }

    public func latestStamp() async throws -> ChainStamp? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chain_stamps ORDER BY id DESC LIMIT 1").map { try RowDecoding.chainStamp($0, heads: []) }
        }
    }

    public func stamps() async throws -> [ChainStamp] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chain_stamps ORDER BY id").map { try RowDecoding.chainStamp($0, heads: []) }
        }
    }

    public func stampHeads(of stampID: Int64) async throws -> [ChainHead] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, event_id, hash FROM chain_stamp_heads WHERE stamp_id = ? ORDER BY case_id",
                             arguments: [stampID]).map(RowDecoding.chainHead)
        }
    }

    public func latestStampedHeads(of caseID: CaseID?) async throws -> [ChainHead] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.case_id AS case_id, h.event_id AS event_id, h.hash AS hash FROM chain_stamp_heads h
                JOIN (SELECT case_id, MAX(event_id) AS event_id FROM chain_stamp_heads WHERE ? IS NULL OR case_id = ? GROUP BY case_id) m
                  ON m.case_id = h.case_id AND m.event_id = h.event_id
                GROUP BY h.case_id ORDER BY h.case_id
                """, arguments: [caseID?.description, caseID?.description]).map(RowDecoding.chainHead)
        }
    }
}
