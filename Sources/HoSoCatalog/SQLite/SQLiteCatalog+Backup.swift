import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog {
    /// A consistent copy of the catalog as it is now, at `path`: SQLite's online backup API run in one
    /// step from one read snapshot (writers go on meanwhile and are not in it), into a temporary file that
    /// is renamed into place once complete. Runs on a thread of its own.
    public func backup(to path: String) async throws {
        let pool = self.pool
        try await offThread(throwing: {
            let partial = path + ".partial"
            try? FileManager.default.removeItem(atPath: partial)
            let target = try DatabaseQueue(path: partial)
            try pool.backup(to: target)
            try target.close()
            guard rename(partial, path) == 0 else {
                throw CatalogError.unavailable(path: path, reason: "cannot move the copy into place: \(String(cString: strerror(errno)))")
            }
        })
    }
}
