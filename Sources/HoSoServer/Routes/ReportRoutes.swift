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
        let waiting = try await forgottenReturns(olderThan: seconds, for: context.caller)
        let page = try Self.reportPage(waiting, tag: "s1", fields: 2, key: Waiting.key, request: request)
        struct Answer: Encodable {
            let cases: [Waiting]
            let next: String?
        }
        return try JSON.response(Answer(cases: page.lines, next: page.next))
    }

    /// A passed result waiting for the return step.
    struct Waiting: Encodable {
        let caseId: String, resultCode: String, attachedAt: Date, hoursWaiting: Double
        /// Oldest attachment first, then by result code.
        static let key: @Sendable (Waiting) -> [String] = { [RFC3339.format($0.attachedAt), $0.resultCode] }
    }

    /// The passed results waiting longer than `seconds` without the return step, of cases `caller` may see.
    func forgottenReturns(olderThan seconds: Double, for caller: Caller?, now: Date = Date()) async throws -> [Waiting] {
        try await catalog.signedNotReturned(attachedBefore: now.addingTimeInterval(-seconds), scope: caller?.agency).map {
            Waiting(caseId: $0.caseID, resultCode: $0.resultCode, attachedAt: $0.attachedAt,
                    hoursWaiting: (now.timeIntervalSince($0.attachedAt) / 36).rounded() / 100)
        }.sorted { ($0.attachedAt, $0.resultCode) < ($1.attachedAt, $1.resultCode) }  // `key`'s order, whatever the database's collation
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
