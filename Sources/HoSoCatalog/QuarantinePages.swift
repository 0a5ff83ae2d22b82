import Foundation
import HoSoCore

/// Which quarantined scans to list: oldest first (by entry number), after `afterID`, at most `limit`
/// (nil: all of them).
public struct QuarantineQuery: Hashable, Sendable {
    public var includeResolved: Bool
    public var afterID: Int64?
    public var limit: Int?

    public init(includeResolved: Bool = false, afterID: Int64? = nil, limit: Int? = nil) {
        self.includeResolved = includeResolved
        self.afterID = afterID
        self.limit = limit
    }
}

/// Where a page of the quarantine ends: its last entry's number. Opaque text like ``CaseCursor``.
public struct QuarantineCursor: Hashable, Sendable {
    public let id: Int64

    public init(id: Int64) { self.id = id }

    public var encoded: String { CursorText.encode("q1", [String(id)]) }

    public init(encoded text: String) throws(InvalidCursor) {
        guard let fields = CursorText.decode(text, tag: "q1", fields: 1), let id = Int64(fields[0]) else { throw InvalidCursor(text: text) }
        self.init(id: id)
    }
}

/// One page of the quarantine, and where the next one starts (nil on the last page).
public struct QuarantinePage: Sendable {
    public let entries: [QuarantineEntry]
    public let next: QuarantineCursor?
}

extension Catalog {
    /// Every entry the query matches (resolved ones only when asked), oldest first.
    public func quarantine(includeResolved: Bool) async throws -> [QuarantineEntry] {
        try await quarantine(QuarantineQuery(includeResolved: includeResolved))
    }

    /// At most `limit` entries after `cursor`, and the next page's cursor if there is one.
    public func quarantinePage(includeResolved: Bool, after cursor: QuarantineCursor?, limit: Int) async throws -> QuarantinePage {
        let found = try await quarantine(QuarantineQuery(includeResolved: includeResolved, afterID: cursor?.id, limit: limit + 1))
        let (entries, next) = cutPage(found, to: limit) { $0.id.map(QuarantineCursor.init(id:)) }
        return QuarantinePage(entries: entries, next: next)
    }
}
