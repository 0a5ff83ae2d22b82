import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoServer
import Logging
import Testing

/// The fixity scrub re-hashes every stored blob a case refers to and names the ones whose bytes changed.
@Suite struct FixityScrubTests {
    @Test func aBlobChangedOnDisk_isNamedByTheScrub_andTheOthersPass() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scrub-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = DataDirectory(root: root)
        let (catalog, blobs) = (try data.create(), try LocalBlobStore(root: data.blobRoot))
        let caseID = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let kept = try await blobs.store(bytes: Array("Đơn đăng ký, bản quét".utf8))
        let damaged = try await blobs.store(bytes: Array("Giấy chứng nhận, bản quét".utf8))
        for (blob, name) in [(kept, "don.tif"), (damaged, "gcn.tif")] {
            _ = try await catalog.recordDocument(
                Document(caseID: caseID, component: nil, sha256: blob.digest, byteCount: blob.byteCount, sourceFileName: name,
                         station: "scan-01", digitizedBy: "station:scan-01", storedAt: Date()),
                actor: "station:scan-01")
        }
        // One byte of the second blob changes on disk, as a failing disk would change it.
        let file = blobs.location(of: damaged.digest)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        var bytes = try Data(contentsOf: file)
        bytes[0] ^= 0xFF
        try bytes.write(to: file)

        let scrub = FixityScrubService(catalog: catalog, blobs: blobs, every: 24, logger: Logger(label: "test"))
        #expect(await scrub.scrub() == [damaged.digest])
    }
}
