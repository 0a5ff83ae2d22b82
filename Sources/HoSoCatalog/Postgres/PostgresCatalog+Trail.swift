import Foundation
import HoSoCore
import PostgresNIO

extension PostgresCatalog: CaseTrailCatalog {
    public func recordProgress(_ entry: ProgressEntry, caseID: CaseID, actor: String, at time: Date) async throws -> ProgressOutcome {
        try await transaction { session in
            guard let found = try await Self.fetchCase(session, caseID, lock: true) else { throw CatalogError.unknownCase(caseID) }
            let earlier = try await session.rows("""
                SELECT * FROM events WHERE case_id = \(caseID.description) AND kind = ANY(\(EventKind.progress.map(\.rawValue)))
                ORDER BY time, id
                """).map(RowDecoding.event)
            if let refusal = ProgressRule(current: found, earlier: earlier).refusal(of: entry, at: time) { return .refused(refusal) }
            let event = try await Self.insertEvent(session, entry.event(on: found, actor: actor, at: time))
            if let due = entry.newDueAt {
                try await session.execute("UPDATE cases SET due_at = \(RFC3339.format(due)) WHERE id = \(caseID.description)")
            }
            if let status = ProgressRule.status(after: entry) {
                try await session.execute("UPDATE cases SET status = \(status.rawValue) WHERE id = \(caseID.description)")
            }
            return .recorded(event, try await Self.fetchCase(session, caseID, lock: false).orThrow(.unknownCase(caseID)))
        }
    }

    public func chainLinks(of caseID: CaseID?, after cursor: ChainCursor?, limit: Int) async throws -> [EventChain.Link] {
        try await read { session in
            // With no cursor, every row is after the case "" and the number 0; with no case, any case.
            try await session.rows("""
                SELECT * FROM events
                WHERE (\(caseID?.description)::text IS NULL OR case_id = \(caseID?.description))
                  AND (case_id COLLATE "C" > \(cursor?.caseID ?? "") OR (case_id = \(cursor?.caseID ?? "") AND id > \(cursor?.id ?? 0)))
                ORDER BY case_id COLLATE "C", id LIMIT \(Int64(limit))
                """).map(RowDecoding.chainLink)
        }
    }
}
