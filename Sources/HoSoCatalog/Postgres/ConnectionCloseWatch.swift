import HoSoCore
import PostgresNIO
import Synchronization

/// The connection a query ran on closed before the query answered.
public struct ConnectionClosed: Error, CustomStringConvertible {
    public var description: String { "the connection to the server closed" }
}

/// Ends a wait on a connection as soon as the connection closes.
///
/// postgres-nio (1.33.2) drops a query written to a connection that has just closed without ever failing
/// it: the query's caller waits for ever. A PostgreSQL restart between two queries of one transaction left
/// an ingest worker waiting so, with its job, until `hoso serve` was restarted (issue 16). Every query and
/// every `LISTEN` of the catalog runs through ``whileOpen(_:_:)``: when the connection closes, the wait
/// ends with ``ConnectionClosed`` and the pool's lease is given back (the pool drops a closed connection).
///
/// Each connection's `closeFuture` gets one callback, the first time the connection is seen, and the
/// waits on it are kept here until they end: callbacks on a future are never removed, so one per query
/// would pile up for as long as a pooled connection lives.
final class ConnectionCloseWatch: Sendable {
    private struct State {
        var nextWait = 0
        /// For each open connection seen, what ends each wait on it.
        var connections: [ObjectIdentifier: [Int: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())

    /// Runs `operation` (which uses `connection`) and returns its result, or throws ``ConnectionClosed`` when
    /// the connection closes first; an operation that never answers is then left behind, suspended. Task
    /// cancellation is passed on to the operation, which is still waited for: a query that is running must
    /// end before its connection goes back to the pool.
    func whileOpen<T: Sendable>(_ connection: PostgresConnection, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = FirstAnswer<T>()
        let key = ObjectIdentifier(connection)
        let (wait, firstSeen) = state.withLock { state -> (Int, Bool) in
            state.nextWait += 1
            let firstSeen = state.connections[key] == nil
            state.connections[key, default: [:]][state.nextWait] = { answer.give(.failure(ConnectionClosed())) }
            return (state.nextWait, firstSeen)
        }
        if firstSeen {
            // Already closed: the callback runs at once.
            connection.closeFuture.whenComplete { [self] _ in
                let waits = state.withLock { $0.connections.removeValue(forKey: key) } ?? [:]
                for end in waits.values { end() }
            }
        }
        let work = Task {
            do { answer.give(.success(try await operation())) } catch { answer.give(.failure(error)) }
        }
        defer { state.withLock { _ = $0.connections[key]?.removeValue(forKey: wait) } }
        return try await withTaskCancellationHandler {
            try await answer.value()
        } onCancel: {
            work.cancel()
        }
    }
}
