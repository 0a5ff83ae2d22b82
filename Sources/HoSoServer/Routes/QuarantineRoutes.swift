import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    @Sendable func listQuarantine(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let all = try QueryChoice.flag(request, "resolved") ?? false
        let cursor = try QueryChoice.cursor(request, QuarantineCursor.init(encoded:))
        let page = try await catalog.quarantinePage(includeResolved: all, after: cursor, limit: try QueryChoice.limit(request))
        struct Answer: Encodable {
            let entries: [QuarantineEntry]
            let next: String?
        }
        return try JSON.response(Answer(entries: page.entries, next: page.next?.encoded))
    }

    struct Assignment: Decodable {
        let caseId: String
        let component: String?
        /// Assigning to a case the workflow server never registered creates it only when asked.
        let createCase: Bool?
    }

    struct Rejection: Decodable {
        let reason: String
    }

    @Sendable func assignQuarantined(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let entry = try Self.quarantineID(context)
        let body = try await JSON.decode(Assignment.self, from: request, context: context)
        let id = try Self.caseID(body.caseId, field: "caseId")
        let outcome = try await assign(entry, to: id, component: body.component, create: body.createCase == true, asking: "\"createCase\": true",
                                       context: context)
        if case .duplicate(let document) = outcome { return try JSON.response(Uploaded(duplicate: true, document: DocumentView(document))) }
        return try JSON.response(Uploaded(duplicate: false, document: DocumentView(outcome.document)))
    }

    /// Assigns a quarantined scan to a case for the caller (the API's and the pages' one way): the case must
    /// exist, unless `create`, and be in the caller's scope.
    func assign(_ entry: Int64, to id: CaseID, component: String?, create: Bool, asking how: String,
                context: HoSoRequestContext) async throws -> DocumentOutcome {
        try await requireKnownCase(id, unless: create, asking: how, for: context.caller)
        do { return try await catalog.assignQuarantined(entry, to: id, component: component, actor: context.actor, at: Date()) } catch let error as CatalogError {
            throw Self.problem(error)
        }
    }

    /// Rejects a quarantined scan for the caller, with a reason that is not blank.
    func reject(_ entry: Int64, reason: String, context: HoSoRequestContext) async throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.unprocessableContent, "invalid_body", "reason: must not be empty")
        }
        do { try await catalog.rejectQuarantined(entry, reason: reason, actor: context.actor, at: Date()) } catch let error as CatalogError {
            throw Self.problem(error)
        }
    }

    @Sendable func rejectQuarantined(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let entry = try Self.quarantineID(context)
        let body = try await JSON.decode(Rejection.self, from: request, context: context)
        try await reject(entry, reason: body.reason, context: context)
        return try JSON.response(["id": String(entry), "resolution": "rejected"])
    }

    /// 404 for a case nobody registered, unless the caller asked to create it (a mistyped ID would
    /// otherwise open a case of its own, silently); 404 too for a case outside the caller's agency scope,
    /// and 403 for such a caller asking to create one outside it.
    func requireKnownCase(_ id: CaseID, unless create: Bool, asking how: String, for caller: Caller?) async throws {
        if let found = try await catalog.fetchCase(id) {
            guard caller?.maySee(found) == false else { return }
        } else if create {
            guard let caller, !caller.maySee(id, resolvedBy: nil) else { return }
            throw Problem(.forbidden, "out_of_scope", "\(caller.actor) may not open case \(id): its agency is outside \(caller.agency!)")
        }
        throw Problem(.notFound, "unknown_case", "case \(id) is not in the catalog; register it first, or ask for it to be created (\(how))")
    }

    static func quarantineID(_ context: HoSoRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("qid"), let id = Int64(text), id > 0 else {
            throw Problem(.badRequest, "invalid_quarantine_id", "qid: a quarantine entry number")
        }
        return id
    }

    static func problem(_ error: CatalogError) -> Problem {
        switch error {
        case .unknownQuarantineEntry: Problem(.notFound, "unknown_quarantine_entry", error.description)
        case .alreadyResolved: Problem(.conflict, "already_resolved", error.description)
        case .unknownCase: Problem(.notFound, "unknown_case", error.description)
        default: Problem(.internalServerError, "catalog_error", error.description)
        }
    }
}
