import CZlib
import HoSoCore
import Foundation
import HoSoPDF

/// Puts a PNG on one PDF page. PNG's compressed data is already what PDF's `FlateDecode` with
/// `/Predictor 15` reads, so an opaque, non-interlaced PNG is copied without decoding; a PNG with an
/// alpha channel is decoded, the alpha dropped, and re-compressed.
struct PNGNormalizer {
    let limits: NormalizeLimits
    let flateLevel: Int32

    private struct Header {
        let width: Int, height: Int, bitDepth: Int, colourType: Int, interlaced: Bool
        var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType] ?? 0 }
        var hasAlpha: Bool { colourType == 4 || colourType == 6 }
    }

    func normalize(_ input: URL, into builder: ArchivalPDFBuilder) throws(NormalizeError)
        -> (pages: [PageMetadata], thumbnail: ThumbnailImage) {
        do {
            return try run(input, builder)
        } catch let error as NormalizeError {
            throw error
        } catch let error as PNGDataError {
            throw .corrupt(file: input.path, reason: error.reason)
        } catch {
            throw .io(file: input.path, reason: "\(error)")
        }
    }

    private func run(_ input: URL, _ builder: ArchivalPDFBuilder) throws -> (pages: [PageMetadata], thumbnail: ThumbnailImage) {
        let reader = try PNGChunkReader(url: input)
        var header: Header?
        var palette: [UInt8]?
        var dpi: (x: Double, y: Double)?
        var exifDPI: (x: Double, y: Double)?
        var orientation = 1
        var warnings: [String] = []
        // Everything PDF needs comes before the first IDAT chunk.
        var chunk = try reader.next()
        while chunk.type != "IDAT" {
            switch chunk.type {
            case "IHDR":
                let d = try reader.readData(chunk)
                guard d.count == 13 else { throw reader.damaged("IHDR is \(d.count) bytes, not 13") }
                func be32(_ i: Int) -> Int { Int(d[i]) << 24 | Int(d[i + 1]) << 16 | Int(d[i + 2]) << 8 | Int(d[i + 3]) }
                header = Header(width: be32(0), height: be32(4), bitDepth: Int(d[8]), colourType: Int(d[9]), interlaced: d[12] != 0)
            case "PLTE":
                palette = try reader.readData(chunk)
            case "pHYs":
                let d = try reader.readData(chunk)
                if d.count == 9, d[8] == 1 {
                    let x = Double(Int(d[0]) << 24 | Int(d[1]) << 16 | Int(d[2]) << 8 | Int(d[3]))
                    let y = Double(Int(d[4]) << 24 | Int(d[5]) << 16 | Int(d[6]) << 8 | Int(d[7]))
                    if x > 0, y > 0 { dpi = (x * 0.0254, y * 0.0254) }
                }
            case "eXIf" where chunk.length <= 1 << 20:
                // EXIF as cameras and ImageMagick write it: the orientation, and a resolution when pHYs gives none.
                let exif = EXIFReader(try reader.readData(chunk))
                orientation = exif.orientation ?? orientation
                exifDPI = exif.dpi
            case "tEXt" where chunk.length <= 1 << 20:
                // ImageMagick keeps EXIF as text: "Raw profile type exif", then hex of "Exif\0\0" and the TIFF structure.
                if let exif = Self.rawProfileEXIF(try reader.readData(chunk)) {
                    orientation = exif.orientation ?? orientation
                    exifDPI = exifDPI ?? exif.dpi
                }
            case "tRNS":
                _ = try reader.readData(chunk)
                warnings.append("transparency (tRNS) ignored: scans are opaque")
            case "IEND":
                throw reader.damaged("no image data (IDAT) before IEND")
            default:
                try reader.skip(chunk)
            }
            chunk = try reader.next()
        }
        if dpi == nil { dpi = exifDPI }
        guard let header, header.width > 0, header.height > 0, header.channels > 0 else {
            throw reader.damaged("no valid IHDR before the image data")
        }
        // PNG's table of allowed depths per colour type (ISO/IEC 15948 §11.2.2); anything else is damage,
        // not a variant to decode (an alpha image of 1, 2 or 4 bits has no whole byte per sample).
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let allowed = depths[header.colourType] else { throw reader.damaged("colour type \(header.colourType)") }
        guard allowed.contains(header.bitDepth) else {
            throw reader.damaged("bit depth \(header.bitDepth) with colour type \(header.colourType) (PNG allows \(allowed.map(String.init).joined(separator: ", ")))")
        }
        guard Int64(header.width) * Int64(header.height) <= limits.maximumPagePixels else {
            throw NormalizeError.overLimit(file: input.path, reason: "\(header.width) × \(header.height) px, limit \(limits.maximumPagePixels / 1_000_000) Mpx (normalize.max_page_pixels)")
        }
        guard !header.interlaced else {
            throw NormalizeError.unsupported(file: input.path, reason: "interlaced (Adam7) PNG; save the scan without interlacing")
        }
        let colourSpace: PDFObject
        let mode: ColourMode
        switch header.colourType {
        case 0, 4:
            colourSpace = .name("DeviceGray")
            mode = header.bitDepth == 1 ? .bilevel : .gray
        case 3:
            guard let palette, palette.count % 3 == 0, !palette.isEmpty else { throw reader.damaged("palette image without a PLTE chunk") }
            colourSpace = .array([.name("Indexed"), .name("DeviceRGB"), .integer(palette.count / 3 - 1),
                                  .string(PDFString(bytes: palette, form: .hex))])
            mode = .palette
        default:
            colourSpace = .name("DeviceRGB")
            mode = .rgb
        }
        let colours = header.hasAlpha ? header.channels - 1 : header.channels
        // The thumbnail is drawn from the rows as they are decoded here, one at a time (poppler drawing
        // the page would hold all of it); a row too large to decode leaves it blank, with a warning.
        let layout = SampleLayout(colour: Self.thumbnailColour(header.colourType, palette: palette), samplesPerPixel: header.channels,
                                  bitsPerSample: header.bitDepth, width: header.width)
        let rowBytes = (Int64(header.width) * Int64(header.channels * header.bitDepth) + 7) / 8
        var thumbnail = Thumbnailer(width: header.width, height: header.height, layout: layout)
        let drawsThumbnail = rowBytes <= Int64(limits.maximumSingleAllocation)
        if !drawsThumbnail { warnings.append("no thumbnail: one row of \(header.width) px takes \(rowBytes) bytes to decode") }
        var scratch: [UInt8] = []
        var y = 0
        let addRow: ([UInt8]) -> Void = { row in
            if y < header.height, thumbnail.wants(row: y) { thumbnail.add(row: row, layout: layout, at: y, scratch: &scratch) }
            y += 1
        }
        let image = builder.writer.allocate()
        try builder.writer.beginStream([
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(header.width), "Height": .integer(header.height),
            "ColorSpace": colourSpace, "BitsPerComponent": .integer(header.bitDepth), "Filter": .name("FlateDecode"),
            "DecodeParms": .dictionary(["Predictor": 15, "Colors": .integer(colours),
                                        "BitsPerComponent": .integer(header.bitDepth), "Columns": .integer(header.width)]),
        ], as: image)
        if header.hasAlpha {
            // Decoding needs a row of the image at a time: its size comes from the header, so it is checked
            // before anything is allocated (a 74-byte file may declare 999,999,999 × 1 RGBA).
            let rowBytes = Int64(header.width) * Int64(header.channels * header.bitDepth / 8)
            guard rowBytes <= Int64(limits.maximumSingleAllocation) else {
                throw NormalizeError.overLimit(file: input.path, reason: "one row of \(header.width) px takes \(rowBytes) bytes to decode, "
                                               + "more than the \(limits.maximumSingleAllocation >> 20) MB a decoder may allocate")
            }
            warnings.append("alpha channel dropped (scans are opaque)")
            chunk = try reencodeWithoutAlpha(header, first: chunk, reader: reader, writer: builder.writer, eachRow: addRow)
        } else {
            let pixelBytes = max(1, header.channels * header.bitDepth / 8)
            var unfilter = drawsThumbnail ? PNGUnfilter(rowBytes: Int(rowBytes), bytesPerPixel: pixelBytes) : nil
            let inflater = try Inflater()
            while chunk.type == "IDAT" {
                try reader.copyData(chunk) { data in
                    try builder.writer.appendToStream(data)
                    guard unfilter != nil else { return }
                    try inflater.inflate(data) { bytes in try unfilter!.push(bytes) { addRow($0) } }
                }
                chunk = try reader.next()
            }
            if drawsThumbnail, y < header.height { throw reader.damaged("image data ends after \(y) of \(header.height) rows") }
        }
        try builder.writer.endStream()
        try reader.readToEnd(from: chunk)

        let geometry = PageGeometry(width: header.width, height: header.height, declared: dpi, defaultDPI: limits.defaultDPI)
        warnings += geometry.warnings
        let (width, height) = (geometry.width, geometry.height)
        let turn = PageOrientation(orientation)
        try builder.addPage(width: width, height: height, orientation: turn,
                            placements: [.init(image: image, rect: (0, 0, width, height))])
        warnings += PageWarnings.baseline(dpi: geometry.believed, colourMode: mode)
        let widthMM = (turn.swapsAxes ? height : width) / 72 * 25.4, heightMM = (turn.swapsAxes ? width : height) / 72 * 25.4
        return ([PageMetadata(
            widthPixels: header.width, heightPixels: header.height, dpi: geometry.believed.map { ($0.x + $0.y) / 2 },
            bitsPerSample: header.bitDepth, colourMode: mode, compression: "PNG (Deflate)",
            encoding: header.hasAlpha ? "flate" : "png-idat", widthMM: TIFFNormalizer.round(widthMM),
            heightMM: TIFFNormalizer.round(heightMM), paper: PaperClass.classify(widthMM: widthMM, heightMM: heightMM),
            warnings: warnings
        )], thumbnail.oriented(turn))
    }

    /// What a PNG colour type's samples mean, for the thumbnail (alpha is an extra sample, dropped).
    private static func thumbnailColour(_ colourType: Int, palette: [UInt8]?) -> SampleLayout.Colour {
        switch colourType {
        case 2, 6: .rgb
        case 3: .palette(palette ?? [0, 0, 0])
        default: .gray(minIsWhite: false)
        }
    }

    /// Inflates the IDAT stream row by row, undoes PNG's filters, drops the alpha samples and
    /// re-compresses the rest.
    /// Returns the chunk after the image data.
    private func reencodeWithoutAlpha(
        _ header: Header, first: PNGChunkReader.Chunk, reader: PNGChunkReader, writer: PDFFileWriter, eachRow: ([UInt8]) -> Void
    ) throws -> PNGChunkReader.Chunk {
        let bytesPerSample = header.bitDepth / 8  // alpha PNGs are 8 or 16 bits per sample
        let pixelBytes = header.channels * bytesPerSample
        let rowBytes = header.width * pixelBytes
        let colourBytes = (header.channels - 1) * bytesPerSample
        let encoder = ParallelFlateEncoder(level: flateLevel, parallelism: ProcessInfo.processInfo.activeProcessorCount) {
            try writer.appendToStream($0)
        }
        var predictor = PNGPredictor(bytesPerPixel: colourBytes, rowBytes: header.width * colourBytes)
        var unfilter = PNGUnfilter(rowBytes: rowBytes, bytesPerPixel: pixelBytes)
        let inflater = try Inflater()
        var rows = 0
        var chunk = first
        var out = [UInt8](repeating: 0, count: header.width * colourBytes)
        while chunk.type == "IDAT" {
            try reader.copyData(chunk) { data in
                try inflater.inflate(data) { bytes in
                    try unfilter.push(bytes) { row in
                        guard rows < header.height else { return }
                        eachRow(row)
                        for x in 0..<header.width {
                            for b in 0..<colourBytes { out[x * colourBytes + b] = row[x * pixelBytes + b] }
                        }
                        try encoder.write(predictor.filter(out))
                        rows += 1
                    }
                }
            }
            chunk = try reader.next()
        }
        guard rows == header.height else { throw reader.damaged("image data ends after \(rows) of \(header.height) rows") }
        try encoder.finish()
        return chunk
    }
}

