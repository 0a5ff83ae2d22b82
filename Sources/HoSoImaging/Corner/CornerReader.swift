import CPoppler
import Foundation

/// The part of a page a barcode is looked for in: its top-left corner, where receipts carry their QR code
/// (TT 01/2023), read at no more than a set resolution.
public struct CornerRegion: Hashable, Sendable {
    public var widthMM: Double
    public var heightMM: Double
    /// The resolution the corner is read at, at most; a scan finer than this is averaged down by a whole
    /// factor (600 dpi → 200 dpi), a coarser one is read as it is.
    public var dpi: Double

    public init(widthMM: Double = 120, heightMM: Double = 100, dpi: Double = 200) {
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.dpi = dpi
    }
}

/// Reads the top-left corner of each page of a TIFF or PDF as 8-bit grey, for barcode reading.
///
/// A TIFF page is decoded only down to the corner's last row and only the corner's columns are
/// converted, so an A0 page at 600 dpi costs its top rows, not its 558 million pixels. A PDF page is
/// rendered by poppler clipped to the corner. JPEG and PNG scans are read from their normalized PDF.
/// Rows are read as stored: a TIFF whose Orientation tag turns the page is read from its stored corner.
public struct CornerReader: Sendable {
    public let region: CornerRegion
    public let limits: NormalizeLimits

    public init(region: CornerRegion = CornerRegion(), limits: NormalizeLimits = NormalizeLimits()) {
        self.region = region
        self.limits = limits
    }

    /// Calls `body` with each page's index (from 0) and corner, in page order, for the first `pages`
    /// pages (all when nil); returns the file's page count.
    @discardableResult
    public func read(_ input: URL, pages: Int? = nil, each body: (Int, GrayImage) throws -> Void) throws -> Int {
        switch try InputKind.detect(input) {
        case .tiff: return try readTIFF(input, pages: pages, each: body)
        case .pdf: return try readPDF(input, pages: pages, each: body)
        case .jpeg, .png:
            throw NormalizeError.unsupported(file: input.path, reason: "read a JPEG or PNG scan's corner from its normalized PDF")
        }
    }

    // MARK: TIFF

    private func readTIFF(_ input: URL, pages: Int?, each body: (Int, GrayImage) throws -> Void) throws -> Int {
        let file = try TIFFFile(path: input.path, maximumAllocation: limits.maximumSingleAllocation)
        let pageCount = file.pageCount
        if let error = file.takeError() { throw NormalizeError.corrupt(file: input.path, reason: "pages are cut off (truncated file?): \(error)") }
        guard pageCount <= limits.maximumPages else {
            throw NormalizeError.overLimit(file: input.path, reason: "\(pageCount) pages, limit \(limits.maximumPages) (normalize.max_pages)")
        }
        for index in 0..<min(pageCount, pages ?? pageCount) {
            try file.select(page: index)
            let page = try TIFFPage(file, index: index)
            guard page.pixelCount <= limits.maximumPagePixels else {
                throw NormalizeError.overLimit(file: input.path, reason: "page \(index + 1) declares \(page.width) × \(page.height) px")
            }
            try body(index, try corner(of: page, in: file))
        }
        return pageCount
    }

    private func corner(of page: TIFFPage, in file: TIFFFile) throws -> GrayImage {
        // The resolution the archival PDF's page has: an implausible one in the file is not believed.
        let dpi = PageGeometry(width: page.width, height: page.height, declared: page.dpi, defaultDPI: limits.defaultDPI).dpi
        let factor = max(1, Int(min(dpi.x, dpi.y) / region.dpi))
        let width = min(page.width, Int(region.widthMM / 25.4 * dpi.x)) / factor
        let height = min(page.height, Int(region.heightMM / 25.4 * dpi.y)) / factor
        guard width > 0, height > 0 else { return GrayImage(width: 0, height: 0, pixels: []) }

        // Only the corner's columns are converted: the layout is the page's, cut to the corner's width.
        let full = try TIFFPagePlan.layout(for: page, file: file)
        let cut = SampleLayout(colour: full.colour, samplesPerPixel: full.samplesPerPixel, bitsPerSample: full.bitsPerSample,
                               width: width * factor)
        let reader = TIFFRowReader(file: file, page: page, stripBufferLimit: limits.maximumStripBuffer)
        reader.requestRGBFromJPEG()
        var row = [UInt8](repeating: 0, count: reader.rowBytes)
        var rgb = [UInt8](repeating: 0, count: cut.width * 3)
        var sums = [UInt32](repeating: 0, count: width)
        var pixels = [UInt8](repeating: 255, count: width * height)
        let area = UInt32(factor * factor)
        for y in 0..<(height * factor) {
            try reader.readRow(into: &row)
            cut.rgbRow(row, into: &rgb)
            for x in 0..<(width * factor) {
                // ITU-R BT.601 luma, in integers.
                let luma = (UInt32(rgb[x * 3]) * 299 + UInt32(rgb[x * 3 + 1]) * 587 + UInt32(rgb[x * 3 + 2]) * 114) / 1000
                sums[x / factor] += luma
            }
            if (y + 1) % factor == 0 {
                let top = (y / factor) * width
                for x in 0..<width {
                    pixels[top + x] = UInt8(sums[x] / area)
                    sums[x] = 0
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    // MARK: PDF

    /// The corner of page `index` in pixels: the region, or less where the page is smaller.
    private func cornerSize(_ document: PopplerDocument, _ index: Int) throws(NormalizeError) -> (width: Int, height: Int) {
        let size = try document.size(of: index)
        let scale = region.dpi / 72
        return (Int(min(size.width, region.widthMM / 25.4 * 72) * scale), Int(min(size.height, region.heightMM / 25.4 * 72) * scale))
    }

    private func readPDF(_ input: URL, pages: Int?, each body: (Int, GrayImage) throws -> Void) throws -> Int {
        let document = try PopplerDocument(path: input.path)
        let pageCount = document.pageCount
        guard pageCount <= limits.maximumPages else {
            throw NormalizeError.overLimit(file: input.path, reason: "\(pageCount) pages, limit \(limits.maximumPages) (normalize.max_pages)")
        }
        // The corner is the same on every page of the size of the first; pages of other sizes are drawn
        // in runs of their own.
        var corners: [(width: Int, height: Int)] = []
        for index in 0..<min(pageCount, pages ?? pageCount) { corners.append(try cornerSize(document, index)) }
        let renderer = SplashRenderer(path: input.path)
        var start = 0
        while start < corners.count {
            let corner = corners[start]
            var end = start + 1
            while end < corners.count, corners[end] == corner { end += 1 }
            let images = corner.width > 0 && corner.height > 0
                ? try renderer.corners(start..<end, width: corner.width, height: corner.height, dpi: region.dpi)
                : Array(repeating: GrayImage(width: 0, height: 0, pixels: []), count: end - start)
            guard images.count == end - start else {
                throw NormalizeError.corrupt(file: input.path, reason: "pages \(start + 1)–\(end) do not all draw")
            }
            for (offset, image) in images.enumerated() { try body(start + offset, image) }
            start = end
        }
        return pageCount
    }
}
