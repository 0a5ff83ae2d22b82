import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// `GET /v1/reports/late-cases?from=&to=&format=json|csv`: the cases HoSo heard of in the period that are
    /// late (at their return or refusal, or now while open), each with the working time it was given, the
    /// outage time inside it in working hours, and whether that reaches a quarter (an excusable delay),
    /// the outages listed as evidence.
    @Sendable func lateCasesReport(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let format = try QueryChoice.value(request, "format", in: ["json", "csv"]) ?? "json"
        let to = try Self.time(parameters["to"].map(String.init), field: "to") ?? Date()
        let from = try Self.time(parameters["from"].map(String.init), field: "from") ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw Problem(.badRequest, "invalid_query", "from: must come before to") }
        let (lines, outages) = try await lateCaseReport.lines(from: from, to: to, scope: context.caller?.agency, now: Date())
        if format == "csv" {
            let rows = lines.map { line -> [String] in
                [line.caseId, VietnamTime.rfc3339(line.receivedAt), line.dueAt.map(VietnamTime.rfc3339) ?? "",
                 line.endedAt.map(VietnamTime.rfc3339) ?? "", String(line.lateWorkingHours), String(line.allowedWorkingHours),
                 String(line.outageWorkingHours), String(line.outageShare), line.excusable ? "yes" : "no",
                 line.outages.map { "\($0.system) \(VietnamTime.rfc3339($0.from))/\(VietnamTime.rfc3339($0.to))" }.joined(separator: "; ")]
            }
            return CSV.response(header: ["caseId", "receivedAt", "dueAt", "endedAt", "lateWorkingHours", "allowedWorkingHours",
                                         "outageWorkingHours", "outageShare", "excusable", "outages"], rows: rows, file: "late-cases.csv")
        }
        struct Answer: Encodable {
            let from: Date, to: Date
            let cases: [LateCaseReport.LateCase]
            let outages: [LateCaseReport.Outage]
        }
        return try JSON.response(Answer(from: from, to: to, cases: lines, outages: outages))
    }
}
