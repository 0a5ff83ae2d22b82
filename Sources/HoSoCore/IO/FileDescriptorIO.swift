import Glibc

/// Whole writes to a file descriptor, retried after signals and short writes.
public enum FileDescriptorIO {
    /// An errno of a failed call, in words.
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { String(cString: strerror(code)) }
    }

    /// Writes all of `bytes` to `descriptor`. A write that takes nothing (the other end is gone) is EIO.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure(code: written < 0 ? errno : EIO) }
            offset += written
        }
    }
}
