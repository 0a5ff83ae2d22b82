import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore

/// Copies every blob a catalog names from one store to another: read from the source hash-checked,
/// stored in the target (which checks it again) unless it is there already — so a second run copies only
/// what is new. What `hoso migrate`, `hoso backup` and `hoso restore` move blobs with.
struct BlobCopy {
    let source: any BlobStore
    let target: any BlobStore
    /// Where a blob waits between the two stores.
    let scratch: URL

    /// Copies what `catalog` names, a shard (a sixteenth, by the first hex digit) at a time, saying so on
    /// `progress`.
    func run(naming catalog: any WorkflowCatalog, progress: ProgressLine) async throws -> (copied: Int, present: Int) {
        var (copied, present) = (0, 0)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { progress.finish() }
        for (index, shard) in BlobReferences.shards.enumerated() {
            let counted = { "\(copied) copied, \(present) already there" }
            progress.doing("files \(shard)…: \(counted())", step: index + 1, of: BlobReferences.shards.count)
            defer { progress.done("files \(shard)…: \(counted())", step: index + 1, of: BlobReferences.shards.count) }
            for digest in try await catalog.blobDigests(withPrefix: shard) {
                if try await target.contains(digest) {
                    present += 1
                    continue
                }
                let blob = try await source.open(digest)
                let file = scratch.appendingPathComponent("copy-\(digest.hex)")
                try await blob.write(to: file)
                let stored = try await target.adopt(file)
                guard stored.digest == digest else {
                    throw CommandFailure(.software, "blob \(digest) was stored as \(stored.digest)")
                }
                copied += 1
            }
        }
        return (copied, present)
    }
}
