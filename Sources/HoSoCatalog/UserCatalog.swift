import Foundation
import HoSoCore

/// The people who sign in to the web pages, and their sessions.
public protocol UserCatalog: Sendable {
    /// Stores a new user; a name already in use (disabled or not) is refused with `userNameTaken`.
    func createUser(_ user: User) async throws -> User
    func user(named name: UserName) async throws -> User?
    /// Every user, by name.
    func users() async throws -> [User]
    /// Disables an enabled user and ends their sessions; false when no enabled user has the name.
    func disableUser(_ name: UserName, at time: Date) async throws -> Bool
    /// Replaces a user's password hash and ends their sessions; false when no user has the name.
    func setPassword(of name: UserName, hash: String, at time: Date) async throws -> Bool

    /// Stores a new session, and removes every session last seen before `expiredBefore`.
    func createSession(_ session: UserSession, expiredBefore: Date) async throws
    /// The session whose id hashes to `idHash` and its user, if the user is enabled and the session was
    /// seen at or after `seenSince`.
    func session(idHash: String, seenSince: Date) async throws -> (session: UserSession, user: User)?
    /// Marks the session seen at `time`.
    func touchSession(idHash: String, at time: Date) async throws
    func endSession(idHash: String) async throws
}

extension UserCatalog {
    /// `session(idHash:seenSince:)`, marked seen at `now` when its last-seen time lags 30 s or more: a page
    /// view is not a write.
    public func liveSession(idHash: String, seenSince: Date, now: Date) async throws -> (session: UserSession, user: User)? {
        guard let (seen, user) = try await session(idHash: idHash, seenSince: seenSince) else { return nil }
        var live = seen
        if now.timeIntervalSince(seen.lastSeenAt) >= 30 {
            try await touchSession(idHash: idHash, at: now)
            live.lastSeenAt = now
        }
        return (live, user)
    }
}
