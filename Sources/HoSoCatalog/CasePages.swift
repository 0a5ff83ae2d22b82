import Foundation
import HoSoCore

/// Where a page of the case list ends: its last case's first-seen time and ID, the list's order (newest
/// first, then by ID). The next page starts after it, so cases registered meanwhile never shift a page
/// or show twice. Given out as opaque text (`encoded`), base64url, to go back in a `cursor` parameter.
public struct CaseCursor: Hashable, Sendable {
    public let createdAt: Date
    public let id: CaseID

    public init(createdAt: Date, id: CaseID) {
        self.createdAt = createdAt
        self.id = id
    }

    public var encoded: String { CursorText.encode("c1", [RFC3339.format(createdAt), id.description]) }

    public init(encoded text: String) throws(InvalidCursor) {
        guard let fields = CursorText.decode(text, tag: "c1", fields: 2), let createdAt = RFC3339.parse(fields[0]),
              let id = try? CaseID(parsing: fields[1]) else { throw InvalidCursor(text: text) }
        self.init(createdAt: createdAt, id: id)
    }
}

/// One page of the case list, and where the next one starts (nil on the last page).
public struct CasePage: Sendable {
    public let cases: [CaseSummary]
    public let next: CaseCursor?

    public init(cases: [CaseSummary], next: CaseCursor?) {
        self.cases = cases
        self.next = next
    }
}

extension Catalog {
    /// At most `query.limit` cases after `query.after`, and the cursor of the next page if there is one
    /// (one more row is read to know).
    public func casePage(_ query: CaseQuery) async throws -> CasePage {
        var probe = query
        probe.limit = query.limit + 1
        let (cases, next) = cutPage(try await listCases(probe), to: query.limit) { CaseCursor(createdAt: $0.case.createdAt, id: $0.case.id) }
        return CasePage(cases: cases, next: next)
    }

    /// Every case the query matches, read a page of `query.limit` at a time.
    public func allCases(_ query: CaseQuery) async throws -> [CaseSummary] {
        var query = query, all: [CaseSummary] = []
        while true {
            let page = try await casePage(query)
            all += page.cases
            guard let next = page.next else { return all }
            query.after = next
        }
    }
}
