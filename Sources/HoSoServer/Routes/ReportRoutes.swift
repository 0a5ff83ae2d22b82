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

    /// `GET /v1/reports/signed-not-returned?olderThan=8h`: cases whose passed result has waited longer
    /// than that, in working time (office hours of working days), without the return step (the
    /// "forgotten return" the inspections found); one working day when not given.
    @Sendable func signedNotReturnedReport(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let given = request.uri.queryParameters["olderThan"].map(String.init)
        guard let seconds = given.map(Self.duration) ?? forgottenAfter else {
            throw Problem(.badRequest, "invalid_query", "olderThan: a duration like 30m, 8h or 3d of working time, not '\(given ?? "")'")
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
        return try JSON.response(Answer(cases: page.lines.map { Waiting($0, now: now, calendar: settings.calendar) }, next: page.next?.encoded))
    }

    /// A passed result waiting for the return step, and for how many hours (to the hundredth) at `now`:
    /// on the clock, and of working time.
    struct Waiting: Encodable {
        let caseId: String, resultCode: String, attachedAt: Date, hoursWaiting: Double, workingHoursWaiting: Double

        init(_ line: WaitingReturn, now: Date, calendar: WorkCalendar) {
            caseId = line.caseID
            resultCode = line.resultCode
            attachedAt = line.attachedAt
            hoursWaiting = TimelinessView.hours(now.timeIntervalSince(line.attachedAt))
            workingHoursWaiting = TimelinessView.hours(calendar.workingSeconds(from: line.attachedAt, to: now))
        }
    }

    /// How long a signed result may wait for the return step before it counts as forgotten: one working
    /// day of the configured office hours.
    var forgottenAfter: Double { Double(settings.calendar.hours.minutesPerDay * 60) }

    /// The forgotten returns: passed results that have waited longer than `seconds` of working time at
    /// `now` without the return step, of cases `caller` may see.
    func forgottenReturns(olderThan seconds: Double, for caller: Caller?, now: Date) -> WaitingReturnQuery {
        WaitingReturnQuery(attachedBefore: settings.calendar.subtracting(workingSeconds: seconds, from: now), scope: caller?.agency)
    }

    /// `GET /v1/reports/outages?from=&to=`: the times no node was up, longer than two beats, and the
    /// monitored systems' outages.
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
            /// The monitored systems' outages (`monitor.targets`); one still going on has no end.
            let targets: [TargetOutage]
        }
        return try JSON.response(Answer(from: from, to: to, runs: runs.count, nodes: Set(runs.map(\.node)).sorted(), outages: outages,
                                        totalSeconds: outages.reduce(0) { $0 + $1.seconds },
                                        targets: try await catalog.targetOutages(from: from, to: to)))
    }

    /// The ledger's runs between two times and the outages among them: gaps longer than two beats.
    func outages(from: Date, to: Date) async throws -> (runs: [UptimeRun], outages: [UptimeRun.Outage]) {
        let runs = try await catalog.runs(from: from, to: to)
        return (runs, UptimeRun.outages(in: runs, tolerance: outageTolerance))
    }

    /// A gap in the ledger longer than this (two beats, in seconds) is an outage.
    var outageTolerance: Double { Double(2 * settings.heartbeatSeconds) }

    /// The late-case report over this server's catalog, calendar and outage tolerance.
    var lateCaseReport: LateCaseReport { LateCaseReport(catalog: catalog, calendar: settings.calendar, tolerance: outageTolerance) }

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
