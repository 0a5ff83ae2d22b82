import HoSoCatalog
import Hummingbird

/// Query parameters with a closed set of values, read as the OpenAPI document declares them: a value
/// outside the set is a 400 naming the parameter and what it may be, never quietly read as the default.
enum QueryChoice {
    /// The parameter's value when it is one of `allowed`; nil when it is absent.
    static func value(_ request: Request, _ name: String, in allowed: [String]) throws -> String? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard allowed.contains(value) else {
            throw Problem(.badRequest, "invalid_query", "\(name): one of \(allowed.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }

    /// A boolean parameter: `true` or `false`.
    static func flag(_ request: Request, _ name: String) throws -> Bool? {
        try value(request, name, in: ["true", "false"]).map { $0 == "true" }
    }

    /// A page's size: `limit` within ``PageLimit/allowed``, else ``PageLimit/standard`` when absent.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["limit"].map(String.init) else { return PageLimit.standard }
        guard let limit = Int(text), PageLimit.allowed.contains(limit) else {
            throw Problem(.badRequest, "invalid_query",
                          "limit: a whole number from \(PageLimit.allowed.lowerBound) to \(PageLimit.allowed.upperBound), not '\(text)'")
        }
        return limit
    }

    /// The `cursor` parameter read by `parse` (a list's cursor type); nil when absent, a 400 naming it when
    /// it is not a cursor of that list.
    static func cursor<Cursor>(_ request: Request, _ parse: (String) throws(InvalidCursor) -> Cursor) throws -> Cursor? {
        guard let text = request.uri.queryParameters["cursor"].map(String.init) else { return nil }
        do { return try parse(text) } catch { throw Problem(.badRequest, "invalid_query", "cursor: \(error)") }
    }
}
