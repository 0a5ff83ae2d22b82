import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoTestSupport

/// A fresh station inbox and data directory (real folders, a real SQLite catalog), for one test.
enum StationFixture {
    static func make(_ prefix: String) throws -> (root: URL, inbox: URL, data: DataDirectory, catalog: SQLiteCatalog, blobs: LocalBlobStore) {
        let root = try makeTemporaryDirectory(prefix)
        let inbox = root.appendingPathComponent("inbox", isDirectory: true)
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let data = DataDirectory(root: root.appendingPathComponent("var"))
        return (root, inbox, data, try data.create(), try LocalBlobStore(root: data.blobRoot))
    }
}
