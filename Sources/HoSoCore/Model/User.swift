import Foundation

/// A person who signs in to the web pages: a role as tokens have, optionally scoped to one agency (and its
/// units), a password kept only as its scrypt hash (`PasswordHash`'s text).
public struct User: Hashable, Sendable {
    public var id: Int64?
    public let name: UserName
    public let role: Role
    /// Sees and changes only the cases this agency or its units resolve; nil: every case.
    public let agency: AgencyCode?
    public var passwordHash: String
    public let createdAt: Date
    public var passwordChangedAt: Date
    /// A disabled user cannot sign in, and their sessions end.
    public var disabledAt: Date?

    public init(id: Int64? = nil, name: UserName, role: Role, agency: AgencyCode?, passwordHash: String, createdAt: Date,
                passwordChangedAt: Date? = nil, disabledAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.agency = agency
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt ?? createdAt
        self.disabledAt = disabledAt
    }
}
