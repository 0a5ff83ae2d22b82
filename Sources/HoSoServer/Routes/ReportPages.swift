import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// A page of a report's lines, which are computed whole and then cut: at most `limit` lines after the
    /// `cursor` parameter's key, in the report's order (`lines` sorted by `key`, `fields` long), and the next
    /// page's cursor when more follow. A cursor is the last line's key, tagged with the report's `tag`.
    static func reportPage<Line>(_ lines: [Line], tag: String, fields: Int, key: (Line) -> [String], request: Request) throws
        -> (lines: [Line], next: String?) {
        let limit = try QueryChoice.limit(request)
        var rest = lines[...]
        let cursor = try QueryChoice.cursor(request) { text throws(InvalidCursor) in
            guard let fields = CursorText.decode(text, tag: tag, fields: fields) else { throw InvalidCursor(text: text) }
            return fields
        }
        if let after = cursor { rest = rest.drop { !after.lexicographicallyPrecedes(key($0)) } }
        let page = Array(rest.prefix(limit))
        return (page, rest.count > limit ? page.last.map { CursorText.encode(tag, key($0)) } : nil)
    }
}
