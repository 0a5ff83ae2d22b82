import Foundation
import HoSoBlobs
import HoSoCore
import HoSoDigest
import HoSoS3
import HoSoTestSupport
import Testing

/// What every blob store promises, checked against each: a local folder, and a real S3 server
/// (SeaweedFS, started by `make test`).
@Suite struct BlobStoreContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case local, s3
        var testDescription: String { rawValue }
    }

    /// A store of `kind`, the folder its scratch files and test inputs live in, and a way to damage a blob
    /// behind the store's back.
    struct Subject {
        let store: any BlobStore
        let work: URL
        let damage: @Sendable (SHA256Digest, [UInt8]) async throws -> Void
    }

    func subject(_ kind: Kind) async throws -> Subject {
        let work = try makeTemporaryDirectory("blob-contract-\(kind)")
        switch kind {
        case .local:
            let store = try LocalBlobStore(root: work.appendingPathComponent("blobs", isDirectory: true))
            return Subject(store: store, work: work) { digest, bytes in
                try Data(bytes).write(to: store.location(of: digest))
            }
        case .s3:
            // Files above 6 MiB go in parts, so the big-file test puts one in three parts.
            let client = try await TestS3.client(multipartThreshold: 6 << 20, partSize: 5 << 20)
            let store = S3BlobStore(client: client, scratch: work.appendingPathComponent("scratch", isDirectory: true))
            return Subject(store: store, work: work) { digest, bytes in
                // Other bytes under the digest's key: what a bit flip in the bucket would look like.
                let file = work.appendingPathComponent("damage-\(UUID())")
                try Data(bytes).write(to: file)
                try await client.delete(S3BlobStore.key(of: digest))
                _ = try await client.put(S3BlobStore.key(of: digest), contentsOf: file, sha256: SHA256Hasher.digest(of: bytes),
                                         byteCount: Int64(bytes.count))
            }
        }
    }

    /// A file of random bytes (different each run, so S3 keys never collide between runs).
    func randomFile(in folder: URL, count: Int) throws -> (URL, [UInt8]) {
        let bytes = try randomBytes(count)
        let url = folder.appendingPathComponent("input-\(UUID())")
        try Data(bytes).write(to: url)
        return (url, bytes)
    }

    func contents(_ blob: CheckedBlob) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = try blob.read(1 << 20, at: Int64(bytes.count))
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }

    @Test(arguments: Kind.allCases) func aStoredCopy_isReadBackWhole_andTheOriginalStays(_ kind: Kind) async throws {
        let subject = try await subject(kind)
        let (file, bytes) = try randomFile(in: subject.work, count: 2_500_000)
        let digest = SHA256Hasher.digest(of: bytes)
        #expect(try await subject.store.contains(digest) == false)

        let stored = try await subject.store.store(contentsOf: file)
        #expect(stored == StoredBlob(digest: digest, byteCount: 2_500_000))
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(try await subject.store.contains(digest))
        try await subject.store.verify(digest)
        let opened = try await subject.store.open(digest)
        #expect(opened.byteCount == 2_500_000)
        #expect(try contents(opened) == bytes)
        // Storing the same bytes again is the same blob, not an error.
        #expect(try await subject.store.store(contentsOf: file) == stored)
    }

    @Test(arguments: Kind.allCases) func anAdoptedScratchFile_isStored_andGone(_ kind: Kind) async throws {
        let subject = try await subject(kind)
        let (file, bytes) = try randomFile(in: subject.work, count: 40_000)
        let stored = try await subject.store.adopt(file)
        #expect(stored.digest == SHA256Hasher.digest(of: bytes))
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try contents(try await subject.store.open(stored.digest)) == bytes)
    }

    @Test(arguments: Kind.allCases) func aFileAboveTheMultipartThreshold_isStoredAndReadBackWhole(_ kind: Kind) async throws {
        let subject = try await subject(kind)
        let (file, bytes) = try randomFile(in: subject.work, count: 13 << 20)
        let stored = try await subject.store.adopt(file)
        let opened = try await subject.store.open(stored.digest)
        #expect(opened.byteCount == Int64(bytes.count))
        #expect(try contents(opened) == bytes)
    }

    @Test(arguments: Kind.allCases) func aMissingBlob_isMissing_forEveryRead(_ kind: Kind) async throws {
        let subject = try await subject(kind)
        let digest = SHA256Hasher.digest(of: Array(UUID().uuidString.utf8))
        #expect(try await subject.store.contains(digest) == false)
        await #expect(throws: BlobStoreError.missing(digest)) { try await subject.store.verify(digest) }
        await #expect(throws: BlobStoreError.missing(digest)) { _ = try await subject.store.open(digest) }
    }

    @Test(arguments: Kind.allCases) func aDamagedBlob_isCorrupted_andNeverHandedOut(_ kind: Kind) async throws {
        let subject = try await subject(kind)
        let (file, _) = try randomFile(in: subject.work, count: 10_000)
        let stored = try await subject.store.store(contentsOf: file)
        let other = Array("not the scan that was stored \(UUID())".utf8)
        try await subject.damage(stored.digest, other)

        let verified = await #expect(throws: BlobStoreError.self) { try await subject.store.verify(stored.digest) }
        #expect(verified == .corrupted(expected: stored.digest, actual: SHA256Hasher.digest(of: other), path: Self.path(of: verified)))
        let opened = await #expect(throws: BlobStoreError.self) { _ = try await subject.store.open(stored.digest) }
        guard case .corrupted = opened else { Issue.record("open gave \(String(describing: opened))"); return }
        // Nothing is left behind in the node's scratch folder by a refused read.
        let scratch = subject.work.appendingPathComponent("scratch")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).isEmpty)
    }

    @Test(arguments: Kind.allCases) func anAvailableStore_saysSo(_ kind: Kind) async throws {
        try await subject(kind).store.checkAvailable()
    }

    @Test func aBucketWithWrongKeys_isUnavailable_namingTheBucketButNotTheSecret() async throws {
        let client = try await TestS3.client()
        let wrong = S3Client(location: client.location, credentials: S3Credentials(accessKeyID: TestS3.credentials.accessKeyID,
                                                                                   secretAccessKey: "not-the-secret-key"))
        let store = S3BlobStore(client: wrong, scratch: try makeTemporaryDirectory("blob-contract-wrong"))
        let error = await #expect(throws: BlobStoreError.self) { try await store.checkAvailable() }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains(client.location.endpoint) && text.contains("403") && !text.contains("not-the-secret-key"))
    }

    static func path(of error: BlobStoreError?) -> String {
        if case .corrupted(_, _, let path) = error { return path }
        return ""
    }
}
