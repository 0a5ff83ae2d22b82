import Foundation

/// The on-disk layout of one HoSo node: `catalog.sqlite` and `blobs/` (the embedded defaults) and the
/// work area, under one directory. A node whose blobs are in a bucket keeps its work area here.
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

    /// Creates the directory and its SQLite catalog if missing, and opens the catalog.
    public func create() throws -> SQLiteCatalog {
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw CatalogError.unavailable(path: root.path, reason: error.localizedDescription)
        }
        return try open()
    }

    /// Opens an existing installation's SQLite catalog; removes work folders left by crashed processes.
    public func open() throws -> SQLiteCatalog {
        removeAbandonedWork()
        return try SQLiteCatalog(path: catalogPath)
    }

    private func removeAbandonedWork() {
        let entries = (try? FileManager.default.contentsOfDirectory(at: workRoot, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for entry in entries {
            let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantFuture
            if Date().timeIntervalSince(modified) > Self.abandonedWorkAge { try? FileManager.default.removeItem(at: entry) }
        }
    }
}
