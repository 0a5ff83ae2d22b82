import Synchronization

/// Runs `operation`, which calls `started()` once it has what it waited for (a connection from a pool),
/// and returns its result; throws `DeadlineExceeded` if `limit` passes before `started()` was called. Once
/// started, the operation runs to its end whatever the time: a transaction with its connection is never
/// abandoned halfway, only a wait for one. Like `withDeadline`, an operation given up on is cancelled and
/// not waited for.
public func withStartDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable (_ started: @escaping @Sendable () -> Void) async throws -> T
) async throws -> T {
    let began = Mutex(false)
    let (answers, answer) = AsyncStream<Result<T, any Error>?>.makeStream()
    let work = Task {
        do {
            answer.yield(.success(try await operation { began.withLock { $0 = true } }))
        } catch {
            answer.yield(.failure(error))
        }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        answer.yield(nil)
    }
    defer {
        answer.finish()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        for await first in answers {
            guard let first else {
                if began.withLock({ $0 }) { continue }
                work.cancel()
                throw DeadlineExceeded(limit: limit)
            }
            return try first.get()
        }
        throw CancellationError()
    } onCancel: {
        work.cancel()
    }
}
