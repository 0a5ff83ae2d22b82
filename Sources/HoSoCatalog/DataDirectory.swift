import Foundation

/// The on-disk layout of one HoSo installation: `catalog.sqlite` and `blobs/` under one directory.
public struct DataDirectory: Sendable {
    public let root: URL
    public var catalogPath: String { root.appendingPathComponent("catalog.sqlite").path }
    public var blobRoot: URL { root.appendingPathComponent("blobs", isDirectory: true) }
    /// Scratch space for files being prepared (normalized PDFs before they are stored).
    public var workRoot: URL { root.appendingPathComponent("work", isDirectory: true) }

    /// Work folders older than this were left by a process that died; opening removes them.
    static let abandonedWorkAge: TimeInterval = 24 * 3600

    public init(root: URL) {
        self.root = root
    }

    /// Whether `init` has been run here.
    public var exists: Bool { FileManager.default.fileExists(atPath: catalogPath) }

    /// Creates the directory, catalog and blob store if missing, and opens them.
    public func create() throws -> (SQLiteCatalog, BlobStore) {
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw CatalogError.unavailable(path: root.path, reason: error.localizedDescription)
        }
        return try open()
    }

    /// Opens an existing installation; removes temporary files left by crashed writers.
    public func open() throws -> (SQLiteCatalog, BlobStore) {
        removeAbandonedWork()
        return (try SQLiteCatalog(path: catalogPath), try BlobStore(root: blobRoot))
    }

    private func removeAbandonedWork() {
        let entries = (try? FileManager.default.contentsOfDirectory(at: workRoot, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for entry in entries {
            let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantFuture
            if Date().timeIntervalSince(modified) > Self.abandonedWorkAge { try? FileManager.default.removeItem(at: entry) }
        }
    }
}
