import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest
import Hummingbird

/// Signed-in browsers: a random id in an `HttpOnly`, `SameSite=Strict` cookie (`Secure` under TLS), kept
/// in the catalog only as its SHA-256 with the CSRF token every form must carry back; a session unused
/// for `idle` ends.
struct WebSessions: Sendable {
    static let cookie = "hoso_session"
    /// Before sign-in, the login form's CSRF token travels in this cookie and in the form (double submit).
    static let loginCookie = "hoso_login"

    let catalog: any ServerCatalog
    let idle: TimeInterval
    let secure: Bool

    /// The live session the request's cookie names, and its user.
    func current(_ request: Request, now: Date = Date()) async throws -> (session: UserSession, user: User)? {
        guard let id = request.cookies[Self.cookie]?.value, !id.isEmpty, id.utf8.count <= 100 else { return nil }
        return try await catalog.liveSession(idHash: BearerToken.hash(id), seenSince: now.addingTimeInterval(-idle), now: now)
    }

    /// A new session for `user`; the cookie that carries it.
    func open(for user: User, now: Date = Date()) async throws -> Cookie {
        let id = BearerToken.randomText()
        try await catalog.createSession(UserSession(idHash: BearerToken.hash(id), user: user.name, csrfToken: BearerToken.randomText(), createdAt: now),
                                        expiredBefore: now.addingTimeInterval(-idle))
        return cookie(Self.cookie, id)
    }

    func close(_ request: Request) async throws -> Cookie {
        if let id = request.cookies[Self.cookie]?.value { try await catalog.endSession(idHash: BearerToken.hash(id)) }
        return cookie(Self.cookie, "", maxAge: 0)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/ui", secure: secure, httpOnly: true, sameSite: .strict)
    }


    /// Whether a form's token is the expected one, compared in constant time.
    static func tokenMatches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        return ConstantTime.equal(given.utf8, expected.utf8)
    }
}
