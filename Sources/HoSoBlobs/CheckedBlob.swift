import Foundation
import HoSoCore
import HoSoDigest

/// A stored blob opened for reading after its content was hashed and found to be `digest`: a later read
/// gets those bytes, whatever happens to the store meanwhile (the file is open; a copy fetched from a
/// bucket has no name left to be changed through).
public struct CheckedBlob: Sendable {
    public let digest: SHA256Digest
    public let byteCount: Int64
    let file: OpenFile

    /// Hashes `file` from its start; throws `corrupted` unless it is `digest`. Blocks.
    static func check(_ file: OpenFile, is digest: SHA256Digest, at address: String) throws(BlobStoreError) -> CheckedBlob {
        let actual: (digest: SHA256Digest, byteCount: Int64)
        do { actual = try FileDigest.sha256(of: file) } catch { throw .io(path: address, reason: error.description) }
        guard actual.digest == digest else { throw .corrupted(expected: digest, actual: actual.digest, path: address) }
        return CheckedBlob(digest: digest, byteCount: actual.byteCount, file: file)
    }

    /// Writes the whole blob to a new file `file`, on a thread of its own (a scratch copy for another store).
    public func write(to file: URL) async throws(BlobStoreError) {
        let blob = self
        try await LocalBlobStore.blocking { () throws(BlobStoreError) in
            let output: OpenFile
            do throws(FileDescriptorIO.Failure) { output = try OpenFile(path: file.path, flags: O_WRONLY | O_CREAT | O_TRUNC) } catch {
                throw .io(path: file.path, reason: error.description)
            }
            var offset: Int64 = 0
            while true {
                let chunk = try blob.read(1 << 20, at: offset)
                if chunk.isEmpty { return }
                do { try chunk.withUnsafeBytes { bytes in try output.write(bytes) } } catch {
                    throw .io(path: file.path, reason: "\(error)")
                }
                offset += Int64(chunk.count)
            }
        }
    }

    /// Up to `count` bytes from `offset` (fewer only at the end). Blocks: call it off the concurrency pool.
    public func read(_ count: Int, at offset: Int64) throws(BlobStoreError) -> [UInt8] {
        do { return try file.read(count, at: offset) } catch { throw .io(path: file.path, reason: error.description) }
    }
}
