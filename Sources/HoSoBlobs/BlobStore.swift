import Foundation
import HoSoCore
import HoSoDigest

/// Where HoSo keeps file contents, addressed by their SHA-256: a folder on this node
/// (``LocalBlobStore``) or a bucket every node shares (``S3BlobStore``).
///
/// The rule every store keeps: a method that returns a ``StoredBlob`` returns only once the blob is
/// durable, so the catalog may then name it; a crash before that leaves at most an unreferenced copy.
/// Nothing here blocks the concurrency pool: local files are read, written and fsynced on threads of
/// their own, remote ones streamed through NIO.
public protocol BlobStore: Sendable {
    /// Where the blobs are, for messages and logs (never a secret).
    var address: String { get }

    /// Stores a copy of `file` (which stays where it is) and returns its digest and size.
    func store(contentsOf file: URL) async throws(BlobStoreError) -> StoredBlob

    /// Takes in a scratch `file` whose SHA-256 and size are known (it was hashed as it was written):
    /// on this node's disk it is renamed into place, to a bucket it is uploaded. The file is gone afterwards.
    func adopt(_ file: URL, digest: SHA256Digest, byteCount: Int64) async throws(BlobStoreError) -> StoredBlob

    /// Whether a blob with this digest is stored (its content is not checked).
    func contains(_ digest: SHA256Digest) async throws(BlobStoreError) -> Bool

    /// Reads a stored blob through and throws unless it still hashes to `digest`.
    func verify(_ digest: SHA256Digest) async throws(BlobStoreError)

    /// The blob as an open local file whose content was checked against `digest` before this returns:
    /// what is read from it is what was stored, or the call failed (`corrupted`, `missing`).
    func open(_ digest: SHA256Digest) async throws(BlobStoreError) -> CheckedBlob

    /// Throws unless blobs can be stored now: the folder is writable, the bucket answers to these keys.
    func checkAvailable() async throws(BlobStoreError)
}

extension BlobStore {
    /// Where a blob lives relative to its store's root, in either store: `ab/cd/<sha256>` (two levels of
    /// 256 folders, so no folder or key prefix grows too large).
    public static func relativePath(of digest: SHA256Digest) -> String {
        let hex = digest.hex
        return "\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)"
    }

    /// Takes in a scratch `file` as ``adopt(_:digest:byteCount:)`` does, hashing it first.
    public func adopt(_ file: URL) async throws(BlobStoreError) -> StoredBlob {
        let (digest, byteCount) = try await Self.hash(file)
        return try await adopt(file, digest: digest, byteCount: byteCount)
    }

    /// A file's SHA-256 and size, read on a thread of its own.
    static func hash(_ file: URL) async throws(BlobStoreError) -> (SHA256Digest, Int64) {
        let hashed = await offThread { Result { try FileDigest.sha256(of: file) } }
        switch hashed {
        case .success(let result): return (result.digest, result.byteCount)
        case .failure(let error): throw .io(path: file.path, reason: "\(error)")
        }
    }
}

/// A blob that is durable in its store: safe to reference from the catalog.
public struct StoredBlob: Hashable, Sendable {
    public let digest: SHA256Digest
    public let byteCount: Int64

    public init(digest: SHA256Digest, byteCount: Int64) {
        self.digest = digest
        self.byteCount = byteCount
    }
}

/// Why a blob store could not do what was asked.
public enum BlobStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(SHA256Digest)
    /// The stored copy no longer hashes to its name (`path` is a file or an object's URL).
    case corrupted(expected: SHA256Digest, actual: SHA256Digest, path: String)
    /// Reading or writing failed: a disk error, a server that does not answer or refuses (`path` is a
    /// file or an object's URL, never a secret).
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let digest): "blob \(digest) is not in the store"
        case .corrupted(let expected, let actual, let path):
            "blob \(path) is corrupted: its content hashes to \(actual), not \(expected)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
