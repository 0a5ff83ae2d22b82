import Foundation
import HoSoCore
import HoSoDigest

/// The events table as a hash chain per case: each row carries the SHA-256 of the case's previous row
/// (by row number; empty for the first) and its own, computed over the row's stored text, so an edited,
/// removed or reordered row breaks the chain where it happened. Both catalogs write and check the same
/// hashes (their rows are the same text), and `hoso migrate` copies them verbatim.
public enum EventChain {
    /// One stored row as the chain reads it: the columns' text as written.
    public struct Link: Hashable, Sendable {
        public let id: Int64
        public let caseID: String
        public let time: String
        public let actor: String
        public let kind: String
        public let details: String
        public let previousHash: String?
        public let hash: String?

        public init(id: Int64, caseID: String, time: String, actor: String, kind: String, details: String,
                    previousHash: String?, hash: String?) {
            self.id = id
            self.caseID = caseID
            self.time = time
            self.actor = actor
            self.kind = kind
            self.details = details
            self.previousHash = previousHash
            self.hash = hash
        }

        /// The hash this row's text gives after `previous`.
        public func computedHash(after previous: String) -> String {
            EventChain.hash(previous: previous, fields: [caseID, time, actor, kind, details])
        }
    }

    /// Where a case's chain first breaks.
    public enum Break: Hashable, Sendable, CustomStringConvertible {
        /// The row's text no longer gives its hash: it was edited.
        case edited(id: Int64, caseID: String)
        /// The row does not follow the one before it: a row between was removed, or rows were reordered.
        case removedOrReordered(id: Int64, caseID: String)
        /// The row carries no hash: it was written around HoSo.
        case unchained(id: Int64, caseID: String)
        /// A stamped head is gone or changed: rows at the end were removed or edited.
        case headChanged(id: Int64, caseID: String)

        public var description: String {
            switch self {
            case .edited(let id, let caseID): "case \(caseID): event \(id) was edited (its content no longer gives its hash)"
            case .removedOrReordered(let id, let caseID):
                "case \(caseID): event \(id) does not follow the event before it (an event was removed or reordered)"
            case .unchained(let id, let caseID): "case \(caseID): event \(id) has no hash (written around HoSo)"
            case .headChanged(let id, let caseID): "case \(caseID): the stamped head, event \(id), was removed or changed"
            }
        }
    }

    /// The previous hash of a case's first event.
    public static let start = ""

    /// SHA-256 (hex) of the fields, each written as its UTF-8 length, `:`, itself and a line feed, after
    /// the previous hash written the same way: no two different rows give the same text.
    static func hash(previous: String, fields: [String]) -> String {
        var text = ""
        for field in [previous] + fields { text += "\(field.utf8.count):\(field)\n" }
        return SHA256Hasher.digest(of: Array(text.utf8)).hex
    }

    /// The hashes a new row gets after the case's latest `previous` hash (nil: its first row).
    static func hashes(of event: Event, details: String, after previous: String?) -> (previous: String, hash: String) {
        let before = previous ?? start
        return (before, hash(previous: before, fields: [event.caseID.description, RFC3339.format(event.time), event.actor,
                                                        event.kind.rawValue, details]))
    }

    /// The first break in one case's rows (in row-number order), if any.
    public static func firstBreak(in rows: [Link]) -> Break? {
        var previous = start
        for row in rows {
            guard let hash = row.hash, let before = row.previousHash else { return .unchained(id: row.id, caseID: row.caseID) }
            if before != previous {
                // A row whose text still gives its hash but whose link names another predecessor: one
                // was removed before it, or the order changed.
                return row.computedHash(after: before) == hash ? .removedOrReordered(id: row.id, caseID: row.caseID)
                    : .edited(id: row.id, caseID: row.caseID)
            }
            if row.computedHash(after: before) != hash { return .edited(id: row.id, caseID: row.caseID) }
            previous = hash
        }
        return nil
    }

    /// The rows of every case chained from the start, for a catalog whose rows have no hashes yet (the
    /// migration that brought the chain): the new (previous, hash) of each row by number.
    static func chain(_ rows: [Link]) -> [(id: Int64, previous: String, hash: String)] {
        var heads: [String: String] = [:]
        return rows.sorted { $0.id < $1.id }.map { row in
            let previous = heads[row.caseID] ?? start
            let hash = row.computedHash(after: previous)
            heads[row.caseID] = hash
            return (row.id, previous, hash)
        }
    }
}
