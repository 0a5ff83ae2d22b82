import Foundation
import HoSoCore

/// ETSI EN 319 102-1 main indications.
public enum Indication: String, Hashable, Sendable, Codable {
    case totalPassed = "TOTAL_PASSED"
    case totalFailed = "TOTAL_FAILED"
    case indeterminate = "INDETERMINATE"
}

/// ETSI EN 319 102-1 sub-indications HoSo reports.
public enum SubIndication: String, Hashable, Sendable, Codable {
    case formatFailure = "FORMAT_FAILURE"
    case hashFailure = "HASH_FAILURE"
    case sigCryptoFailure = "SIG_CRYPTO_FAILURE"
    case revoked = "REVOKED"
    /// Revoked after the claimed signing time, but nothing proves the signature existed before.
    case revokedNoPOE = "REVOKED_NO_POE"
    case cryptoConstraintsFailure = "CRYPTO_CONSTRAINTS_FAILURE"
    case chainConstraintsFailure = "CHAIN_CONSTRAINTS_FAILURE"
    case noCertificateChainFound = "NO_CERTIFICATE_CHAIN_FOUND"
    case outOfBoundsNoPOE = "OUT_OF_BOUNDS_NO_POE"
    case tryLater = "TRY_LATER"
    case signedDataNotFound = "SIGNED_DATA_NOT_FOUND"
}

/// How much of the file a signature's byte range covers.
public enum Coverage: String, Hashable, Sendable, Codable {
    case entireFile = "entire_file"
    /// A whole earlier revision: updates were appended after signing.
    case entireRevision = "entire_revision"
    case partial
}

/// Where the signing time came from.
public enum SigningTimeSource: String, Hashable, Sendable, Codable {
    /// An RFC 3161 timestamp that verified.
    case timestamp
    /// What the signer claimed (`/M` or the signing-time attribute): not proven.
    case claimed
    /// No time given: the chain was checked at verification time.
    case verificationTime = "verification_time"
}

/// The verdict on one signature, with its evidence.
public struct SignatureReport: Hashable, Sendable, Codable {
    public var field: String
    public var subFilter: String
    public var indication: Indication
    public var subIndication: SubIndication?
    /// Why, in words.
    public var reasons: [String]
    public var coverage: Coverage?
    public var byteRange: [Int]
    /// Changes made after this signature, in words; "allowed:" ones are later signatures and LTV data.
    public var modifications: [String]
    public var signer: String?
    public var serial: String?
    public var signingTime: Date?
    public var signingTimeSource: SigningTimeSource?
    /// Subjects from the signer up to the trust anchor.
    public var chain: [String]
    /// The CRLs or OCSP responses used, with their times.
    public var revocation: [String]
    public var digestAlgorithm: String?
    /// The signer's certificate as the signer registry matches it (fingerprints, subject attributes,
    /// issuer), once the path to an anchor was checked.
    public var signerCertificate: SignerCertificate?
    /// The signature dictionary's `/Reason`, inside the signed bytes.
    public var reason: String?
    /// The signature dictionary's `/HoSo.CaseID`: the case `hoso sign --case` signed the file for.
    public var caseID: String?
}

/// The verdict on one file.
public struct DocumentReport: Hashable, Sendable, Codable {
    public var file: String
    public var signatures: [SignatureReport]
    /// Passed only if every signature passed and the last covers the file or only allowed changes follow.
    public var indication: Indication?
    public var summary: String
    public var verifiedAt: Date
}
