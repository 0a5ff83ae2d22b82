/// A catalog read and written table by table, row by row, as `hoso migrate` copies one catalog into
/// another (SQLite to PostgreSQL or back). Both catalogs have the same tables and columns; rows keep their
/// row numbers, so every reference between them stays right.
public protocol CatalogCopying: Sendable {
    /// Up to `limit` rows of `table` whose key is after `after` (from the first when nil), in key order.
    func rows(of table: CatalogTable, after: CellValue?, limit: Int) async throws -> [TableRow]

    /// Inserts rows as they are; a row whose key is already there is left alone (a resumed copy).
    /// Returns how many were new.
    func insert(_ rows: [TableRow], into table: CatalogTable) async throws -> Int

    /// How many rows `table` has.
    func count(of table: CatalogTable) async throws -> Int

    /// Makes the next row numbers follow the copied ones (PostgreSQL's identity sequences).
    func finishCopy() async throws
}

/// One table of the catalog and the column rows are ordered and paged by.
public struct CatalogTable: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let key: String
    /// Whether `key` is a row number the catalog assigns (an identity column).
    public let numbered: Bool

    /// Every table, parents before the tables that refer to them.
    public static let all: [CatalogTable] = [
        .init(name: "cases", key: "id", numbered: false), .init(name: "documents", key: "id", numbered: true),
        .init(name: "results", key: "id", numbered: true), .init(name: "events", key: "id", numbered: true),
        .init(name: "ingest_jobs", key: "id", numbered: true), .init(name: "quarantine", key: "id", numbered: true),
        .init(name: "api_tokens", key: "id", numbered: true), .init(name: "users", key: "id", numbered: true),
        .init(name: "uptime_runs", key: "id", numbered: true),
        .init(name: "signers", key: "id", numbered: true), .init(name: "signer_policies", key: "agency", numbered: false),
        .init(name: "registry_events", key: "id", numbered: true), .init(name: "scrub_shards", key: "shard", numbered: false),
        .init(name: "target_outages", key: "id", numbered: true), .init(name: "chain_stamps", key: "id", numbered: true),
        .init(name: "chain_stamp_heads", key: "id", numbered: true),
    ]

    public var description: String { name }
}

/// A value of one column, whatever database it came from.
public enum CellValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case flag(Bool)
}

/// One row: its columns in the table's order, with their values.
public typealias TableRow = [(column: String, value: CellValue)]
