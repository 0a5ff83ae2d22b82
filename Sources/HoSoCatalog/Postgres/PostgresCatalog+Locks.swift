import Foundation
import HoSoCore
import Logging
import PostgresNIO

/// Locks between nodes as PostgreSQL session advisory locks, each held on a connection of its own for as
/// long as the work runs: when a node dies, its connection goes and the server releases the lock, and the
/// next node to try takes it. The holder checks its connection every interval and stops the work if the
/// connection is gone, so two nodes never work under one lock for longer than that.
extension PostgresCatalog: NodeLocks {
    public func holding(_ name: String, every interval: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        while true {
            try Task.checkCancellation()
            do {
                if try await ifFree(name, every: interval, body) { return }
            } catch where error is CatalogError || error is PSQLError {
                // The server went away while the lock was tried for or held: try again once it is back.
                logger.warning("lock \(name) not held: \(Self.describe(error))", metadata: ["lock": .string(name)])
            }
            try await Task.sleep(for: interval)
        }
    }

    public func ifFree(_ name: String, every interval: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        do {
            return try await client.withConnection { connection in
                try await self.holdOnce(name, on: PostgresSession(connection: connection, logger: self.logger, watch: self.watch), every: interval, body)
            } == .finished
        } catch let error as LockLost {
            logger.warning("lock \(name) lost: \(error.reason)", metadata: ["lock": .string(name)])
            return false
        }
    }

    private enum LockOutcome: Equatable { case finished, notTaken }

    /// The connection holding a lock stopped answering.
    private struct LockLost: Error { let reason: String }

    private func holdOnce(_ name: String, on session: PostgresSession, every interval: Duration,
                          _ body: @escaping @Sendable () async throws -> Void) async throws -> LockOutcome {
        // A holder whose machine died is noticed by the server in seconds, not after TCP's two hours.
        try await session.execute("SET tcp_keepalives_idle = 5")
        try await session.execute("SET tcp_keepalives_interval = 2")
        try await session.execute("SET tcp_keepalives_count = 3")
        let taken = try await session.row("SELECT pg_try_advisory_lock(hashtextextended(\(name), 0)) AS taken")
        guard try taken?.flag("taken") == true else { return .notTaken }
        logger.notice("lock \(name) taken", metadata: ["lock": .string(name)])
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await body() }
                group.addTask(executorPreference: lockChecks) {
                    while true {
                        try await self.lockChecks.sleep(for: interval)
                        guard await Self.run("SELECT 1", on: session, within: interval) else { throw LockLost(reason: "its connection did not answer") }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            _ = await Self.run("SELECT pg_advisory_unlock(hashtextextended(\(name), 0))", on: session, within: interval)
            throw error
        }
        _ = await Self.run("SELECT pg_advisory_unlock(hashtextextended(\(name), 0))", on: session, within: interval)
        return .finished
    }

    /// Runs `query` and says whether the connection answered within `limit` (on a connection whose server
    /// or network went away a query can wait for ever; `withDeadline` does not wait for it). A connection
    /// that does not answer is closed, which ends that query too.
    private static func run(_ query: PostgresQuery, on session: PostgresSession, within limit: Duration) async -> Bool {
        guard !session.connection.isClosed else { return false }
        do {
            _ = try await withDeadline(limit) { try await session.execute(query) }
            return true
        } catch {
            let _: EventLoopFuture<Void> = session.connection.close()
            return false
        }
    }
}
