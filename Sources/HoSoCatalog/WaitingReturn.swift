import Foundation
import HoSoCore

/// A case whose passed result waits for the return step: the forgotten-returns report's line.
public struct WaitingReturn: Hashable, Sendable {
    public let caseID: String
    public let resultCode: String
    public let attachedAt: Date

    public init(caseID: String, resultCode: String, attachedAt: Date) {
        self.caseID = caseID
        self.resultCode = resultCode
        self.attachedAt = attachedAt
    }
}

/// The forgotten returns' query for both catalogs, with the scope's condition after the four fixed
/// parameters (passed, result attached, the time, passed).
enum WaitingReturnSQL {
    static func query(scope: AgencyCode?, dialect: CaseFilterSQL.Dialect, placeholder: (Int) -> String) -> (sql: String, parameters: [String]) {
        let filter = CaseFilterSQL(CaseQuery(scope: scope), dialect: dialect, placeholder: placeholder, from: 5)
        // SQLite's `+f.indication`: look the case's results up by case, not through the index on indication
        // (once per row: quadratic). PostgreSQL's planner needs no hint, and has no unary + for text.
        let hint = dialect == .sqlite ? "+" : ""
        let sql = """
            SELECT r.case_id, r.result_code, r.attached_at FROM results r JOIN cases c ON c.id = r.case_id
            WHERE r.indication = \(placeholder(1)) AND c.status = \(placeholder(2)) AND r.attached_at <= \(placeholder(3))
              AND r.number = (SELECT MIN(number) FROM results f WHERE f.case_id = r.case_id AND \(hint)f.indication = \(placeholder(4)))
              \(filter.andClause)
            ORDER BY r.attached_at, r.result_code
            """
        return (sql, filter.parameters)
    }

    static func fixed(attachedBefore: Date) -> [String] {
        [ResultVerdict.passed.rawValue, CaseStatus.resultAttached.rawValue, RFC3339.format(attachedBefore), ResultVerdict.passed.rawValue]
    }

    static func line(_ row: any CatalogRow) throws -> WaitingReturn {
        WaitingReturn(caseID: try RowDecoding.text(row, "case_id", table: "results"), resultCode: try RowDecoding.text(row, "result_code", table: "results"),
                      attachedAt: try RowDecoding.time(row, "attached_at", table: "results"))
    }
}
