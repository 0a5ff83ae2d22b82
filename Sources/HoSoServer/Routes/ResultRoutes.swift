import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoSignature
import Hummingbird
import NIOPosix
import HoSoWorkers

extension HoSoAPI {
    /// `POST /v1/cases/{id}/results`: the signed result, verified against the configured trust before
    /// it is stored; only TOTAL_PASSED (or INDETERMINATE as pending, when allowed) is kept.
    @Sendable func attachResult(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        let contentType = request.headers[.contentType] ?? ""
        let isPDF = contentType.lowercased().hasPrefix("application/pdf")
        guard isPDF || contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw Problem(.unsupportedMediaType, "unsupported_media_type",
                          "Content-Type: send application/pdf, or multipart/form-data with a part named file")
        }
        let upload = try await receive(request, limit: settings.maxResultBytes)
        let received = isPDF ? upload : try pdfPart(of: upload, contentType: contentType)
        let file = received.file
        defer { try? FileManager.default.removeItem(at: file) }

        var report: DocumentReport
        do { report = try await verifier.report(on: file) } catch {
            switch error {
            case .unreadable(let reason): throw Problem(.unprocessableContent, "not_a_pdf", "the result is not a readable PDF: \(reason)")
            case .crashed(let reason): throw Problem(.unprocessableContent, "input_crashed_parser", "the result crashed the PDF parser: \(reason)")
            case .overLimit(let reason): throw Problem(.contentTooLarge, "input_over_limit", "verifying the result \(reason)")
            case .unavailable(let reason): throw Problem(.serviceUnavailable, "parser_unavailable", "the result cannot be verified now: \(reason)")
            }
        }
        report.file = "\(found.id) result"
        var evidence = ResultEvidence(verifiedAt: report.verifiedAt, trustAnchors: trust.anchors, crls: trust.crls, report: report)
        let verdict: ResultVerdict
        switch report.indication {
        case nil:
            throw Problem(.unprocessableContent, "unsigned_result", "the result PDF has no signature; the records clerk signs it first (hoso sign)")
                .with("verification", evidence)
        case .totalFailed?:
            let first = report.signatures.first { $0.indication == .totalFailed }
            throw Problem(.unprocessableContent, "signature_failed",
                          "the signature does not verify: \(first?.subIndication?.rawValue ?? "TOTAL_FAILED")"
                          + (first?.reasons.first.map { " — \($0)" } ?? ""))
                .with("verification", evidence)
        case .indeterminate?:
            guard settings.allowPendingResults else {
                let first = report.signatures.first { $0.indication == .indeterminate }
                throw Problem(.unprocessableContent, "signature_indeterminate",
                              "the signature cannot be confirmed: \(first?.subIndication?.rawValue ?? "INDETERMINATE")"
                              + (first?.reasons.first.map { " — \($0)" } ?? ""))
                    .with("verification", evidence)
            }
            verdict = .pending
        case .totalPassed?:
            verdict = .passed
        }
        // Signed is not enough: by a registered signer of the deciding agency, about this case.
        let judged = try await acceptance.judge(report, file: file, for: found, at: Date(),
                                                counting: verdict == .pending ? [.totalPassed, .indeterminate] : [.totalPassed])
        evidence.acceptance = judged
        if let refusal = judged.refusal {
            throw Problem(.unprocessableContent, refusal.code, refusal.detail).with("verification", evidence)
        }
        let blob: StoredBlob
        do { blob = try await blobs.adopt(file, digest: received.digest, byteCount: received.byteCount) } catch {
            throw Problem.unavailable("storage_unavailable", "the result could not be stored now: \(error)")
        }
        let reportJSON = String(decoding: try JSON.encoder.encode(evidence), as: UTF8.self)
        switch try await catalog.attachResult(caseID: found.id, sha256: blob.digest, byteCount: blob.byteCount, verdict: verdict,
                                              report: reportJSON, actor: context.actor, at: Date()) {
        case .attached(let result):
            ServerMetrics.attached(verdict)
            return try JSON.response(ResultView(result, evidence: evidence), status: .created)
        case .alreadyAttached(let result): return try JSON.response(ResultView(result))
        }
    }

    @Sendable func listResults(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        return try JSON.response(["results": try await catalog.results(of: found.id).map { ResultView($0) }])
    }

    /// What `POST /v1/cases/{id}/return` answers when the case is returned.
    struct Returned: Encodable {
        let caseId: String
        let status: String
        let returnedAt: Date
        let event: EventView
        /// False when it was returned by an earlier call.
        let returnedNow: Bool
    }

    /// One reason the gate gave.
    struct RefusalView: Encodable {
        let code: String
        let components: [String]?
    }

    /// `POST /v1/cases/{id}/return`: the gate.
    @Sendable func returnCase(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        switch try await catalog.returnCase(found.id, actor: context.actor, at: Date()) {
        case .returned(let event):
            return try JSON.response(Returned(caseId: found.id.description, status: CaseStatus.returned.rawValue, returnedAt: event.time,
                                              event: EventView(event), returnedNow: true))
        case .alreadyReturned(let event):
            return try JSON.response(Returned(caseId: found.id.description, status: CaseStatus.returned.rawValue, returnedAt: event.time,
                                              event: EventView(event), returnedNow: false))
        case .refused(let reasons):
            ServerMetrics.refused(reasons)
            let views = reasons.map { reason in
                if case .inputsNotDigitized(let missing) = reason { return RefusalView(code: reason.code, components: missing) }
                return RefusalView(code: reason.code, components: nil)
            }
            throw Problem(.conflict, "return_refused", "case \(found.id) may not be returned: " + reasons.map(\.code).joined(separator: ", "))
                .with("reasons", views)
        }
    }
}
