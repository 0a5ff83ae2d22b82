import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension WebUI {
    // MARK: Tổng quan

    @Sendable func dashboard(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        let menu = WebPage.menu(for: visit.user.role)
        let caller = visit.caller, texts = visit.texts
        let key = [caller.role.rawValue, caller.agency?.rawValue ?? "", visit.language.rawValue].joined(separator: "|")
        var values = try await overview.totals(for: key) {
            var totals = OverviewTotals(countedAt: Date())
            if menu["queue"] == true {
                totals.quarantineWaiting = try await api.catalog.quarantine(QuarantineQuery()).count
            }
            if menu["reports"] == true {
                let now = totals.countedAt
                totals.signedNotReturned = try await api.catalog.signedNotReturnedCount(api.forgottenReturns(olderThan: api.forgottenAfter, for: caller, now: now))
                totals.late = try await api.catalog.lateCaseCount(at: now, scope: caller.agency)
                totals.outages = try await api.outages(from: now.addingTimeInterval(-7 * 86_400), to: now).outages.reversed()
                let lines = try await api.digitizationLines(from: nil, to: nil, agency: nil, for: caller)
                totals.chart = DigitizationChart.svg(lines, by: .agency, label: texts["digitizationRate"]!)
                totals.procedureChart = DigitizationChart.svg(lines, by: .procedure, label: texts["digitizationRateByProcedure"]!)
            }
            return totals
        }.values
        if menu["stations"] == true {
            values["stations"] = try await stationRows(since: VietnamTime.startOfDay(Date()))
        }
        return page(visit, "dashboard", title: "overview", values)
    }

    // MARK: Trạm quét

    @Sendable func stationsPage(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        let rows = try await stationRows(since: nil)
        var recent: [[String: Any]] = []
        for row in rows {
            guard let station = row["station"] as? String else { continue }
            let jobs = try await api.catalog.recentJobs(of: station, limit: Self.recentFiles)
            recent.append(["station": station, "jobs": jobs.map { job -> [String: Any] in
                let (words, failed) = Self.outcomeWords(job, visit.texts, caller: visit.caller)
                return ["file": (job.sourcePath as NSString).lastPathComponent, "outcome": words, "failed": failed,
                        "time": VietnamTime.short(job.updatedAt)]
            }])
        }
        return page(visit, "stations", title: "stations", ["stations": rows, "recent": recent])
    }

    /// Files shown per station on the stations page, the latest first.
    static let recentFiles = 10

    /// What became of a job, in words: where the file went, or why it failed (the reason as recorded). A
    /// case another agency received is not named to a scoped person (the stations serve every agency).
    static func outcomeWords(_ job: IngestJob, _ texts: [String: String], caller: Caller) -> (String, Bool) {
        let cases = (job.progress["caseID"] ?? "").split(separator: ",").map(String.init).filter { text in
            guard let id = try? CaseID(parsing: text) else { return false }
            return caller.maySee(id, resolvedBy: nil)
        }.joined(separator: ", ")
        switch (job.state, job.progress["outcome"]) {
        case (.pending, _): return (texts["job.pending"]!, false)
        case (.running, _): return (texts["job.running"]!, false)
        case (.failed, _): return ("\(texts["job.failed"]!): \(job.failure ?? "")", true)
        case (.done, "stored"): return ("\(texts["job.stored"]!) \(cases)", false)
        case (.done, "duplicate"): return ("\(texts["job.duplicate"]!) \(cases)", false)
        case (.done, "quarantined"): return (texts["job.quarantined"]!, false)
        case (.done, _): return (texts["done"]!, false)
        }
    }

    /// Each station's jobs created since `since` (nil: all), as the pages' table rows.
    private func stationRows(since: Date?) async throws -> [[String: Any]] {
        try await api.catalog.stationActivity(since: since).map {
            ["station": $0.station, "queued": $0.queued, "running": $0.running, "done": $0.done, "quarantined": $0.quarantined,
             "failed": $0.failed, "lastActivity": $0.lastActivity.map(VietnamTime.short) ?? "–"]
        }
    }

    // MARK: Hồ sơ

    @Sendable func casesPage(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        let parameters = request.uri.queryParameters
        let field = { (name: String) in parameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces) }
        var query = CaseQuery(scope: visit.caller.agency, limit: 50)
        query.text = field("q").flatMap { $0.isEmpty ? nil : $0 }
        query.procedure = field("procedure").flatMap { try? ProcedureCode(parsing: $0) }
        query.status = field("status").flatMap(CaseStatus.init(rawValue:))
        query.from = field("from").flatMap { Self.day($0) }
        query.to = field("to").flatMap { Self.day($0) }.map { $0.addingTimeInterval(86_400) }
        query.after = try Self.pageLink(request, "cursor", CaseCursor.init(encoded:))
        let found = try await api.catalog.casePage(query)
        let texts = visit.texts
        var values: [String: Any] = [
            "q": field("q") ?? "", "procedure": field("procedure") ?? "", "from": field("from") ?? "", "to": field("to") ?? "",
            "statuses": CaseStatus.allCases.map { ["value": $0.rawValue, "label": texts["status.\($0.rawValue)"] ?? $0.rawValue,
                                                   "selected": $0 == query.status] },
            "cases": found.cases.map { summary -> [String: Any] in
                let item = summary.case
                return ["id": item.id.description, "applicant": item.applicant?.name ?? "", "procedure": item.procedureCode?.rawValue ?? "",
                        "status": texts["status.\(item.status.rawValue)"] ?? item.status.rawValue,
                        "received": item.receivedAt.map(VietnamTime.short) ?? "", "due": item.dueAt.map(VietnamTime.short) ?? "",
                        "documents": summary.documentCount]
            },
        ]
        if let next = found.next {
            var components = URLComponents()
            components.queryItems = ["q", "procedure", "status", "from", "to"].compactMap { name in field(name).map { URLQueryItem(name: name, value: $0) } }
                + [URLQueryItem(name: "cursor", value: next.encoded)]
            values["next"] = "/ui/cases?" + (components.percentEncodedQuery ?? "")
        }
        return page(visit, "cases", title: "cases", values)
    }

    /// A `yyyy-mm-dd` from a date field, as the start of that day in Vietnam.
    static func day(_ text: String) -> Date? {
        RFC3339.parse(text + "T00:00:00+07:00")
    }

    @Sendable func casePage(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        let found: Case
        do { found = try await api.knownCase(context) } catch let problem as Problem where problem.status == .notFound || problem.status == .badRequest {
            return message(.notFound, "notFound", visit.language)
        }
        let texts = visit.texts
        let documents = try await api.catalog.documents(of: found.id)
        let results = try await api.catalog.results(of: found.id)
        let events = try await api.catalog.events(of: found.id)
        let gate = ReturnGate(requiredComponents: found.requiredComponents, verdicts: results.map(\.verdict),
                              storedComponents: Set(documents.compactMap(\.component)))
        let refusals = gate.refusals.map { refusal -> [String: Any] in
            var line: [String: Any] = ["text": texts["gate.\(refusal.code)"] ?? refusal.code]
            if case .inputsNotDigitized(let missing) = refusal { line["missing"] = missing.joined(separator: ", ") }
            return line
        }
        let values: [String: Any] = [
            "id": found.id.description, "applicant": found.applicant.map { "\($0.name) (\($0.idNumber))" } ?? "",
            "procedure": found.procedureCode?.rawValue ?? "", "status": texts["status.\(found.status.rawValue)"] ?? found.status.rawValue,
            "received": found.receivedAt.map(VietnamTime.short) ?? "", "due": found.dueAt.map(VietnamTime.short) ?? "",
            "mayReadSlip": WebPage.admits(visit.user.role, .get, "/ui/cases/{id}/control-slip.pdf"),
            "gateOpen": found.status != .returned && refusals.isEmpty, "refusals": found.status == .returned ? [] : refusals,
            "documents": documents.map { document -> [String: Any] in
                ["sha": document.sha256.hex, "pdf": (document.normalized?.pdf ?? document.sha256).hex, "file": document.sourceFileName,
                 "component": document.component ?? "–", "pages": document.pageCount ?? 0, "time": VietnamTime.short(document.storedAt)]
            },
            "results": results.map { result -> [String: Any] in
                let evidence = ResultView(result).verification
                return ["code": result.code.description, "sha": result.sha256.hex,
                        "verdict": texts["verdict.\(result.verdict.rawValue)"] ?? result.verdict.rawValue,
                        "signer": evidence?.acceptance?.signer.signer ?? "–", "time": VietnamTime.short(result.attachedAt),
                        "evidence": evidence.map {
                            texts["evidenceWords"]!.replacingOccurrences(of: "{time}", with: VietnamTime.short($0.verifiedAt))
                                .replacingOccurrences(of: "{anchors}", with: String($0.trustAnchors.count))
                        } ?? "–"]
            },
            "events": events.map { event -> [String: Any] in
                let what = texts["event.\(event.kind.rawValue)"] ?? event.kind.rawValue
                return ["time": VietnamTime.short(event.time), "actor": event.actor,
                        "what": what + (ProgressEntry(event).map { ": " + Self.summary(of: $0) } ?? "")]
            },
        ]
        return page(visit, "case", title: "cases", values)
    }

    /// A hand-over or a change in a line: who to whom, or the reason (names and reasons as given).
    static func summary(of entry: ProgressEntry) -> String {
        switch entry {
        case .handOver(let step): "\(step.from.name) (\(step.from.person)) → \(step.to.name) (\(step.to.person))"
        case .extended(let due, let letter, let reason): "\(letter), \(VietnamTime.short(due)) — \(reason)"
        case .supplementRequested(let text), .supplementReceived(let text), .withdrawn(let text), .refused(let text): text
        }
    }

    // MARK: Hàng chờ

    func quarantinePage(_ request: Request, _ visit: Visit, note: String?, error: String? = nil) async throws -> Response {
        let texts = visit.texts
        let after = try Self.pageLink(request, "after", QuarantineCursor.init(encoded:))
        let found = try await api.catalog.quarantinePage(includeResolved: false, after: after, limit: Self.shownEntries)
        let entries = found.entries
        var values: [String: Any] = [
            "hasEntries": !entries.isEmpty,
            "entries": entries.map { entry -> [String: Any] in
                ["id": entry.id ?? 0, "thumbnail": entry.normalized != nil, "reason": texts["reason.\(entry.reason.rawValue)"] ?? entry.reason.rawValue,
                 "detail": entry.detail, "station": entry.station, "file": entry.sourceFileName, "time": VietnamTime.short(entry.quarantinedAt)]
            },
        ]
        // Absent, not nil: a template shows an optional's nil as the text "nil".
        if let note { values["flash"] = note }
        if let error { values["error"] = error }
        if let next = found.next { values["next"] = next.encoded }
        return page(visit, "quarantine", title: "queue", values)
    }

    /// Scans on a page of the queue, oldest first.
    static let shownEntries = 100

    /// Assigns or rejects every ticked entry, each as the API would for this person.
    @Sendable func fixQuarantine(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        guard let form = visit.form else { return message(.badRequest, "notFound", visit.language) }
        let ids = form.all("entry").compactMap(Int64.init)
        let rejecting = form["action"] == "reject"
        guard Operation.named(rejecting ? "rejectQuarantined" : "assignQuarantined").roles.contains(visit.user.role) else {
            return message(.forbidden, "forbidden", visit.language)
        }
        do {
            guard !ids.isEmpty else { throw Problem(.unprocessableContent, "invalid_body", "entry: tick at least one scan") }
            for id in ids {
                if rejecting {
                    try await api.reject(id, reason: (form["reason"] ?? "").trimmingCharacters(in: .whitespaces), context: context)
                } else {
                    let caseID = try HoSoAPI.caseID((form["caseId"] ?? "").trimmingCharacters(in: .whitespaces), field: "caseId")
                    _ = try await api.assign(id, to: caseID, component: form["component"].flatMap { $0.isEmpty ? nil : $0 },
                                             create: form["createCase"] == "true", asking: "createCase", context: context)
                }
            }
        } catch let problem as Problem {
            var response = try await quarantinePage(request, visit, note: nil, error: problem.detail)
            response.status = problem.status
            return response
        }
        return try await quarantinePage(request, visit, note: "\(visit.texts[rejecting ? "rejected" : "assigned"]!): \(ids.count)")
    }

    /// A quarantined scan's thumbnail or normalized PDF.
    func quarantineBlob(_ context: HoSoRequestContext, pdf: Bool) async throws -> Response {
        let id = try HoSoAPI.quarantineID(context)
        guard let entry = try await api.catalog.quarantine(QuarantineQuery(includeResolved: true, afterID: id - 1, limit: 1)).first,
              entry.id == id, let copy = entry.normalized else {
            throw Problem(.notFound, "unknown_quarantine_entry", "quarantine entry \(id) has no normalized copy")
        }
        return try await api.blobResponse(pdf ? copy.pdf : copy.thumbnail, type: pdf ? "application/pdf" : "image/png", context: context)
    }

    // MARK: Báo cáo

    @Sendable func reportsPage(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        let lines = try await api.digitizationLines(from: nil, to: nil, agency: nil, for: visit.caller)
        let now = Date()
        var query = api.forgottenReturns(olderThan: api.forgottenAfter, for: visit.caller, now: now)
        let count = try await api.catalog.signedNotReturnedCount(query)
        query.after = try Self.pageLink(request, "after", WaitingReturnCursor.init(encoded:))
        query.limit = Self.shownWaiting
        let page = try await api.catalog.signedNotReturnedPage(query)
        var values: [String: Any] = [
            "chart": DigitizationChart.svg(lines, by: .agency, label: visit.texts["digitizationRate"]!),
            "procedureChart": DigitizationChart.svg(lines, by: .procedure, label: visit.texts["digitizationRateByProcedure"]!),
            "lines": lines.map { ["agency": $0.agency, "procedureCode": $0.procedureCode ?? "", "cases": $0.cases, "inputsRequired": $0.inputsRequired,
                                  "inputsDigitized": $0.inputsDigitized, "resultsSigned": $0.resultsSigned, "returned": $0.returned] },
            "waiting": page.lines.map {
                let line = HoSoAPI.Waiting($0, now: now, calendar: api.settings.calendar)
                return ["caseId": line.caseId, "resultCode": line.resultCode, "time": VietnamTime.short(line.attachedAt), "hours": line.workingHoursWaiting]
            },
            "waitingCount": count,
        ]
        if let next = page.next { values["nextWaiting"] = next.encoded }
        // The late cases read each case's trail of the period: only when asked, so the page stays quick.
        guard request.uri.queryParameters["late"] == "1" else { return self.page(visit, "reports", title: "reports", values) }
        values["lateShown"] = true
        values["late"] = try await lateCases(visit).map { line -> [String: Any] in
            ["caseId": line.caseId, "received": VietnamTime.short(line.receivedAt), "due": line.dueAt.map(VietnamTime.short) ?? "",
             "late": line.lateWorkingHours, "allowed": line.allowedWorkingHours, "outage": line.outageWorkingHours,
             "share": Self.percent(line.outageShare), "excusable": visit.texts[line.excusable ? "yes" : "no"]!]
        }
        return self.page(visit, "reports", title: "reports", values)
    }

    /// The late cases of the last 30 days `visit`'s person may see, as `GET /v1/reports/late-cases` gives them.
    func lateCases(_ visit: Visit) async throws -> [LateCaseReport.LateCase] {
        let now = Date()
        return try await api.lateCaseReport.lines(from: now.addingTimeInterval(-30 * 86_400), to: now, scope: visit.caller.agency, now: now).0
    }

    /// `0.375` as `37,5 %`.
    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10)" + (tenths % 10 == 0 ? "" : ",\(tenths % 10)") + " %"
    }

    /// The late cases, as on the reports page, for download.
    func lateCasesTable(_ visit: Visit) async throws -> ReportTable {
        let texts = visit.texts
        return ReportTable(file: "qua-han", sheet: texts["lateCasesSheet"]!,
                           header: [texts["caseId"]!, texts["received"]!, texts["due"]!, texts["lateHours"]!, texts["allowedHours"]!,
                                    texts["outageHours"]!, texts["outageShare"]!, texts["excusable"]!],
                           rows: try await lateCases(visit).map {
                               [.text($0.caseId), .text(VietnamTime.short($0.receivedAt)), .text($0.dueAt.map(VietnamTime.short) ?? ""),
                                .number($0.lateWorkingHours), .number($0.allowedWorkingHours), .number($0.outageWorkingHours),
                                .number($0.outageShare), .text(texts[$0.excusable ? "yes" : "no"]!)]
                           })
    }

    static let shownWaiting = 100


    /// The digitization report, as on the reports page, for download.
    func digitizationTable(_ visit: Visit) async throws -> ReportTable {
        let texts = visit.texts
        let lines = try await api.digitizationLines(from: nil, to: nil, agency: nil, for: visit.caller)
        return ReportTable(file: "so-hoa", sheet: texts["digitizationRate"]!,
                           header: [texts["agency"]!, texts["procedure"]!, texts["cases"]!, texts["inputsRequired"]!, texts["inputsDigitized"]!,
                                    texts["resultsSigned"]!, texts["returned"]!],
                           rows: lines.map { [.text($0.agency), .text($0.procedureCode ?? ""), .integer($0.cases), .integer($0.inputsRequired),
                                              .integer($0.inputsDigitized), .integer($0.resultsSigned), .integer($0.returned)] })
    }

    /// Every forgotten return (not only the page's hundred), for download.
    func forgottenReturnsTable(_ visit: Visit) async throws -> ReportTable {
        let texts = visit.texts
        let now = Date()
        let waiting = try await api.catalog.signedNotReturned(api.forgottenReturns(olderThan: api.forgottenAfter, for: visit.caller, now: now))
        return ReportTable(file: "da-ky-chua-tra", sheet: texts["signedNotReturnedSheet"]!,
                           header: [texts["caseId"]!, texts["resultCode"]!, texts["time"]!, texts["waitingHours"]!],
                           rows: waiting.map {
                               let line = HoSoAPI.Waiting($0, now: now, calendar: api.settings.calendar)
                               return [.text(line.caseId), .text(line.resultCode), .text(VietnamTime.short(line.attachedAt)), .number(line.workingHoursWaiting)]
                           })
    }
}
