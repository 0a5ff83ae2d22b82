import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest
import Testing

@Suite struct BlobStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID())", isDirectory: true)

    @Test func store_putsTheBlobAtItsHashPath_andReadsItBack() throws {
        let store = try BlobStore(root: root)
        let bytes = Array("Phiếu kiểm soát quá trình giải quyết hồ sơ".utf8)
        let blob = try store.store(bytes: bytes)
        #expect(blob.digest == SHA256Hasher.digest(of: bytes))
        let hex = blob.digest.hex
        #expect(blob.location.path == root.path + "/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)")
        #expect(try store.read(blob.digest) == Data(bytes))
        try store.verify(blob.digest)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test func storingAFile_streamsIt_andTheSameBytesTwiceGiveOneBlob() throws {
        let store = try BlobStore(root: root)
        let source = root.deletingLastPathComponent().appendingPathComponent("source-\(UUID()).bin")
        defer { try? FileManager.default.removeItem(at: source) }
        let bytes = (0..<(2 * FileDigest.chunkSize + 17)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: source)
        let first = try store.store(contentsOf: source)
        let second = try store.store(contentsOf: source)
        #expect(first == second)
        #expect(first.byteCount == Int64(bytes.count))
        #expect(first.digest == (try FileDigest.sha256(of: source)).digest)
    }

    @Test func aCorruptedBlob_isAnError_neverServed() throws {
        let store = try BlobStore(root: root)
        let blob = try store.store(bytes: Array("original".utf8))
        try Data("tampered".utf8).write(to: blob.location)
        #expect(throws: BlobStoreError.self) { try store.read(blob.digest) }
        let error = try #require(throws: BlobStoreError.self) { try store.verify(blob.digest) }
        guard case .corrupted(let expected, _, _) = error else { Issue.record("expected corrupted, got \(error)"); return }
        #expect(expected == blob.digest)
    }

    @Test func aMissingBlob_saysSo() throws {
        let store = try BlobStore(root: root)
        let digest = SHA256Digest(bytes: [UInt8](repeating: 1, count: 32))
        #expect(throws: BlobStoreError.missing(digest)) { try store.read(digest) }
        #expect(throws: BlobStoreError.missing(digest)) { try store.verify(digest) }
    }

    @Test func opening_removesADeadWritersTemporaryFile_butNotALiveOnes() throws {
        _ = try BlobStore(root: root)
        let tmp = root.appendingPathComponent("tmp")
        let dead = tmp.appendingPathComponent("dead.partial")
        let live = tmp.appendingPathComponent("live.partial")
        try Data("half a scan".utf8).write(to: dead)
        try Data("a scan being written".utf8).write(to: live)
        // A live writer holds an exclusive lock on its temporary file.
        let fd = open(live.path, O_RDONLY)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)

        _ = try BlobStore(root: root)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }
}
