import CTIFF

/// Reads a TIFF page's decoded rows top to bottom, pixel-interleaved, in memory proportional to the
/// page's width: a strip or a band of tiles at a time, never the whole raster.
///
/// 16-bit samples come out big-endian, as PDF wants them.
final class TIFFRowReader {
    private let file: TIFFFile
    private let page: TIFFPage
    /// Bytes of one interleaved output row (all samples).
    let rowBytes: Int
    private var band: [UInt8] = []
    private var bandTop = 0
    private var bandRows = 0
    private var scratch: [UInt8] = []
    private var nextRow = 0
    /// Strips above this decoded size are read scanline by scanline.
    private let stripBufferLimit: Int

    init(file: TIFFFile, page: TIFFPage, stripBufferLimit: Int) {
        self.file = file
        self.page = page
        self.stripBufferLimit = stripBufferLimit
        rowBytes = (page.width * page.samplesPerPixel * page.bitsPerSample + 7) / 8
    }

    /// Makes libtiff's JPEG codec hand out RGB rather than YCbCr, for decoding JPEG pages.
    func requestRGBFromJPEG() {
        if page.compression == COMPRESSION_JPEG, page.photometric == PHOTOMETRIC_YCBCR {
            hoso_tiff_set_int(file.handle, UInt32(TIFFTAG_JPEGCOLORMODE), JPEGCOLORMODE_RGB)
        }
    }

    /// YCbCr pages not coded as new-style JPEG (old-style JPEG, or YCbCr stored plain or LZW) are
    /// turned into RGB by libtiff's RGBA interface, a strip at a time: it undoes the subsampling and the
    /// colour transform as the TIFF's tags say.
    private var decodesThroughRGBA: Bool { page.photometric == PHOTOMETRIC_YCBCR && page.compression != COMPRESSION_JPEG }
    private var rgba: [UInt32] = []

    /// Moves past the next row without copying it out (it is still decoded: codecs read front to back).
    func skipRow() throws(NormalizeError) {
        precondition(nextRow < page.height, "read past the last row")
        switch page.layout {
        case .strips(let rowsPerStrip) where decodesThroughRGBA:
            if nextRow >= bandTop + bandRows { try loadRGBABand(rowsPerStrip: rowsPerStrip) }
        case .strips(let rowsPerStrip) where page.bytesPerRow * rowsPerStrip <= stripBufferLimit:
            if nextRow >= bandTop + bandRows { try loadStripBand(rowsPerStrip: rowsPerStrip) }
        case .tiles(_, let tileHeight):
            if nextRow >= bandTop + bandRows { try loadTileBand(tileHeight: tileHeight) }
        case .strips:
            if scratchRow.count < rowBytes { scratchRow = [UInt8](repeating: 0, count: rowBytes) }
            try readScanline(nextRow, into: &scratchRow)
        }
        nextRow += 1
    }

    private var scratchRow: [UInt8] = []

    /// Copies the next row into `row` (`rowBytes` long).
    func readRow(into row: inout [UInt8]) throws(NormalizeError) {
        precondition(nextRow < page.height, "read past the last row")
        defer { nextRow += 1 }
        switch page.layout {
        case .strips(let rowsPerStrip) where decodesThroughRGBA:
            if nextRow >= bandTop + bandRows { try loadRGBABand(rowsPerStrip: rowsPerStrip) }
            copyFromBand(nextRow - bandTop, into: &row)
        case .strips(let rowsPerStrip) where page.bytesPerRow * rowsPerStrip <= stripBufferLimit:
            if nextRow >= bandTop + bandRows { try loadStripBand(rowsPerStrip: rowsPerStrip) }
            copyFromBand(nextRow - bandTop, into: &row)
        case .strips:
            try readScanline(nextRow, into: &row)
        case .tiles(_, let tileHeight):
            if nextRow >= bandTop + bandRows { try loadTileBand(tileHeight: tileHeight) }
            copyFromBand(nextRow - bandTop, into: &row)
        }
        if page.bitsPerSample == 16 { Self.swapToBigEndian(&row) }
    }

