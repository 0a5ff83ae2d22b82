import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// The body of `POST /v1/signers`.
    struct SignerBody: Decodable {
        let agency: String
        /// PEM: the signer's certificate, or the issuing CA's with `subjectAttributes`.
        let certificate: String
        let role: SignerRole?
        let name: String?
        /// `key` (default) or `certificate`; a subject rule is given by `subjectAttributes`.
        let match: String?
        let subjectAttributes: String?
        let includeSubunits: Bool?
        let notAfter: Date?
    }

    @Sendable func listSigners(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let removed = parameters["includeRemoved"].map(String.init) == "true"
        var signers = try await catalog.signers(includeRemoved: removed)
        if let text = parameters["agency"].map(String.init) {
            let agency: AgencyCode
            do { agency = try AgencyCode(parsing: text) } catch {
                throw Problem(.badRequest, "invalid_query", "agency: \(error.description)")
            }
            signers = signers.filter { $0.agency == agency }
        }
        return try JSON.response(["signers": signers.map(SignerView.init)])
    }

    @Sendable func addSigner(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let (stored, added) = try await enrol(try await JSON.decode(SignerBody.self, from: request, context: context), actor: context.actor)
        return try JSON.response(SignerView(stored), status: added ? .created : .ok)
    }

    /// Adds the entry `body` describes, checked as `POST /v1/signers` checks it (422 naming the field);
    /// `added` is false when the same entry was already live.
    func enrol(_ body: SignerBody, actor: String) async throws -> (signer: RegisteredSigner, added: Bool) {
        var enrolment = SignerEnrolment(agency: body.agency, certificate: Array(body.certificate.utf8))
        enrolment.role = body.role ?? .organization
        enrolment.name = body.name
        enrolment.subjectAttributes = body.subjectAttributes
        enrolment.includeSubunits = body.includeSubunits ?? false
        enrolment.notAfter = body.notAfter
        switch body.match {
        case nil, "key": break
        case "certificate": enrolment.exactCertificate = true
        case let other?: throw Problem(.unprocessableContent, "invalid_body", "match: '\(other)' is not key or certificate")
        }
        if let notAfter = body.notAfter, !Self.plausible.contains(notAfter) {
            throw Problem(.unprocessableContent, "invalid_body", "notAfter: a time between the years 1900 and 9999")
        }
        let entry: RegisteredSigner
        do throws(SignerEnrolmentError) { entry = try enrolment.entry(by: actor, at: Date()) } catch {
            throw Problem(.unprocessableContent, error.field == "agency" ? "invalid_agency_code" : "invalid_signer", "\(error.field): \(error)")
        }
        return try await catalog.addSigner(entry)
    }

    @Sendable func removeSigner(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        guard let text = context.parameters.get("sid"), let id = Int64(text), id > 0 else {
            throw Problem(.badRequest, "invalid_signer_id", "sid: a signer entry number")
        }
        return try JSON.response(SignerView(try await removeSigner(id, reason: request.uri.queryParameters["reason"].map(String.init), actor: context.actor)))
    }

    /// Removes entry `id` with a reason (400 without one; 404, 409 as `DELETE /v1/signers/{sid}`).
    func removeSigner(_ id: Int64, reason: String?, actor: String) async throws -> RegisteredSigner {
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.badRequest, "invalid_query", "reason: why the signer is removed (it stays on record)")
        }
        do {
            return try await catalog.removeSigner(id, reason: reason, actor: actor, at: Date())
        } catch let error as CatalogError {
            switch error {
            case .unknownSigner: throw Problem(.notFound, "unknown_signer", error.description)
            case .signerAlreadyRemoved: throw Problem(.conflict, "already_removed", error.description)
            default: throw error
            }
        }
    }
}
