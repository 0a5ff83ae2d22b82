import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// Hand-overs and case changes, and the events' hash chain, in each real catalog (SQLite, PostgreSQL).
@Suite struct CaseTrailCatalogTests {
    static let id = try! CaseID(parsing: "000.00.14.H27-250403-0001")
    static let other = try! CaseID(parsing: "000.00.14.H27-250403-0002")
    static func vn(_ text: String) -> Date { RFC3339.parse(text + "+07:00")! }
    static let handOver = ProgressEntry.handOver(HandOver(from: Party(name: "Bộ phận Một cửa", person: "Lan"),
                                                          to: Party(agency: try! AgencyCode(parsing: "000.00.14.H27"), name: "Văn phòng Đăng ký đất đai",
                                                                    person: "Minh"),
                                                          dueAt: vn("2025-04-03T17:00:00"), note: "kèm bản vẽ"))

    func register(_ id: CaseID, in catalog: any ServerCatalog) async throws {
        _ = try await catalog.registerCase(CaseRegistration(
            id: id, procedureCode: try ProcedureCode(parsing: "1.001193"), applicant: Applicant(name: "Trần Văn An", idNumber: "001"),
            receivedAt: Self.vn("2025-04-03T09:00:00"), dueAt: Self.vn("2025-04-10T17:00:00"), requiredComponents: []),
            actor: "token:wf", at: Self.vn("2025-04-03T09:00:00"))
    }

