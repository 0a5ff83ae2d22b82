import Foundation

/// `count` random bytes from the kernel (`/dev/urandom`), read at once: different each run, so keys made
/// from them never collide between runs. (Drawing them a byte at a time from `SystemRandomNumberGenerator`
/// made a system call per byte and held a test-pool thread for seconds per 10 MB.)
public func randomBytes(_ count: Int) throws -> [UInt8] {
    let source = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
    defer { try? source.close() }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        guard let chunk = try source.read(upToCount: min(count - bytes.count, 1 << 24)), !chunk.isEmpty else { throw POSIXError(.EIO) }
        bytes += chunk
    }
    return bytes
}
