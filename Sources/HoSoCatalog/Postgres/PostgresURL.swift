import Foundation
import HoSoCore

/// A PostgreSQL catalog's address as `catalog.url` writes it: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
/// with `?sslmode=disable|prefer|require` (libpq's names; prefer when not given). Its description never
/// shows the password.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable { case disable, prefer, require }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String
    public let tls: TLSMode

    public typealias Invalid = InvalidURL

    public init(parsing text: String) throws(Invalid) {
        func invalid(_ reason: String) -> Invalid { Invalid(text, reason) }
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw invalid("not a postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let host = url.host, !host.isEmpty else { throw invalid("no host") }
        guard let user = url.user, !user.isEmpty else { throw invalid("no user (postgres://USER@HOST/DATABASE)") }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else { throw invalid("no database (postgres://USER@HOST/DATABASE)") }
        var tls = TLSMode.prefer
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else { throw invalid("sslmode: disable, prefer or require") }
                tls = mode
            default: throw invalid("unknown parameter \"\(item.name)\" (sslmode)")
            }
        }
        self.host = host
        port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":…")@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// The same server and user, another database (the tests make one per test).
    public func with(database: String) -> PostgresURL {
        PostgresURL(host: host, port: port, user: user, password: password, database: database, tls: tls)
    }

    private init(host: String, port: Int, user: String, password: String?, database: String, tls: TLSMode) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }
}
