import Foundation
import GRDB
import HoSoCatalog
import HoSoTestSupport
import Testing

/// The catalog implementations every contract test runs against: SQLite in a fresh file, PostgreSQL in a
/// fresh database on the server `make test` starts (HOSO_TEST_POSTGRES_URL).
enum CatalogImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, empty catalog, and a way to open it again as another process would.
    func makeEmpty() async throws -> CatalogHandle {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("catalog.sqlite").path
            return CatalogHandle(catalog: try SQLiteCatalog(path: path), reopen: { try SQLiteCatalog(path: path) }, sql: { sql in
                // Around HoSo, as someone with the file would: a connection of its own.
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: sql) }
            })
        case .postgres:
            let url = try await TestPostgres.freshDatabase()
            return CatalogHandle(catalog: try await PostgresCatalog.open(url), reopen: { try await PostgresCatalog.open(url) }, sql: { sql in
                let run = try await ExternalTool.run("psql", ["-h", url.host, "-p", String(url.port), "-U", url.user, "-d", url.database,
                                                        "-v", "ON_ERROR_STOP=1", "-c", sql])
                guard run.status == 0 else { throw ExternalSQLFailed(output: run.output) }
            })
        }
    }
}

struct CatalogHandle {
    let catalog: any ServerCatalog
    let reopen: () async throws -> any ServerCatalog
    /// Runs SQL on the catalog's database around HoSo (sqlite through its own connection, psql).
    let sql: @Sendable (String) async throws -> Void
}

struct ExternalSQLFailed: Error, CustomStringConvertible {
    let output: String
    var description: String { "SQL run around HoSo failed: \(output)" }
}

extension TestPostgres {
    /// The server's URL (its `postgres` database).
    static func server() throws -> PostgresURL { try PostgresURL(parsing: try serverURL()) }

    /// A new, empty database on the server.
    static func freshDatabase() async throws -> PostgresURL { try await PostgresURL(parsing: try freshDatabaseURL()) }
}
