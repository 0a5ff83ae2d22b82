import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore

/// `hoso fsck`: whether every file the catalog names is there with its hash, what is stored that nothing
/// names, and which jobs were left running by a worker that died.
struct FsckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check that every file the catalog names is stored with the right SHA-256; exit 1 on damage.",
        discussion: """
            Every blob the catalog names (originals, archival PDFs, thumbnails, results, quarantined scans) \
            is read and hashed: a missing or damaged one is named with what it belongs to, and the exit status \
            is 1. In a local blob folder, files nothing names are listed (a scan being ingested right now, or \
            one left by a crash before its commit); they are kept. Jobs whose worker stopped holding them \
            (lease expired) are listed; --repair puts them back on the queue, the only repair that loses \
            nothing. A damaged file is restored from a backup (`hoso backup`), never guessed.

            Example:
              hoso fsck --data /var/lib/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Put interrupted jobs back on the queue.")
    var repair = false

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let catalog = try await global.openCatalog(configuration)
            let blobs = try await global.openBlobs(configuration)
            var named = Set<SHA256Digest>(), damaged = 0
            for shard in BlobReferences.shards {
                for digest in try await catalog.blobDigests(withPrefix: shard) {
                    named.insert(digest)
                    do { try await blobs.verify(digest) } catch {
                        damaged += 1
                        print("DAMAGED \(digest.hex) (\(try await owner(of: digest, in: catalog))): \(error)")
                    }
                }
            }
            var orphans = 0
            if case .folder(let root) = try global.blobsLocation(configuration) {
                let stored = await offThread { Self.storedDigests(under: root) }
                for digest in stored.subtracting(named).sorted(by: { $0.hex < $1.hex }) {
                    orphans += 1
                    print("orphan \(digest.hex): stored, named by nothing in the catalog (kept)")
                }
            }
            let interrupted = try await catalog.interruptedJobs(at: Date())
            for job in interrupted {
                print("interrupted job \(job.id): \(job.station) \(job.sourcePath), held by \(job.claimedBy ?? "?") until \(job.leaseExpiry.map(Output.time) ?? "?")")
            }
            if repair, !interrupted.isEmpty {
                let released = try await catalog.releaseJobs(claimedBy: Array(Set(interrupted.compactMap(\.claimedBy))), at: Date())
                print("repaired: \(released) job(s) back on the queue")
            }
            print("fsck: \(named.count) file(s) checked, \(damaged) missing or damaged, \(orphans) orphan(s), \(interrupted.count) interrupted job(s)")
            if damaged > 0 { throw ExitCode(1) }
        }
    }

    /// What a blob belongs to, in words, for the report.
    private func owner(of digest: SHA256Digest, in catalog: any ServerCatalog) async throws -> String {
        if let document = try await catalog.document(containing: digest) { return "a document of case \(document.caseID), \(document.sourceFileName)" }
        return "a result or a quarantined scan"
    }

    /// The digests of the files in a local blob folder (`ab/cd/<sha256>`), read on the calling thread.
    static func storedDigests(under root: URL) -> Set<SHA256Digest> {
        var found = Set<SHA256Digest>()
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return found }
        for case let file as URL in walk where file.lastPathComponent.count == 64 {
            if let digest = try? SHA256Digest(hex: file.lastPathComponent) { found.insert(digest) }
        }
        return found
    }
}
