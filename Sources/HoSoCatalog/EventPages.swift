import Foundation
import HoSoCore

/// Where a page of a case's trail ends: its last event's time and number (the trail's order). Opaque text
/// like ``CaseCursor``.
public struct EventCursor: Hashable, Sendable {
    public let time: Date
    public let id: Int64

    public init(time: Date, id: Int64) {
        self.time = time
        self.id = id
    }

    public var encoded: String { CursorText.encode("e1", [RFC3339.format(time), String(id)]) }

    public init(encoded text: String) throws(InvalidCursor) {
        guard let fields = CursorText.decode(text, tag: "e1", fields: 2), let time = RFC3339.parse(fields[0]), let id = Int64(fields[1]) else {
            throw InvalidCursor(text: text)
        }
        self.init(time: time, id: id)
    }
}

/// One page of a case's trail, and where the next one starts (nil on the last page).
public struct EventPage: Sendable {
    public let events: [Event]
    public let next: EventCursor?
}

extension Catalog {
    /// The case's whole trail, in order.
    public func events(of id: CaseID) async throws -> [Event] {
        try await events(of: id, after: nil, limit: nil)
    }

    /// At most `limit` events of the case after `cursor`, and the next page's cursor if there is one.
    public func eventPage(of id: CaseID, after cursor: EventCursor?, limit: Int) async throws -> EventPage {
        let (events, next) = cutPage(try await events(of: id, after: cursor, limit: limit + 1), to: limit) { last in
            last.id.map { EventCursor(time: last.time, id: $0) }
        }
        return EventPage(events: events, next: next)
    }
}
