import Foundation
import Synchronization

/// Slows password guessing: after `allowed` failures within `window` for one user name, or from one
/// address, further attempts for it are refused until the oldest failure leaves the window — whether or
/// not the password would have been right, so a guesser learns nothing. Kept in this node's memory: a
/// restart or another node starts counting again, which at most multiplies a guesser's few tries.
final class LoginThrottle: Sendable {
    let allowed: Int
    let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(allowed: Int = 5, window: TimeInterval = 15 * 60) {
        self.allowed = allowed
        self.window = window
    }

    /// When the next attempt for `user` from `address` may come; nil: now.
    func retryAt(user: String, address: String, now: Date) -> Date? {
        failures.withLock { failures in
            [Self.key(user: user), Self.key(address: address)].compactMap { key -> Date? in
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent.isEmpty ? nil : recent
                return recent.count >= allowed ? recent[recent.count - allowed].addingTimeInterval(window) : nil
            }.max()
        }
    }

    func failed(user: String, address: String, at now: Date) {
        failures.withLock { failures in
            for key in [Self.key(user: user), Self.key(address: address)] { failures[key, default: []].append(now) }
            // A flood of distinct names must not grow this for ever.
            if failures.count > 100_000 { failures.removeAll() }
        }
    }

    /// A good password forgives the user's earlier failures (not the address's).
    func succeeded(user: String) {
        failures.withLock { _ = $0.removeValue(forKey: Self.key(user: user)) }
    }

    private static func key(user: String) -> String { "user:" + user.lowercased() }
    private static func key(address: String) -> String { "address:" + address }
}
