import CTIFF
import Foundation

/// How one page of a sample TIFF is stored.
public struct TIFFPageFormat: Sendable {
    public enum Colour: Sendable {
        /// 1 bit per pixel, 0 = white (PhotometricInterpretation MinIsWhite, as fax and G4 scans are).
        case bilevel
        /// 8-bit grey.
        case gray8
        /// 8 bits per channel RGB.
        case rgb8
        /// 16 bits per channel RGB, 48 bits per pixel, as archival map scanners produce.
        case rgb16
    }

    public enum Compression: Sendable {
        case none, packBits, lzw, deflate, ccittG3, ccittG4
        /// JPEG with YCbCr 2×2 subsampling, the usual colour-scan encoding.
        case jpeg(quality: Int)
    }

    public enum Layout: Sendable {
        case strips(rowsPerStrip: Int)
        case tiles(width: Int, height: Int)
    }

    public var width: Int
    public var height: Int
    public var dpi: Double
    public var colour: Colour
    public var compression: Compression
    public var layout: Layout

    public init(width: Int, height: Int, dpi: Double, colour: Colour, compression: Compression, layout: Layout) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.colour = colour
        self.compression = compression
        self.layout = layout
    }
}

/// Writes multi-page TIFF files through libtiff, one band of rows at a time.
///
/// Owns its `TIFF*`; ``close()`` (or `deinit`) finishes the file.
public final class TIFFWriter {
    private var handle: OpaquePointer?
    public let path: String
    var rawHandle: OpaquePointer? { handle }

    /// Creates `path`; `bigTIFF` writes 64-bit offsets (files over 4 GiB need them).
    public init(path: String, bigTIFF: Bool = false) throws {
        self.path = path
        guard let handle = TIFFOpen(path, bigTIFF ? "w8" : "w") else { throw SampleError.tiff(path: path, reason: "cannot create") }
        self.handle = handle
    }

    deinit { close() }

    /// Finishes the file.
    public func close() {
        if let handle { TIFFClose(handle) }
        handle = nil
    }

    /// Writes one page; `render(y, &rgb)` fills row `y` as 8-bit RGB, which is converted to the format.
    public func writePage(
        _ format: TIFFPageFormat, page: Int, of pageCount: Int, render: (Int, inout [UInt8]) -> Void
    ) throws {
        guard let tiff = handle else { throw SampleError.tiff(path: path, reason: "already closed") }
        try setTags(tiff, format, page: page, of: pageCount)
        let rowBytes = Self.bytesPerRow(format)
        var rgb = [UInt8](repeating: 0, count: format.width * 3)
        switch format.layout {
        case .strips(let rowsPerStrip):
            var strip = [UInt8](repeating: 0, count: rowBytes * rowsPerStrip)
            for (index, top) in stride(from: 0, to: format.height, by: rowsPerStrip).enumerated() {
                let rows = min(rowsPerStrip, format.height - top)
                for row in 0..<rows {
                    render(top + row, &rgb)
                    Self.convert(rgb, format, into: &strip, at: row * rowBytes)
                }
                let written = strip.withUnsafeMutableBytes {
                    TIFFWriteEncodedStrip(tiff, UInt32(index), $0.baseAddress, tmsize_t(rows * rowBytes))
                }
                guard written >= 0 else { throw SampleError.tiff(path: path, reason: "strip \(index) could not be written") }
            }
        case .tiles(let tileWidth, let tileHeight):
            let tileRowBytes = Self.bytesPerRow(format, width: tileWidth)
            var band = [UInt8](repeating: 0, count: rowBytes * tileHeight)
            var tile = [UInt8](repeating: 0, count: tileRowBytes * tileHeight)
            for top in stride(from: 0, to: format.height, by: tileHeight) {
                band.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
                for row in 0..<min(tileHeight, format.height - top) {
                    render(top + row, &rgb)
                    Self.convert(rgb, format, into: &band, at: row * rowBytes)
                }
                for left in stride(from: 0, to: format.width, by: tileWidth) {
                    let startByte = Self.bytesPerRow(format, width: left)
                    let available = min(tileRowBytes, rowBytes - startByte)
                    for row in 0..<tileHeight {
                        for i in 0..<tileRowBytes {
                            tile[row * tileRowBytes + i] = i < available ? band[row * rowBytes + startByte + i] : 0
                        }
                    }
                    let number = TIFFComputeTile(tiff, UInt32(left), UInt32(top), 0, 0)
                    let tileBytes = tile.count
                    let written = tile.withUnsafeMutableBytes {
                        TIFFWriteEncodedTile(tiff, number, $0.baseAddress, tmsize_t(tileBytes))
                    }
                    guard written >= 0 else { throw SampleError.tiff(path: path, reason: "tile \(number) could not be written") }
                }
            }
        }
        guard TIFFWriteDirectory(tiff) == 1 else { throw SampleError.tiff(path: path, reason: "page \(page + 1) directory could not be written") }
    }

