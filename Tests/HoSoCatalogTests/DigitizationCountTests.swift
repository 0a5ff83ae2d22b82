import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// The digitization report counted in SQL, in each real catalog, against counts worked out by hand.
@Suite struct DigitizationCountTests {
    static let t0 = RFC3339.parse("2024-08-15T01:30:00.000Z")!

    func register(_ id: String, procedure: String, components: [String], resolvedBy: String? = nil, in catalog: any ServerCatalog) async throws -> CaseID {
        let caseID = try CaseID(parsing: id)
        _ = try await catalog.registerCase(CaseRegistration(
            id: caseID, procedureCode: try ProcedureCode(parsing: procedure), applicant: Applicant(name: "An", idNumber: "1"), receivedAt: Self.t0,
            dueAt: Self.t0.addingTimeInterval(864_000), requiredComponents: components,
            resolvingAgency: try resolvedBy.map { try AgencyCode(parsing: $0) }), actor: "token:wf", at: Self.t0)
        return caseID
    }

    func store(_ component: String?, _ fill: UInt8, of id: CaseID, in catalog: any ServerCatalog) async throws {
        _ = try await catalog.recordDocument(Document(caseID: id, component: component, sha256: SHA256Digest(bytes: [UInt8](repeating: fill, count: 32)),
                                                      byteCount: 1, sourceFileName: "x.tif", station: "scan-01", digitizedBy: "station:scan-01",
                                                      storedAt: Self.t0), actor: "station:scan-01")
    }

    @Test(arguments: CatalogImplementation.allCases)
    func countsPerAgencyAndProcedure_asWorkedOutByHand(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        // 14.H27, procedure 1.001193: two cases, 2 + 1 required inputs, 1 + 1 digitized (a stray component
        // and a second copy of one count nothing more), one passed result, one returned.
        let a = try await register("000.00.14.H27-240815-0001", procedure: "1.001193", components: ["Đơn", "Bản vẽ"], in: catalog)
        try await store("Đơn", 1, of: a, in: catalog)
        try await store("Đơn", 2, of: a, in: catalog)
        try await store("Phụ lục", 3, of: a, in: catalog)
        let b = try await register("000.00.14.H27-240815-0002", procedure: "1.001193", components: ["Đơn"], in: catalog)
        try await store("Đơn", 4, of: b, in: catalog)
        _ = try await catalog.attachResult(caseID: b, sha256: SHA256Digest(bytes: [UInt8](repeating: 5, count: 32)), byteCount: 1, verdict: .passed,
                                           report: "{}", actor: "token:wf", at: Self.t0)
        _ = try await catalog.attachResult(caseID: a, sha256: SHA256Digest(bytes: [UInt8](repeating: 6, count: 32)), byteCount: 1, verdict: .pending,
                                           report: "{}", actor: "token:wf", at: Self.t0)
        guard case .returned = try await catalog.returnCase(b, actor: "token:desk", at: Self.t0) else { Issue.record("b not returned"); return }
        // 14.H27, another procedure; and 15.H27 resolved by a unit of 14.H27; and a case with no procedure.
        _ = try await register("000.00.14.H27-240815-0003", procedure: "2.000001", components: [], in: catalog)
        _ = try await register("000.00.15.H27-240815-0004", procedure: "1.001193", components: ["Đơn"], resolvedBy: "000.05.14.H27", in: catalog)
        let opened = try CaseID(parsing: "000.00.16.H27-240815-0005")
        _ = try await catalog.openCase(opened, actor: "station:scan-01", at: Self.t0)

        let all = try await catalog.digitization(CaseQuery(), agency: nil)
        #expect(all == [
            DigitizationCount(agency: "000.00.14.H27", procedureCode: "1.001193", cases: 2, inputsRequired: 3, inputsDigitized: 2, resultsSigned: 1, returned: 1),
            DigitizationCount(agency: "000.00.14.H27", procedureCode: "2.000001", cases: 1),
            DigitizationCount(agency: "000.00.15.H27", procedureCode: "1.001193", cases: 1, inputsRequired: 1),
            DigitizationCount(agency: "000.00.16.H27", procedureCode: nil, cases: 1),
        ])
        #expect(try await catalog.digitization(CaseQuery(), agency: "000.00.15.H27").map(\.agency) == ["000.00.15.H27"])
        let scoped = try await catalog.digitization(CaseQuery(scope: try AgencyCode(parsing: "000.00.14.H27")), agency: nil)
        #expect(scoped.map(\.agency) == ["000.00.14.H27", "000.00.14.H27", "000.00.15.H27"], "its own cases and the one its unit resolves")
        #expect(try await catalog.digitization(CaseQuery(from: Self.t0.addingTimeInterval(3600)), agency: nil).isEmpty)

        // Late: due ten days after t0; b was returned, the opened case has no due time.
        #expect(try await catalog.lateCaseCount(at: Self.t0.addingTimeInterval(864_001), scope: nil) == 3)
        #expect(try await catalog.lateCaseCount(at: Self.t0.addingTimeInterval(863_999), scope: nil) == 0, "not yet due")
        #expect(try await catalog.lateCaseCount(at: Self.t0.addingTimeInterval(864_001), scope: try AgencyCode(parsing: "000.00.15.H27")) == 1)
    }
}
