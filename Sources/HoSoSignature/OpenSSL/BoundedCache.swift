import Synchronization

/// A dictionary shared across threads that forgets everything when it reaches its capacity: enough for
/// values that are cheap to make again and costly to make often (certificates, path verdicts).
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The value remembered for `key`, or `make`'s, remembered when it is not nil.
    func value(for key: Key, make: () -> Value?) -> Value? {
        if let known = entries.withLock({ $0[key] }) { return known }
        guard let made = make() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }
}
