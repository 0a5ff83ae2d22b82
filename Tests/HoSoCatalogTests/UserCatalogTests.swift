import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// Users, their sessions and scoped tokens, in each real catalog (SQLite, PostgreSQL).
@Suite struct UserCatalogTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)
    let lan = try! UserName(parsing: "lan.nguyen")
    let agency = try! AgencyCode(parsing: "000.00.14.H27")

    func user(_ name: UserName, agency: AgencyCode? = nil) -> User {
        User(name: name, role: .office, agency: agency, passwordHash: "scrypt$32768$8$1$c2FsdA$a2V5a2V5a2V5a2V5a2V5aw", createdAt: Self.t0)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aUser_isStoredOnce_andReadBackWhole(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let stored = try await catalog.createUser(user(lan, agency: agency))
        #expect(stored.id != nil)
        await #expect(throws: CatalogError.userNameTaken("lan.nguyen")) { try await catalog.createUser(user(lan)) }
        let read = try #require(try await catalog.user(named: lan))
        #expect(read == stored && read.agency == agency && read.disabledAt == nil)
        _ = try await catalog.createUser(user(try UserName(parsing: "an.tran")))
        #expect(try await catalog.users().map(\.name.rawValue) == ["an.tran", "lan.nguyen"])
        #expect(try await catalog.user(named: try UserName(parsing: "nobody")) == nil)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aSession_livesUntilItsIdleTimeout_andTouchesAreSparse(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        _ = try await catalog.createUser(user(lan))
        try await catalog.createSession(UserSession(idHash: "h1", user: lan, csrfToken: "c1", createdAt: Self.t0), expiredBefore: Self.t0.addingTimeInterval(-1800))
        let live = try #require(try await catalog.liveSession(idHash: "h1", seenSince: Self.t0.addingTimeInterval(-1800), now: Self.t0.addingTimeInterval(10)))
        #expect(live.session.csrfToken == "c1" && live.user.name == lan && live.session.createdAt == Self.t0)
        #expect(live.session.lastSeenAt == Self.t0, "a touch 10 s after the last one is not written")
        let later = Self.t0.addingTimeInterval(600)
        #expect(try await catalog.liveSession(idHash: "h1", seenSince: later.addingTimeInterval(-1800), now: later)?.session.lastSeenAt == later)
        // Idle past the timeout: gone; and an unknown id finds nothing.
        let idle = later.addingTimeInterval(1801)
        #expect(try await catalog.liveSession(idHash: "h1", seenSince: idle.addingTimeInterval(-1800), now: idle) == nil)
        #expect(try await catalog.liveSession(idHash: "nope", seenSince: Self.t0, now: Self.t0) == nil)
        // A new session sweeps the expired ones.
        try await catalog.createSession(UserSession(idHash: "h2", user: lan, csrfToken: "c2", createdAt: idle), expiredBefore: idle.addingTimeInterval(-1800))
        #expect(try await catalog.liveSession(idHash: "h1", seenSince: .distantPast, now: idle) == nil)
        try await catalog.endSession(idHash: "h2")
        #expect(try await catalog.liveSession(idHash: "h2", seenSince: .distantPast, now: idle) == nil)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func disablingOrANewPassword_endsEverySession(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        _ = try await catalog.createUser(user(lan))
        try await catalog.createSession(UserSession(idHash: "a", user: lan, csrfToken: "c", createdAt: Self.t0), expiredBefore: .distantPast)
        #expect(try await catalog.setPassword(of: lan, hash: "scrypt$new", at: Self.t0.addingTimeInterval(5)))
        #expect(try await catalog.liveSession(idHash: "a", seenSince: .distantPast, now: Self.t0) == nil)
        #expect(try await catalog.user(named: lan)?.passwordHash == "scrypt$new")
        #expect(try await catalog.user(named: lan)?.passwordChangedAt == Self.t0.addingTimeInterval(5))
        try await catalog.createSession(UserSession(idHash: "b", user: lan, csrfToken: "c", createdAt: Self.t0), expiredBefore: .distantPast)
        #expect(try await catalog.disableUser(lan, at: Self.t0))
        #expect(try await catalog.disableUser(lan, at: Self.t0) == false, "disabled once")
        #expect(try await catalog.liveSession(idHash: "b", seenSince: .distantPast, now: Self.t0) == nil)
        await #expect(throws: CatalogError.self, "a disabled user gets no new session") {
            try await catalog.createSession(UserSession(idHash: "c", user: lan, csrfToken: "c", createdAt: Self.t0), expiredBefore: .distantPast)
        }
        #expect(try await catalog.setPassword(of: try UserName(parsing: "nobody"), hash: "x", at: Self.t0) == false)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aTokensAgency_isKept(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        _ = try await catalog.createToken(APIToken(name: "so-tnmt", role: .workflow, agency: agency, tokenHash: "ab", createdAt: Self.t0))
        _ = try await catalog.createToken(APIToken(name: "mot-cua", role: .workflow, tokenHash: "cd", createdAt: Self.t0))
        #expect(try await catalog.liveToken(hash: "ab")?.agency == agency)
        #expect(try await catalog.liveToken(hash: "cd")?.agency == nil)
    }
}
