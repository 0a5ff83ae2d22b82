import Foundation
import HoSoCore
import HoSoDigest
import HoSoS3
import HoSoTestSupport
import Testing

/// The S3 client against a real server (SeaweedFS, started by `make test`): objects put from files and
/// read into files, streamed, their SHA-256 checked by the server on the way in and by HoSo on the way out.
@Suite struct S3ClientTests {
    let client: S3Client
    let work: URL

    init() throws {
        client = S3Client(location: try S3Location(parsing: "s3://\(TestS3.bucket)?endpoint=\(try TestS3.endpoint())"), credentials: TestS3.credentials)
        work = try makeTemporaryDirectory("s3-client")
    }

    /// A file of `count` bytes that differ from run to run, and its digest.
    func file(_ name: String, count: Int) throws -> (URL, SHA256Digest) {
        let bytes = try randomBytes(count)
        let url = work.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return (url, SHA256Hasher.digest(of: bytes))
    }

    @Test func aFile_isPutOnce_readBackWhole_andFoundThereTheSecondTime() async throws {
        try await client.createBucket()
        try await client.createBucket()  // already ours: fine
        // Three and a half chunks, so the body is streamed in pieces both ways.
        let (source, digest) = try file("blob", count: 3_500_000)
        let key = "ab/cd/\(digest.hex)"
        #expect(try await client.size(of: key) == nil)
        #expect(try await client.put(key, contentsOf: source, sha256: digest, byteCount: 3_500_000) == .created)
        #expect(try await client.size(of: key) == 3_500_000)
        #expect(try await client.put(key, contentsOf: source, sha256: digest, byteCount: 3_500_000) == .alreadyPresent)
        let copy = work.appendingPathComponent("copy")
        try await client.get(key, to: copy, expecting: digest)
        #expect(try Data(contentsOf: copy) == Data(contentsOf: source))
    }

    @Test func aBodyThatIsNotItsDigest_isRefusedByTheServer_andAReadThatIsNotItsDigestByHoSo() async throws {
        try await client.createBucket()
        let (source, digest) = try file("blob", count: 10_000)
        let (_, other) = try file("other", count: 10)
        // The server hashes what it receives: a body that does not match the signed SHA-256 is not stored.
        let refused = await #expect(throws: S3Error.self) {
            _ = try await client.put("ab/cd/\(other.hex)", contentsOf: source, sha256: other, byteCount: 10_000)
        }
        #expect(refused?.status == 400, "\(refused.map(String.init(describing:)) ?? "")")
        #expect(try await client.size(of: "ab/cd/\(other.hex)") == nil)
        // Read back under another digest: refused, and nothing is left behind.
        #expect(try await client.put("ab/cd/\(digest.hex)", contentsOf: source, sha256: digest, byteCount: 10_000) == .created)
        let copy = work.appendingPathComponent("copy")
        let mismatch = await #expect(throws: S3Error.self) { try await client.get("ab/cd/\(digest.hex)", to: copy, expecting: other) }
        #expect(mismatch?.code == "DigestMismatch")
        #expect(!FileManager.default.fileExists(atPath: copy.path))
    }

    @Test func aWrongSecret_isA403_namingTheURL_neverTheSecret() async throws {
        let wrong = S3Client(location: client.location, credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "not-the-secret"))
        let error = await #expect(throws: S3Error.self) { try await wrong.createBucket() }
        #expect(error?.status == 403 && error?.code == "SignatureDoesNotMatch", "\(error.map(String.init(describing:)) ?? "")")
        #expect(error.map { "\($0)".contains(client.location.endpoint) && !"\($0)".contains("not-the-secret") } == true)
    }
}

/// Files above the multipart threshold, put in parts (small parts here: S3's minimum of 5 MiB).
extension S3ClientTests {
    @Test func aLargeFile_isPutInParts_andReadsBackWhole() async throws {
        let client = S3Client(location: client.location, credentials: TestS3.credentials,
                              multipartThreshold: 6 << 20, partSize: 5 << 20)
        try await client.createBucket()
        let count = 12 << 20 + 12_345  // three parts, the last short
        let (source, digest) = try file("large", count: count)
        let key = "ab/cd/\(digest.hex)"
        #expect(try await client.put(key, contentsOf: source, sha256: digest, byteCount: Int64(count)) == .created)
        #expect(try await client.size(of: key) == Int64(count))
        #expect(try await client.put(key, contentsOf: source, sha256: digest, byteCount: Int64(count)) == .alreadyPresent)
        let copy = work.appendingPathComponent("copy")
        try await client.get(key, to: copy, expecting: digest)
        #expect(try Data(contentsOf: copy) == Data(contentsOf: source))
    }

    @Test func aFileThatIsNotItsDigest_isNotCompleted() async throws {
        let client = S3Client(location: client.location, credentials: TestS3.credentials,
                              multipartThreshold: 6 << 20, partSize: 5 << 20)
        try await client.createBucket()
        let (source, _) = try file("large", count: 11 << 20)
        let (_, other) = try file("other", count: 10)
        let error = await #expect(throws: S3Error.self) {
            _ = try await client.put("ab/cd/\(other.hex)", contentsOf: source, sha256: other, byteCount: 11 << 20)
        }
        #expect(error?.code == "DigestMismatch")
        #expect(try await client.size(of: "ab/cd/\(other.hex)") == nil)
    }
}
