import Foundation
import HoSoCatalog
import HoSoCore
@testable import HoSoServer
import HoSoTestSupport
import Testing

/// The late-case report's ≥ 1/4 rule over real catalogs: two one-day cases, left open and so late, each
/// day with an outage of the workflow server as HoSo's probes recorded it.
@Suite struct LateCaseReportTests {
    static func vn(_ text: String) -> Date { RFC3339.parse(text + "+07:00")! }

    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }

        func catalog() async throws -> any ServerCatalog {
            switch self {
            case .sqlite: try DataDirectory(root: try makeTemporaryDirectory("late-cases")).create()
            case .postgres: try await PostgresCatalog.open(try PostgresURL(parsing: try TestPostgres.freshDatabaseURL()))
            }
        }
    }

    @Test(arguments: Store.allCases)
    func threeHoursOutOfEight_excuse_oneDoesNot(_ store: Store) async throws {
        let catalog = try await store.catalog()
        let days = [("000.00.14.H27-250303-0001", "2025-03-03"), ("000.00.14.H27-250304-0001", "2025-03-04"),
                    ("000.00.14.H27-250305-0001", "2025-03-05")]
        for (id, day) in days {
            _ = try await catalog.registerCase(CaseRegistration(
                id: try CaseID(parsing: id), procedureCode: try ProcedureCode(parsing: "1.001193"), applicant: Applicant(name: "An", idNumber: "1"),
                receivedAt: Self.vn("\(day)T07:30:00"), dueAt: Self.vn("\(day)T17:00:00"), requiredComponents: []), actor: "token:wf", at: Date())
        }
        // The third case was refused in time: not late.
        _ = try await catalog.recordProgress(.refused(reason: "không đủ điều kiện"), caseID: try CaseID(parsing: days[2].0), actor: "token:wf",
                                             at: Self.vn("2025-03-05T16:00:00"))
        // Monday: the workflow server out 08:00–10:00 and 13:00–14:00 (3 h); Tuesday 09:00–10:00 (1 h).
        for (down, up) in [("2025-03-03T08:00:00", "2025-03-03T10:00:00"), ("2025-03-03T13:00:00", "2025-03-03T14:00:00"),
                           ("2025-03-04T09:00:00", "2025-03-04T10:00:00")] {
            try await catalog.recordProbe(target: "mot-cua", up: false, reason: "no answer", at: Self.vn(down))
            try await catalog.recordProbe(target: "mot-cua", up: true, reason: "", at: Self.vn(up))
        }
        let report = LateCaseReport(catalog: catalog, calendar: WorkCalendar(), tolerance: 20)
        let (lines, outages) = try await report.lines(from: Date().addingTimeInterval(-3600), to: Date().addingTimeInterval(60), scope: nil,
                                                      now: Self.vn("2025-03-07T17:00:00"))
        #expect(Set(lines.map(\.caseId)) == [days[0].0, days[1].0] && lines.count == 2, "the refused case was in time")
        let monday = try #require(lines.first { $0.caseId == days[0].0 }), tuesday = try #require(lines.first { $0.caseId == days[1].0 })
        #expect(monday.allowedWorkingHours == 8 && monday.outageWorkingHours == 3 && monday.outageShare == 0.375 && monday.excusable)
        #expect(tuesday.allowedWorkingHours == 8 && tuesday.outageWorkingHours == 1 && tuesday.outageShare == 0.125 && !tuesday.excusable)
        // Monday 17:00 to Friday 17:00: four working days late.
        #expect(monday.lateWorkingHours == 32 && monday.endedAt == nil)
        #expect(monday.outages.count == 2 && tuesday.outages.map(\.from) == [Self.vn("2025-03-04T09:00:00")])
        #expect(outages.count == 3 && outages.allSatisfy { $0.system == "mot-cua" && $0.reason == "no answer" })
    }
}
