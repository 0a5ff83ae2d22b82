import Foundation
import HoSoCatalog
import HoSoCore
import Synchronization

/// Live tokens looked up in the last second, by hash: the catalog is asked at most once a second per
/// token instead of on every request. A revoked token is refused within a second.
final class TokenCache: Sendable {
    private let tokens: any TokenCatalog
    private let entries = Mutex<[String: (token: APIToken, until: Date)]>([:])
    static let lifetime: TimeInterval = 1
    static let capacity = 4096

    init(tokens: any TokenCatalog) {
        self.tokens = tokens
    }

    func liveToken(hash: String, now: Date = Date()) async throws -> APIToken? {
        if let hit = entries.withLock({ $0[hash] }), hit.until > now { return hit.token }
        guard let token = try await tokens.liveToken(hash: hash) else {
            entries.withLock { _ = $0.removeValue(forKey: hash) }
            return nil
        }
        entries.withLock {
            if $0.count >= Self.capacity { $0.removeAll() }
            $0[hash] = (token, now.addingTimeInterval(Self.lifetime))
        }
        return token
    }
}
