import Foundation

/// A signed-in browser: the SHA-256 of the random id its cookie holds (the id itself is never stored),
/// the token its forms must carry, and when it was last used (it ends after the idle timeout).
public struct UserSession: Hashable, Sendable {
    public let idHash: String
    public let user: UserName
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date

    public init(idHash: String, user: UserName, csrfToken: String, createdAt: Date, lastSeenAt: Date? = nil) {
        self.idHash = idHash
        self.user = user
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt ?? createdAt
    }
}
