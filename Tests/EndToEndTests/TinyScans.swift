import Foundation
import HoSoSamples

/// Distinct 16 × 16 greyscale TIFFs named for cases `000.00.14.H27-240815-NNNN` (NNNN = index + 1): no
/// two alike, so none is a duplicate of another. Each is written beside the inbox in `scratch` and
/// renamed in whole, as a scanner's upload would land.
func dropTinyScans(_ indices: Range<Int>, into inbox: URL, scratch: URL) throws {
    for index in indices {
        var page = RawTIFFPage(width: 16, height: 16, bitsPerSample: 8, samplesPerPixel: 1, photometric: .minIsBlack,
                               compression: .lzw, layout: .strips(rowsPerStrip: 16))
        page.dpi = 200
        let name = String(format: "000.00.14.H27-240815-%04d_Don.tif", index + 1)
        let written = scratch.appendingPathComponent(".\(name)")
        let writer = try TIFFWriter(path: written.path)
        try writer.writeRawPage(page, index: 0, of: 1) { y in (0..<16).map { UInt8(truncatingIfNeeded: $0 * 16 + y + index) } }
        writer.close()
        try FileManager.default.moveItem(at: written, to: inbox.appendingPathComponent(name))
    }
}
