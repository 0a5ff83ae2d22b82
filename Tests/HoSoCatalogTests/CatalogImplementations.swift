import Foundation
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
            return CatalogHandle(catalog: try SQLiteCatalog(path: path), reopen: { try SQLiteCatalog(path: path) })
        case .postgres:
            let url = try TestPostgres.freshDatabase()
            return CatalogHandle(catalog: try await PostgresCatalog.open(url), reopen: { try await PostgresCatalog.open(url) })
        }
    }
}

struct CatalogHandle {
    let catalog: any ServerCatalog
    let reopen: () async throws -> any ServerCatalog
}

/// The PostgreSQL server the tests use.
enum TestPostgres {
    struct NoServer: Error, CustomStringConvertible {
        var description: String { "HOSO_TEST_POSTGRES_URL is not set: run make test, or scripts/test-servers start and set it" }
    }

    /// The server's URL (its `postgres` database).
    static func server() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment["HOSO_TEST_POSTGRES_URL"] else { throw NoServer() }
        return try PostgresURL(parsing: text)
    }

    /// A new, empty database on the server, made with `createdb`.
    static func freshDatabase() throws -> PostgresURL {
        let server = try server()
        let name = "hoso_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let made = try ExternalTool.run("createdb", ["-h", server.host, "-p", String(server.port), "-U", server.user, name])
        try #require(made.status == 0, "createdb \(name): \(made.output)")
        return server.with(database: name)
    }
}
