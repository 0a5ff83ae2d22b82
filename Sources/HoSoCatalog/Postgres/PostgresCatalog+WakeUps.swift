import PostgresNIO

/// Ingest jobs announced with `NOTIFY hoso_jobs` when they are queued (sent by the server when the queuing
/// transaction commits), heard on one pool connection per node held for as long as it listens.
extension PostgresCatalog: JobWakeUps {
    static let jobChannel = "hoso_jobs"

    public func listenForJobs(_ wake: @escaping @Sendable () -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.jobChannel) { notifications in
                for try await _ in notifications { wake() }
            }
        }
    }
}
