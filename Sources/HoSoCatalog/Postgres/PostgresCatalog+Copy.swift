import PostgresNIO

extension PostgresCatalog: CatalogCopying {
    /// A table's columns in their order, with PostgreSQL's type names (`text`, `bigint`, `boolean`).
    private func columns(of table: CatalogTable, _ session: PostgresSession) async throws -> [(name: String, type: String)] {
        try await session.rows("""
            SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table.name) ORDER BY ordinal_position
            """).map { (try RowDecoding.text($0, "name", table: table.name), try RowDecoding.text($0, "type", table: table.name)) }
    }

    public func rows(of table: CatalogTable, after: CellValue?, limit: Int) async throws -> [TableRow] {
        try await read { session in
            let columns = try await self.columns(of: table, session)
            var binds = PostgresBindings()
            var filter = ""
            if let after {
                try Self.bind(after, as: columns.first { $0.name == table.key }?.type ?? "text", into: &binds)
                filter = "WHERE \(table.key) > $1"
            }
            binds.append(Int64(limit))
            let query = PostgresQuery(unsafeSQL: "SELECT * FROM \(table.name) \(filter) ORDER BY \(table.key) LIMIT $\(binds.count)", binds: binds)
            return try await session.rows(query).map { row in
                try columns.map { column -> (column: String, value: CellValue) in
                    switch column.type {
                    case "bigint", "integer": return (column.name, try row.integer(column.name).map(CellValue.integer) ?? .null)
                    case "boolean": return (column.name, try row.flag(column.name).map(CellValue.flag) ?? .null)
                    default: return (column.name, try row.text(column.name).map(CellValue.text) ?? .null)
                    }
                }
            }
        }
    }

    public func insert(_ rows: [TableRow], into table: CatalogTable) async throws -> Int {
        guard let first = rows.first else { return 0 }
        return try await transaction { session in
            let types = Dictionary(uniqueKeysWithValues: try await self.columns(of: table, session).map { ($0.name, $0.type) })
            let names = first.map(\.column)
            let overriding = table.numbered ? "OVERRIDING SYSTEM VALUE" : ""
            let sql = """
                INSERT INTO \(table.name) (\(names.joined(separator: ", "))) \(overriding)
                VALUES (\((1...names.count).map { "$\($0)" }.joined(separator: ", "))) ON CONFLICT DO NOTHING RETURNING 1
                """
            var inserted = 0
            for row in rows {
                var binds = PostgresBindings()
                for (column, value) in row { try Self.bind(value, as: types[column] ?? "text", into: &binds) }
                inserted += try await session.execute(PostgresQuery(unsafeSQL: sql, binds: binds))
            }
            return inserted
        }
    }

    public func count(of table: CatalogTable) async throws -> Int {
        try await read { session in
            Int(try RowDecoding.integer(try await session.row("SELECT COUNT(*) AS n FROM \(unescaped: table.name)")
                                            .orThrow(.corruptRow(table: table.name, reason: "no count")), "n", table: table.name))
        }
    }

    public func finishCopy() async throws {
        try await transaction { session in
            for table in CatalogTable.all where table.numbered {
                try await session.execute("""
                    SELECT setval(pg_get_serial_sequence(\(table.name), \(table.key)),
                                  COALESCE((SELECT MAX(\(unescaped: table.key)) FROM \(unescaped: table.name)), 0) + 1, false)
                    """)
            }
        }
    }

    /// Binds `value` for a column of PostgreSQL type `type` (SQLite keeps flags as integers 0 and 1).
    private static func bind(_ value: CellValue, as type: String, into binds: inout PostgresBindings) throws {
        switch (value, type) {
        case (.null, _): binds.appendNull()
        case (.integer(let number), "boolean"): binds.append(number != 0)
        case (.integer(let number), _): binds.append(number)
        case (.flag(let flag), "boolean"): binds.append(flag)
        case (.flag(let flag), _): binds.append(Int64(flag ? 1 : 0))
        case (.text(let text), _): binds.append(text)
        }
    }
}
