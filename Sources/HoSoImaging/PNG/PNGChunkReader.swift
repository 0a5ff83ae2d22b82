import CZlib
import Foundation

/// Walks a PNG file chunk by chunk (RFC 2083 §3), checking each chunk's CRC, without reading the image
/// data into memory.
final class PNGChunkReader {
    struct Chunk {
        let type: String
        let length: Int
    }

    private let handle: FileHandle
    let path: String

    init(url: URL) throws {
        path = url.path
        handle = try FileHandle(forReadingFrom: url)
        let signature = try read(8)
        guard signature == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw damaged("not a PNG signature") }
    }

    deinit { try? handle.close() }

    func damaged(_ reason: String) -> NormalizeError { .corrupt(file: path, reason: "PNG \(reason)") }

    /// Reads the next chunk's length and type; its data is read with one of the calls below.
    func next() throws -> Chunk {
        let head = try read(8)
        let length = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        guard length >= 0, length <= 0x7FFF_FFFF else { throw damaged("chunk length \(length)") }
        let type = String(decoding: head[4..<8], as: UTF8.self)
        guard type.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw damaged("chunk type is not four letters")
        }
        return Chunk(type: type, length: length)
    }

    /// The whole data of a small chunk, CRC checked.
    func readData(_ chunk: Chunk) throws -> [UInt8] {
        guard chunk.length <= 1 << 20 else { throw damaged("\(chunk.type) chunk of \(chunk.length) bytes") }
        var data: [UInt8] = []
        try copyData(chunk) { data += $0 }
        return data
    }

    /// Streams a chunk's data to `sink` in pieces, checking the CRC at the end.
    func copyData(_ chunk: Chunk, sink: ([UInt8]) throws -> Void) throws {
        var crc = Array(chunk.type.utf8).withUnsafeBytes { UInt32(crc32(0, $0.baseAddress!.assumingMemoryBound(to: Bytef.self), 4)) }
        var remaining = chunk.length
        while remaining > 0 {
            let piece = try read(min(remaining, 1 << 20))
            crc = piece.withUnsafeBytes { UInt32(crc32(uLong(crc), $0.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
            try sink(piece)
            remaining -= piece.count
        }
        let stored = try read(4)
        guard UInt32(stored[0]) << 24 | UInt32(stored[1]) << 16 | UInt32(stored[2]) << 8 | UInt32(stored[3]) == crc else {
            throw damaged("\(chunk.type) chunk fails its CRC check")
        }
    }

    func skip(_ chunk: Chunk) throws {
        try copyData(chunk) { _ in }
    }

    /// Reads the chunks from `chunk` (whose header is read) up to IEND, so a truncated file is noticed.
    func readToEnd(from chunk: Chunk) throws {
        var chunk = chunk
        while true {
            try skip(chunk)
            if chunk.type == "IEND" { return }
            chunk = try next()
        }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else { throw damaged("file is cut short (truncated)") }
        return Array(data)
    }
}
