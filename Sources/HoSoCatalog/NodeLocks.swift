/// Work only one node may do at a time (a station's inbox, the fixity scrub): a lock each node tries to
/// take, held for as long as the work runs and released when the holder stops or dies.
public protocol NodeLocks: Sendable {
    /// Runs `body` while this node holds the lock `name`, trying to take it every `interval` while another
    /// node holds it. If this node loses the lock (its connection to the lock's keeper died), `body` is
    /// cancelled and the lock is tried for again. Returns when `body` returns; throws what it throws, and
    /// `CancellationError` when cancelled.
    func holding(_ name: String, every interval: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws

    /// Runs `body` if this node can take the lock `name` now, checking every `interval` that it still holds
    /// it; returns whether `body` ran to its end (false when another node holds the lock, or this one lost it).
    func ifFree(_ name: String, every interval: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool
}
