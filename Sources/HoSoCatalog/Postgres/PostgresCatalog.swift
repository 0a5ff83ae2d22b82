import Foundation
import HoSoCore
import Logging
import NIOSSL
import PostgresNIO

/// The catalog on a PostgreSQL server several nodes share, behind the same protocols and tests as
/// ``SQLiteCatalog``: the same tables, the same migrations by name, the same rules (``ReturnGate``), rows
/// decoded by the same ``RowDecoding``.
///
/// Where SQLite serializes every write, here each transaction that changes a case first locks the case's
/// row (`SELECT … FOR UPDATE`), so two nodes attaching results to one case number them one after the
/// other; ingest jobs are claimed with `FOR UPDATE SKIP LOCKED`, so nodes never wait on each other's jobs.
public final class PostgresCatalog: Catalog {
    public let url: PostgresURL
    /// How long an operation waits for one of the pool's connections before it is refused as unavailable.
    public let connectionWait: Duration
    let client: PostgresClient
    let logger: Logger
    /// Ends every query and listen on a pool connection that closes (``ConnectionCloseWatch``).
    let watch = ConnectionCloseWatch()
    /// Where a held lock's checks of its connection run: a queue of their own, so a busy concurrency pool
    /// never makes a check late and the lock is never given up for a delay that was not the connection's.
    let lockChecks = QueueExecutor(label: "hoso.catalog.lock-checks")
    /// The client's connection pool runs until ``close()``.
    private let running: Task<Void, Never>

    private init(url: PostgresURL, connectionWait: Duration, client: PostgresClient, logger: Logger, running: Task<Void, Never>) {
        self.url = url
        self.connectionWait = connectionWait
        self.client = client
        self.logger = logger
        self.running = running
    }

    /// Starts the client's pool and returns once its `run()` has been entered (the first thing it does is
    /// mark itself running; a query before that is logged as a warning on every command's first query).
    private static func start(_ client: PostgresClient) async -> Task<Void, Never> {
        let (entered, signal) = AsyncStream<Void>.makeStream()
        let running = Task {
            signal.finish()
            await client.run()
        }
        for await _ in entered {}
        return running
    }

    /// Connects, brings the schema up to date (refusing one a newer HoSo wrote) and returns the catalog.
    /// An unreachable server or refused login is ``CatalogError/unavailable(path:reason:)`` naming the URL
    /// (never its password) and the server's answer.
    public static func open(
        _ url: PostgresURL, connectionWait: Duration = .seconds(10), logger: Logger = Logger(label: "hoso.catalog")
    ) async throws(CatalogError) -> PostgresCatalog {
        let tls: PostgresClient.Configuration.TLS = switch url.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        // Backstops on the server's side: a transaction a client left open is ended after a minute, so the
        // row locks it holds cannot stop every node's queue; a wait for a row lock longer than 30 s fails
        // (unavailable, retried) instead of hanging.
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "60000"), ("lock_timeout", "30000"),
        ]
        try await directly(url, logger: logger) { session in try await migrate(session, url: url) }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresCatalog(url: url, connectionWait: connectionWait, client: client, logger: logger, running: await start(client))
    }

    /// The migrations the database at `url` has applied (none when HoSo never initialized it), read over
    /// one connection without changing anything: what `hoso config check` reports.
    public static func appliedMigrations(at url: PostgresURL, logger: Logger = Logger(label: "hoso.catalog")) async throws(CatalogError) -> [String] {
        try await directly(url, logger: logger) { session in
            guard try await session.texts("SELECT to_regclass('hoso_migrations')::text").first != nil else { return [] }
            return try await session.texts("SELECT name FROM hoso_migrations ORDER BY applied_at, name")
        }
    }

    /// Runs `body` on one connection of its own, then hangs up. Opening the catalog does this first: the
    /// pool retries a failed connection until it succeeds, so a wrong address, password or database would
    /// otherwise make the first query wait forever instead of saying what is wrong.
    private static func directly<T>(_ url: PostgresURL, logger: Logger, _ body: (PostgresSession) async throws -> T) async throws(CatalogError) -> T {
        do {
            let tls: PostgresConnection.Configuration.TLS = switch url.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                                 database: url.database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                let result = try await body(PostgresSession(connection: connection, logger: logger, watch: ConnectionCloseWatch()))
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .unavailable(path: url.description, reason: describe(error))
        }
    }

    /// Closes the connections.
    public func close() {
        running.cancel()
    }

    deinit { running.cancel() }

    // MARK: Sessions

    /// Runs `body` in one transaction; any failure rolls it back. A wait for a connection longer than
    /// ``connectionWait`` (the server gone, the pool exhausted) is `unavailable`: callers answer at once
    /// (an API request 503) instead of queueing behind a server that is not there.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await read { session in try await session.inTransaction(body) }
    }

    /// Runs `body` on one connection, outside a transaction (reads); the same wait as ``transaction(_:)``.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await answering { [client, logger, watch] started in
            try await client.withConnection { connection in
                started()
                return try await body(PostgresSession(connection: connection, logger: logger, watch: watch))
            }
        }
    }

    /// The catalog's own errors pass (a refusal inside a transaction that rolled back, too); the server's
    /// and the network's become `unavailable` with the URL.
    private func answering<T: Sendable>(_ body: @escaping @Sendable (_ started: @escaping @Sendable () -> Void) async throws -> T) async throws -> T {
        do {
            return try await withStartDeadline(connectionWait, body)
        } catch let error as CatalogError { throw error } catch let late as DeadlineExceeded {
            throw CatalogError.unavailable(path: url.description, reason: "no connection to the server within \(late.limit)")
        } catch {
            throw CatalogError.unavailable(path: url.description, reason: Self.describe(error))
        }
    }

    /// What went wrong, in the server's words when it said something.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    // MARK: Schema

    /// Applies the migrations this HoSo knows and the database lacks, in order, in one transaction under an
    /// advisory lock (nodes starting at once); refuses a database that records a migration this HoSo does
    /// not know (a newer one wrote it).
    private static func migrate(_ session: PostgresSession, url: PostgresURL) async throws {
        try await session.inTransaction { session in
            try await session.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try await session.execute("CREATE TABLE IF NOT EXISTS hoso_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try await session.texts("SELECT name FROM hoso_migrations"))
            let known = PostgresSchema.migrations.map(\.name)
            if let unknown = applied.subtracting(known).sorted().first {
                throw CatalogError.newerSchema(path: url.description, migration: unknown)
            }
            for (name, sql) in PostgresSchema.migrations where !applied.contains(name) {
                for statement in PostgresSchema.statements(of: sql) { try await session.execute(PostgresQuery(unsafeSQL: statement)) }
                try await PostgresSchema.steps[name]?(session)
                try await session.execute("INSERT INTO hoso_migrations (name, applied_at) VALUES (\(name), \(RFC3339.format(Date())))")
            }
        }
    }

    /// The names of the migrations applied, in the order they were.
    public func appliedMigrations() async throws -> [String] {
        try await read { session in try await session.texts("SELECT name FROM hoso_migrations ORDER BY applied_at, name") }
    }

    /// The advisory lock key migrations run under (any fixed number other locks do not use).
    static let migrationLock: Int64 = 0x486F_536F_0001
}
