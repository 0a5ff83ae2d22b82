import Foundation
import HoSoCore

/// The signer registry: which certificates may sign results for which agency, in which role, and the
/// roles each agency requires. Every change is a ``RegistryEvent`` in the same transaction; entries are
/// removed, never deleted. Read on every attach, so a change counts at once on every node.
public protocol SignerRegistry: Sendable {
    /// Adds an entry; the same certificate, match, agency and role already live gives that entry back
    /// (`added` false) and changes nothing.
    func addSigner(_ signer: RegisteredSigner) async throws -> (signer: RegisteredSigner, added: Bool)

    /// Entries, oldest first; removed ones only when asked.
    func signers(includeRemoved: Bool) async throws -> [RegisteredSigner]

    /// Removes entry `id` with a reason; results already attached keep their evidence.
    func removeSigner(_ id: Int64, reason: String, actor: String, at time: Date) async throws -> RegisteredSigner

    /// Sets the roles an agency's results must all carry; no roles clears the policy.
    func setSignerPolicy(_ policy: SignerPolicy) async throws

    func signerPolicy(for agency: AgencyCode) async throws -> SignerPolicy?

    func signerPolicies() async throws -> [SignerPolicy]

    /// The registry's trail, oldest first.
    func registryEvents() async throws -> [RegistryEvent]
}

/// One change to the signer registry.
public struct RegistryEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case signerAdded = "signer_added"
        case signerRemoved = "signer_removed"
        case policySet = "policy_set"
    }

    public var id: Int64?
    public let time: Date
    public let actor: String
    public let kind: Kind
    public let agency: String
    public let signerID: Int64?
    public let details: [String: String]

    public init(id: Int64? = nil, time: Date, actor: String, kind: Kind, agency: String, signerID: Int64?, details: [String: String]) {
        self.id = id
        self.time = time
        self.actor = actor
        self.kind = kind
        self.agency = agency
        self.signerID = signerID
        self.details = details
    }
}
