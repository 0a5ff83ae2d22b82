import Foundation

/// The PostgreSQL server the tests use: Debian's, which `make test` starts on 127.0.0.1
/// (scripts/test-servers) and names in `HOSO_TEST_POSTGRES_URL`. A test that needs it fails without it.
public enum TestPostgres {
    public struct NoServer: Error, CustomStringConvertible {
        public var description: String { "HOSO_TEST_POSTGRES_URL is not set: run make test, or scripts/test-servers start and set it" }
    }

    /// The server's URL, naming its `postgres` database.
    public static func serverURL() throws -> String {
        guard let text = ProcessInfo.processInfo.environment["HOSO_TEST_POSTGRES_URL"] else { throw NoServer() }
        return text
    }

    /// A new, empty database on the server, made with `createdb`: its URL.
    public static func freshDatabaseURL() async throws -> String {
        guard var url = URLComponents(string: try serverURL()) else { throw NoServer() }
        let name = "hoso_test_" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: "")
        let made = try await ExternalTool.run("createdb", ["-h", url.host ?? "127.0.0.1", "-p", String(url.port ?? 5432), "-U", url.user ?? "hoso", name])
        guard made.status == 0 else { throw CreateFailed(output: made.output) }
        url.path = "/" + name
        return url.string!
    }

    struct CreateFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "createdb: \(output)" }
    }
}
