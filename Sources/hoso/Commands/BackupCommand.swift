import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoConfig

/// `hoso backup DIR`: a consistent online copy of the catalog, then the blobs that copy names.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the catalog and every file it names into a folder, while HoSo runs; again, only what is new.",
        discussion: """
            The catalog is copied first, consistently, as it was at one moment (SQLite's online backup API; \
            for a PostgreSQL catalog, pg_dump's custom format): ingest and the API go on meanwhile. Then every \
            blob that copy names is read from the store hash-checked and written to DIR/blobs, unless it is \
            there already, so a nightly backup into the same folder copies only the new files. Restore with \
            `hoso restore DIR --data NEW`; check with `hoso fsck`.

            Example:
              hoso backup /mnt/backup/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Folder the backup goes to (made if missing).", valueName: "dir"))
    var folder: String

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let target = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
            do { try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true) } catch {
                throw CommandFailure(.cantCreate, "\(target.path): cannot be made: \(error.localizedDescription)")
            }
            let catalog = try await global.openCatalog(configuration)
            let blobs = try await global.openBlobs(configuration)
            let named: any WorkflowCatalog
            switch catalog {
            case let sqlite as SQLiteCatalog:
                let copy = target.appendingPathComponent(BackupLayout.sqlite).path
                try await sqlite.backup(to: copy)
                print("catalog: copied to \(copy)")
                named = try SQLiteCatalog(path: copy)
            default:
                guard case .postgres(let url) = try global.catalogLocation(configuration) else {
                    throw CommandFailure(.software, "this catalog cannot be backed up")
                }
                let dump = target.appendingPathComponent(BackupLayout.postgres)
                try await PostgresDump.dump(url, to: dump)
                print("catalog: pg_dump to \(dump.path)")
                // Blobs are never deleted, so what the catalog names now includes what the dump names.
                named = catalog
            }
            let store = try LocalBlobStore(root: target.appendingPathComponent(BackupLayout.blobs, isDirectory: true))
            let copied = try await BlobCopy(source: blobs, target: store, scratch: global.dataDirectory(configuration).workRoot)
                .run(naming: named, progress: ProgressLine())
            print("blobs: \(copied.copied) copied, \(copied.present) already in the backup, every SHA-256 checked")
        }
    }
}

/// What a backup folder holds.
enum BackupLayout {
    static let sqlite = "catalog.sqlite"
    static let postgres = "catalog.pgdump"
    static let blobs = "blobs"
}
