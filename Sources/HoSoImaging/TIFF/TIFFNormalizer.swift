import CTIFF
import HoSoCore
import Foundation
import HoSoPDF

/// Turns every page of a TIFF into a PDF page, streaming strips and tiles, and thumbnails page 1.
struct TIFFNormalizer {
    let limits: NormalizeLimits
    let flateLevel: Int32

    struct Output {
        var pages: [PageMetadata] = []
        var thumbnail: ThumbnailImage?
    }

    /// - Parameter selection: the pages to take (from 1); nil takes them all.
    /// - Parameter scratch: a file this may write and remove (a bilevel page's G4 data while it is coded).
    func normalize(_ input: URL, into builder: ArchivalPDFBuilder, scratch: URL, selection: PageRanges? = nil) throws(NormalizeError) -> Output {
        let file = try TIFFFile(path: input.path, maximumAllocation: limits.maximumSingleAllocation)
        let pageCount = file.pageCount
        // A directory chain that points past the end of the file means pages were cut off: refuse the
        // file rather than archive the pages that happen to come first.
        // (libtiff also reports, as an error, a private tag it has no way to store: that tag is skipped and
        // says nothing about the pages.)
        if let error = file.takeError(), !error.contains("TIFF_SETGET_UNDEFINED") {
            throw .corrupt(file: input.path, reason: "pages are cut off (truncated file?): \(error)")
        }
        guard pageCount > 0 else { throw .corrupt(file: input.path, reason: "no pages") }
        guard pageCount <= limits.maximumPages else {
            throw .overLimit(file: input.path, reason: "\(pageCount) pages, limit \(limits.maximumPages) (normalize.max_pages)")
        }
        // Every page's size is checked before any page is written.
        var pages: [TIFFPage] = []
        if let selection, let last = selection.runs.last?.upperBound, last > pageCount {
            throw .unsupported(file: input.path, reason: "pages \(selection) asked for, the file has \(pageCount)")
        }
        // GeoTIFF overviews and transparency masks (NewSubfileType bits 0 and 2) are other views of a page,
        // not pages: a land map with three overviews is one page. A file of nothing else keeps them all.
        // Each directory is read once: its kind, and for a page that may be taken, its fields (an overview's
        // fields that cannot be read matter only if the overview becomes a page) and libtiff's warnings.
        var views: Set<Int> = []
        var candidates: [(index: Int, page: Result<TIFFPage, NormalizeError>, guessedStripTable: String?)] = []
        for index in 0..<pageCount {
            try file.select(page: index)
            if let type = file.u32(TIFFTAG_SUBFILETYPE), type & UInt32(FILETYPE_REDUCEDIMAGE | FILETYPE_MASK) != 0 { views.insert(index) }
            guard selection?.contains(index + 1) ?? true else { continue }
            candidates.append((index, Result { () throws(NormalizeError) in try TIFFPage(file, index: index) }, file.guessedStripTable))
        }
        if views.count == pageCount { views = [] }
        for (index, read, guessedStripTable) in candidates where !views.contains(index) {
            let page = try read.get()
            guard page.pixelCount <= limits.maximumPagePixels else {
                throw .overLimit(file: input.path, reason: "page \(index + 1) declares \(page.width) × \(page.height) px "
                    + "(\(page.pixelCount / 1_000_000) Mpx), limit \(limits.maximumPagePixels / 1_000_000) Mpx (normalize.max_page_pixels)")
            }
            if let warning = guessedStripTable {
                throw .corrupt(file: input.path, reason: "page \(index + 1)'s strip table is wrong (libtiff: \(warning))")
            }
            pages.append(page)
        }
        let raw: FileHandle
        do { raw = try FileHandle(forReadingFrom: input) } catch {
            throw .missing(file: input.path, reason: error.localizedDescription)
        }
        defer { try? raw.close() }

        var output = Output()
        let first = pages[0].index  // the page the thumbnail shows
        for page in pages {
            try file.select(page: page.index)
            let plan = try TIFFPagePlan.choose(for: page, file: file)
            let geometry = PageGeometry(width: page.width, height: page.height, declared: page.dpi, defaultDPI: limits.defaultDPI)
            var warnings = geometry.warnings
            if page.index == first, !views.isEmpty {
                warnings.append("\(views.count) reduced-resolution or mask image(s) in the file (overviews) not made pages")
            }
            let (dpi, width, height) = (geometry.dpi, geometry.width, geometry.height)
            let placements: [ArchivalPDFBuilder.Placement]
            let encoding: String
            var layout: SampleLayout?
            do {
                switch plan {
                case .ccittG4:
                    let bilevel = SampleLayout(colour: .gray(minIsWhite: page.photometric == PHOTOMETRIC_MINISWHITE),
                                               samplesPerPixel: 1, bitsPerSample: 1, width: page.width)
                    let reader = TIFFRowReader(file: file, page: page, stripBufferLimit: limits.maximumStripBuffer)
                    let thumbnail = page.index == first ? Thumbnailer(width: page.width, height: page.height, layout: bilevel) : nil
                    let (image, shrunk) = try writeG4(page, reader: reader, layout: bilevel, builder: builder, scratch: scratch,
                                                      thumbnail: thumbnail)
                    placements = [.init(image: image, rect: (0, 0, width, height))]
                    if let shrunk { output.thumbnail = shrunk.oriented(PageOrientation(page.orientation)) }
                    encoding = "ccitt"
                    layout = bilevel
                case .jpeg(let colourSpace, let colorTransform, let tables):
                    placements = try writeJPEG(page, file: file, raw: raw, colourSpace: colourSpace, colorTransform: colorTransform,
                                               tables: tables, builder: builder, dpi: dpi, pageHeight: height)
                    encoding = "jpeg"
                    layout = SampleLayout(colour: colourSpace == "DeviceGray" ? .gray(minIsWhite: false) : .rgb,
                                          samplesPerPixel: colourSpace == "DeviceGray" ? 1 : 3, bitsPerSample: 8, width: page.width)
                case .flate(let sampleLayout, let decodeJPEGAsRGB):
                    let reader = TIFFRowReader(file: file, page: page, stripBufferLimit: limits.maximumStripBuffer)
                    if decodeJPEGAsRGB { reader.requestRGBFromJPEG() }
                    let thumbnail = page.index == first ? Thumbnailer(width: page.width, height: page.height, layout: sampleLayout) : nil
                    let (image, shrunk) = try writeFlate(page, reader: reader, layout: sampleLayout, builder: builder, thumbnail: thumbnail)
                    placements = [.init(image: image, rect: (0, 0, width, height))]
                    if let shrunk { output.thumbnail = shrunk.oriented(PageOrientation(page.orientation)) }
                    encoding = "flate"
                    layout = sampleLayout
                    if sampleLayout.hasExtraSamples { warnings.append("alpha channel dropped (scans are opaque)") }
                }
            } catch let error as NormalizeError {
                throw error
            } catch {
                throw .io(file: input.path, reason: "\(error)")
            }
            do {
                try builder.addPage(width: width, height: height, orientation: PageOrientation(page.orientation), placements: placements)
            } catch {
                throw .io(file: input.path, reason: "\(error)")
            }
            if page.index == first, output.thumbnail == nil, let layout {
                // JPEG data was copied, not decoded: decode page 1 once more, for its thumbnail only.
                try file.select(page: first)
                let reader = TIFFRowReader(file: file, page: page, stripBufferLimit: limits.maximumStripBuffer)
                reader.requestRGBFromJPEG()
                var thumbnail = Thumbnailer(width: page.width, height: page.height, layout: layout)
                var row = [UInt8](repeating: 0, count: reader.rowBytes)
                var scratch: [UInt8] = []
                for y in 0..<page.height {
                    guard thumbnail.wants(row: y) else {
                        try reader.skipRow()
                        continue
                    }
                    try reader.readRow(into: &row)
                    thumbnail.add(row: row, layout: layout, at: y, scratch: &scratch)
                }
                output.thumbnail = thumbnail.oriented(PageOrientation(page.orientation))
            }
            let mode = layout?.colourMode ?? .rgb
            warnings += PageWarnings.baseline(dpi: geometry.believed, colourMode: mode)
            let orientation = PageOrientation(page.orientation)
            let displayWidthMM = (orientation.swapsAxes ? height : width) / 72 * 25.4
            let displayHeightMM = (orientation.swapsAxes ? width : height) / 72 * 25.4
            output.pages.append(PageMetadata(
                widthPixels: page.width, heightPixels: page.height, dpi: geometry.believed.map { ($0.x + $0.y) / 2 },
                bitsPerSample: page.bitsPerSample, colourMode: mode,
                compression: TIFFPagePlan.compressionName(page.compression), encoding: encoding,
                widthMM: Self.round(displayWidthMM), heightMM: Self.round(displayHeightMM),
                paper: PaperClass.classify(widthMM: displayWidthMM, heightMM: displayHeightMM), warnings: warnings
            ))
        }
        return output
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    // MARK: Coded data copied as it is

    private func writeJPEG(
        _ page: TIFFPage, file: TIFFFile, raw: FileHandle, colourSpace: String, colorTransform: Int?, tables: [UInt8]?,
        builder: ArchivalPDFBuilder, dpi: (x: Double, y: Double), pageHeight: Double
    ) throws -> [ArchivalPDFBuilder.Placement] {
        // Tables are "SOI tables EOI"; a strip is "SOI frame scan EOI". Joined: SOI tables frame scan EOI.
        let tableBody = tables.map { Array($0.dropFirst(2).dropLast(2)) } ?? []
        var placements: [ArchivalPDFBuilder.Placement] = []
        let pieces: [(left: Int, top: Int)]
        switch page.layout {
        case .strips(let rowsPerStrip):
            pieces = (0..<file.stripCount).map { (0, $0 * rowsPerStrip) }.filter { $0.top < page.height }
        case .tiles(let tileWidth, let tileHeight):
            pieces = stride(from: 0, to: page.height, by: tileHeight).flatMap { top in
                stride(from: 0, to: page.width, by: tileWidth).map { (left: $0, top: top) }
            }
        }
        for (index, piece) in pieces.enumerated() {
            var head = [UInt8]()
            try copyCoded(file: file, raw: raw, index: index, page: page, limit: 65_536) { head += $0 }
            var assembled = [0xFF, 0xD8] + tableBody + head.dropFirst(2)
            guard case .success(let header) = JPEGHeader.parse(Array(assembled)) else {
                throw NormalizeError.corrupt(file: file.path, reason: "page \(page.index + 1) JPEG piece \(index) has no frame header")
            }
            var dictionary: PDFDictionary = [
                "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(header.width),
                "Height": .integer(header.height), "ColorSpace": .name(PDFName(colourSpace)), "BitsPerComponent": 8,
                "Filter": .name("DCTDecode"),
            ]
            if let colorTransform { dictionary["DecodeParms"] = .dictionary(["ColorTransform": .integer(colorTransform)]) }
            let image = builder.writer.allocate()
            try builder.writer.beginStream(dictionary, as: image)
            try builder.writer.appendToStream(Array(tableBody.isEmpty ? [] : [0xFF, 0xD8] + tableBody))
            var first = true
            try copyCoded(file: file, raw: raw, index: index, page: page) { chunk in
                // The piece's own SOI goes when tables come first.
                let bytes = first && !tableBody.isEmpty ? Array(chunk.dropFirst(2)) : chunk
                first = false
                try builder.writer.appendToStream(bytes)
            }
            try builder.writer.endStream()
            assembled.removeAll()
            let w = Double(header.width) * 72 / dpi.x, h = Double(header.height) * 72 / dpi.y
            placements.append(.init(image: image, rect: (Double(piece.left) * 72 / dpi.x, pageHeight - Double(piece.top) * 72 / dpi.y - h, w, h)))
        }
        return placements
    }

    /// Streams the coded bytes of strip or tile `index` from the file, in pieces of at most 1 MB.
    private func copyCoded(
        file: TIFFFile, raw: FileHandle, index: Int, page: TIFFPage, limit: Int = .max, sink: ([UInt8]) throws -> Void
    ) throws {
        let extent = file.codedExtent(of: index)
        guard extent.count > 0 else {
            throw NormalizeError.corrupt(file: file.path, reason: "page \(page.index + 1) piece \(index) has no data")
        }
        try raw.seek(toOffset: extent.offset)
        var remaining = min(Int(extent.count), limit)
        while remaining > 0 {
            guard let chunk = try raw.read(upToCount: min(remaining, 1 << 20)).map(Array.init), !chunk.isEmpty else {
                throw NormalizeError.corrupt(file: file.path, reason: "page \(page.index + 1) piece \(index) is cut short (file truncated)")
            }
            remaining -= chunk.count
            try sink(chunk)
        }
    }

    // MARK: Decoded and re-compressed

    /// Decodes a bilevel page with libtiff and codes it again as one G4 image (``G4Encoder`` says why).
    private func writeG4(
        _ page: TIFFPage, reader: TIFFRowReader, layout: SampleLayout, builder: ArchivalPDFBuilder, scratch: URL, thumbnail: Thumbnailer?
    ) throws -> (PDFReference, Thumbnailer?) {
        let encoder = try G4Encoder(path: scratch.path, width: page.width, height: page.height,
                                    minIsWhite: page.photometric == PHOTOMETRIC_MINISWHITE)
        var row = [UInt8](repeating: 0, count: reader.rowBytes)
        var thumbnail = thumbnail
        var scratchRow: [UInt8] = []
        for y in 0..<page.height {
            try reader.readRow(into: &row)
            if thumbnail?.wants(row: y) == true { thumbnail!.add(row: row, layout: layout, at: y, scratch: &scratchRow) }
            try encoder.append(&row)
        }
        let coded = try encoder.finish()
        let raw = try FileHandle(forReadingFrom: URL(fileURLWithPath: coded.path))
        defer { try? raw.close() }
        // 0 bits are white in G4 data as libtiff decodes it; PDF's CCITTFaxDecode makes them 1 (white in
        // DeviceGray), so a min-is-black page is drawn through an inverting /Decode.
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(page.width), "Height": .integer(page.height),
            "ColorSpace": .name("DeviceGray"), "BitsPerComponent": 1, "Filter": .name("CCITTFaxDecode"),
            "DecodeParms": .dictionary(["K": -1, "Columns": .integer(page.width), "Rows": .integer(page.height)]),
        ]
        if page.photometric == PHOTOMETRIC_MINISBLACK { dictionary["Decode"] = [1, 0] }
        let image = builder.writer.allocate()
        try builder.writer.beginStream(dictionary, as: image)
        try copyCoded(file: coded, raw: raw, index: 0, page: page) { try builder.writer.appendToStream($0) }
        try builder.writer.endStream()
        return (image, thumbnail)
    }

