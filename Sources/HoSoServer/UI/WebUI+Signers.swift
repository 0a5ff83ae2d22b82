import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension WebUI {
    // MARK: Người ký (the signer registry, for admins)

    @Sendable func signersPage(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        try await signersPage(visit, showRemoved: request.uri.queryParameters["removed"] == "1", note: nil)
    }

    func signersPage(_ visit: Visit, showRemoved: Bool, note: String?, error: String? = nil) async throws -> Response {
        let texts = visit.texts
        let signers = try await api.catalog.signers(includeRemoved: showRemoved)
        var values: [String: Any] = [
            "signers": signers.map { signer -> [String: Any] in
                var row: [String: Any] = [
                    "id": signer.id ?? 0, "agency": signer.agency.rawValue + (signer.includeSubunits ? " " + texts["andSubunits"]! : ""),
                    "role": texts["signerRole.\(signer.role.rawValue)"]!, "name": signer.name, "subject": signer.certificate.subject,
                    "match": Self.matchWords(signer.match, texts), "addedAt": VietnamTime.short(signer.addedAt), "addedBy": signer.addedBy,
                    "notAfter": signer.notAfter.map(VietnamTime.short) ?? "–",
                ]
                if let removal = signer.removal {
                    row["removed"] = "\(VietnamTime.short(removal.at)) — \(removal.by): \(removal.reason)"
                }
                return row
            },
            "policies": try await api.catalog.signerPolicies().map {
                ["agency": $0.agency.rawValue, "roles": $0.requiredRoles.map { texts["signerRole.\($0.rawValue)"]! }.joined(separator: ", ")]
            },
            "roles": SignerRole.allCases.map { ["value": $0.rawValue, "label": texts["signerRole.\($0.rawValue)"]!] },
            "showRemoved": showRemoved,
        ]
        if let note { values["flash"] = note }
        if let error { values["error"] = error }
        return page(visit, "signers", title: "signers", values)
    }

    /// Adds an entry from the form, checked as the API checks it.
    @Sendable func addSignerForm(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        guard let form = visit.form else { return message(.badRequest, "notFound", visit.language) }
        let field = { (name: String) in form[name].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        return try await answer(visit) {
            let body = HoSoAPI.SignerBody(
                agency: field("agency") ?? "", certificate: field("certificate") ?? "", role: field("role").flatMap(SignerRole.init(rawValue:)),
                name: field("name"), match: field("match"), subjectAttributes: field("subjectAttributes"),
                includeSubunits: form["includeSubunits"] == "true", notAfter: nil)
            let (signer, added) = try await api.enrol(body, actor: context.actor)
            return "\(visit.texts[added ? "signerAdded" : "signerKnown"]!): \(signer.name) (\(signer.agency))"
        }
    }

    /// Removes the entry the form names, with its reason.
    @Sendable func removeSignerForm(_ request: Request, _ context: HoSoRequestContext, _ visit: Visit) async throws -> Response {
        guard let form = visit.form else { return message(.badRequest, "notFound", visit.language) }
        return try await answer(visit) {
            guard let id = form["signer"].flatMap(Int64.init) else { throw Problem(.badRequest, "invalid_signer_id", "signer: a signer entry number") }
            let removed = try await api.removeSigner(id, reason: form["reason"], actor: context.actor)
            return "\(visit.texts["signerRemoved"]!): \(removed.name) (\(removed.agency))"
        }
    }

    /// The registry page after a change: its note, or the problem's words with the problem's status.
    private func answer(_ visit: Visit, _ change: () async throws -> String) async throws -> Response {
        do {
            return try await signersPage(visit, showRemoved: false, note: try await change())
        } catch let problem as Problem {
            var response = try await signersPage(visit, showRemoved: false, note: nil, error: problem.detail)
            response.status = problem.status
            return response
        }
    }

    static func matchWords(_ match: SignerMatch, _ texts: [String: String]) -> String {
        switch match {
        case .key: texts["matchKey"]!
        case .certificate: texts["matchCertificate"]!
        case .issuedWithSubject(let attributes): "\(texts["matchIssuer"]!) \(attributes.map(\.description).joined(separator: ", "))"
        }
    }
}
