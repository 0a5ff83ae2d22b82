import GRDB

extension SQLiteCatalog: CatalogCopying {
    public func rows(of table: CatalogTable, after: CellValue?, limit: Int) async throws -> [TableRow] {
        try await pool.read { db in
            let filter = after == nil ? "" : "WHERE \(table.key) > ?"
            let arguments: StatementArguments = after.map { [Self.databaseValue($0), limit] } ?? [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) \(filter) ORDER BY \(table.key) LIMIT ?", arguments: arguments)
                .map { row in
                    try row.columnNames.map { column -> (column: String, value: CellValue) in
                        let value: DatabaseValue = row[column]
                        switch value.storage {
                        case .null: return (column, .null)
                        case .int64(let number): return (column, .integer(number))
                        case .string(let text): return (column, .text(text))
                        case .double, .blob:
                            throw CatalogError.corruptRow(table: table.name, reason: "\(column) holds a value no catalog column has")
                        }
                    }
                }
        }
    }

    public func insert(_ rows: [TableRow], into table: CatalogTable) async throws -> Int {
        guard let first = rows.first else { return 0 }
        let columns = first.map(\.column)
        return try await pool.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT DO NOTHING
                """)
            var inserted = 0
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map { Self.databaseValue($0.value) }))
                inserted += db.changesCount
            }
            return inserted
        }
    }

    public func count(of table: CatalogTable) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    /// SQLite's AUTOINCREMENT follows the largest row number inserted: nothing to do.
    public func finishCopy() async throws {}

    static func databaseValue(_ value: CellValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        case .flag(let flag): flag.databaseValue
        }
    }
}
