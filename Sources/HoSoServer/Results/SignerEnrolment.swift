import Foundation
import HoSoCore
import HoSoSignature

/// Turns what an administrator gives (`hoso signers add`, `POST /v1/signers`) into a registry entry,
/// refusing what cannot be one: a file that is not a certificate, a CA certificate as a signer, a bad
/// agency code, a subject rule without its CA.
public struct SignerEnrolment: Sendable {
    public var agency: String
    /// PEM or DER bytes: the signer's certificate, or the issuing CA's for a subject rule.
    public var certificate: [UInt8]
    public var role: SignerRole = .organization
    /// Defaults to the certificate's common name.
    public var name: String?
    /// A subject rule (`O=…,OU=…,UID=…`): any certificate `certificate` issued with these attributes.
    public var subjectAttributes: String?
    /// Match exactly this certificate rather than its key.
    public var exactCertificate = false
    public var includeSubunits = false
    public var notAfter: Date?

    public init(agency: String, certificate: [UInt8]) {
        self.agency = agency
        self.certificate = certificate
    }

    /// The entry, added by `actor` at `time`.
    public func entry(by actor: String, at time: Date) throws(SignerEnrolmentError) -> RegisteredSigner {
        let code: AgencyCode
        do { code = try AgencyCode(parsing: agency) } catch { throw .agency(error.description) }
        let found = Certificate.parse(certificate)
        guard let certificate = found.first else { throw .notACertificate }
        guard found.count == 1 else { throw .severalCertificates(found.count) }
        let match: SignerMatch
        if let subjectAttributes {
            guard !exactCertificate else { throw .conflictingMatch }
            let attributes: [SubjectAttribute]
            do { attributes = try SubjectAttribute.list(parsing: subjectAttributes) } catch { throw .subject(error.description) }
            guard certificate.isCA else { throw .issuerNotCA(certificate.subject) }
            match = .issuedWithSubject(attributes)
        } else {
            guard !certificate.isCA else { throw .caAsSigner(certificate.subject) }
            match = exactCertificate ? .certificate : .key
        }
        let label = (name?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 }
            ?? certificate.commonName ?? certificate.subject
        return RegisteredSigner(agency: code, includeSubunits: includeSubunits, role: role, name: label, match: match,
                                certificate: certificate.fingerprints, notAfter: notAfter, addedAt: time, addedBy: actor)
    }
}

/// Why an enrolment cannot become a registry entry; each names the field at fault.
public enum SignerEnrolmentError: Error, Hashable, Sendable, CustomStringConvertible {
    case agency(String)
    case notACertificate
    case severalCertificates(Int)
    case caAsSigner(String)
    case issuerNotCA(String)
    case subject(String)
    case conflictingMatch

    /// The field (API) or option (CLI) at fault.
    public var field: String {
        switch self {
        case .agency: "agency"
        case .notACertificate, .severalCertificates, .caAsSigner, .issuerNotCA: "certificate"
        case .subject, .conflictingMatch: "subjectAttributes"
        }
    }

    public var description: String {
        switch self {
        case .agency(let reason): reason
        case .notACertificate: "is not an X.509 certificate (PEM or DER)"
        case .severalCertificates(let count): "holds \(count) certificates; give the one signer's (or the one CA's for a subject rule)"
        case .caAsSigner(let subject):
            "\(subject) is a CA certificate, which signs certificates, not results; to admit what it issues, give subject attributes"
        case .issuerNotCA(let subject): "\(subject) is not a CA certificate; a subject rule needs the issuing CA"
        case .subject(let reason): reason
        case .conflictingMatch: "a subject rule matches what a CA issued; it cannot also match one exact certificate"
        }
    }
}
