import Foundation

/// Runs blocking work (waiting for a child process, an inotify read, fsyncs) on a thread of its own and
/// suspends until it is done, so the Swift concurrency pool is never blocked.
public func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// `offThread` for work that throws.
public func offThread<T: Sendable>(throwing body: @escaping @Sendable () throws -> T) async throws -> T {
    try await offThread { Result { try body() } }.get()
}
