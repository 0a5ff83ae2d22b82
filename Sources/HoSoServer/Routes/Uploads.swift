import Foundation
import HoSoCore
import HoSoDigest
import Hummingbird
import NIOCore
import NIOPosix

/// A request body kept in a file, with the SHA-256 computed as it was written.
struct Upload {
    let file: URL
    let digest: SHA256Digest
    let byteCount: Int64
}

extension HoSoAPI {
    /// Streams the request body into a new file under `uploads` (a name of HoSo's, never the
    /// caller's), hashing it on the way, refusing bodies over `limit` with 413. The caller removes
    /// the file.
    func receive(_ request: Request, limit: Int) async throws -> Upload {
        // A declared length over the limit is answered at once, before a byte of the body is waited for.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Problem(.contentTooLarge, "body_too_large", "Content-Length \(declared) is larger than the limit of \(limit) bytes")
        }
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        let file = uploads.appendingPathComponent(UUID().uuidString + ".upload")
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw Problem(.internalServerError, "storage_unavailable", "cannot write uploads under \(uploads.path)")
        }
        defer { try? handle.close() }
        var total = 0
        let hasher = SHA256Hasher()
        // The body's pieces are hashed as they come and written a megabyte at a time on NIO's thread pool
        // (its threads are kept, not made per write), never on the concurrency pool.
        var pending: [ByteBuffer] = []
        var pendingBytes = 0
        func writePending() async throws {
            let pieces = pending
            (pending, pendingBytes) = ([], 0)
            try await NIOThreadPool.singleton.runIfActive {
                for piece in pieces { try piece.withUnsafeReadableBytes { try handle.write(contentsOf: $0) } }
            }
        }
        do {
            for try await buffer in request.body {
                total += buffer.readableBytes
                guard total <= limit else {
                    try? FileManager.default.removeItem(at: file)
                    throw Problem(.contentTooLarge, "body_too_large", "the body is larger than the limit of \(limit) bytes")
                }
                buffer.withUnsafeReadableBytes { hasher.update($0) }
                pending.append(buffer)
                pendingBytes += buffer.readableBytes
                if pendingBytes >= 1 << 20 { try await writePending() }
            }
            if pendingBytes > 0 { try await writePending() }
        } catch let problem as Problem {
            throw problem
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw Problem(.badRequest, "body_unreadable", "the body could not be read: \(error)")
        }
        guard total > 0 else {
            try? FileManager.default.removeItem(at: file)
            throw Problem(.badRequest, "empty_body", "the body is empty")
        }
        return Upload(file: file, digest: hasher.finalize(), byteCount: Int64(total))
    }

    /// The PDF of a `multipart/form-data` upload: the part named `file`, or the first with
    /// `Content-Type: application/pdf`, written to its own file; the multipart file is removed.
    func pdfPart(of upload: Upload, contentType: String) throws -> Upload {
        defer { try? FileManager.default.removeItem(at: upload.file) }
        guard let boundary = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")), !boundary.isEmpty else {
            throw Problem(.badRequest, "invalid_multipart", "Content-Type: multipart/form-data needs a boundary")
        }
        let data = try Data(contentsOf: upload.file)
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Data] = []
        var cursor = data.startIndex
        while let found = data.range(of: delimiter, in: cursor..<data.endIndex) {
            if cursor != data.startIndex { parts.append(data[cursor..<found.lowerBound]) }
            cursor = found.upperBound
        }
        for part in parts {
            guard let split = part.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let head = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self).lowercased()
            guard head.contains("name=\"file\"") || head.contains("content-type: application/pdf") else { continue }
            var body = part[split.upperBound...]
            if body.suffix(2) == Data("\r\n".utf8) { body = body.dropLast(2) }
            let file = uploads.appendingPathComponent(UUID().uuidString + ".pdf")
            let bytes = Data(body)
            try bytes.write(to: file)
            return Upload(file: file, digest: SHA256Hasher.digest(of: Array(bytes)), byteCount: Int64(bytes.count))
        }
        throw Problem(.badRequest, "invalid_multipart", "no part named file, and none with Content-Type: application/pdf")
    }
}
