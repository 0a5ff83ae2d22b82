import PostgresNIO

/// Ingest jobs announced with `NOTIFY hoso_jobs` when they are queued (sent by the server when the queuing
/// transaction commits), heard on one pool connection per node held for as long as it listens.
extension PostgresCatalog: JobWakeUps {
    static let jobChannel = "hoso_jobs"

    public func listenForJobs(_ wake: @escaping @Sendable () -> Void) async throws {
        try await client.withConnection { [watch] connection in
            // A listen started on a connection that has just closed would wait for ever (``ConnectionCloseWatch``).
            try await watch.whileOpen(connection) {
                try await connection.listen(on: Self.jobChannel) { notifications in
                    for try await _ in notifications { wake() }
                }
            }
        }
    }
}
