import Foundation
@testable import HoSoCatalog
import HoSoCore
import HoSoTestSupport
import Testing

/// What only the PostgreSQL catalog can show: its schema beside SQLite's, its triggers, its errors, and
/// two nodes (two catalogs on one database) working at once.
@Suite struct PostgresCatalogTests {
    static let caseID = try! CaseID(parsing: "000.00.14.H27-240815-0007")

    /// Runs SQL on the test database with psql, as an administrator (or a hand) would.
    func psql(_ url: PostgresURL, _ sql: String) async throws -> String {
        let run = try await ExternalTool.run("psql", ["-h", url.host, "-p", String(url.port), "-U", url.user, "-d", url.database,
                                                "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
        try #require(run.status == 0, "psql: \(run.output)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theSchema_hasSQLitesMigrations_byName_andItsTables() async throws {
        let url = try await TestPostgres.freshDatabase()
        let catalog = try await PostgresCatalog.open(url)
        let sqlite = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID()).sqlite").path
        _ = try SQLiteCatalog(path: sqlite)
        let sqliteMigrations = try await ExternalTool.run("sqlite3", [sqlite, "SELECT identifier FROM grdb_migrations ORDER BY rowid"]).output
        #expect(try await catalog.appliedMigrations() == sqliteMigrations.split(separator: "\n").map(String.init))
        let tables = try await psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
        let sqliteTables = try await ExternalTool.run("sqlite3", [sqlite, """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY 1
            """]).output
        #expect(tables.split(separator: "\n").filter { $0 != "hoso_migrations" } == sqliteTables.split(separator: "\n"))
        // Opening again (another node starting) applies nothing twice.
        _ = try await PostgresCatalog.open(url)
        #expect(try await psql(url, "SELECT COUNT(*) FROM hoso_migrations") == String(sqliteMigrations.split(separator: "\n").count))
    }

    @Test func events_cannotBeEditedOrDeleted() async throws {
        let url = try await TestPostgres.freshDatabase()
        let catalog = try await PostgresCatalog.open(url)
        _ = try await catalog.openCase(Self.caseID, actor: "desk", at: Date())
        for sql in ["UPDATE events SET time = '2020-01-01T00:00:00.000Z'", "DELETE FROM events"] {
            let run = try await ExternalTool.run("psql", ["-h", url.host, "-p", String(url.port), "-U", url.user, "-d", url.database,
                                                    "-v", "ON_ERROR_STOP=1", "-c", sql])
            #expect(run.status != 0, "\(sql) was allowed")
            #expect(run.output.contains("events are append-only"), "\(run.output)")
        }
        #expect(try await catalog.events(of: Self.caseID).count == 1)
    }

    @Test func aSchemaFromANewerHoSo_isRefused_onBoth() async throws {
        let url = try await TestPostgres.freshDatabase()
        _ = try await PostgresCatalog.open(url)
        _ = try await psql(url, "INSERT INTO hoso_migrations (name, applied_at) VALUES ('v7-from-the-future', '2027-01-01T00:00:00.000Z')")
        let error = await #expect(throws: CatalogError.self) { _ = try await PostgresCatalog.open(url) }
        #expect(error == .newerSchema(path: url.description, migration: "v7-from-the-future"))

        let sqlite = FileManager.default.temporaryDirectory.appendingPathComponent("newer-\(UUID()).sqlite").path
        _ = try SQLiteCatalog(path: sqlite)
        #expect(try await ExternalTool.run("sqlite3", [sqlite, "INSERT INTO grdb_migrations VALUES ('v7-from-the-future')"]).status == 0)
        #expect(throws: CatalogError.newerSchema(path: sqlite, migration: "v7-from-the-future")) { try SQLiteCatalog(path: sqlite) }
    }

    /// The server closes a connection between two queries of a transaction (a restart, an administrator's
    /// `pg_terminate_backend`): the next query fails at once as unavailable, and the catalog goes on with a new
    /// connection. postgres-nio drops a query written to a closed connection without ever answering it; an
    /// ingest worker waited so, with its job, until `hoso serve` was restarted.
    @Test func aQueryOnAConnectionTheServerClosed_failsAtOnce_insteadOfWaitingForEver() async throws {
        let url = try await TestPostgres.freshDatabase()
        let catalog = try await PostgresCatalog.open(url)
        let terminate: @Sendable (String) async throws -> String = { pid in try await psql(url, "SELECT pg_terminate_backend(\(pid))") }
        let failure = try await withDeadline(.seconds(30)) { () async throws -> CatalogError? in
            do {
                try await catalog.transaction { session in
                    let pid = try await session.texts("SELECT pg_backend_pid()::text")[0]
                    #expect(try await terminate(pid) == "t")
                    while !session.connection.isClosed { try await Task.sleep(for: .milliseconds(10)) }
                    try await session.execute("SELECT 1")
                }
                return nil
            } catch let error as CatalogError {
                return error
            }
        }
        guard case .unavailable(_, let reason)? = failure else {
            Issue.record("a query on a closed connection answered: \(String(describing: failure))")
            return
        }
        #expect(reason.contains("closed"), "\(reason)")
        #expect(try await catalog.appliedMigrations().isEmpty == false, "the next operation gets a connection that is open")
    }

    @Test func aServerThatIsNotThere_orADatabaseThatIsNot_isUnavailable_namingTheURLButNotThePassword() async throws {
        let server = try TestPostgres.server()
        let missing = try PostgresURL(parsing: "postgres://hoso:pa55word@\(server.host):\(server.port)/no_such_database?sslmode=disable")
        let noDatabase = await #expect(throws: CatalogError.self) { _ = try await PostgresCatalog.open(missing) }
        #expect(noDatabase.map { "\($0)".contains("no_such_database") && "\($0)".contains("does not exist") && !"\($0)".contains("pa55word") } == true,
                "\(String(describing: noDatabase))")
        let refused = try PostgresURL(parsing: "postgres://hoso:pa55word@127.0.0.1:1/hoso?sslmode=disable")
        // The first attempt's own answer (a pool would retry for ever, and say nothing).
        let nobody = await #expect(throws: CatalogError.self) { _ = try await PostgresCatalog.open(refused) }
        #expect(nobody.map { "\($0)".contains("127.0.0.1:1") && "\($0)".contains("Connection refused") && !"\($0)".contains("pa55word") } == true,
                "\(String(describing: nobody))")
    }

    @Test func twoNodes_attachingToOneCaseAtOnce_numberTheResultsWithoutAGap() async throws {
        let url = try await TestPostgres.freshDatabase()
        let (first, second) = (try await PostgresCatalog.open(url), try await PostgresCatalog.open(url))
        try await first.openCase(Self.caseID, actor: "desk", at: Date())
        let outcomes = try await withThrowingTaskGroup(of: ResultOutcome.self) { group in
            for index in 0..<40 {
                let node = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    try await node.attachResult(caseID: Self.caseID, sha256: SHA256Digest(bytes: [UInt8](repeating: UInt8(index), count: 32)),
                                                byteCount: 1, verdict: .pending, report: "{}", actor: "token:wf", at: Date())
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 40)
        #expect(try await first.results(of: Self.caseID).map(\.code.number) == Array(1...40))
    }

    @Test func twoNodes_claimingAtOnce_takeEachJobOnce() async throws {
        let url = try await TestPostgres.freshDatabase()
        let (first, second) = (try await PostgresCatalog.open(url), try await PostgresCatalog.open(url))
        for index in 0..<30 {
            _ = try await first.enqueueJob(NewIngestJob(sourceKey: "scan-01:\(index)", station: "scan-01", sourcePath: "/in/\(index).tif"), at: Date())
        }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (node, name) in [(first, "node-a"), (second, "node-b"), (first, "node-a2"), (second, "node-b2")] {
                group.addTask {
                    var mine: [Int64] = []
                    while let job = try await node.claimNextJob(worker: name, at: Date(), leaseExpiry: Date().addingTimeInterval(300)) {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.sorted() == Array(1...30))
    }

    /// Who is running under a lock, as the bodies report it.
    actor Holders {
        private(set) var running: Set<String> = []
        func enter(_ node: String) { running.insert(node) }
        func leave(_ node: String) { running.remove(node) }
    }

    @Test func aStationsLock_isOneNodes_untilItsConnectionDies_thenAnotherTakesIt() async throws {
        let url = try await TestPostgres.freshDatabase()
        let (nodeA, nodeB) = (try await PostgresCatalog.open(url), try await PostgresCatalog.open(url))
        let holders = Holders()
        func work(_ node: String) -> @Sendable () async throws -> Void {
            {
                await holders.enter(node)
                defer { Task { await holders.leave(node) } }
                try await Task.sleep(for: .seconds(3600))
            }
        }
        // The holder's check of its connection must answer within the interval (its checks run on a queue of
        // their own, so a test pool held by other tests does not make one late).
        let a = Task { try await nodeA.holding("station:scan-01", every: .seconds(2), work("a")) }
        for _ in 0..<300 where await holders.running != ["a"] { try await Task.sleep(for: .milliseconds(100)) }
        try #require(await holders.running == ["a"], "node A took the free station")
        let b = Task { try await nodeB.holding("station:scan-01", every: .seconds(2), work("b")) }
        try await Task.sleep(for: .seconds(5))
        #expect(await holders.running == ["a"], "node B waits while node A holds the station")

        // Node A's connection dies (its machine, its network): the server drops the lock, A stops, B takes over.
        _ = try await psql(url, "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        var running: Set<String> = []
        for _ in 0..<150 where running != ["b"] {
            try await Task.sleep(for: .milliseconds(100))
            running = await holders.running
        }
        #expect(running == ["b"], "node B took the station within a few intervals, and node A stopped")
        a.cancel()
        b.cancel()
        _ = await (a.result, b.result)
    }

    @Test func aJobQueuedByOneNode_wakesTheOthersListener() async throws {
        let url = try await TestPostgres.freshDatabase()
        let (queuing, listening) = (try await PostgresCatalog.open(url), try await PostgresCatalog.open(url))
        let (rings, ring) = AsyncStream<Void>.makeStream()
        let listener = Task { try await listening.listenForJobs { ring.yield() } }
        defer { listener.cancel() }
        // The listener may not be listening yet when the first job is queued: queue until it hears one.
        let heard = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in rings { return true }
                return false
            }
            group.addTask {
                for index in 0..<50 {
                    _ = try await queuing.enqueueJob(NewIngestJob(sourceKey: "scan-01:\(index)", station: "scan-01", sourcePath: "/in/\(index).tif"), at: Date())
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(heard, "a NOTIFY from the queuing node reached the listening one within 5 s")
    }
}
