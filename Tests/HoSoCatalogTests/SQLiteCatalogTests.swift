import Foundation
import GRDB
import HoSoCatalog
import HoSoCore
import Testing

/// What only the SQLite catalog can show: its file, its triggers, its transactions.
@Suite struct SQLiteCatalogTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID())")
    var path: String { directory.appendingPathComponent("catalog.sqlite").path }

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func catalog_usesWAL_andAppliesItsMigrations() async throws {
        _ = try SQLiteCatalog(path: path)
        let queue = try DatabaseQueue(path: path)
        try await queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            #expect(applied == ["v1-cases-documents-results-events-jobs", "v2-documents-normalized-copy", "v3-quarantine", "v4-documents-source-pages", "v5-tokens-uptime", "v6-signer-registry", "v7-uptime-nodes", "v8-scrub-shards", "v9-users-sessions", "v10-case-counts", "v11-ingest-jobs-times", "v12-event-chain", "v13-monitor-stamps"])
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            #expect(Set(["cases", "documents", "results", "events", "ingest_jobs"]).isSubset(of: Set(tables)))
        }
    }

    @Test func events_cannotBeEditedOrDeleted() async throws {
        let catalog = try SQLiteCatalog(path: path)
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        try await catalog.openCase(id, actor: "desk", at: Date())
        let queue = try DatabaseQueue(path: path)
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in try db.execute(sql: "UPDATE events SET time = '2020-01-01T00:00:00.000Z'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in try db.execute(sql: "DELETE FROM events") }
        }
        #expect(try await catalog.events(of: id).count == 1)
    }

    @Test func aDocumentWhoseEventFails_isNotStoredEither() async throws {
        let catalog = try SQLiteCatalog(path: path)
        // Make the event insert fail, as a full disk or a crash between the two statements would.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_document_event BEFORE INSERT ON events WHEN NEW.kind = 'document_stored'
                BEGIN SELECT RAISE(ABORT, 'simulated failure'); END
                """)
        }
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let document = Document(caseID: id, component: nil, sha256: SHA256Digest(bytes: [UInt8](repeating: 7, count: 32)),
                                byteCount: 1, sourceFileName: "a.tif", station: "cli", digitizedBy: "cli:test", storedAt: Date())
        await #expect(throws: (any Error).self) { try await catalog.recordDocument(document, actor: "cli:test") }
        #expect(try await catalog.documents(of: id).isEmpty)
        #expect(try await catalog.fetchCase(id) == nil, "the case opened in the same transaction is rolled back too")
    }

    @Test func aHandEditedRow_isReportedNotSkipped() async throws {
        let catalog = try SQLiteCatalog(path: path)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO cases (id, required_components, status, created_at)
                VALUES ('000.00.14.H27-240231-0001', '[]', 'open', '2024-08-15T00:00:00.000Z')
                """)
        }
        await #expect(throws: CatalogError.self) { try await catalog.listCases(CaseQuery()) }
    }

    @Test func aFileThatIsNotADatabase_isUnavailable_withItsPath() throws {
        try Data("not sqlite at all, just text that is long enough to look like a header".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CatalogError.self) { try SQLiteCatalog(path: path) }
        #expect(error.description.contains(path))
    }
}
