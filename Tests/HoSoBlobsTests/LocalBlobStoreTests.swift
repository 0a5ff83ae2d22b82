import Foundation
import HoSoBlobs
import HoSoCore
import HoSoDigest
import Testing

/// What only the local store does: its layout on disk, pipes as input, and the leftovers of dead writers.
/// What every store does is in ``BlobStoreContractTests``.
@Suite struct LocalBlobStoreTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID())", isDirectory: true)

    @Test func aBlob_livesAtItsHashPath_andNoTemporaryFileStays() async throws {
        let store = try LocalBlobStore(root: root)
        let bytes = Array("Phiếu kiểm soát quá trình giải quyết hồ sơ".utf8)
        let blob = try await store.store(bytes: bytes)
        #expect(blob.digest == SHA256Hasher.digest(of: bytes))
        let hex = blob.digest.hex
        #expect(store.location(of: blob.digest).path == root.path + "/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex)")
        #expect(try Data(contentsOf: store.location(of: blob.digest)) == Data(bytes))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test func aPipe_isStoredAsItStreams() async throws {
        let store = try LocalBlobStore(root: root)
        let fifo = root.deletingLastPathComponent().appendingPathComponent("fifo-\(UUID())")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        defer { unlink(fifo.path) }
        let bytes = (0..<(2 * FileDigest.chunkSize + 17)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let writer = Thread { try? Data(bytes).write(to: fifo) }
        writer.start()
        let blob = try await store.store(contentsOf: fifo)
        #expect(blob == StoredBlob(digest: SHA256Hasher.digest(of: bytes), byteCount: Int64(bytes.count)))
    }

    @Test func opening_removesADeadWritersTemporaryFile_butNotALiveOnes() throws {
        _ = try LocalBlobStore(root: root)
        let tmp = root.appendingPathComponent("tmp")
        let dead = tmp.appendingPathComponent("dead.partial")
        let live = tmp.appendingPathComponent("live.partial")
        try Data("half a scan".utf8).write(to: dead)
        try Data("a scan being written".utf8).write(to: live)
        // A live writer holds an exclusive lock on its temporary file.
        let fd = open(live.path, O_RDONLY)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)

        _ = try LocalBlobStore(root: root)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }
}
