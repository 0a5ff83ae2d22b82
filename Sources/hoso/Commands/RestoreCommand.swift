import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog

/// `hoso restore DIR --data NEW`: a backup made by `hoso backup` into a new data directory.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by `hoso backup` into a new data directory.",
        discussion: """
            The catalog copy is copied into NEW/catalog.sqlite (and brought up to this HoSo's schema), then \
            every blob it names from DIR/blobs into NEW/blobs, each hash-checked on the way. NEW must not \
            hold HoSo data already: a restore never writes over a catalog. A PostgreSQL backup \
            (catalog.pgdump) is restored with pg_restore into an empty database; this command says how.

            Example:
              hoso restore /mnt/backup/hoso --data /var/lib/hoso-restored
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Folder a backup was made into.", valueName: "dir"))
    var folder: String

    func validate() throws {
        guard global.data != nil else { throw ValidationError("--data NEW: the new data directory to restore into") }
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let backup = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
            let copy = backup.appendingPathComponent(BackupLayout.sqlite)
            guard FileManager.default.fileExists(atPath: copy.path) else {
                let dump = backup.appendingPathComponent(BackupLayout.postgres)
                if FileManager.default.fileExists(atPath: dump.path) {
                    throw CommandFailure(.dataError, "\(dump.path) is a PostgreSQL backup: restore it with `pg_restore --dbname DATABASE \(dump.path)` "
                                         + "into an empty database and point catalog.url at it; the files it names are in \(backup.path)/blobs")
                }
                throw CommandFailure(.noInput, "\(backup.path): not a HoSo backup (no \(BackupLayout.sqlite))")
            }
            let directory = global.dataDirectory(configuration)
            guard !FileManager.default.fileExists(atPath: directory.catalogPath) else {
                throw CommandFailure(.cantCreate, "\(directory.root.path) already holds a HoSo catalog; restore into a new data directory")
            }
            do { try FileManager.default.createDirectory(at: directory.root, withIntermediateDirectories: true) } catch {
                throw CommandFailure(.cantCreate, "\(directory.root.path): cannot be made: \(error.localizedDescription)")
            }
            try await SQLiteCatalog(path: copy.path).backup(to: directory.catalogPath)
            let restored = try directory.open()
            print("catalog: restored to \(directory.catalogPath)")
            let copied = try await BlobCopy(source: try LocalBlobStore(root: backup.appendingPathComponent(BackupLayout.blobs, isDirectory: true)),
                                            target: try LocalBlobStore(root: directory.blobRoot), scratch: directory.workRoot)
                .run(naming: restored, progress: ProgressLine())
            print("blobs: \(copied.copied) restored, every SHA-256 checked; check with `hoso fsck --data \(directory.root.path)`")
        }
    }
}
