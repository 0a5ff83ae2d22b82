import Foundation
import HoSoCore
import HoSoDigest
import HoSoS3

/// Blobs in an S3-compatible bucket every node shares, under `ab/cd/<sha256>`.
///
/// Each put carries the SHA-256 as its signed payload hash and S3 checksum, so the server refuses a body
/// that is not the file hashed; `If-None-Match: *` makes storing twice a no-op (412 means stored). A
/// blob is read back streamed into this node's scratch folder, hashed as it comes, and handed out as an
/// open file only when its hash is right. Files stay on local disk until the bucket has them.
public struct S3BlobStore: BlobStore {
    public let client: S3Client
    /// This node's folder for blobs being read back (the data directory's work area).
    let scratch: URL

    public init(client: S3Client, scratch: URL) {
        self.client = client
        self.scratch = scratch
    }

    public var address: String { client.location.description }

    /// The object key of a blob: `ab/cd/<sha256>`, as in a local store.
    public static func key(of digest: SHA256Digest) -> String { relativePath(of: digest) }

    public func store(contentsOf file: URL) async throws(BlobStoreError) -> StoredBlob {
        let (digest, byteCount) = try await Self.hash(file)
        try await put(file, digest: digest, byteCount: byteCount)
        return StoredBlob(digest: digest, byteCount: byteCount)
    }

    public func adopt(_ file: URL, digest: SHA256Digest, byteCount: Int64) async throws(BlobStoreError) -> StoredBlob {
        try await put(file, digest: digest, byteCount: byteCount)
        unlink(file.path)
        return StoredBlob(digest: digest, byteCount: byteCount)
    }

    public func contains(_ digest: SHA256Digest) async throws(BlobStoreError) -> Bool {
        try await remote(digest) { try await client.size(of: Self.key(of: digest)) != nil }
    }

    public func verify(_ digest: SHA256Digest) async throws(BlobStoreError) {
        let actual = try await remote(digest) { try await client.sha256(of: Self.key(of: digest)) }
        guard actual == digest else { throw .corrupted(expected: digest, actual: actual, path: objectURL(digest)) }
    }

    public func open(_ digest: SHA256Digest) async throws(BlobStoreError) -> CheckedBlob {
        let copy = scratch.appendingPathComponent("blob-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true) } catch {
            throw .io(path: scratch.path, reason: error.localizedDescription)
        }
        defer { unlink(copy.path) }  // the open descriptor keeps the copy readable until it goes
        let actual: SHA256Digest
        do { actual = try await client.get(Self.key(of: digest), to: copy) } catch {
            throw Self.failure(error, digest: digest, url: objectURL(digest))
        }
        guard actual == digest else { throw .corrupted(expected: digest, actual: actual, path: objectURL(digest)) }
        return try await LocalBlobStore.blocking { () throws(BlobStoreError) in
            let file: OpenFile
            do throws(FileDescriptorIO.Failure) { file = try OpenFile(path: copy.path, flags: O_RDONLY) } catch { throw .io(path: copy.path, reason: error.description) }
            return CheckedBlob(digest: digest, byteCount: (try? file.size()) ?? 0, file: file)
        }
    }

    public func checkAvailable() async throws(BlobStoreError) {
        do { try await client.checkBucket() } catch {
            throw .io(path: address, reason: "\(error)")
        }
    }

    // MARK: -

    private func put(_ file: URL, digest: SHA256Digest, byteCount: Int64) async throws(BlobStoreError) {
        _ = try await remote(digest) { try await client.put(Self.key(of: digest), contentsOf: file, sha256: digest, byteCount: byteCount) }
    }

    private func objectURL(_ digest: SHA256Digest) -> String { client.objectURL(Self.key(of: digest)) }

    /// Runs a request about `digest`'s object; a 404 is `missing`, any other failure `io` with the URL.
    private func remote<T>(_ digest: SHA256Digest, _ body: () async throws -> T) async throws(BlobStoreError) -> T {
        do { return try await body() } catch { throw Self.failure(error, digest: digest, url: objectURL(digest)) }
    }

    private static func failure(_ error: any Error, digest: SHA256Digest, url: String) -> BlobStoreError {
        if let error = error as? S3Error {
            return error.status == 404 ? .missing(digest) : .io(path: url, reason: error.description)
        }
        return .io(path: url, reason: "\(error)")
    }
}
