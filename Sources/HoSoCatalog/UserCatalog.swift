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
    /// seen at or after `seenSince`; it is marked seen at `now` (at most once every 30 seconds: a page
    /// view is not a write).
    func liveSession(idHash: String, seenSince: Date, now: Date) async throws -> (session: UserSession, user: User)?
    func endSession(idHash: String) async throws
}

/// How long a session's last-seen time may lag before a request writes it again.
enum SessionTouch {
    static let interval: TimeInterval = 30
}
