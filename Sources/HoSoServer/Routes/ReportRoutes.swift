import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// `GET /v1/reports/digitization?from=&to=&agency=`: per agency and procedure, the required inputs
    /// digitized and the cases with a signed result and returned, for cases HoSo heard of in the period.
    @Sendable func digitizationReport(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let from = try Self.time(parameters["from"].map(String.init), field: "from")
        let to = try Self.time(parameters["to"].map(String.init), field: "to")
        let agency = parameters["agency"].map(String.init)
        let lines = try await digitizationLines(from: from, to: to, agency: agency, for: context.caller)
        struct Answer: Encodable {
            let from: Date?, to: Date?, agency: String?
            let lines: [DigitizationCount]
            let next: String?
        }
        let page = try Self.reportPage(lines, tag: "d1", fields: 2, key: DigitizationCount.sortKey, request: request)
        return try JSON.response(Answer(from: from, to: to, agency: agency, lines: page.lines, next: page.next))
    }

    /// The digitization report's lines for what `caller` may see, by agency then procedure.
    func digitizationLines(from: Date?, to: Date?, agency: String?, for caller: Caller?) async throws -> [DigitizationCount] {
        try await catalog.digitization(CaseQuery(from: from, to: to, scope: caller?.agency), agency: agency)
    }

    /// `GET /v1/reports/signed-not-returned?olderThan=24h`: cases whose passed result has waited longer
    /// than that without the return step (the "forgotten return" the inspections found).
    @Sendable func signedNotReturnedReport(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let text = request.uri.queryParameters["olderThan"].map(String.init) ?? "24h"
        guard let seconds = Self.duration(text) else {
            throw Problem(.badRequest, "invalid_query", "olderThan: a duration like 30m, 24h or 7d, not '\(text)'")
        }
        let now = Date()
        var query = forgottenReturns(olderThan: seconds, for: context.caller, now: now)
        query.after = try QueryChoice.cursor(request, WaitingReturnCursor.init(encoded:))
        query.limit = try QueryChoice.limit(request)
        let page = try await catalog.signedNotReturnedPage(query)
        struct Answer: Encodable {
            let cases: [Waiting]
            let next: String?
        }
        return try JSON.response(Answer(cases: page.lines.map { Waiting($0, now: now) }, next: page.next?.encoded))
    }

    /// A passed result waiting for the return step, and for how many hours (to the hundredth) at `now`.
    struct Waiting: Encodable {
        let caseId: String, resultCode: String, attachedAt: Date, hoursWaiting: Double

        init(_ line: WaitingReturn, now: Date) {
            caseId = line.caseID
            resultCode = line.resultCode
            attachedAt = line.attachedAt
            hoursWaiting = (now.timeIntervalSince(line.attachedAt) / 36).rounded() / 100
        }
    }

    /// The forgotten returns: passed results waiting longer than `seconds` at `now` without the return
    /// step, of cases `caller` may see.
    func forgottenReturns(olderThan seconds: Double, for caller: Caller?, now: Date) -> WaitingReturnQuery {
        WaitingReturnQuery(attachedBefore: now.addingTimeInterval(-seconds), scope: caller?.agency)
    }

    /// `GET /v1/reports/outages?from=&to=`: the times no node was up, longer than two beats.
    @Sendable func outagesReport(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let to = try Self.time(parameters["to"].map(String.init), field: "to") ?? Date()
        let from = try Self.time(parameters["from"].map(String.init), field: "from") ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw Problem(.badRequest, "invalid_query", "from: must come before to") }
        let (runs, found) = try await outages(from: from, to: to)
        struct Outage: Encodable {
            let from: Date, to: Date, seconds: Double
        }
        let outages = found.map { Outage(from: $0.from, to: $0.to, seconds: $0.seconds) }
        struct Answer: Encodable {
            let from: Date, to: Date, runs: Int, nodes: [String], outages: [Outage], totalSeconds: Double
        }
        return try JSON.response(Answer(from: from, to: to, runs: runs.count, nodes: Set(runs.map(\.node)).sorted(), outages: outages,
                                        totalSeconds: outages.reduce(0) { $0 + $1.seconds }))
    }

    /// The ledger's runs between two times and the outages among them: gaps longer than two beats.
    func outages(from: Date, to: Date) async throws -> (runs: [UptimeRun], outages: [UptimeRun.Outage]) {
        let runs = try await catalog.runs(from: from, to: to)
        return (runs, UptimeRun.outages(in: runs, tolerance: Double(2 * settings.heartbeatSeconds)))
    }

    /// `30m`, `24h`, `7d` in seconds; at most ten years.
    static func duration(_ text: String) -> Double? {
        guard let unit = text.last, text.dropLast().allSatisfy({ ("0"..."9").contains($0) || $0 == "." }),
              let value = Double(text.dropLast()), value.isFinite, value >= 0, value <= 3650 * 24 * 60 else { return nil }
        switch unit {
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        default: return nil
        }
    }
}
