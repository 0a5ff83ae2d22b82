import Foundation
import HoSoCatalog
import HoSoCore
import HoSoIngest
import HoSoSignature
import NIOPosix

/// What a verified result must also be before it counts for a case: signed by a registered signer of
/// the agency that decides the case (``SignerRule``), and about this case (``CaseBinding``).
///
/// The API's attach and `hoso verify --case` both ask this one type, so the clerk's check before the
/// workflow server attaches is the gate's own. The registry is read on every call: a change counts at
/// once, on every node.
public struct ResultAcceptance: Sendable {
    public let registry: any SignerRegistry
    /// Reads a result's text and page 1's top-left codes in a child process (poppler and zbar on a
    /// caller's file never run inside the server).
    public let reader: BarcodeReader
    public let requireRegisteredSigner: Bool
    public let requireCaseBinding: Bool

    public init(registry: any SignerRegistry, reader: BarcodeReader, requireRegisteredSigner: Bool = true, requireCaseBinding: Bool = true) {
        self.registry = registry
        self.reader = reader
        self.requireRegisteredSigner = requireRegisteredSigner
        self.requireCaseBinding = requireCaseBinding
    }

    /// Judges `file`, whose signatures `report` describes, as a result of `found`. Signatures whose
    /// indication is in `counting` count as passing (TOTAL_PASSED; INDETERMINATE too for a result kept
    /// as pending, which never opens the gate).
    public func judge(_ report: DocumentReport, file: URL, for found: Case, at time: Date,
                      counting: Set<Indication> = [.totalPassed]) async throws -> AcceptanceEvidence {
        let agency = found.decidingAgency
        let rule = SignerRule(registry: try await registry.signers(includeRemoved: false), policy: try await registry.signerPolicy(for: agency),
                              requireRegisteredSigner: requireRegisteredSigner)
        let facts = report.signatures.map { signature in
            SignatureFacts(field: signature.field, passed: counting.contains(signature.indication),
                           isDocumentTimestamp: signature.subFilter == "ETSI.RFC3161", signer: signature.signerCertificate)
        }
        let signer = rule.decide(agency: agency, signatures: facts, at: time)

        var namings = Self.signatureNamings(report, counting: counting)
        var unread: String?
        var binding = CaseBinding.decide(found.id, namings: namings, required: requireCaseBinding)
        if case .bound = binding {} else {
            // Only when the signatures do not name the case: the child process costs a fork and poppler.
            let reader = self.reader
            switch try await NIOThreadPool.singleton.runIfActive({ reader.report(file, pages: 1, text: true) }) {
            case .success(let scan): namings += Self.namings(in: scan)
            case .failure(let error): unread = error.description
            }
            binding = CaseBinding.decide(found.id, namings: namings, required: requireCaseBinding)
        }
        return AcceptanceEvidence(
            caseID: found.id, signer: SignerEvidence(signer), binding: BindingEvidence(binding, unreadable: unread),
            policy: PolicyEvidence(agency: agency, requiredRoles: rule.policy?.requiredRoles ?? [],
                                   requireRegisteredSigner: requireRegisteredSigner, requireCaseBinding: requireCaseBinding))
    }

    /// The case IDs passing signatures name in `/HoSo.CaseID` and `/Reason`.
    static func signatureNamings(_ report: DocumentReport, counting: Set<Indication>) -> [CaseNaming] {
        report.signatures.filter { counting.contains($0.indication) }.flatMap { signature in
            let key = (signature.caseID.flatMap { try? CaseID(parsing: $0.trimmingCharacters(in: .whitespaces)) }).map {
                CaseNaming(source: .signature, place: "signature \(signature.field) \(PDFSigner.caseIDKey)", caseID: $0)
            }
            let reason = CaseIDScanner.caseIDs(in: signature.reason ?? "").map {
                CaseNaming(source: .signature, place: "signature \(signature.field) /Reason", caseID: $0)
            }
            return (key.map { [$0] } ?? []) + reason
        }
    }

    /// The case IDs in a result's text and in the codes of page 1's top-left corner.
    static func namings(in scan: BarcodeScanReport) -> [CaseNaming] {
        let text = CaseIDScanner.caseIDs(in: scan.text ?? "").map { CaseNaming(source: .text, place: "the PDF's text", caseID: $0) }
        let codes = scan.pages.filter { $0.page == 1 }.flatMap(\.codes).flatMap { code in
            CaseIDScanner.caseIDs(in: code.text).map {
                CaseNaming(source: .barcode, place: "page 1 \(code.symbology == .qr ? "QR code" : "Code128")", caseID: $0)
            }
        }
        return text + codes
    }
}

