import Foundation
import HoSoCore
import HoSoDigest

/// Blobs in a folder of this node (`blobs/` in the data directory), the embedded default: each at
/// `ab/cd/<sha256>`, written to a locked temporary file, fsynced, renamed into place.
///
/// Every call waits on a thread of its own (fsyncs take milliseconds to seconds on a busy disk), so the
/// three blobs of a scan are made durable at once and neither the concurrency pool nor NIO's few pool
/// threads queue behind a disk.
public struct LocalBlobStore: BlobStore {
    let folder: BlobFolder

    /// Opens (creating if needed) the store at `root` and removes what crashed writers left behind.
    public init(root: URL) throws(BlobStoreError) {
        folder = try BlobFolder(root: root)
    }

    /// The folder.
    public var root: URL { folder.root }
    public var address: String { folder.root.path }

    /// Where the blob with this digest lives (whether or not it exists).
    public func location(of digest: SHA256Digest) -> URL { folder.location(of: digest) }

    public func store(contentsOf file: URL) async throws(BlobStoreError) -> StoredBlob {
        let folder = folder
        return try await Self.blocking { () throws(BlobStoreError) in try folder.store(contentsOf: file) }
    }

    /// Stores bytes held in memory.
    public func store(bytes: [UInt8]) async throws(BlobStoreError) -> StoredBlob {
        let folder = folder
        return try await Self.blocking { () throws(BlobStoreError) in try folder.store(bytes: bytes) }
    }

    public func adopt(_ file: URL, digest: SHA256Digest, byteCount: Int64) async throws(BlobStoreError) -> StoredBlob {
        let folder = folder
        return try await Self.blocking { () throws(BlobStoreError) in try folder.adopt(file, digest: digest, byteCount: byteCount) }
    }

    public func contains(_ digest: SHA256Digest) async throws(BlobStoreError) -> Bool {
        folder.contains(digest)
    }

    public func verify(_ digest: SHA256Digest) async throws(BlobStoreError) {
        _ = try await open(digest)
    }

    public func open(_ digest: SHA256Digest) async throws(BlobStoreError) -> CheckedBlob {
        let folder = folder
        return try await Self.blocking { () throws(BlobStoreError) in try folder.open(digest) }
    }

    public func checkAvailable() async throws(BlobStoreError) {
        guard FileManager.default.isWritableFile(atPath: folder.root.path) else {
            throw .io(path: folder.root.path, reason: "not writable")
        }
    }

    /// Runs `body` on a thread of its own.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(BlobStoreError) -> T) async throws(BlobStoreError) -> T {
        try await offThread { () -> Result<T, BlobStoreError> in
            do throws(BlobStoreError) { return .success(try body()) } catch { return .failure(error) }
        }.get()
    }
}
