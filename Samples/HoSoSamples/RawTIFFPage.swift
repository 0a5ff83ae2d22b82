import CTIFF

/// A TIFF page described tag by tag, for test fixtures that cover what scanners produce: every
/// photometric, bit depth, compression, layout and orientation HoSo must take.
public struct RawTIFFPage: Sendable {
    public enum Photometric: Sendable {
        case minIsWhite, minIsBlack, rgb, palette(red: [UInt16], green: [UInt16], blue: [UInt16]), cmyk
        /// YCbCr; only meaningful with JPEG compression (libtiff converts from RGB rows).
        case ycbcr
    }

    public var width: Int
    public var height: Int
    public var bitsPerSample: Int
    public var samplesPerPixel: Int
    public var photometric: Photometric
    public var compression: TIFFPageFormat.Compression
    public var layout: TIFFPageFormat.Layout
    public var planarSeparate = false
    public var orientation = 1
    /// nil writes no resolution tags at all.
    public var dpi: Double? = 300
    /// Number of alpha samples after the colour ones (ExtraSamples = unassociated alpha).
    public var alphaSamples = 0
    /// Writes bits least significant first (FillOrder 2).
    public var fillOrderReversed = false
    /// NewSubfileType when it is not a plain page: 1 a reduced-resolution copy (a GeoTIFF overview), 4 a
    /// transparency mask.
    public var subfileType: Int?

    public init(width: Int, height: Int, bitsPerSample: Int, samplesPerPixel: Int, photometric: Photometric,
                compression: TIFFPageFormat.Compression, layout: TIFFPageFormat.Layout) {
        self.width = width
        self.height = height
        self.bitsPerSample = bitsPerSample
        self.samplesPerPixel = samplesPerPixel
        self.photometric = photometric
        self.compression = compression
        self.layout = layout
    }

    /// Bytes of one interleaved row (16-bit samples in the host's order, as libtiff takes them).
    public var rowBytes: Int { (width * samplesPerPixel * bitsPerSample + 7) / 8 }
}

