import Foundation
import HoSoCore

/// Where `catalog.url` says the catalog is: `sqlite:PATH` (a file of this node; a relative path is taken
/// from the data directory; the default is `catalog.sqlite` there) or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`
/// (a server the nodes share).
public enum CatalogLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public typealias Invalid = InvalidURL

    /// Reads `text`; a relative `sqlite:` path is resolved against `dataDirectory`.
    public init(parsing text: String, dataDirectory: URL) throws(Invalid) {
        if text.hasPrefix("postgres:") || text.hasPrefix("postgresql:") {
            do { self = .postgres(try PostgresURL(parsing: text)) } catch { throw error.of("catalog.url") }
            return
        }
        guard text.hasPrefix("sqlite:") else {
            throw Invalid(text, "give sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE", setting: "catalog.url")
        }
        let path = String(text.dropFirst("sqlite:".count))
        guard !path.isEmpty else { throw Invalid(text, "no file given", setting: "catalog.url") }
        self = .sqlite(path: path.hasPrefix("/") ? path : dataDirectory.appendingPathComponent(path).standardizedFileURL.path)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.description
        }
    }
}
