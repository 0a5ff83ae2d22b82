import Glibc

/// A file descriptor, closed when the last reference goes. Its calls block: run them off the concurrency
/// pool (NIO's thread pool, or `offThread`).
public final class OpenFile: Sendable {
    public let descriptor: Int32
    public let path: String

    /// Opens `path` with `flags` (`O_CLOEXEC` added; created files get mode 0644).
    public init(path: String, flags: Int32) throws(FileDescriptorIO.Failure) {
        descriptor = open(path, flags | O_CLOEXEC, 0o644)
        self.path = path
        guard descriptor >= 0 else { throw FileDescriptorIO.Failure(code: errno) }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file.
    public func read(_ count: Int, at offset: Int64) throws(FileDescriptorIO.Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw FileDescriptorIO.Failure(code: errno) }
            if got == 0 { break }
            filled += got
        }
        return filled == count ? bytes : Array(bytes.prefix(filled))
    }

    /// Appends all of `bytes` at the file's offset.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileDescriptorIO.Failure) {
        try FileDescriptorIO.writeAll(bytes, to: descriptor)
    }

    /// The file's size now.
    public func size() throws(FileDescriptorIO.Failure) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileDescriptorIO.Failure(code: errno) }
        return Int64(info.st_size)
    }

    /// Makes what was written durable.
    public func sync() throws(FileDescriptorIO.Failure) {
        guard fsync(descriptor) == 0 else { throw FileDescriptorIO.Failure(code: errno) }
    }
}
