import Foundation
import HoSoCore
import HoSoDigest

import Glibc

/// The blocking half of ``LocalBlobStore``: a folder where each blob lives at `ab/cd/<sha256>`, written
/// so that a crash leaves either the whole blob or nothing a catalog row could point to. Every method
/// blocks (reads, writes, fsyncs); ``LocalBlobStore`` calls them on threads of their own.
///
/// A write streams into `blobs/tmp/<uuid>.partial` while hashing, fsyncs it, renames it into place and
/// fsyncs the directory; only then does the caller get a ``StoredBlob`` to record. The writer holds an
/// exclusive `flock` on its temporary file for the whole write, so ``removeStaleTemporaryFiles()`` can
/// tell a dead writer's leftovers (lock free) from a live writer's file (lock held) in another process.
struct BlobFolder: Sendable {
    /// The `blobs/` directory.
    let root: URL
    var temporaryDirectory: URL { root.appendingPathComponent("tmp", isDirectory: true) }

    /// Opens (creating if needed) the store at `root` and removes what crashed writers left behind.
    init(root: URL) throws(BlobStoreError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        } catch {
            throw BlobStoreError.io(path: root.path, reason: error.localizedDescription)
        }
        removeStaleTemporaryFiles()
    }

    /// Where the blob with this digest lives (whether or not it exists).
    func location(of digest: SHA256Digest) -> URL {
        root.appendingPathComponent(LocalBlobStore.relativePath(of: digest))
    }

    /// Whether a blob with this digest is stored.
    func contains(_ digest: SHA256Digest) -> Bool {
        FileManager.default.fileExists(atPath: location(of: digest).path)
    }

    /// Stores the file at `source`, streaming it; returns its digest and size once it is durable.
    ///
    /// `source` may be anything readable: a regular file, a pipe, a device.
    func store(contentsOf source: URL) throws(BlobStoreError) -> StoredBlob {
        let input = Glibc.open(source.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BlobStoreError.io(path: source.path, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        var buffer = [UInt8](repeating: 0, count: FileDigest.chunkSize)
        return try write { (sink: Sink) throws(BlobStoreError) in
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
                if count == 0 { return }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw BlobStoreError.io(path: source.path, reason: String(cString: strerror(errno)))
                }
                try Self.withBytes(buffer, count: count, sink)
            }
        }
    }

    /// Takes `file` into the store by renaming it, without copying, under the SHA-256 its maker computed:
    /// fsynced, renamed into place, its folder fsynced. For scratch files made on the store's filesystem
    /// (the data directory's work area); across filesystems it is copied instead. The file is gone afterwards.
    func adopt(_ file: URL, digest: SHA256Digest, byteCount total: Int64) throws(BlobStoreError) -> StoredBlob {
        let fd = Glibc.open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BlobStoreError.io(path: file.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BlobStoreError.io(path: file.path, reason: String(cString: strerror(errno))) }
        let destination = location(of: digest)
        try makeShardDirectories(for: destination)
        guard rename(file.path, destination.path) == 0 else {
            guard errno == EXDEV else { throw BlobStoreError.io(path: destination.path, reason: String(cString: strerror(errno))) }
            let copied = try store(contentsOf: file)
            unlink(file.path)
            return copied
        }
        try Self.syncDirectory(destination.deletingLastPathComponent())
        return StoredBlob(digest: digest, byteCount: total)
    }

    /// Stores bytes held in memory.
    func store(bytes: [UInt8]) throws(BlobStoreError) -> StoredBlob {
        try write { (sink: Sink) throws(BlobStoreError) in try Self.withBytes(bytes, count: bytes.count, sink) }
    }

    /// Opens a stored blob and hashes it through the descriptor it will be read from.
    func open(_ digest: SHA256Digest) throws(BlobStoreError) -> CheckedBlob {
        let url = location(of: digest)
        let file: OpenFile
        do { file = try OpenFile(path: url.path, flags: O_RDONLY) } catch {
            throw error.code == ENOENT ? .missing(digest) : .io(path: url.path, reason: error.description)
        }
        return try CheckedBlob.check(file, is: digest, at: url.path)
    }

    /// Removes temporary files whose writer is gone (its `flock` released); returns what it removed.
    @discardableResult
    func removeStaleTemporaryFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path)) ?? []
        var removed: [URL] = []
        for name in names where name.hasSuffix(".partial") {
            let url = temporaryDirectory.appendingPathComponent(name)
            let fd = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0, unlink(url.path) == 0 { removed.append(url) }
            close(fd)
        }
        if !removed.isEmpty { try? Self.syncDirectory(temporaryDirectory) }
        return removed
    }

    // MARK: - Writing

    private typealias Sink = (UnsafeRawBufferPointer) throws(BlobStoreError) -> Void

    /// Runs `produce` with a sink into a locked temporary file, then makes the result durable.
    private func write(_ produce: (Sink) throws(BlobStoreError) -> Void) throws(BlobStoreError) -> StoredBlob {
        let (fd, temporary) = try openLockedTemporaryFile()
        var moved = false
        defer {
            if !moved { unlink(temporary.path) }
            close(fd)  // also releases the lock
        }
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        try produce { (bytes: UnsafeRawBufferPointer) throws(BlobStoreError) in
            hasher.update(bytes)
            try Self.writeAll(fd, bytes, path: temporary.path)
            total += Int64(bytes.count)
        }
        guard fsync(fd) == 0 else { throw BlobStoreError.io(path: temporary.path, reason: String(cString: strerror(errno))) }
        let digest = hasher.finalize()
        let destination = location(of: digest)
        try makeShardDirectories(for: destination)
        // Renaming over an existing blob is safe: the content is the same by construction, and a
        // damaged copy gets repaired.
        guard rename(temporary.path, destination.path) == 0 else {
            throw BlobStoreError.io(path: destination.path, reason: String(cString: strerror(errno)))
        }
        moved = true
        try Self.syncDirectory(destination.deletingLastPathComponent())
        return StoredBlob(digest: digest, byteCount: total)
    }

    /// Hands the first `count` of `bytes` to `sink`, keeping its error's type (`withUnsafeBytes` rethrows
    /// any error).
    private static func withBytes(_ bytes: [UInt8], count: Int, _ sink: Sink) throws(BlobStoreError) {
        let failure: BlobStoreError? = bytes.withUnsafeBytes { buffer in
            do throws(BlobStoreError) { try sink(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    private func openLockedTemporaryFile() throws(BlobStoreError) -> (Int32, URL) {
        for _ in 0..<3 {
            let url = temporaryDirectory.appendingPathComponent("\(UUID().uuidString).partial")
            let fd = Glibc.open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BlobStoreError.io(path: url.path, reason: String(cString: strerror(errno))) }
            guard flock(fd, LOCK_EX) == 0 else {
                close(fd)
                throw BlobStoreError.io(path: url.path, reason: String(cString: strerror(errno)))
            }
            // A cleaner in another process may have taken the lock and unlinked the file between our
            // open and our flock; then the path no longer names our inode and we start again.
            var opened = stat()
            var named = stat()
            if fstat(fd, &opened) == 0, stat(url.path, &named) == 0, opened.st_ino == named.st_ino {
                return (fd, url)
            }
            close(fd)
        }
        throw BlobStoreError.io(path: temporaryDirectory.path, reason: "temporary files keep disappearing")
    }

    private func makeShardDirectories(for destination: URL) throws(BlobStoreError) {
        let shard = destination.deletingLastPathComponent()
        guard !FileManager.default.fileExists(atPath: shard.path) else { return }
        do {
            try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        } catch {
            throw BlobStoreError.io(path: shard.path, reason: error.localizedDescription)
        }
        try Self.syncDirectory(shard.deletingLastPathComponent())
        try Self.syncDirectory(root)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(BlobStoreError) {
        do { try FileDescriptorIO.writeAll(bytes, to: fd) } catch { throw BlobStoreError.io(path: path, reason: error.description) }
    }

    /// fsyncs a directory so a rename or unlink in it survives a power cut.
    static func syncDirectory(_ url: URL) throws(BlobStoreError) {
        let fd = Glibc.open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw BlobStoreError.io(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BlobStoreError.io(path: url.path, reason: String(cString: strerror(errno))) }
    }
}
