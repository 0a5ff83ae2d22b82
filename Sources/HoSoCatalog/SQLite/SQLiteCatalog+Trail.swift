import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog: CaseTrailCatalog {
    public func recordProgress(_ entry: ProgressEntry, caseID: CaseID, actor: String, at time: Date) async throws -> ProgressOutcome {
        try await pool.write { db in
            guard let found = try Self.fetchCase(db, caseID) else { throw CatalogError.unknownCase(caseID) }
            let kinds = EventKind.progress.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let earlier = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_id = ? AND kind IN (\(kinds)) ORDER BY time, id",
                                           arguments: [caseID.description]).map(RowDecoding.event)
            if let refusal = ProgressRule(current: found, earlier: earlier).refusal(of: entry, at: time) { return .refused(refusal) }
            let event = try Self.insertEvent(db, entry.event(on: found, actor: actor, at: time))
            if let due = entry.newDueAt {
                try db.execute(sql: "UPDATE cases SET due_at = ? WHERE id = ?", arguments: [RFC3339.format(due), caseID.description])
            }
            if let status = ProgressRule.status(after: entry) {
                try db.execute(sql: "UPDATE cases SET status = ? WHERE id = ?", arguments: [status.rawValue, caseID.description])
            }
            guard let after = try Self.fetchCase(db, caseID) else { throw CatalogError.unknownCase(caseID) }
            return .recorded(event, after)
        }
    }

    public func chainLinks(of caseID: CaseID?, after cursor: ChainCursor?, limit: Int) async throws -> [EventChain.Link] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let caseID {
                conditions.append("case_id = ?")
                arguments += [caseID.description]
            }
            if let cursor {
                conditions.append("(case_id > ? OR (case_id = ? AND id > ?))")
                arguments += [cursor.caseID, cursor.caseID, cursor.id]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM events \(filter) ORDER BY case_id, id LIMIT ?", arguments: arguments)
                .map(RowDecoding.chainLink)
        }
    }
}
