import Foundation
import HoSoCore
import PostgresNIO

extension PostgresCatalog: UserCatalog {
    public func createUser(_ user: User) async throws -> User {
        try await transaction { session in
            guard let row = try await session.row("""
                INSERT INTO users (name, role, agency, password_hash, created_at, password_changed_at, disabled_at)
                VALUES (\(user.name.rawValue), \(user.role.rawValue), \(user.agency?.rawValue), \(user.passwordHash),
                        \(RFC3339.format(user.createdAt)), \(RFC3339.format(user.passwordChangedAt)), \(user.disabledAt.map(RFC3339.format)))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """) else { throw CatalogError.userNameTaken(user.name.rawValue) }
            var stored = user
            stored.id = try row.integer("id")
            return stored
        }
    }

    public func user(named name: UserName) async throws -> User? {
        try await read { session in try await session.row("SELECT * FROM users WHERE name = \(name.rawValue)").map(RowDecoding.user) }
    }

    public func users() async throws -> [User] {
        try await read { session in try await session.rows("SELECT * FROM users ORDER BY name").map(RowDecoding.user) }
    }

    public func disableUser(_ name: UserName, at time: Date) async throws -> Bool {
        try await transaction { session in
            guard try await session.execute("""
                UPDATE users SET disabled_at = \(RFC3339.format(time)) WHERE name = \(name.rawValue) AND disabled_at IS NULL RETURNING id
                """) > 0 else { return false }
            try await Self.endSessions(session, of: name)
            return true
        }
    }

    public func setPassword(of name: UserName, hash: String, at time: Date) async throws -> Bool {
        try await transaction { session in
            guard try await session.execute("""
                UPDATE users SET password_hash = \(hash), password_changed_at = \(RFC3339.format(time)) WHERE name = \(name.rawValue) RETURNING id
                """) > 0 else { return false }
            try await Self.endSessions(session, of: name)
            return true
        }
    }

    private static func endSessions(_ session: PostgresSession, of name: UserName) async throws {
        _ = try await session.execute("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = \(name.rawValue))")
    }

    public func createSession(_ session: UserSession, expiredBefore: Date) async throws {
        try await transaction { connection in
            _ = try await connection.execute("DELETE FROM sessions WHERE last_seen_at < \(RFC3339.format(expiredBefore))")
            guard try await connection.execute("""
                INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
                SELECT \(session.idHash), id, \(session.csrfToken), \(RFC3339.format(session.createdAt)), \(RFC3339.format(session.lastSeenAt))
                FROM users WHERE name = \(session.user.rawValue) AND disabled_at IS NULL RETURNING id_hash
                """) == 1 else { throw CatalogError.corruptRow(table: "users", reason: "no enabled user \(session.user)") }
        }
    }

    public func session(idHash: String, seenSince: Date) async throws -> (session: UserSession, user: User)? {
        try await read { connection -> (UserSession, User)? in
            guard let row = try await connection.row("""
                SELECT s.id_hash, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, u.name AS user_name, u.*
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = \(idHash) AND s.last_seen_at >= \(RFC3339.format(seenSince)) AND u.disabled_at IS NULL
                """) else { return nil }
            return (try RowDecoding.session(row), try RowDecoding.user(row))
        }
    }

    public func touchSession(idHash: String, at time: Date) async throws {
        _ = try await read { connection in
            try await connection.execute("UPDATE sessions SET last_seen_at = \(RFC3339.format(time)) WHERE id_hash = \(idHash) RETURNING id_hash")
        }
    }

    public func endSession(idHash: String) async throws {
        _ = try await read { connection in try await connection.execute("DELETE FROM sessions WHERE id_hash = \(idHash) RETURNING id_hash") }
    }
}
