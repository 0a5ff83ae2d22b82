import CZlib
import HoSoPDF

/// Encodes an 8-bit RGB raster as a PNG file (RFC 2083): the thumbnails HoSo stores.
enum PNGWriter {
    static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> [UInt8] {
        var predictor = PNGPredictor(bytesPerPixel: 3, rowBytes: width * 3, adaptive: false)
        var filtered: [UInt8] = []
        filtered.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            filtered += predictor.filter(Array(rgb[(y * width * 3)..<((y + 1) * width * 3)]))
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
        out += chunk("IDAT", try FlateEncoder.compress(filtered, level: 1))
        out += chunk("IEND", [])
        return out
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBytes { UInt32(crc32(0, $0.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        return be32(data.count) + body + be32(Int(crc))
    }

    private static func be32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