/// Undoes PNG row filters on a stream of inflated bytes, handing out whole rows.
struct PNGUnfilter {
    let rowBytes: Int
    let bytesPerPixel: Int
    private var pending: [UInt8] = []
    private var previous: [UInt8]

    init(rowBytes: Int, bytesPerPixel: Int) {
        self.rowBytes = rowBytes
        self.bytesPerPixel = bytesPerPixel
        previous = [UInt8](repeating: 0, count: rowBytes)
    }

    mutating func push(_ bytes: [UInt8], row: ([UInt8]) throws -> Void) throws {
        pending += bytes
        var start = 0
        while pending.count - start >= rowBytes + 1 {
            let type = pending[start]
            var current = Array(pending[(start + 1)...(start + rowBytes)])
            for i in 0..<rowBytes {
                let a = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0
                let b = previous[i]
                let c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0
                switch type {
                case 0: break
                case 1: current[i] = current[i] &+ a
                case 2: current[i] = current[i] &+ b
                case 3: current[i] = current[i] &+ UInt8((Int(a) + Int(b)) / 2)
                case 4: current[i] = current[i] &+ PNGPredictor.paeth(a, b, c)
                default: throw PNGDataError("row filter type \(type) (PNG has 0 to 4)")
                }
            }
            try row(current)
            previous = current
            start += rowBytes + 1
        }
        pending.removeFirst(start)
    }

}

