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
    let (answers, answer) = AsyncStream<Result<T, any Error>?>.makeStream()
    let work = Task {
        do { answer.yield(.success(try await operation())) } catch { answer.yield(.failure(error)) }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        answer.yield(nil)
    }
    defer {
        answer.finish()
        timer.cancel()
    }
    for await first in answers {
        guard let first else {
            work.cancel()
            throw DeadlineExceeded(limit: limit)
        }
        return try first.get()
    }
    // The caller was cancelled before either answered.
    work.cancel()
    throw CancellationError()
}
