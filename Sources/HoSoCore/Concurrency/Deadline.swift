/// Work that must answer within a time or be given up on.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "no answer within \(limit)" }
}

/// Runs `operation` and returns its result, or throws `DeadlineExceeded` once `limit` has passed. The
/// operation runs in a task of its own that is cancelled at the deadline but not waited for: an operation
/// that does not notice cancellation at once (a query on a connection whose server went away) cannot
/// hold the caller past the limit; it ends on its own, later, and its result is dropped.
public func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    // An operation that never says it started: the deadline holds for all of it.
    try await withStartDeadline(limit) { _ in try await operation() }
}