    private func copyFromBand(_ offset: Int, into row: inout [UInt8]) {
        let start = offset * rowBytes
        row.withUnsafeMutableBytes { out in
            band.withUnsafeBytes { source in
                out.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: rowBytes)
            }
        }
    }

    private func loadRGBABand(rowsPerStrip: Int) throws(NormalizeError) {
        let strip = nextRow / rowsPerStrip
        bandTop = strip * rowsPerStrip
        bandRows = min(rowsPerStrip, page.height - bandTop)
        let pixels = page.width * rowsPerStrip
        guard pixels * 4 <= stripBufferLimit else {
            throw .overLimit(file: file.path, reason: "page \(page.index + 1): a YCbCr strip of \(rowsPerStrip) rows takes \(pixels * 4) bytes "
                             + "to decode, more than the \(stripBufferLimit >> 20) MB one strip may take")
        }
        if rgba.count < pixels { rgba = [UInt32](repeating: 0, count: pixels) }
        if band.count < rowsPerStrip * rowBytes { band = [UInt8](repeating: 0, count: rowsPerStrip * rowBytes) }
        let status = rgba.withUnsafeMutableBufferPointer { TIFFReadRGBAStrip(file.handle, UInt32(bandTop), $0.baseAddress) }
        guard status == 1 else {
            throw .corrupt(file: file.path, reason: "page \(page.index + 1): " + (file.takeError() ?? "strip \(strip) cannot be decoded"))
        }
        // libtiff fills the raster from the bottom up: its first row is the strip's last. Packed ABGR.
        let width = page.width
        band.withUnsafeMutableBufferPointer { out in
            rgba.withUnsafeBufferPointer { raster in
                for y in 0..<bandRows {
                    let source = (bandRows - 1 - y) * width
                    let target = y * rowBytes
                    for x in 0..<width {
                        let pixel = raster[source + x]
                        out[target + x * 3] = UInt8(truncatingIfNeeded: pixel)
                        out[target + x * 3 + 1] = UInt8(truncatingIfNeeded: pixel >> 8)
                        out[target + x * 3 + 2] = UInt8(truncatingIfNeeded: pixel >> 16)
                    }
                }
            }
        }
    }

    private func loadStripBand(rowsPerStrip: Int) throws(NormalizeError) {
        let strip = nextRow / rowsPerStrip
        bandTop = strip * rowsPerStrip
        bandRows = min(rowsPerStrip, page.height - bandTop)
        if band.count < rowsPerStrip * rowBytes { band = [UInt8](repeating: 0, count: rowsPerStrip * rowBytes) }
        guard page.planarSeparate else {
            try readStrip(strip, into: &band, bytes: bandRows * rowBytes)
            return
        }
        // Planes are stored one after another: strip `s` of plane `p` is number p × stripsPerPlane + s.
        let stripsPerPlane = (page.height + rowsPerStrip - 1) / rowsPerStrip
        let planeBytes = bandRows * page.bytesPerRow
        if scratch.count < rowsPerStrip * page.bytesPerRow { scratch = [UInt8](repeating: 0, count: rowsPerStrip * page.bytesPerRow) }
        for plane in 0..<page.samplesPerPixel {
            try readStrip(plane * stripsPerPlane + strip, into: &scratch, bytes: planeBytes)
            Self.interleave(scratch, sample: plane, of: page.samplesPerPixel, bytesPerSample: page.bitsPerSample / 8,
                            pixels: page.width * bandRows, into: &band)
        }
    }

    private func readStrip(_ strip: Int, into buffer: inout [UInt8], bytes: Int) throws(NormalizeError) {
        // Uncompressed strips are read straight from the file, as long as the layout says, whatever the
        // strip's byte count: a strip listed shorter than its rows means the layout is wrong (a RowsPerStrip
        // of 2^31 over a table of 39 strips) and its rows would be read from the strips after it.
        if page.compression == COMPRESSION_NONE {
            let listed = Int(TIFFGetStrileByteCount(file.handle, UInt32(strip)))
            guard listed >= bytes else {
                throw .corrupt(file: file.path, reason: "page \(page.index + 1): strip \(strip) holds \(listed) bytes, its rows need \(bytes) "
                               + "(RowsPerStrip does not match the strips, or the file is cut short)")
            }
        }
        let read = buffer.withUnsafeMutableBytes { TIFFReadEncodedStrip(file.handle, UInt32(strip), $0.baseAddress, tmsize_t(bytes)) }
        guard read >= 0 else { throw damaged("strip \(strip)") }
        // A strip that decodes to fewer rows than the page's layout gives it is damage: its rows would be made up.
        if read < bytes {
            throw .corrupt(file: file.path, reason: "page \(page.index + 1): " + (file.takeError()
                ?? "strip \(strip) decodes to \(read) of its \(bytes) bytes (cut short, or RowsPerStrip does not match the strips)"))
        }
    }

    /// One handle per plane for huge separate-plane strips: each decodes its plane front to back, which
    /// the codecs need, so no plane is ever held whole.
    private var planeFiles: [TIFFFile] = []

    private func readScanline(_ y: Int, into row: inout [UInt8]) throws(NormalizeError) {
        guard page.planarSeparate else {
            let status = row.withUnsafeMutableBytes { TIFFReadScanline(file.handle, $0.baseAddress, UInt32(y), 0) }
            guard status == 1 else { throw damaged("row \(y)") }
            return
        }
        if planeFiles.isEmpty {
            for _ in 0..<page.samplesPerPixel {
                let plane = try TIFFFile(path: file.path, maximumAllocation: file.maximumAllocation)
                try plane.select(page: page.index)
                planeFiles.append(plane)
            }
        }
        // Planar pages have 8- or 16-bit samples (checked in the plan).
        let planeBytes = page.bytesPerRow
        if scratch.count < planeBytes { scratch = [UInt8](repeating: 0, count: planeBytes) }
        for (sample, plane) in planeFiles.enumerated() {
            let status = scratch.withUnsafeMutableBytes { TIFFReadScanline(plane.handle, $0.baseAddress, UInt32(y), UInt16(sample)) }
            guard status == 1 else { throw damaged("row \(y) of plane \(sample)") }
            Self.interleave(scratch, sample: sample, of: page.samplesPerPixel, bytesPerSample: page.bitsPerSample / 8,
                            pixels: page.width, into: &row)
        }
    }

    private func loadTileBand(tileHeight: Int) throws(NormalizeError) {
        guard case .tiles(let tileWidth, _) = page.layout else { return }
        bandTop = (nextRow / tileHeight) * tileHeight
        bandRows = min(tileHeight, page.height - bandTop)
        if band.count < tileHeight * rowBytes { band = [UInt8](repeating: 0, count: tileHeight * rowBytes) }
        let planes = page.planarSeparate ? page.samplesPerPixel : 1
        let samplesInTile = page.planarSeparate ? 1 : page.samplesPerPixel
        let tileRowBytes = (tileWidth * samplesInTile * page.bitsPerSample + 7) / 8
        let tileSize = Int(TIFFTileSize64(file.handle))
        guard tileSize >= tileRowBytes * tileHeight else { throw damaged("tile size") }
        if scratch.count < tileSize { scratch = [UInt8](repeating: 0, count: tileSize) }
        let bytesPerSample = max(1, page.bitsPerSample / 8)
        for left in stride(from: 0, to: page.width, by: tileWidth) {
            let columns = min(tileWidth, page.width - left)
            for plane in 0..<planes {
                let read = scratch.withUnsafeMutableBytes {
                    TIFFReadTile(file.handle, $0.baseAddress, UInt32(left), UInt32(bandTop), 0, UInt16(plane))
                }
                guard read >= 0 else { throw damaged("tile at \(left),\(bandTop)") }
                for r in 0..<bandRows {
                    if page.planarSeparate {
                        for x in 0..<columns {
                            for b in 0..<bytesPerSample {
                                band[r * rowBytes + ((left + x) * page.samplesPerPixel + plane) * bytesPerSample + b] =
                                    scratch[r * tileRowBytes + x * bytesPerSample + b]
                            }
                        }
                    } else {
                        // Sub-byte pixels in tiles start on a byte boundary only when the tile width is a
                        // multiple of 8 pixels, which the TIFF specification requires (16 for tiles).
                        let startByte = left * page.samplesPerPixel * page.bitsPerSample / 8
                        let count = (columns * page.samplesPerPixel * page.bitsPerSample + 7) / 8
                        let rowBytes = rowBytes
                        band.withUnsafeMutableBytes { out in
                            scratch.withUnsafeBytes { tile in
                                (out.baseAddress! + r * rowBytes + startByte)
                                    .copyMemory(from: tile.baseAddress! + r * tileRowBytes, byteCount: count)
                            }
                        }
                    }
                }
            }
        }
    }

    private func damaged(_ what: String) -> NormalizeError {
        .corrupt(file: file.path, reason: "page \(page.index + 1) \(what): \(file.takeError() ?? "cannot be decoded")")
    }

    static func interleave(_ plane: [UInt8], sample: Int, of samples: Int, bytesPerSample: Int, pixels: Int, into row: inout [UInt8]) {
        for x in 0..<pixels {
            for b in 0..<bytesPerSample {
                row[(x * samples + sample) * bytesPerSample + b] = plane[x * bytesPerSample + b]
            }
        }
    }

    static func swapToBigEndian(_ row: inout [UInt8]) {
        #if _endian(little)
        row.withUnsafeMutableBytes { bytes in
            let words = bytes.bindMemory(to: UInt16.self)
            for i in words.indices { words[i] = words[i].byteSwapped }
        }
        #endif
    }
}