    @Test(arguments: CatalogImplementation.allCases)
    func steps_comeInOrder_extensionsMoveTheDueDate_andAClosedCaseTakesNoMore(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        try await register(Self.id, in: catalog)
        guard case .recorded(let first, _) = try await catalog.recordProgress(Self.handOver, caseID: Self.id, actor: "token:wf",
                                                                             at: Self.vn("2025-04-03T10:00:00")) else {
            Issue.record("not recorded"); return
        }
        #expect(ProgressEntry(first) == Self.handOver, "the step reads back with every fact")
        #expect(try await catalog.recordProgress(Self.handOver, caseID: Self.id, actor: "token:wf", at: Self.vn("2025-04-03T09:59:59"))
            == .refused(.beforePrevious(time: Self.vn("2025-04-03T09:59:59"), previous: Self.vn("2025-04-03T10:00:00"))))
        let extension_ = ProgressEntry.extended(newDueAt: Self.vn("2025-04-15T17:00:00"), apologyLetter: "12/PXL-VPĐK", reason: "chờ phối hợp")
        guard case .recorded(let extended, let after) = try await catalog.recordProgress(extension_, caseID: Self.id, actor: "token:wf",
                                                                                       at: Self.vn("2025-04-10T16:00:00")) else {
            Issue.record("not extended"); return
        }
        #expect(after.dueAt == Self.vn("2025-04-15T17:00:00") && extended.details["previousDueAt"] == "2025-04-10T10:00:00.000Z")
        #expect(try await catalog.fetchCase(Self.id)?.dueAt == Self.vn("2025-04-15T17:00:00"))
        #expect(try await catalog.lateCaseCount(at: Self.vn("2025-04-20T00:00:00"), scope: nil) == 1)
        guard case .recorded(_, let withdrawn) = try await catalog.recordProgress(.withdrawn(reason: "người nộp rút"), caseID: Self.id,
                                                                                 actor: "token:wf", at: Self.vn("2025-04-11T08:00:00")) else {
            Issue.record("not withdrawn"); return
        }
        #expect(withdrawn.status == .withdrawn)
        #expect(try await catalog.lateCaseCount(at: Self.vn("2025-04-20T00:00:00"), scope: nil) == 0, "a withdrawn case is never late")
        #expect(try await catalog.recordProgress(Self.handOver, caseID: Self.id, actor: "token:wf", at: Self.vn("2025-04-11T09:00:00"))
            == .refused(.caseClosed(.withdrawn)))
        await #expect(throws: CatalogError.unknownCase(Self.other)) {
            try await catalog.recordProgress(Self.handOver, caseID: Self.other, actor: "token:wf", at: Self.vn("2025-04-11T09:00:00"))
        }
        let kinds = try await catalog.events(of: Self.id).map(\.kind)
        #expect(kinds == [.caseOpened, .caseRegistered, .handedOver, .dueExtended, .withdrawn], "refusals leave no event")
    }

    /// Two cases' trails, interleaved.
    func trails(in catalog: any ServerCatalog) async throws {
        try await register(Self.id, in: catalog)
        try await register(Self.other, in: catalog)
        for (index, id) in [Self.id, Self.other, Self.id, Self.other].enumerated() {
            _ = try await catalog.recordProgress(Self.handOver, caseID: id, actor: "token:wf", at: Self.vn("2025-04-03T10:0\(index):00"))
        }
    }

    func breaks(in catalog: any ServerCatalog, case id: CaseID? = nil) async throws -> [EventChain.Break] {
        var audit = ChainAudit(catalog: catalog)
        audit.pageSize = 3  // pages end inside a case's chain
        return try await audit.verify(caseID: id).breaks
    }

    @Test(arguments: CatalogImplementation.allCases)
    func anEditedEvent_isNamed(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        try await trails(in: handle.catalog)
        let audit = try await ChainAudit(catalog: handle.catalog).verify()
        #expect(audit.cases == 2 && audit.events == 8 && audit.breaks.isEmpty, "two cases: opened, registered, two steps each")
        let target = try #require(try await handle.catalog.events(of: Self.id).first { $0.kind == .handedOver })
        try await handle.sql(Self.aroundTheTrigger(implementation, """
            UPDATE events SET details = replace(details, 'Minh', 'Mình') WHERE id = \(target.id ?? 0)
            """))
        #expect(try await breaks(in: handle.catalog) == [.edited(id: target.id ?? 0, caseID: Self.id.description)])
        #expect(try await breaks(in: handle.catalog, case: Self.other).isEmpty)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aRemovedOrMovedEvent_isNamedByTheOneAfterIt(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        try await trails(in: handle.catalog)
        let steps = try await handle.catalog.events(of: Self.other).filter { $0.kind == .handedOver }.compactMap(\.id)
        try await handle.sql(Self.aroundTheTrigger(implementation, "DELETE FROM events WHERE id = \(steps[0])"))
        #expect(try await breaks(in: handle.catalog) == [.removedOrReordered(id: steps[1], caseID: Self.other.description)])
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theChain_givesTheSameHashesWhenRowsWrittenBeforeItAreChainedByItsMigration(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        try await trails(in: handle.catalog)
        let live = try await handle.catalog.chainLinks(of: nil, after: nil, limit: 100)
        // Back to a catalog from before the chain: the columns gone, the migration not applied.
        let undo = switch implementation {
        case .sqlite: """
            DROP TRIGGER events_are_append_only_update; DROP INDEX events_chain; DROP INDEX events_case_id;
            ALTER TABLE events DROP COLUMN hash; ALTER TABLE events DROP COLUMN previous_hash;
            CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            DELETE FROM grdb_migrations WHERE identifier = 'v12-event-chain';
            """
        case .postgres: """
            DROP INDEX events_chain; DROP INDEX events_case_id; ALTER TABLE events DROP COLUMN hash;
            ALTER TABLE events DROP COLUMN previous_hash; DELETE FROM hoso_migrations WHERE name = 'v12-event-chain';
            """
        }
        try await handle.sql(undo)
        let reopened = try await handle.reopen()
        #expect(try await reopened.chainLinks(of: nil, after: nil, limit: 100) == live)
        #expect(try await breaks(in: reopened).isEmpty)
    }

    /// `sql` run with the append-only trigger out of the way, as someone who owns the database could.
    static func aroundTheTrigger(_ implementation: CatalogImplementation, _ sql: String) -> String {
        switch implementation {
        case .sqlite:
            "DROP TRIGGER IF EXISTS events_are_append_only_update; DROP TRIGGER IF EXISTS events_are_append_only_delete; \(sql);"
        case .postgres:
            "ALTER TABLE events DISABLE TRIGGER events_are_append_only; \(sql); ALTER TABLE events ENABLE TRIGGER events_are_append_only;"
        }
    }
}
