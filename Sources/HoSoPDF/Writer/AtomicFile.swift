import Foundation
import Glibc

/// Writes files so they appear whole or not at all: into a temporary name beside the destination,
/// fsync (unless the file is scratch, copied durably elsewhere, or its folder is synced once for a
/// batch), rename. Shared by the normalizer and the signer.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to destination: URL, durable: Bool = true) throws {
        try produce(destination, durable: durable) { fd in
            try bytes.withUnsafeBytes { try writeAll(fd, $0) }
        }
    }

    /// Writes `parts` one after another.
    public static func write(parts: [UnsafeRawBufferPointer], to destination: URL, durable: Bool = true) throws {
        try produce(destination, durable: durable) { fd in
            for part in parts { try writeAll(fd, part) }
        }
    }

    /// Copies `source` to `destination`, streaming.
    public static func copy(_ source: URL, to destination: URL, durable: Bool = true) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        try produce(destination, durable: durable) { fd in
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try writeAll(fd, $0) }
            }
        }
    }

    private static func produce(_ destination: URL, durable: Bool, _ body: (Int32) throws -> Void) throws {
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFileError(file: temporary.path, reason: String(cString: strerror(errno))) }
        var renamed = false
        defer {
            close(fd)
            if !renamed { unlink(temporary.path) }
        }
        try body(fd)
        guard !durable || fsync(fd) == 0, rename(temporary.path, destination.path) == 0 else {
            throw AtomicFileError(file: destination.path, reason: String(cString: strerror(errno)))
        }
        renamed = true
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw AtomicFileError(file: "fd \(fd)", reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}

/// A file that could not be written, and why.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }
}