    private func setTags(_ tiff: OpaquePointer, _ format: TIFFPageFormat, page: Int, of pageCount: Int) throws {
        func u16(_ tag: Int32, _ value: Int32) { hoso_tiff_set_u16(tiff, UInt32(tag), UInt16(value)) }
        func u32(_ tag: Int32, _ value: Int) { hoso_tiff_set_u32(tiff, UInt32(tag), UInt32(value)) }
        u32(TIFFTAG_IMAGEWIDTH, format.width)
        u32(TIFFTAG_IMAGELENGTH, format.height)
        u16(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
        u16(TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH)
        hoso_tiff_set_float(tiff, UInt32(TIFFTAG_XRESOLUTION), Float(format.dpi))
        hoso_tiff_set_float(tiff, UInt32(TIFFTAG_YRESOLUTION), Float(format.dpi))
        hoso_tiff_set_string(tiff, UInt32(TIFFTAG_SOFTWARE), "hoso-samples")
        if pageCount > 1 {
            u32(TIFFTAG_SUBFILETYPE, Int(FILETYPE_PAGE))
            hoso_tiff_set_page_number(tiff, UInt16(page), UInt16(pageCount))
        }
        switch format.colour {
        case .bilevel:
            u16(TIFFTAG_BITSPERSAMPLE, 1); u16(TIFFTAG_SAMPLESPERPIXEL, 1); u16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE)
        case .gray8:
            u16(TIFFTAG_BITSPERSAMPLE, 8); u16(TIFFTAG_SAMPLESPERPIXEL, 1); u16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
        case .rgb8:
            u16(TIFFTAG_BITSPERSAMPLE, 8); u16(TIFFTAG_SAMPLESPERPIXEL, 3); u16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB)
        case .rgb16:
            u16(TIFFTAG_BITSPERSAMPLE, 16); u16(TIFFTAG_SAMPLESPERPIXEL, 3); u16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB)
        }
        switch format.compression {
        case .none: u16(TIFFTAG_COMPRESSION, COMPRESSION_NONE)
        case .packBits: u16(TIFFTAG_COMPRESSION, COMPRESSION_PACKBITS)
        case .lzw: u16(TIFFTAG_COMPRESSION, COMPRESSION_LZW); u16(TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL)
        case .deflate: u16(TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE); u16(TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL)
        case .ccittG3: u16(TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3)
        case .ccittG4: u16(TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4)
        case .jpeg(let quality):
            u16(TIFFTAG_COMPRESSION, COMPRESSION_JPEG)
            if case .rgb8 = format.colour {
                u16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR)
                hoso_tiff_set_int(tiff, UInt32(TIFFTAG_JPEGCOLORMODE), JPEGCOLORMODE_RGB)
            }
            hoso_tiff_set_int(tiff, UInt32(TIFFTAG_JPEGQUALITY), Int32(quality))
        }
        switch format.layout {
        case .strips(let rows): u32(TIFFTAG_ROWSPERSTRIP, rows)
        case .tiles(let width, let height): u32(TIFFTAG_TILEWIDTH, width); u32(TIFFTAG_TILELENGTH, height)
        }
    }

    static func bytesPerRow(_ format: TIFFPageFormat, width: Int? = nil) -> Int {
        let pixels = width ?? format.width
        return switch format.colour {
        case .bilevel: (pixels + 7) / 8
        case .gray8: pixels
        case .rgb8: pixels * 3
        case .rgb16: pixels * 6
        }
    }

    /// Converts one RGB row to the page's sample format at `offset` in `out`.
    static func convert(_ rgb: [UInt8], _ format: TIFFPageFormat, into out: inout [UInt8], at offset: Int) {
        switch format.colour {
        case .rgb8:
            for i in 0..<rgb.count { out[offset + i] = rgb[i] }
        case .rgb16:
            // Spread 8 bits over 16 (v * 257) so the full range is used, little-endian as libtiff expects
            // on this host.
            for i in 0..<rgb.count {
                let value = UInt16(rgb[i]) * 257
                out[offset + i * 2] = UInt8(value & 0xFF)
                out[offset + i * 2 + 1] = UInt8(value >> 8)
            }
        case .gray8:
            for x in 0..<format.width { out[offset + x] = luminance(rgb, x) }
        case .bilevel:
            for byteIndex in 0..<((format.width + 7) / 8) { out[offset + byteIndex] = 0 }
            for x in 0..<format.width where luminance(rgb, x) < 128 {
                out[offset + x / 8] |= 0x80 >> UInt8(x % 8)
            }
        }
    }

    static func luminance(_ rgb: [UInt8], _ x: Int) -> UInt8 {
        let red = 299 * Int(rgb[x * 3])
        let green = 587 * Int(rgb[x * 3 + 1])
        let blue = 114 * Int(rgb[x * 3 + 2])
        return UInt8((red + green + blue) / 1000)
    }
}

/// Why a sample could not be made.
public enum SampleError: Error, CustomStringConvertible {
    case tiff(path: String, reason: String)
    case pdf(path: String, reason: String)

    public var description: String {
        switch self {
        case .tiff(let path, let reason), .pdf(let path, let reason): "\(path): \(reason)"
        }
    }
}