extension TIFFWriter {
    /// Writes a page whose rows `row(y)` gives as raw interleaved samples, `page.rowBytes` long.
    public func writeRawPage(_ page: RawTIFFPage, index: Int, of count: Int, row: (Int) -> [UInt8]) throws {
        guard let tiff = rawHandle else { throw SampleError.tiff(path: path, reason: "already closed") }
        func u16(_ tag: Int32, _ value: Int) { hoso_tiff_set_u16(tiff, UInt32(tag), UInt16(value)) }
        func u32(_ tag: Int32, _ value: Int) { hoso_tiff_set_u32(tiff, UInt32(tag), UInt32(value)) }
        u32(TIFFTAG_IMAGEWIDTH, page.width)
        u32(TIFFTAG_IMAGELENGTH, page.height)
        u16(TIFFTAG_BITSPERSAMPLE, page.bitsPerSample)
        u16(TIFFTAG_SAMPLESPERPIXEL, page.samplesPerPixel)
        u16(TIFFTAG_PLANARCONFIG, Int(page.planarSeparate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG))
        u16(TIFFTAG_ORIENTATION, page.orientation)
        if page.fillOrderReversed { u16(TIFFTAG_FILLORDER, Int(FILLORDER_LSB2MSB)) }
        if let dpi = page.dpi {
            u16(TIFFTAG_RESOLUTIONUNIT, Int(RESUNIT_INCH))
            hoso_tiff_set_float(tiff, UInt32(TIFFTAG_XRESOLUTION), Float(dpi))
            hoso_tiff_set_float(tiff, UInt32(TIFFTAG_YRESOLUTION), Float(dpi))
        }
        if let type = page.subfileType {
            u32(TIFFTAG_SUBFILETYPE, type)
        } else if count > 1 {
            u32(TIFFTAG_SUBFILETYPE, Int(FILETYPE_PAGE))
            hoso_tiff_set_page_number(tiff, UInt16(index), UInt16(count))
        }
        if page.alphaSamples > 0 {
            var kinds = [UInt16](repeating: UInt16(EXTRASAMPLE_UNASSALPHA), count: page.alphaSamples)
            hoso_tiff_set_extrasamples(tiff, UInt16(page.alphaSamples), &kinds)
        }
        switch page.photometric {
        case .minIsWhite: u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_MINISWHITE))
        case .minIsBlack: u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_MINISBLACK))
        case .rgb: u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_RGB))
        case .cmyk:
            u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_SEPARATED))
            u16(TIFFTAG_INKSET, Int(INKSET_CMYK))
        case .ycbcr: u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_YCBCR))
        case .palette(var red, var green, var blue):
            u16(TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_PALETTE))
            hoso_tiff_set_colormap(tiff, &red, &green, &blue)
        }
        switch page.compression {
        case .none: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_NONE))
        case .packBits: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_PACKBITS))
        case .lzw: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_LZW))
        case .deflate: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_ADOBE_DEFLATE))
        case .ccittG3: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_CCITTFAX3))
        case .ccittG4: u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_CCITTFAX4))
        case .jpeg(let quality):
            u16(TIFFTAG_COMPRESSION, Int(COMPRESSION_JPEG))
            hoso_tiff_set_int(tiff, UInt32(TIFFTAG_JPEGQUALITY), Int32(quality))
            if case .ycbcr = page.photometric { hoso_tiff_set_int(tiff, UInt32(TIFFTAG_JPEGCOLORMODE), JPEGCOLORMODE_RGB) }
        }
        switch page.layout {
        case .strips(let rows): u32(TIFFTAG_ROWSPERSTRIP, rows)
        case .tiles(let width, let height): u32(TIFFTAG_TILEWIDTH, width); u32(TIFFTAG_TILELENGTH, height)
        }

        let planes = page.planarSeparate ? page.samplesPerPixel : 1
        let bytesPerSample = max(1, page.bitsPerSample / 8)
        /// The row of one plane (all samples when contiguous).
        func planeRow(_ y: Int, _ plane: Int) -> [UInt8] {
            let full = row(y)
            guard page.planarSeparate else { return full }
            var out = [UInt8](repeating: 0, count: page.width * bytesPerSample)
            for x in 0..<page.width {
                for b in 0..<bytesPerSample { out[x * bytesPerSample + b] = full[(x * page.samplesPerPixel + plane) * bytesPerSample + b] }
            }
            return out
        }
        let planeRowBytes = page.planarSeparate ? page.width * bytesPerSample : page.rowBytes
        switch page.layout {
        case .strips(let rowsPerStrip):
            let stripsPerPlane = (page.height + rowsPerStrip - 1) / rowsPerStrip
            for plane in 0..<planes {
                for strip in 0..<stripsPerPlane {
                    let top = strip * rowsPerStrip, rows = min(rowsPerStrip, page.height - top)
                    var data: [UInt8] = []
                    for y in top..<(top + rows) { data += planeRow(y, plane) }
                    let number = UInt32(plane * stripsPerPlane + strip)
                    let dataCount = data.count
                    guard data.withUnsafeMutableBytes({ TIFFWriteEncodedStrip(tiff, number, $0.baseAddress, tmsize_t(dataCount)) }) >= 0 else {
                        throw SampleError.tiff(path: path, reason: "strip \(number) could not be written")
                    }
                }
            }
        case .tiles(let tileWidth, let tileHeight):
            let samplesInTile = page.planarSeparate ? 1 : page.samplesPerPixel
            let tileRowBytes = (tileWidth * samplesInTile * page.bitsPerSample + 7) / 8
            for plane in 0..<planes {
                for top in stride(from: 0, to: page.height, by: tileHeight) {
                    let band = (top..<min(top + tileHeight, page.height)).map { planeRow($0, plane) }
                    for left in stride(from: 0, to: page.width, by: tileWidth) {
                        var tile = [UInt8](repeating: 0, count: tileRowBytes * tileHeight)
                        let start = left * samplesInTile * page.bitsPerSample / 8
                        for (r, line) in band.enumerated() {
                            let count = min(tileRowBytes, planeRowBytes - start)
                            for i in 0..<count { tile[r * tileRowBytes + i] = line[start + i] }
                        }
                        let number = TIFFComputeTile(tiff, UInt32(left), UInt32(top), 0, UInt16(plane))
                        let tileCount = tile.count
                        guard tile.withUnsafeMutableBytes({ TIFFWriteEncodedTile(tiff, number, $0.baseAddress, tmsize_t(tileCount)) }) >= 0 else {
                            throw SampleError.tiff(path: path, reason: "tile \(number) could not be written")
                        }
                    }
                }
            }
        }
        guard TIFFWriteDirectory(tiff) == 1 else { throw SampleError.tiff(path: path, reason: "directory could not be written") }
    }
}
