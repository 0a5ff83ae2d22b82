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

    /// Where a page of the report ends: this line's attachment time and result code, the report's order.
    public var cursor: WaitingReturnCursor { WaitingReturnCursor(attachedAt: attachedAt, resultCode: resultCode) }
}

/// Where a page of the forgotten returns ends (the report's order: oldest attachment, then result code);
/// the next page starts after it. Given out as opaque text, base64url, to go back in a `cursor` parameter.
public struct WaitingReturnCursor: Hashable, Sendable {
    public let attachedAt: Date
    public let resultCode: String

    public init(attachedAt: Date, resultCode: String) {
        self.attachedAt = attachedAt
        self.resultCode = resultCode
    }

    public var encoded: String { CursorText.encode("s1", [RFC3339.format(attachedAt), resultCode]) }

    public init(encoded text: String) throws(InvalidCursor) {
        guard let fields = CursorText.decode(text, tag: "s1", fields: 2), let attachedAt = RFC3339.parse(fields[0]), !fields[1].isEmpty
        else { throw InvalidCursor(text: text) }
        self.init(attachedAt: attachedAt, resultCode: fields[1])
    }
}

/// Which forgotten returns to read: passed results attached at or before `attachedBefore`, of cases not
/// returned that `scope` may see (nil: all), after `after`, at most `limit` (nil: every one).
public struct WaitingReturnQuery: Sendable {
    public var attachedBefore: Date
    public var scope: AgencyCode?
    public var after: WaitingReturnCursor?
    public var limit: Int?

    public init(attachedBefore: Date, scope: AgencyCode? = nil, after: WaitingReturnCursor? = nil, limit: Int? = nil) {
        self.attachedBefore = attachedBefore
        self.scope = scope
        self.after = after
        self.limit = limit
    }
}

/// One page of the forgotten returns, and where the next one starts (nil on the last page).
public struct WaitingReturnPage: Sendable {
    public let lines: [WaitingReturn]
    public let next: WaitingReturnCursor?
}

extension WorkflowCatalog {
    /// At most `query.limit` forgotten returns after `query.after`, and the cursor of the next page if
    /// there is one (one more row is read to know).
    public func signedNotReturnedPage(_ query: WaitingReturnQuery) async throws -> WaitingReturnPage {
        let limit = query.limit ?? PageLimit.standard
        var probe = query
        probe.limit = limit + 1
        let (lines, next) = cutPage(try await signedNotReturned(probe), to: limit) { $0.cursor }
        return WaitingReturnPage(lines: lines, next: next)
    }
}

/// The forgotten returns' queries for both catalogs: the fixed conditions (passed, result attached, the
/// time, passed) first, then the page's start, then the scope's conditions.
///
/// Times are stored as fixed-width RFC 3339 UTC text and result codes are ASCII, so their byte order is
/// the report's order; PostgreSQL is told to compare bytes (`COLLATE "C"`) whatever the database's locale.
struct WaitingReturnSQL {
    let sql: String
    let parameters: [String]

    /// The lines, in the report's order, at most `query.limit`.
    static func lines(_ query: WaitingReturnQuery, dialect: CaseFilterSQL.Dialect, placeholder: (Int) -> String) -> WaitingReturnSQL {
        let parts = conditions(query, dialect: dialect, placeholder: placeholder)
        let collate = dialect == .postgres ? " COLLATE \"C\"" : ""
        let sql = """
            SELECT r.case_id, r.result_code, r.attached_at \(parts.sql)
            ORDER BY r.attached_at\(collate), r.result_code\(collate)\(query.limit.map { " LIMIT \($0)" } ?? "")
            """
        return WaitingReturnSQL(sql: sql, parameters: parts.parameters)
    }

    /// How many lines the query selects (its page ignored).
    static func count(_ query: WaitingReturnQuery, dialect: CaseFilterSQL.Dialect, placeholder: (Int) -> String) -> WaitingReturnSQL {
        var whole = query
        whole.after = nil
        let parts = conditions(whole, dialect: dialect, placeholder: placeholder)
        return WaitingReturnSQL(sql: "SELECT COUNT(*) AS waiting \(parts.sql)", parameters: parts.parameters)
    }

    private static func conditions(_ query: WaitingReturnQuery, dialect: CaseFilterSQL.Dialect, placeholder: (Int) -> String)
        -> (sql: String, parameters: [String]) {
        var parameters = [ResultVerdict.passed.rawValue, CaseStatus.resultAttached.rawValue, RFC3339.format(query.attachedBefore),
                          ResultVerdict.passed.rawValue]
        var page = ""
        if let after = query.after {
            let collate = dialect == .postgres ? " COLLATE \"C\"" : ""
            let (time, code) = (placeholder(parameters.count + 1), placeholder(parameters.count + 3))
            page = " AND (r.attached_at\(collate) > \(time) OR (r.attached_at = \(placeholder(parameters.count + 2)) AND r.result_code\(collate) > \(code)))"
            parameters += [RFC3339.format(after.attachedAt), RFC3339.format(after.attachedAt), after.resultCode]
        }
        let filter = CaseFilterSQL(CaseQuery(scope: query.scope), dialect: dialect, placeholder: placeholder, from: parameters.count + 1)
        // SQLite's `+f.indication`: look the case's results up by case, not through the index on indication
        // (once per row: quadratic). PostgreSQL's planner needs no hint, and has no unary + for text.
        let hint = dialect == .sqlite ? "+" : ""
        let sql = """
            FROM results r JOIN cases c ON c.id = r.case_id
            WHERE r.indication = \(placeholder(1)) AND c.status = \(placeholder(2)) AND r.attached_at <= \(placeholder(3))
              AND r.number = (SELECT MIN(number) FROM results f WHERE f.case_id = r.case_id AND \(hint)f.indication = \(placeholder(4)))\(page)
              \(filter.andClause)
            """
        return (sql, parameters + filter.parameters)
    }

    static func line(_ row: any CatalogRow) throws -> WaitingReturn {
        WaitingReturn(caseID: try RowDecoding.text(row, "case_id", table: "results"), resultCode: try RowDecoding.text(row, "result_code", table: "results"),
                      attachedAt: try RowDecoding.time(row, "attached_at", table: "results"))
    }
}
