import Foundation

/// What the signer rule needs to know of one signature on a result.
public struct SignatureFacts: Hashable, Sendable {
    public let field: String
    /// TOTAL_PASSED.
    public let passed: Bool
    /// A document timestamp (`ETSI.RFC3161`): proves a time, names no signer of the agency.
    public let isDocumentTimestamp: Bool
    public let signer: SignerCertificate?

    public init(field: String, passed: Bool, isDocumentTimestamp: Bool, signer: SignerCertificate?) {
        self.field = field
        self.passed = passed
        self.isDocumentTimestamp = isDocumentTimestamp
        self.signer = signer
    }
}

/// Who may sign a case's result: the registry's entries for the deciding agency, and its policy.
///
/// "Signed" is not enough: once an office trusts the national root CA, every citizen's certificate
/// chains to it. A result counts only when its last signature (the one that covers the file, or the
/// revision a later document timestamp stamped) passed and is by a registered signer of the agency that
/// decides the case, and — under a policy — every required role signed it too.
public struct SignerRule: Hashable, Sendable {
    /// Every entry on record; the rule picks those that apply.
    public let registry: [RegisteredSigner]
    public let policy: SignerPolicy?
    /// When false, an agency with no entry at all lets any passing signer through (said loudly by
    /// `hoso config check`); an agency with entries is always held to them.
    public let requireRegisteredSigner: Bool

    public init(registry: [RegisteredSigner], policy: SignerPolicy?, requireRegisteredSigner: Bool = true) {
        self.registry = registry
        self.policy = policy
        self.requireRegisteredSigner = requireRegisteredSigner
    }

    public func decide(agency: AgencyCode, signatures: [SignatureFacts], at time: Date) -> SignerDecision {
        let entries = registry.filter { $0.applies(to: agency, at: time) }
        guard !entries.isEmpty else {
            return requireRegisteredSigner ? .noSignerRegistered(agency) : .unchecked(agency)
        }
        let signed = signatures.filter { !$0.isDocumentTimestamp }
        guard let last = signed.last else {
            return .notAuthorized(SignerRefusal(signer: nil, agency: agency, accepted: entries, missingRoles: []))
        }
        let lastEntries = last.passed ? last.signer.map { signer in entries.filter { $0.matches(signer) } } ?? [] : []
        let required = policy?.requiredRoles ?? []
        var satisfied: [RoleSignature] = []
        var missing: [SignerRole] = []
        for role in required {
            let found = signed.lazy.filter(\.passed).compactMap { signature -> RoleSignature? in
                guard let signer = signature.signer,
                      let entry = entries.first(where: { $0.role == role && $0.matches(signer) }) else { return nil }
                return RoleSignature(role: role, field: signature.field, signer: signer.subject, entry: entry)
            }.first
            if let found { satisfied.append(found) } else { missing.append(role) }
        }
        guard let entry = lastEntries.first, missing.isEmpty else {
            return .notAuthorized(SignerRefusal(signer: last.signer?.subject, agency: agency, accepted: entries, missingRoles: missing))
        }
        return .authorized(SignerAuthorization(agency: agency, field: last.field, signer: last.signer?.subject ?? "", entry: entry,
                                               requiredRoles: satisfied))
    }
}

/// The signer rule's verdict on a result.
public enum SignerDecision: Hashable, Sendable {
    case authorized(SignerAuthorization)
    /// The agency has no entry and the configuration does not require one.
    case unchecked(AgencyCode)
    /// The agency has no entry: nobody can sign its results until one is added.
    case noSignerRegistered(AgencyCode)
    case notAuthorized(SignerRefusal)
}

/// Which entry the deciding signature matched, and which signature filled each role the policy requires.
public struct SignerAuthorization: Hashable, Sendable {
    public let agency: AgencyCode
    public let field: String
    public let signer: String
    public let entry: RegisteredSigner
    public let requiredRoles: [RoleSignature]
}

/// A required role and the signature that filled it.
public struct RoleSignature: Hashable, Sendable {
    public let role: SignerRole
    public let field: String
    public let signer: String
    public let entry: RegisteredSigner
}

/// Why the signer rule refused: who signed last (nil when only timestamps), for which agency, what
/// would have been accepted, and the policy's roles nobody filled.
public struct SignerRefusal: Hashable, Sendable {
    public let signer: String?
    public let agency: AgencyCode
    public let accepted: [RegisteredSigner]
    public let missingRoles: [SignerRole]
}
