import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoS3

/// `hoso migrate`: copies the catalog and every blob it names from where this node's configuration keeps
/// them to another catalog and blob store (the embedded default to PostgreSQL and S3, or back).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the catalog and every stored file to another catalog and blob store, re-checking every SHA-256.",
        discussion: """
            The source is what the configuration names (catalog.url, blobs.url: by default the data directory). \
            Blobs are copied first, each read back against its SHA-256 and skipped when the target has it; then \
            the catalog, table by table, rows keeping their numbers. Interrupted, it is run again and goes on where \
            it stopped. The target's S3 keys come from HOSO_TO_S3_ACCESS_KEY_ID and HOSO_TO_S3_SECRET_ACCESS_KEY, \
            else from the configuration's. Stop every hoso process using the source first.

            Example:
              hoso migrate --data /srv/hoso --to-catalog 'postgres://hoso:…@10.0.0.4/hoso' \\
                --to-blobs 's3://hoso-blobs?endpoint=http://10.0.0.5:8333'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("to-catalog"), help: ArgumentHelp("The target catalog: sqlite:PATH or postgres://….", valueName: "url"))
    var toCatalog: String

    @Option(name: .customLong("to-blobs"), help: ArgumentHelp("The target blob store: file:PATH or s3://BUCKET?endpoint=….", valueName: "url"))
    var toBlobs: String

    /// Rows read and written at a time.
    static let page = 500

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let (source, sourceBlobs) = try await global.openData(configuration)
            let target = try await openTargetCatalog(configuration)
            let targetBlobs = try await openTargetBlobs(configuration)
            guard let from = source as? any CatalogCopying, let to = target as? any CatalogCopying else {
                throw CommandFailure(.software, "these catalogs cannot be copied")
            }
            let copied = try await BlobCopy(source: sourceBlobs, target: targetBlobs, scratch: global.dataDirectory(configuration).workRoot)
                .run(naming: source, progress: ProgressLine())
            print("blobs: \(copied.copied) copied, \(copied.present) already there, every SHA-256 checked")
            for table in CatalogTable.all {
                let (inserted, total) = try await copy(table, from: from, to: to)
                print("\(table): \(inserted) rows copied, \(total) in the target")
            }
            try await to.finishCopy()
            for table in CatalogTable.all {
                let (have, want) = (try await to.count(of: table), try await from.count(of: table))
                guard have == want else {
                    throw CommandFailure(.software, "\(table): the target has \(have) rows, the source \(want)")
                }
            }
            print("done: the target holds the same rows and files as the source")
        }
    }

    private func openTargetCatalog(_ configuration: Configuration) async throws -> any ServerCatalog {
        let location: CatalogLocation
        do { location = try CatalogLocation(parsing: toCatalog, dataDirectory: global.dataDirectory(configuration).root) } catch {
            throw CommandFailure(.usage, "--to-catalog: \(error.description)")
        }
        switch location {
        case .sqlite(let path):
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            return try SQLiteCatalog(path: path)
        case .postgres(let url):
            return try await global.openPostgres(url, named: "--to-catalog", connectionWait: configuration.catalogConnectionWait)
        }
    }

    private func openTargetBlobs(_ configuration: Configuration) async throws -> any BlobStore {
        let location: BlobsLocation
        do { location = try BlobsLocation(parsing: toBlobs, dataDirectory: global.dataDirectory(configuration).root) } catch {
            throw CommandFailure(.usage, "--to-blobs: \(error.description)")
        }
        let environment = ProcessInfo.processInfo.environment
        let store = try global.blobStore(
            at: location, configuration,
            keys: environment["HOSO_TO_S3_ACCESS_KEY_ID"] ?? configuration.string(ConfigKeys.s3AccessKeyID),
            environment["HOSO_TO_S3_SECRET_ACCESS_KEY"] ?? configuration.string(ConfigKeys.s3SecretAccessKey),
            named: "--to-blobs", keysFrom: "keys: HOSO_TO_S3_ACCESS_KEY_ID and HOSO_TO_S3_SECRET_ACCESS_KEY")
        if let bucket = store as? S3BlobStore {
            do { try await bucket.client.createBucket() } catch { throw CommandFailure(.configError, "--to-blobs \(bucket.address): \(error)") }
        }
        return try await global.checked(store, named: "--to-blobs")
    }

    /// One table, a page at a time, in key order.
    private func copy(_ table: CatalogTable, from source: any CatalogCopying, to target: any CatalogCopying) async throws -> (Int, Int) {
        var after: CellValue?
        var inserted = 0
        while true {
            let rows = try await source.rows(of: table, after: after, limit: Self.page)
            if rows.isEmpty { break }
            inserted += try await target.insert(rows, into: table)
            after = rows.last?.first { $0.column == table.key }?.value
        }
        return (inserted, try await target.count(of: table))
    }
}
