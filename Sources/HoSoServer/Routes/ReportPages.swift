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
        if let text = request.uri.queryParameters["cursor"].map(String.init) {
            guard let after = CursorText.decode(text, tag: tag, fields: fields) else {
                throw Problem(.badRequest, "invalid_query", "cursor: '\(text)' is not a cursor a page of this report gave out")
            }
            rest = rest.drop { !after.lexicographicallyPrecedes(key($0)) }
        }
        let page = Array(rest.prefix(limit))
        return (page, rest.count > limit ? page.last.map { CursorText.encode(tag, key($0)) } : nil)
    }
}
