import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// Results, the return gate, tokens and the uptime ledger, in each real catalog (SQLite, PostgreSQL).
@Suite struct WorkflowCatalogTests {
    static let id = try! CaseID(parsing: "000.00.14.H27-240815-0007")
    static let t0 = RFC3339.parse("2024-08-15T01:30:00.000Z")!

    func register(components: [String], in catalog: any ServerCatalog) async throws {
        _ = try await catalog.registerCase(CaseRegistration(
            id: Self.id, procedureCode: try ProcedureCode(parsing: "1.001193"), applicant: Applicant(name: "An", idNumber: "1"),
            receivedAt: Self.t0, dueAt: Self.t0.addingTimeInterval(86_400 * 10), requiredComponents: components), actor: "token:wf", at: Self.t0)
    }

    func attach(_ fill: UInt8, _ verdict: ResultVerdict, minutes: Double, in catalog: any ServerCatalog) async throws -> ResultOutcome {
        try await catalog.attachResult(caseID: Self.id, sha256: SHA256Digest(bytes: [UInt8](repeating: fill, count: 32)), byteCount: 10,
                                       verdict: verdict, report: "{}", actor: "token:wf", at: Self.t0.addingTimeInterval(minutes * 60))
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theGate_givesEveryReason_untilAPassedResultAndTheInputsAreThere(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        try await register(components: ["Đơn", "Bản vẽ"], in: catalog)
        #expect(try await catalog.returnCase(Self.id, actor: "token:wf", at: Self.t0) == .refused([.missingSignedResult, .inputsNotDigitized(["Đơn", "Bản vẽ"])]))
        guard case .attached(let pending) = try await attach(1, .pending, minutes: 1, in: catalog) else { Issue.record("not attached"); return }
        #expect(pending.code.description == "\(Self.id)-KQ1")
        #expect(try await catalog.fetchCase(Self.id)?.status == .open, "a pending result does not change the case")
        _ = try await catalog.recordDocument(Document(caseID: Self.id, component: "Đơn", sha256: SHA256Digest(bytes: [UInt8](repeating: 9, count: 32)),
                                                      byteCount: 1, sourceFileName: "don.tif", station: "scan-01", digitizedBy: "station:scan-01",
                                                      storedAt: Self.t0), actor: "station:scan-01")
        #expect(try await catalog.returnCase(Self.id, actor: "token:wf", at: Self.t0) == .refused([.resultNotVerified, .inputsNotDigitized(["Bản vẽ"])]))

        guard case .attached(let passed) = try await attach(2, .passed, minutes: 2, in: catalog) else { Issue.record("not attached"); return }
        #expect(passed.code.number == 2)
        #expect(try await attach(2, .passed, minutes: 3, in: catalog) == .alreadyAttached(passed), "the same bytes again: the same result")
        #expect(try await catalog.fetchCase(Self.id)?.status == .resultAttached)
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(600), scope: nil))
                == [WaitingReturn(caseID: Self.id.description, resultCode: passed.code.description, attachedAt: Self.t0.addingTimeInterval(120))])
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(600), scope: try AgencyCode(parsing: "000.00.14.H27"))).count == 1)
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(600), scope: try AgencyCode(parsing: "000.00.15.H27"))).isEmpty,
                "another agency's scope does not see it")
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0, scope: nil)).isEmpty, "attached after that time")

        _ = try await catalog.recordDocument(Document(caseID: Self.id, component: "Bản vẽ", sha256: SHA256Digest(bytes: [UInt8](repeating: 8, count: 32)),
                                                      byteCount: 1, sourceFileName: "ban-ve.tif", station: "scan-01", digitizedBy: "station:scan-01",
                                                      storedAt: Self.t0), actor: "station:scan-01")
        guard case .returned(let event) = try await catalog.returnCase(Self.id, actor: "token:desk", at: Self.t0.addingTimeInterval(900)) else {
            Issue.record("not returned"); return
        }
        #expect(event.actor == "token:desk" && event.time == Self.t0.addingTimeInterval(900))
        guard case .alreadyReturned(let earlier) = try await catalog.returnCase(Self.id, actor: "token:other", at: Self.t0.addingTimeInterval(999)) else {
            Issue.record("not idempotent"); return
        }
        #expect(earlier == event)
        let kinds = try await catalog.events(of: Self.id).map(\.kind)
        #expect(kinds.filter { $0 == .returnRefused }.count == 2 && kinds.filter { $0 == .returned }.count == 1)
        #expect(kinds.filter { $0 == .resultAttached }.count == 2)
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(6000), scope: nil)).isEmpty)
    }

    /// Five cases signed, three at one time (their order then by result code), paged two at a time: every
    /// one once, in the report's order; counted the same; a scope sees and counts its own only.
    @Test(arguments: CatalogImplementation.allCases)
    func forgottenReturns_pageInTheReportsOrder_andCount(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let ids = try ["000.00.14.H27-240815-0003", "000.00.14.H27-240815-0001", "000.00.15.H27-240815-0002", "000.00.14.H27-240815-0005",
                       "000.00.14.H27-240815-0004"].map(CaseID.init(parsing:))
        let minutes = [5.0, 1, 1, 1, 0]
        for (index, id) in ids.enumerated() {
            _ = try await catalog.registerCase(CaseRegistration(
                id: id, procedureCode: try ProcedureCode(parsing: "1.001193"), applicant: Applicant(name: "An", idNumber: "1"),
                receivedAt: Self.t0, dueAt: Self.t0.addingTimeInterval(86_400), requiredComponents: []), actor: "token:wf", at: Self.t0)
            _ = try await catalog.attachResult(caseID: id, sha256: SHA256Digest(bytes: [UInt8](repeating: UInt8(index), count: 32)), byteCount: 1,
                                               verdict: .passed, report: "{}", actor: "token:wf", at: Self.t0.addingTimeInterval(minutes[index] * 60))
        }
        let expected = ["000.00.14.H27-240815-0004", "000.00.14.H27-240815-0001", "000.00.14.H27-240815-0005", "000.00.15.H27-240815-0002",
                        "000.00.14.H27-240815-0003"].map { "\($0)-KQ1" }
        var query = WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(3600), limit: 2)
        var seen: [String] = [], pages = 0
        while true {
            let page = try await catalog.signedNotReturnedPage(query)
            seen += page.lines.map(\.resultCode)
            pages += 1
            guard let next = page.next else { break }
            query.after = try WaitingReturnCursor(encoded: next.encoded)
        }
        #expect(seen == expected && pages == 3)
        #expect(try await catalog.signedNotReturned(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(3600))).map(\.resultCode) == expected)
        #expect(try await catalog.signedNotReturnedCount(query) == 5, "the count ignores the page")
        let scoped = WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(3600), scope: try AgencyCode(parsing: "000.00.15.H27"))
        #expect(try await catalog.signedNotReturned(scoped).map(\.caseID) == ["000.00.15.H27-240815-0002"])
        #expect(try await catalog.signedNotReturnedCount(scoped) == 1)
        #expect(try await catalog.signedNotReturnedCount(WaitingReturnQuery(attachedBefore: Self.t0.addingTimeInterval(30))) == 1,
                "only what waited long enough")
        #expect(throws: InvalidCursor.self) { try WaitingReturnCursor(encoded: "c3Q") }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func tokens_areFoundByHash_untilRevoked_andNamesAreUnique(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let token = try await catalog.createToken(APIToken(name: "mot-cua", role: .workflow, tokenHash: "ab", createdAt: Self.t0))
        #expect(try await catalog.liveToken(hash: "ab")?.name == "mot-cua")
        await #expect(throws: CatalogError.tokenNameTaken("mot-cua")) {
            _ = try await catalog.createToken(APIToken(name: "mot-cua", role: .admin, tokenHash: "cd", createdAt: Self.t0))
        }
        #expect(try await catalog.revokeToken(name: "mot-cua", at: Self.t0))
        #expect(try await catalog.liveToken(hash: "ab") == nil)
        #expect(try await catalog.revokeToken(name: "mot-cua", at: Self.t0) == false)
        #expect(try await catalog.tokens().first?.revokedAt == Self.t0)
        #expect(token.id != nil)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theUptimeLedger_keepsEachRun(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let first = try await catalog.startRun(node: "node-a", at: Self.t0)
        try await catalog.beat(run: first, at: Self.t0.addingTimeInterval(30))
        let second = try await catalog.startRun(node: "node-b", at: Self.t0.addingTimeInterval(300))
        let runs = try await catalog.runs(from: Self.t0, to: Self.t0.addingTimeInterval(3600))
        #expect(runs.map(\.id) == [first, second])
        #expect(runs.map(\.node) == ["node-a", "node-b"])
        #expect(runs[0].lastBeatAt == Self.t0.addingTimeInterval(30))
        #expect(try await catalog.runs(from: Self.t0.addingTimeInterval(3600), to: Self.t0.addingTimeInterval(7200)).isEmpty)
    }

    @Test func anOutage_isATimeNoNodeWasUp() {
        func run(_ id: Int64, _ node: String, _ start: Double, _ end: Double) -> UptimeRun {
            UptimeRun(id: id, node: node, startedAt: Self.t0.addingTimeInterval(start), lastBeatAt: Self.t0.addingTimeInterval(end))
        }
        // Node A runs 0–100 and again from 300; node B 10–50 and 90–200. Only 200–300 had no node.
        let runs = [run(1, "a", 0, 100), run(2, "b", 10, 50), run(3, "b", 90, 200), run(4, "a", 300, 400), run(5, "b", 405, 500)]
        let outages = UptimeRun.outages(in: runs.reversed(), tolerance: 20)
        #expect(outages == [UptimeRun.Outage(from: Self.t0.addingTimeInterval(200), to: Self.t0.addingTimeInterval(300))])
        #expect(outages.first?.seconds == 100)
        #expect(UptimeRun.outages(in: [], tolerance: 20).isEmpty)
    }
}
