import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// The body of `POST /v1/cases`.
    struct Registration: Decodable {
        let caseId: String
        let procedureCode: String
        let applicant: Applicant
        let receivedAt: Date
        let dueAt: Date
        let requiredComponents: [String]?
        /// The agency that decides the case (mã định danh of the cơ quan giải quyết), when it is not the
        /// receiving agency in the case ID.
        let resolvingAgency: String?
    }

    @Sendable func registerCase(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let body = try await JSON.decode(Registration.self, from: request, context: context)
        let id = try Self.caseID(body.caseId, field: "caseId")
        let procedure: ProcedureCode
        do { procedure = try ProcedureCode(parsing: body.procedureCode) } catch {
            throw Problem(.unprocessableContent, "invalid_procedure_code", "procedureCode: \(error.description)")
        }
        guard !body.applicant.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.unprocessableContent, "invalid_body", "applicant.name: must not be empty")
        }
        guard Self.plausible.contains(body.receivedAt), Self.plausible.contains(body.dueAt) else {
            throw Problem(.unprocessableContent, "invalid_body", "receivedAt, dueAt: times between the years 1900 and 9999")
        }
        guard body.dueAt >= body.receivedAt else {
            throw Problem(.unprocessableContent, "invalid_body", "dueAt: comes before receivedAt")
        }
        var resolving: AgencyCode?
        if let text = body.resolvingAgency {
            do { resolving = try AgencyCode(parsing: text) } catch {
                throw Problem(.unprocessableContent, "invalid_agency_code", "resolvingAgency: \(error.description)")
            }
        }
        let registration = CaseRegistration(id: id, procedureCode: procedure, applicant: body.applicant, receivedAt: body.receivedAt,
                                            dueAt: body.dueAt, requiredComponents: body.requiredComponents ?? [], resolvingAgency: resolving)
        if let caller = context.caller, let scope = caller.agency, !caller.maySee(id, resolvedBy: resolving) {
            throw Problem(.forbidden, "out_of_scope", "\(caller.actor) acts for agency \(scope): case \(id) is neither received nor resolved there")
        }
        switch try await catalog.registerCase(registration, actor: context.actor, at: Date()) {
        case .registered(let registered): return try JSON.response(CaseView(registered), status: .created)
        case .unchanged(let existing): return try JSON.response(CaseView(existing))
        case .conflict(let existing):
            throw Problem(.conflict, "case_conflict", "case \(id) is registered already with other facts; nothing changed")
                .with("case", CaseView(existing))
        }
    }

    @Sendable func listCases(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        var query = CaseQuery()
        let parameters = request.uri.queryParameters
        query.status = try QueryChoice.value(request, "status", in: CaseStatus.allCases.map(\.rawValue)).flatMap(CaseStatus.init(rawValue:))
        query.from = try Self.time(parameters["from"].map(String.init), field: "from")
        query.to = try Self.time(parameters["to"].map(String.init), field: "to")
        query.limit = try QueryChoice.limit(request)
        query.after = try QueryChoice.cursor(request, CaseCursor.init(encoded:))
        query.scope = context.caller?.agency
        let page = try await catalog.casePage(query)
        return try JSON.response(CaseList(cases: page.cases.map { CaseView($0.case, documentCount: $0.documentCount) }, next: page.next?.encoded))
    }

    /// A page of cases and, unless it is the last, the cursor of the next.
    struct CaseList: Encodable {
        let cases: [CaseView]
        let next: String?
    }

    @Sendable func getCase(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        let documents = try await catalog.documents(of: found.id)
        return try JSON.response(CaseView(found, documentCount: documents.count, results: try await catalog.results(of: found.id)))
    }

    /// The trail, in the order things happened, a page at a time.
    struct EventsAnswer: Encodable {
        let caseId: String
        let events: [EventView]
        let next: String?
    }

    @Sendable func listEvents(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        let cursor = try QueryChoice.cursor(request, EventCursor.init(encoded:))
        let page = try await catalog.eventPage(of: found.id, after: cursor, limit: try QueryChoice.limit(request))
        return try JSON.response(EventsAnswer(caseId: found.id.description, events: page.events.map(EventView.init), next: page.next?.encoded))
    }

    /// The case the path names: 400 for a malformed ID (checked before anything else), 404 when unknown —
    /// and when the caller's agency scope does not reach it, so a scoped caller cannot even learn it exists.
    func knownCase(_ context: HoSoRequestContext) async throws -> Case {
        let id = try Self.caseID(context.parameters.get("id") ?? "", field: "id")
        guard let found = try await catalog.fetchCase(id), context.caller?.maySee(found) != false else {
            throw Problem(.notFound, "unknown_case", "case \(id) is not in the catalog")
        }
        return found
    }

    static func caseID(_ text: String, field: String) throws -> CaseID {
        do { return try CaseID(parsing: text) } catch {
            throw Problem(.badRequest, "invalid_case_id", "\(field): \(error.description)")
        }
    }

    /// An RFC 3339 time from the query, between the years 1900 and 9999.
    static func time(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = RFC3339.parse(text), Self.plausible.contains(date) else {
            throw Problem(.badRequest, "invalid_query", "\(field): '\(text)' is not an RFC 3339 time between the years 1900 and 9999")
        }
        return date
    }

    static let plausible = Date(timeIntervalSince1970: -2_208_988_800)...Date(timeIntervalSince1970: 253_402_300_799)
}