/// Streaming zlib inflate; owns its `z_stream`.
final class Inflater {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    private var ended = false

    init() throws {
        guard hoso_inflate_init(&stream) == Z_OK else { throw NormalizeError.io(file: "zlib", reason: "inflateInit failed") }
    }

    deinit { inflateEnd(&stream) }

    func inflate(_ input: [UInt8], sink: ([UInt8]) throws -> Void) throws {
        guard !ended else { return }
        try input.withUnsafeBytes { bytes in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(bytes.count)
            repeat {
                let produced: Int = try output.withUnsafeMutableBytes { out in
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    if status == Z_STREAM_END { ended = true }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw PNGDataError("the image data does not inflate (zlib \(status))")
                    }
                    return out.count - Int(stream.avail_out)
                }
                if produced > 0 { try sink(Array(output[0..<produced])) }
            } while stream.avail_out == 0 && !ended
        }
    }
}

extension PNGNormalizer {
    /// The EXIF of an ImageMagick "Raw profile type exif" text chunk: the keyword, a NUL, then a line with
    /// the profile's name, one with its length, and the bytes as hex digits over several lines.
    static func rawProfileEXIF(_ data: [UInt8]) -> EXIFReader? {
        let keyword = Array("Raw profile type exif".utf8) + [0]
        guard data.starts(with: keyword) else { return nil }
        let lines = data.dropFirst(keyword.count).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard lines.count >= 3, let length = Int(String(decoding: lines[1], as: UTF8.self).trimmingCharacters(in: .whitespaces)),
              length > 6, length <= data.count else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        var high: UInt8?
        for line in lines.dropFirst(2) {
            for character in line {
                guard let nibble = UInt8(String(UnicodeScalar(character)), radix: 16) else { continue }
                if let first = high { bytes.append(first << 4 | nibble); high = nil } else { high = nibble }
            }
        }
        guard bytes.count >= length, bytes.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        return EXIFReader(Array(bytes[6..<length]))
    }
}

/// Damage found inside PNG's image data (a row filter, the zlib stream), named for the file by the
/// normalizer: a bad file, never an I/O failure.
struct PNGDataError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
