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

    /// A page's size: `limit` from 1 to `maximum`, else `standard` when absent.
    static func limit(_ request: Request, standard: Int = 100, maximum: Int = 1000) throws -> Int {
        guard let text = request.uri.queryParameters["limit"].map(String.init) else { return standard }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw Problem(.badRequest, "invalid_query", "limit: a whole number from 1 to \(maximum), not '\(text)'")
        }
        return limit
    }
}
