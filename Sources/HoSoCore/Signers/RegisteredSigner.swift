import Foundation

/// The part a signer plays for an agency: its seal (the organization's certificate, held by the văn thư)
/// or a leader who signs decisions in person.
public enum SignerRole: String, Hashable, Sendable, Codable, CaseIterable {
    case organization
    case leader
}

/// How a registry entry recognizes a signature's certificate.
public enum SignerMatch: Hashable, Sendable {
    /// The entry certificate's public key (SPKI SHA-256): a certificate renewed on the same key matches.
    case key
    /// Exactly the entry's certificate (its SHA-256).
    case certificate
    /// Any certificate the entry's certificate (a CA) issued directly whose subject holds each of these
    /// attributes exactly: how a province enrols every agency's seal from the government CA.
    case issuedWithSubject([SubjectAttribute])

    /// `key`, `certificate` or `issuer`: how the catalog and the API name the kind.
    public var kind: String {
        switch self {
        case .key: "key"
        case .certificate: "certificate"
        case .issuedWithSubject: "issuer"
        }
    }
}

/// A certificate (or a CA and subject rule) that may sign results for an agency, in a role.
public struct RegisteredSigner: Hashable, Sendable {
    /// Catalog row number; nil until stored.
    public var id: Int64?
    public let agency: AgencyCode
    /// Whether the entry also covers the units below `agency` (``AgencyCode/covers(_:)``).
    public let includeSubunits: Bool
    public let role: SignerRole
    /// A person's words for it: "Con dấu Sở Tư pháp", "Phó Giám đốc Nguyễn Văn A".
    public let name: String
    public let match: SignerMatch
    /// The certificate the entry was made from: the signer's own, or the issuing CA's for a rule.
    public let certificate: CertificateFingerprints
    /// The entry stops matching after this time, whatever the certificate says.
    public let notAfter: Date?
    public let addedAt: Date
    public let addedBy: String
    /// Set once the entry is removed; a removed entry matches nothing, and stays on record.
    public var removal: SignerRemoval?

    public init(id: Int64? = nil, agency: AgencyCode, includeSubunits: Bool = false, role: SignerRole, name: String, match: SignerMatch,
                certificate: CertificateFingerprints, notAfter: Date? = nil, addedAt: Date, addedBy: String, removal: SignerRemoval? = nil) {
        self.id = id
        self.agency = agency
        self.includeSubunits = includeSubunits
        self.role = role
        self.name = name
        self.match = match
        self.certificate = certificate
        self.notAfter = notAfter
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.removal = removal
    }

    /// Whether the entry stands for `agency` at `time`: not removed, not past `notAfter`, and for that
    /// agency (or one above it, when added with its subunits).
    public func applies(to agency: AgencyCode, at time: Date) -> Bool {
        guard removal == nil else { return false }
        if let notAfter, time > notAfter { return false }
        return self.agency == agency || (includeSubunits && self.agency.covers(agency))
    }

    /// Whether `signer` is the certificate this entry names.
    public func matches(_ signer: SignerCertificate) -> Bool {
        switch match {
        case .key: signer.keySHA256 == certificate.keySHA256
        case .certificate: signer.certificateSHA256 == certificate.certificateSHA256
        case .issuedWithSubject(let attributes):
            signer.issuerSHA256 == certificate.certificateSHA256 && attributes.allSatisfy(signer.subjectAttributes.contains)
        }
    }
}

/// A certificate's subject and the two SHA-256 a registry entry may match on.
public struct CertificateFingerprints: Hashable, Sendable, Codable {
    public let subject: String
    public let certificateSHA256: SHA256Digest
    public let keySHA256: SHA256Digest

    public init(subject: String, certificateSHA256: SHA256Digest, keySHA256: SHA256Digest) {
        self.subject = subject
        self.certificateSHA256 = certificateSHA256
        self.keySHA256 = keySHA256
    }
}

/// Who removed a registry entry, when and why.
public struct SignerRemoval: Hashable, Sendable, Codable {
    public let at: Date
    public let by: String
    public let reason: String

    public init(at: Date, by: String, reason: String) {
        self.at = at
        self.by = by
        self.reason = reason
    }
}

/// The roles whose signatures an agency's results must all carry (`hoso signers policy`); without a
/// policy one signature by any registered signer of the agency is enough.
public struct SignerPolicy: Hashable, Sendable, Codable {
    public let agency: AgencyCode
    public let requiredRoles: [SignerRole]
    public let setAt: Date
    public let setBy: String

    public init(agency: AgencyCode, requiredRoles: [SignerRole], setAt: Date, setBy: String) {
        self.agency = agency
        self.requiredRoles = requiredRoles
        self.setAt = setAt
        self.setBy = setBy
    }
}
