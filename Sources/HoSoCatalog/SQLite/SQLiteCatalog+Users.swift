import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog: UserCatalog {
    public func createUser(_ user: User) async throws -> User {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE name = ?", arguments: [user.name.rawValue]) == 0 else {
                throw CatalogError.userNameTaken(user.name.rawValue)
            }
            try db.execute(
                sql: """
                    INSERT INTO users (name, role, agency, password_hash, created_at, password_changed_at, disabled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.name.rawValue, user.role.rawValue, user.agency?.rawValue, user.passwordHash, RFC3339.format(user.createdAt),
                            RFC3339.format(user.passwordChangedAt), user.disabledAt.map(RFC3339.format)])
            var stored = user
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func user(named name: UserName) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE name = ?"), arguments: [name.rawValue]).map(RowDecoding.user)
        }
    }

    public func users() async throws -> [User] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(RowDecoding.user) }
    }

    public func disableUser(_ name: UserName, at time: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL",
                           arguments: [RFC3339.format(time), name.rawValue])
            guard db.changesCount > 0 else { return false }
            try Self.endSessions(db, of: name)
            return true
        }
    }

    public func setPassword(of name: UserName, hash: String, at time: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                           arguments: [hash, RFC3339.format(time), name.rawValue])
            guard db.changesCount > 0 else { return false }
            try Self.endSessions(db, of: name)
            return true
        }
    }

    private static func endSessions(_ db: Database, of name: UserName) throws {
        try db.execute(sql: "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", arguments: [name.rawValue])
    }

    public func createSession(_ session: UserSession, expiredBefore: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE last_seen_at < ?", arguments: [RFC3339.format(expiredBefore)])
            try db.execute(
                sql: """
                    INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
                    SELECT ?, id, ?, ?, ? FROM users WHERE name = ? AND disabled_at IS NULL
                    """,
                arguments: [session.idHash, session.csrfToken, RFC3339.format(session.createdAt), RFC3339.format(session.lastSeenAt),
                            session.user.rawValue])
            guard db.changesCount == 1 else { throw CatalogError.corruptRow(table: "users", reason: "no enabled user \(session.user)") }
        }
    }

    public func session(idHash: String, seenSince: Date) async throws -> (session: UserSession, user: User)? {
        try await pool.read { db -> (UserSession, User)? in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT s.id_hash, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, u.name AS user_name, u.*
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = ? AND s.last_seen_at >= ? AND u.disabled_at IS NULL
                """), arguments: [idHash, RFC3339.format(seenSince)]) else { return nil }
            return (try RowDecoding.session(row), try RowDecoding.user(row))
        }
    }

    public func touchSession(idHash: String, at time: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", arguments: [RFC3339.format(time), idHash])
        }
    }

    public func endSession(idHash: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [idHash]) }
    }
}