    private func writeFlate(
        _ page: TIFFPage, reader: TIFFRowReader, layout: SampleLayout, builder: ArchivalPDFBuilder, thumbnail: Thumbnailer?
    ) throws -> (PDFReference, Thumbnailer?) {
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(page.width), "Height": .integer(page.height),
            "ColorSpace": layout.colourSpace, "BitsPerComponent": .integer(layout.bitsPerSample), "Filter": .name("FlateDecode"),
            "DecodeParms": .dictionary([
                "Predictor": 15, "Colors": .integer(layout.colourSamples), "BitsPerComponent": .integer(layout.bitsPerSample),
                "Columns": .integer(page.width),
            ]),
        ]
        if let decode = layout.decode { dictionary["Decode"] = decode }
        let image = builder.writer.allocate()
        try builder.writer.beginStream(dictionary, as: image)
        let writer = builder.writer
        let encoder = ParallelFlateEncoder(level: flateLevel, parallelism: ProcessInfo.processInfo.activeProcessorCount) {
            try writer.appendToStream($0)
        }
        var predictor = PNGPredictor(bytesPerPixel: layout.colourSamples * layout.bitsPerSample / 8, rowBytes: layout.outputRowBytes)
        var row = [UInt8](repeating: 0, count: reader.rowBytes)
        var thumbnail = thumbnail
        var scratch: [UInt8] = []
        for y in 0..<page.height {
            try reader.readRow(into: &row)
            try encoder.write(predictor.filter(layout.imageRow(row)))
            if thumbnail?.wants(row: y) == true { thumbnail!.add(row: row, layout: layout, at: y, scratch: &scratch) }
        }
        try encoder.finish()
        try builder.writer.endStream()
        return (image, thumbnail)
    }
}

/// The warnings ND 30/2020's baseline for copies of paper documents (colour, at least 200 dpi) gives.
enum PageWarnings {
    static func baseline(dpi: (x: Double, y: Double)?, colourMode: ColourMode) -> [String] {
        var warnings: [String] = []
        if let dpi, min(dpi.x, dpi.y) < 199.5 {
            warnings.append("below 200 dpi (\(Int(min(dpi.x, dpi.y).rounded())) dpi), the ND 30/2020 baseline for copies")
        }
        if colourMode == .bilevel || colourMode == .gray {
            warnings.append("not colour (\(colourMode.rawValue)); ND 30/2020 asks for colour copies")
        }
        return warnings
    }
}
