import Foundation
import Hummingbird
import NIOCore

extension HoSoAPI {
    /// Streams the request body into a new file under `uploads` (a name of HoSo's, never the
    /// caller's), refusing bodies over `limit` with 413. The caller removes the file.
    func receive(_ request: Request, limit: Int) async throws -> URL {
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        let file = uploads.appendingPathComponent(UUID().uuidString + ".upload")
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw Problem(.internalServerError, "storage_unavailable", "cannot write uploads under \(uploads.path)")
        }
        defer { try? handle.close() }
        var total = 0
        do {
            for try await buffer in request.body {
                total += buffer.readableBytes
                guard total <= limit else {
                    try? FileManager.default.removeItem(at: file)
                    throw Problem(.contentTooLarge, "body_too_large", "the body is larger than the limit of \(limit) bytes")
                }
                try handle.write(contentsOf: Data(buffer: buffer, byteTransferStrategy: .noCopy))
            }
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
        return file
    }

    /// The PDF of a `multipart/form-data` upload: the part named `file`, or the first with
    /// `Content-Type: application/pdf`, written to its own file; the multipart file is removed.
    func pdfPart(of upload: URL, contentType: String) throws -> URL {
        defer { try? FileManager.default.removeItem(at: upload) }
        guard let boundary = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")), !boundary.isEmpty else {
            throw Problem(.badRequest, "invalid_multipart", "Content-Type: multipart/form-data needs a boundary")
        }
        let data = try Data(contentsOf: upload)
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
            try Data(body).write(to: file)
            return file
        }
        throw Problem(.badRequest, "invalid_multipart", "no part named file, and none with Content-Type: application/pdf")
    }
}
