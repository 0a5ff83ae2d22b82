import Logging
import PostgresNIO

/// One connection inside one of the catalog's transactions (or reads): queries in, catalog rows out. Every
/// query ends when its connection closes, answered or not (``ConnectionCloseWatch``).
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let watch: ConnectionCloseWatch

    func rows(_ query: PostgresQuery) async throws -> [PostgresCatalogRow] {
        let (connection, logger) = (connection, logger)
        return try await watch.whileOpen(connection) { try await connection.query(query, logger: logger).collect() }
            .map { PostgresCatalogRow(row: $0.makeRandomAccess()) }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws. (Not postgres-nio's
    /// `withTransaction`, whose `ROLLBACK` on a connection that just closed would wait for ever.)
    func inTransaction<T>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await execute("BEGIN")
        do {
            let value = try await body(self)
            try await execute("COMMIT")
            return value
        } catch {
            // On a connection that is gone the server has already ended the transaction.
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }

    func row(_ query: PostgresQuery) async throws -> PostgresCatalogRow? {
        try await rows(query).first
    }

    /// Runs a statement; the number of rows it returned (`RETURNING` makes that the rows it changed).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    /// The first column of each row, as text.
    func texts(_ query: PostgresQuery) async throws -> [String] {
        try await rows(query).compactMap { try $0.row[0].decode(String?.self) }
    }
}

/// A PostgreSQL row read by column name, for ``RowDecoding``.
struct PostgresCatalogRow: CatalogRow {
    let row: PostgresRandomAccessRow

    func text(_ column: String) throws -> String? { try decode(column, as: String?.self) }
    func integer(_ column: String) throws -> Int64? { try decode(column, as: Int64?.self) }
    func flag(_ column: String) throws -> Bool? { try decode(column, as: Bool?.self) }

    private func decode<T: PostgresDecodable>(_ column: String, as type: T.Type) throws -> T {
        guard row.contains(column) else { throw CatalogError.corruptRow(table: "?", reason: "no column \(column)") }
        do { return try row[column].decode(T.self) } catch {
            throw CatalogError.corruptRow(table: "?", reason: "\(column) is not \(T.self): \(String(reflecting: error))")
        }
    }
}
