import Foundation
import HoSoCore

/// SHA-256 of a whole file, read in fixed-size chunks so memory stays flat whatever the file's size.
public enum FileDigest {
    /// Size of each read; large enough for sequential throughput, small enough to ignore.
    public static let chunkSize = 1 << 20

    /// Hashes the file at `url`; returns its digest and length.
    public static func sha256(of url: URL) throws -> (digest: SHA256Digest, byteCount: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
            total += Int64(chunk.count)
        }
        return (hasher.finalize(), total)
    }
}

extension FileDigest {
    /// Hashes an open file from its start (with `pread`, so its offset is untouched).
    public static func sha256(of file: OpenFile) throws(FileDescriptorIO.Failure) -> (digest: SHA256Digest, byteCount: Int64) {
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        while true {
            let chunk = try file.read(chunkSize, at: total)
            if chunk.isEmpty { break }
            hasher.update(chunk)
            total += Int64(chunk.count)
        }
        return (hasher.finalize(), total)
    }
}
