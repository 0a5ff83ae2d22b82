import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoServer
import HoSoTestSupport
import Logging
import Testing

/// The fixity scrub re-hashes every stored blob a case refers to and names the ones whose bytes changed.
@Suite struct FixityScrubTests {
    @Test func aBlobChangedOnDisk_isNamedByTheScrub_andTheOthersPass() async throws {
        let data = DataDirectory(root: try makeTemporaryDirectory("scrub"))
        let (catalog, blobs) = (try data.create(), try LocalBlobStore(root: data.blobRoot))
        let damaged = try await Self.damagedStore(catalog: catalog, blobs: blobs)
        let scrub = FixityScrubService(catalog: catalog, blobs: blobs, every: 24, logger: Logger(label: "test"))
        #expect(await scrub.scrub() == [damaged])
    }

    /// A catalog with two stored blobs of one case, the second then changed on disk (as a failing disk
    /// would change it); the damaged digest.
    static func damagedStore(catalog: any ServerCatalog, blobs: LocalBlobStore) async throws -> SHA256Digest {
        let caseID = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let kept = try await blobs.store(bytes: Array("Đơn đăng ký \(UUID())".utf8))
        let damaged = try await blobs.store(bytes: Array("Bản đồ địa chính \(UUID())".utf8))
        for (blob, name) in [(kept, "don.tif"), (damaged, "ban-do.tif")] {
            _ = try await catalog.recordDocument(
                Document(caseID: caseID, component: nil, sha256: blob.digest, byteCount: blob.byteCount, sourceFileName: name,
                         station: "scan-01", digitizedBy: "station:scan-01", storedAt: Date()), actor: "station:scan-01")
        }
        let file = blobs.location(of: damaged.digest)
        var bytes = try Data(contentsOf: file)
        bytes[0] ^= 0xFF
        try bytes.write(to: file)
        return damaged.digest
    }

    @Test func aPassDoesWhatIsDue_andRecordsEachShard_soARestartDoesNotRedoIt() async throws {
        let root = try makeTemporaryDirectory("scrub-due")
        let data = DataDirectory(root: root)
        let (catalog, blobs) = (try data.create(), try LocalBlobStore(root: data.blobRoot))
        let damaged = try await Self.damagedStore(catalog: catalog, blobs: blobs)
        let scrub = FixityScrubService(catalog: catalog, blobs: blobs, every: 24, node: "node-a", logger: Logger(label: "test"))
        #expect(await scrub.scrub(onlyDue: true) == [damaged], "a catalog never scrubbed is due at once")
        let shard = String(damaged.hex.prefix(1))
        #expect(try await catalog.lastScrub(of: shard)?.node == "node-a")
        // The server restarts: nothing is due again within the interval.
        let restarted = FixityScrubService(catalog: catalog, blobs: blobs, every: 24, node: "node-a", logger: Logger(label: "test"))
        #expect(await restarted.scrub(onlyDue: true) == [])
        #expect(await restarted.scrub() == [damaged], "a full pass still checks everything")
    }

    @Test func twoNodes_shareTheScrub_eachShardOnce() async throws {
        let url = try await PostgresURL(parsing: try TestPostgres.freshDatabaseURL())
        let (nodeA, nodeB) = (try await PostgresCatalog.open(url), try await PostgresCatalog.open(url))
        // One bucket-like store both nodes read (a shared folder here).
        let blobs = try LocalBlobStore(root: try makeTemporaryDirectory("scrub-shared"))
        let damaged = try await Self.damagedStore(catalog: nodeA, blobs: blobs)
        let a = FixityScrubService(catalog: nodeA, blobs: blobs, every: 24, node: "node-a", locks: nodeA, logger: Logger(label: "a"))
        let b = FixityScrubService(catalog: nodeB, blobs: blobs, every: 24, node: "node-b", locks: nodeB, logger: Logger(label: "b"))
        async let foundByA = a.scrub(onlyDue: true)
        async let foundByB = b.scrub(onlyDue: true)
        let found = await foundByA + foundByB
        #expect(found == [damaged], "the damaged blob is reported once, by whichever node scrubbed its shard")
        var nodes: Set<String> = []
        for shard in BlobReferences.shards {
            nodes.insert(try #require(try await nodeA.lastScrub(of: shard)).node)
        }
        #expect(nodes.isSubset(of: ["node-a", "node-b"]) && !nodes.isEmpty)
    }
}