/// What the signer rule and the case binding found for one result, stored with its evidence.
public struct AcceptanceEvidence: Sendable, Codable {
    public let caseID: CaseID
    public let signer: SignerEvidence
    public let binding: BindingEvidence
    public let policy: PolicyEvidence

    /// The first refusal: its problem code and the words that explain it; nil when the result counts.
    public var refusal: (code: String, detail: String)? {
        if let code = signer.refusalCode {
            let detail = switch code {
            case "no_signer_registered":
                "no signer is registered for agency \(policy.agency); nobody's signature can count for it (hoso signers add)"
            default:
                "the result is signed by \(signer.signer ?? "no signer (only timestamps)"), who is not a registered signer of agency "
                    + "\(policy.agency)" + (signer.missingRoles.isEmpty ? "" : "; missing roles: "
                    + signer.missingRoles.map(\.rawValue).joined(separator: ", "))
                    + "; accepted: " + (signer.accepted.map { "\($0.name) (\($0.subject))" }.joined(separator: "; "))
            }
            return (code, detail)
        }
        if binding.outcome == "result_case_not_named" {
            let found = binding.found.map { "\($0.caseID) in \($0.place)" }
            return (binding.outcome, "the result does not name case \(caseID)"
                        + (found.isEmpty ? "; no case ID was found in it" : "; it names " + found.joined(separator: ", "))
                        + (binding.unreadable.map { "; its text and corner could not be read: \($0)" } ?? ""))
        }
        return nil
    }
}

/// The signer rule's verdict as evidence.
public struct SignerEvidence: Sendable, Codable {
    /// `authorized`, `unchecked`, `no_signer_registered` or `signer_not_authorized`.
    public let outcome: String
    public let field: String?
    public let signer: String?
    /// The registry entry the deciding signature matched.
    public let entry: SignerView?
    /// The signature that filled each role the policy requires.
    public let roles: [RoleView]
    public let missingRoles: [SignerRole]
    /// On refusal: the entries that would have been accepted.
    public let accepted: [SignerView]

    public struct RoleView: Sendable, Codable {
        public let role: SignerRole
        public let field: String
        public let signer: String
        public let entryId: Int64?
    }

    init(_ decision: SignerDecision) {
        switch decision {
        case .authorized(let match):
            (outcome, field, signer, entry) = ("authorized", match.field, match.signer, SignerView(match.entry))
            roles = match.requiredRoles.map { RoleView(role: $0.role, field: $0.field, signer: $0.signer, entryId: $0.entry.id) }
            (missingRoles, accepted) = ([], [])
        case .unchecked:
            (outcome, field, signer, entry, roles, missingRoles, accepted) = ("unchecked", nil, nil, nil, [], [], [])
        case .noSignerRegistered:
            (outcome, field, signer, entry, roles, missingRoles, accepted) = ("no_signer_registered", nil, nil, nil, [], [], [])
        case .notAuthorized(let refusal):
            (outcome, field, signer, entry, roles) = ("signer_not_authorized", nil, refusal.signer, nil, [])
            (missingRoles, accepted) = (refusal.missingRoles, refusal.accepted.map(SignerView.init))
        }
    }

    var refusalCode: String? { outcome == "no_signer_registered" || outcome == "signer_not_authorized" ? outcome : nil }
}

/// The case binding's verdict as evidence.
public struct BindingEvidence: Sendable, Codable {
    /// `bound`, `unchecked` or `result_case_not_named`.
    public let outcome: String
    /// What named the case, when bound.
    public let source: CaseNamingSource?
    public let place: String?
    /// Every case ID found, and where.
    public let found: [CaseNaming]
    /// Why the text and corner could not be read, when they could not.
    public let unreadable: String?

    init(_ decision: CaseBindingDecision, unreadable: String?) {
        self.unreadable = unreadable
        switch decision {
        case .bound(let naming): (outcome, source, place, found) = ("bound", naming.source, naming.place, [naming])
        case .unchecked(let namings): (outcome, source, place, found) = ("unchecked", nil, nil, namings)
        case .notNamed(let namings): (outcome, source, place, found) = ("result_case_not_named", nil, nil, namings)
        }
    }
}

/// The policy in force when the result was judged.
public struct PolicyEvidence: Sendable, Codable {
    public let agency: AgencyCode
    public let requiredRoles: [SignerRole]
    public let requireRegisteredSigner: Bool
    public let requireCaseBinding: Bool
}
