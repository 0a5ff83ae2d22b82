import CZlib
import HoSoPDF

/// Encodes an 8-bit RGB raster as a PNG file (RFC 2083): the thumbnails HoSo stores. A raster whose
/// pixels are all grey (a black-and-white or grey scan) is written as a greyscale PNG, a third the size
/// and a third the work. RGBA rasters (a seal on a transparent background) keep their alpha.
public enum PNGWriter {
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> [UInt8] {
        // Colour type 0 is greyscale, 2 is RGB.
        if let gray = grayOrNil(rgb) { return try encode(width: width, height: height, samples: gray, channels: 1, colourType: 0) }
        return try encode(width: width, height: height, samples: rgb, channels: 3, colourType: 2)
    }

    /// RGB with an alpha sample a pixel (colour type 6).
    public static func encode(width: Int, height: Int, rgba: [UInt8]) throws -> [UInt8] {
        try encode(width: width, height: height, samples: rgba, channels: 4, colourType: 6)
    }

    private static func encode(width: Int, height: Int, samples: [UInt8], channels: Int, colourType: UInt8) throws -> [UInt8] {
        var predictor = PNGPredictor(bytesPerPixel: channels, rowBytes: width * channels, adaptive: false)
        var filtered: [UInt8] = []
        filtered.reserveCapacity((width * channels + 1) * height)
        for y in 0..<height {
            filtered += predictor.filter(Array(samples[(y * width * channels)..<((y + 1) * width * channels)]))
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(width) + be32(height) + [8, colourType, 0, 0, 0])
        out += chunk("IDAT", try FlateEncoder.compress(filtered, level: 1))
        out += chunk("IEND", [])
        return out
    }

    /// The raster as one grey sample a pixel, if every pixel's three samples are equal.
    private static func grayOrNil(_ rgb: [UInt8]) -> [UInt8]? {
        var gray = [UInt8](repeating: 0, count: rgb.count / 3)
        let allGray = rgb.withUnsafeBufferPointer { pixels in
            gray.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count {
                    let r = pixels[i * 3]
                    guard r == pixels[i * 3 + 1], r == pixels[i * 3 + 2] else { return false }
                    out[i] = r
                }
                return true
            }
        }
        return allGray ? gray : nil
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
