import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// The monitored systems' outages and the chain heads' stamps, in each real catalog (SQLite, PostgreSQL).
@Suite struct AuditLedgerTests {
    static func vn(_ text: String) -> Date { RFC3339.parse(text + "+07:00")! }

    @Test(arguments: CatalogImplementation.allCases)
    func aTargetsOutage_opensOnce_andClosesWhenItAnswers(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        #expect(try await catalog.recordProbe(target: "mot-cua", up: true, reason: "", at: Self.vn("2025-03-03T07:59:00")) == .none)
        #expect(try await catalog.recordProbe(target: "mot-cua", up: false, reason: "HTTP 503", at: Self.vn("2025-03-03T08:00:00")) == .opened)
        #expect(try await catalog.recordProbe(target: "mot-cua", up: false, reason: "no answer", at: Self.vn("2025-03-03T08:01:00")) == .none)
        #expect(try await catalog.recordProbe(target: "cong-dvc", up: false, reason: "no answer", at: Self.vn("2025-03-03T09:00:00")) == .opened)
        #expect(try await catalog.recordProbe(target: "mot-cua", up: true, reason: "", at: Self.vn("2025-03-03T11:00:00")) == .closed)
        let outages = try await catalog.targetOutages(from: Self.vn("2025-03-03T00:00:00"), to: Self.vn("2025-03-04T00:00:00"))
        #expect(outages.map(\.target) == ["mot-cua", "cong-dvc"])
        #expect(outages[0].startedAt == Self.vn("2025-03-03T08:00:00") && outages[0].endedAt == Self.vn("2025-03-03T11:00:00")
                && outages[0].reason == "HTTP 503", "the first failed probe's reason")
        #expect(outages[1].endedAt == nil, "still going on")
        #expect(try await catalog.targetOutages(from: Self.vn("2025-03-03T11:00:00"), to: Self.vn("2025-03-05T00:00:00")).map(\.target) == ["cong-dvc"])
    }

    @Test(arguments: CatalogImplementation.allCases)
    func stampedHeads_areListedOnceMovedAndCheckedByTheAudit(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        let catalog = handle.catalog
        let a = try CaseID(parsing: "000.00.14.H27-250303-0001"), b = try CaseID(parsing: "000.00.14.H27-250303-0002")
        for id in [a, b] { try await catalog.openCase(id, actor: "token:wf", at: Self.vn("2025-03-03T08:00:00")) }
        let heads = try await catalog.chainHeads(after: nil)
        #expect(heads.map(\.caseID) == [a.description, b.description])
        let stamp = ChainStamp(stampedAt: Self.vn("2025-03-03T09:00:00"), tsaURL: "http://tsa.test/", throughEventID: heads.map(\.eventID).max()!,
                               digest: ChainStamp.digest(of: heads).hex, token: "AA==", heads: heads)
        try await catalog.recordStamp(stamp)
        #expect(try await catalog.latestStamp()?.throughEventID == stamp.throughEventID)
        #expect(try await catalog.chainHeads(after: stamp.throughEventID).isEmpty, "nothing moved since")
        // Case b moves on: only its head is listed next.
        let moved = try await catalog.appendEvent(Event(caseID: b, time: Self.vn("2025-03-03T10:00:00"), actor: "token:wf", kind: .duplicate))
        #expect(try await catalog.chainHeads(after: stamp.throughEventID).map(\.eventID) == [moved.id])
        let stored = try #require(try await catalog.stamps().first)
        #expect(try await catalog.stampHeads(of: stored.id ?? 0) == heads && stored.digest == stamp.digest)
        #expect(try await catalog.latestStampedHeads(of: b) == heads.filter { $0.caseID == b.description })
        #expect(try await ChainAudit(catalog: catalog).verify().breaks.isEmpty)

        // The stamped head of a (its only event) is removed, as is every event of it: the stamp still names it.
        let aHead = try #require(heads.first)
        try await handle.sql(CaseTrailCatalogTests.aroundTheTrigger(implementation, "DELETE FROM events WHERE case_id = '\(a)'"))
        #expect(try await ChainAudit(catalog: catalog).verify().breaks == [.headChanged(id: aHead.eventID, caseID: a.description)])
        // Of b, the event after the stamp goes: b still reaches its stamped head, so only the chain can tell — and it
        // cannot, that is what the next stamp is for. The stamped head itself going is found.
        try await handle.sql(CaseTrailCatalogTests.aroundTheTrigger(implementation, "DELETE FROM events WHERE id >= \(heads[1].eventID) AND case_id = '\(b)'"))
        #expect(try await ChainAudit(catalog: catalog).verify(caseID: b).breaks == [.headChanged(id: heads[1].eventID, caseID: b.description)])
    }
}
