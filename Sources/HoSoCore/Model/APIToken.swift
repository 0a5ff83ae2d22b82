import Foundation

/// A bearer token of the HTTP API, as the catalog keeps it: its SHA-256, never the token itself.
public struct APIToken: Hashable, Sendable, Codable {
    public var id: Int64?
    /// Who or what holds it (`mot-cua-server`, `scan-01`), unique.
    public let name: String
    public let role: Role
    /// Sees and changes only the cases this agency or its units resolve; nil: every case.
    public let agency: AgencyCode?
    /// Hex SHA-256 of the token.
    public let tokenHash: String
    public let createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64? = nil, name: String, role: Role, agency: AgencyCode? = nil, tokenHash: String, createdAt: Date,
                revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.agency = agency
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
