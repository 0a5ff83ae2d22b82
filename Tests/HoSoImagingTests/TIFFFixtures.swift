import Foundation
import CTIFF
import HoSoSamples

/// Generated TIFF pages with a known pattern, and the samples a lossless PDF must contain for them.
enum TIFFFixtures {
    /// The raw row `y` of `page`: a pattern that differs across x, y and sample so a mistake shows.
    static func row(_ page: RawTIFFPage, _ y: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: page.rowBytes)
        let samples = page.samplesPerPixel
        switch page.bitsPerSample {
        case 16:
            for x in 0..<page.width {
                for s in 0..<samples {
                    let value = UInt16(truncatingIfNeeded: x &* 257 &+ y &* 4099 &+ s &* 12345)
                    out[(x * samples + s) * 2] = UInt8(value & 0xFF)  // host order: little-endian
                    out[(x * samples + s) * 2 + 1] = UInt8(value >> 8)
                }
            }
        case 8:
            for x in 0..<page.width {
                for s in 0..<samples { out[x * samples + s] = UInt8(truncatingIfNeeded: x &* 3 &+ y &* 7 &+ s &* 85 &+ (x * y) / 97) }
            }
        default:
            for i in 0..<out.count { out[i] = UInt8(truncatingIfNeeded: i &* 37 &+ y &* 11 &+ (i / 3) * y) }
            // Bits past the last pixel are padding: keep them zero so rows compare exactly.
            let usedBits = page.width * samples * page.bitsPerSample
            if usedBits % 8 != 0 { out[out.count - 1] &= UInt8(truncatingIfNeeded: 0xFF << (8 - usedBits % 8)) }
        }
        return out
    }

    /// What the PDF image's decoded stream must hold: the colour samples of every row, 16-bit big-endian.
    static func expectedSamples(_ page: RawTIFFPage, colourSamples: Int) -> [UInt8] {
        var out: [UInt8] = []
        for y in 0..<page.height {
            let raw = row(page, y)
            if page.bitsPerSample < 8 { out += raw; continue }
            let bytes = page.bitsPerSample / 8
            for x in 0..<page.width {
                for s in 0..<colourSamples {
                    let at = (x * page.samplesPerPixel + s) * bytes
                    out += bytes == 2 ? [raw[at + 1], raw[at]] : [raw[at]]
                }
            }
        }
        return out
    }

    static func write(_ page: RawTIFFPage, to url: URL, pages: Int = 1, bigTIFF: Bool = false) throws {
        let writer = try TIFFWriter(path: url.path, bigTIFF: bigTIFF)
        defer { writer.close() }
        for index in 0..<pages {
            try writer.writeRawPage(page, index: index, of: pages) { row(page, $0) }
        }
    }

    /// Every decoded row of page 1 of a TIFF, read with libtiff (not HoSo).
    static func scanlines(of url: URL) throws -> [UInt8] {
        guard let tiff = TIFFOpen(url.path, "r") else { throw CocoaError(.fileReadCorruptFile) }
        defer { TIFFClose(tiff) }
        var height: UInt32 = 0
        hoso_tiff_get_u32(tiff, UInt32(TIFFTAG_IMAGELENGTH), &height)
        var row = [UInt8](repeating: 0, count: Int(TIFFScanlineSize64(tiff)))
        var out: [UInt8] = []
        for y in 0..<height {
            _ = row.withUnsafeMutableBytes { TIFFReadScanline(tiff, $0.baseAddress, y, 0) }
            out += row
        }
        return out
    }
}
