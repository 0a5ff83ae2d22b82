import Foundation
import HoSoCore
import HoSoSignature

/// What the API answers about a case.
struct CaseView: Encodable {
    let caseId: String
    let procedureCode: String?
    let applicant: Applicant?
    let receivedAt: Date?
    let dueAt: Date?
    let requiredComponents: [String]
    /// The agency that decides the case, as registered (nil: the receiving agency decides).
    let resolvingAgency: String?
    /// The agency whose registered signers may sign the result.
    let decidingAgency: String
    let status: String
    let createdAt: Date
    let documentCount: Int?
    let results: [ResultView]?

    init(_ item: Case, documentCount: Int? = nil, results: [CaseResult]? = nil) {
        caseId = item.id.description
        procedureCode = item.procedureCode?.rawValue
        applicant = item.applicant
        receivedAt = item.receivedAt
        dueAt = item.dueAt
        requiredComponents = item.requiredComponents
        resolvingAgency = item.resolvingAgency?.rawValue
        decidingAgency = item.decidingAgency.rawValue
        status = item.status.rawValue
        createdAt = item.createdAt
        self.documentCount = documentCount
        self.results = results?.map { ResultView($0) }
    }
}

/// A result with its verdict and evidence.
struct ResultView: Encodable {
    let resultCode: String
    let sha256: String
    let byteCount: Int64
    let verdict: String
    let attachedAt: Date
    let attachedBy: String
    let verification: ResultEvidence?

    /// `evidence` when the caller has it in hand (it was just stored); else read back from the result.
    init(_ result: CaseResult, evidence: ResultEvidence? = nil) {
        resultCode = result.code.description
        sha256 = result.sha256.hex
        byteCount = result.byteCount
        verdict = result.verdict.rawValue
        attachedAt = result.attachedAt
        attachedBy = result.attachedBy
        verification = evidence ?? (try? JSON.decoder.decode(ResultEvidence.self, from: Data(result.report.utf8)))
    }
}

/// A verification as stored with a result: the report and what it was checked against, and when.
struct ResultEvidence: Codable {
    let verifiedAt: Date
    /// The trust anchors in force: subject and SHA-256 of each.
    let trustAnchors: [String]
    /// The CRL files in force.
    let crls: [String]
    let report: DocumentReport
    /// The signer rule and case binding: which registry entry matched, what named the case, the policy
    /// in force. Nil for results attached before the registry existed.
    var acceptance: AcceptanceEvidence?
}

/// A stored input document.
struct DocumentView: Encodable {
    let id: Int64?
    let component: String?
    let sha256: String
    let byteCount: Int64
    let pageCount: Int?
    let sourceFileName: String
    let station: String
    let digitizedBy: String
    let storedAt: Date
    let pdfSha256: String?
    let thumbnailSha256: String?
    let pdfA: Bool?

    init(_ document: Document) {
        id = document.id
        component = document.component
        sha256 = document.sha256.hex
        byteCount = document.byteCount
        pageCount = document.pageCount
        sourceFileName = document.sourceFileName
        station = document.station
        digitizedBy = document.digitizedBy
        storedAt = document.storedAt
        pdfSha256 = document.normalized?.pdf.hex
        thumbnailSha256 = document.normalized?.thumbnail.hex
        pdfA = document.normalized?.metadata.pdfA
    }
}

/// One event of the trail.
struct EventView: Encodable {
    let id: Int64?
    let time: Date
    /// The same time as Vietnam reads it: `hh:mm:ss dd/mm/yyyy +07:00`.
    let localTime: String
    let actor: String
    let kind: String
    let details: [String: String]

    init(_ event: Event) {
        id = event.id
        time = event.time
        localTime = VietnamTime.format(event.time)
        actor = event.actor
        kind = event.kind.rawValue
        details = event.details
    }
}

/// A signer registry entry as the API and `hoso signers list --json` show it.
public struct SignerView: Sendable, Codable {
    public let id: Int64?
    public let agency: String
    public let includeSubunits: Bool
    public let role: SignerRole
    public let name: String
    /// `key` (the certificate's public key), `certificate` (exactly it) or `issuer` (a CA and subject attributes).
    public let match: String
    public let subjectAttributes: [String]?
    /// The certificate the entry was made from (the signer's, or the issuing CA's for `issuer`).
    public let subject: String
    public let certificateSha256: String
    public let keySha256: String
    public let notAfter: Date?
    public let addedAt: Date
    public let addedBy: String
    public let removedAt: Date?
    public let removedBy: String?
    public let removedReason: String?

    public init(_ signer: RegisteredSigner) {
        id = signer.id
        agency = signer.agency.rawValue
        includeSubunits = signer.includeSubunits
        role = signer.role
        name = signer.name
        match = signer.match.kind
        if case .issuedWithSubject(let attributes) = signer.match { subjectAttributes = attributes.map(\.description) } else { subjectAttributes = nil }
        subject = signer.certificate.subject
        certificateSha256 = signer.certificate.certificateSHA256.hex
        keySha256 = signer.certificate.keySHA256.hex
        notAfter = signer.notAfter
        addedAt = signer.addedAt
        addedBy = signer.addedBy
        removedAt = signer.removal?.at
        removedBy = signer.removal?.by
        removedReason = signer.removal?.reason
    }
}
