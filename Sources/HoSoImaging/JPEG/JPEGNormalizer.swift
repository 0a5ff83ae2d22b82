import Foundation
import HoSoCore
import HoSoPDF

/// Puts a JPEG file on one PDF page as it is: a `DCTDecode` image with the file's own bytes.
struct JPEGNormalizer {
    let limits: NormalizeLimits

    func normalize(_ input: URL, into builder: ArchivalPDFBuilder) throws(NormalizeError)
        -> (pages: [PageMetadata], thumbnail: ThumbnailImage) {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: input) } catch {
            throw .missing(file: input.path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        let header = try readHeader(handle, input)
        guard Int64(header.width) * Int64(header.height) <= limits.maximumPagePixels else {
            throw .overLimit(file: input.path, reason: "\(header.width) × \(header.height) px, limit \(limits.maximumPagePixels / 1_000_000) Mpx (normalize.max_page_pixels)")
        }
        let colourSpace: String, mode: ColourMode
        switch header.components {
        case 1: (colourSpace, mode) = ("DeviceGray", .gray)
        case 3: (colourSpace, mode) = ("DeviceRGB", .rgb)
        default: (colourSpace, mode) = ("DeviceCMYK", .cmyk)
        }
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(header.width),
            "Height": .integer(header.height), "ColorSpace": .name(PDFName(colourSpace)), "BitsPerComponent": 8,
            "Filter": .name("DCTDecode"),
        ]
        // Photoshop writes CMYK JPEGs inverted and marks them with an Adobe segment; readers expect the
        // PDF to say so.
        if header.components == 4, header.adobeTransform != nil { dictionary["Decode"] = [1, 0, 1, 0, 1, 0, 1, 0] }
        let geometry = PageGeometry(width: header.width, height: header.height, declared: header.dpi, defaultDPI: limits.defaultDPI)
        var warnings = geometry.warnings
        let (width, height) = (geometry.width, geometry.height)
        let image = builder.writer.allocate()
        do { try builder.writer.beginStream(dictionary, as: image) } catch { throw .io(file: input.path, reason: "\(error)") }
        let (end, strayBytes) = try copyPrimaryImage(handle, input, into: builder.writer)
        if strayBytes > 0 { warnings.append("\(strayBytes) stray byte(s) between JPEG markers, skipped as readers skip them") }
        if let size = try? handle.seekToEnd(), Int(size) > end {
            warnings.append("\(Int(size) - end) byte(s) after the image's end (a second image or padding) not copied")
        }
        do {
            try builder.writer.endStream()
            try builder.addPage(width: width, height: height, orientation: PageOrientation(header.orientation),
                                placements: [.init(image: image, rect: (0, 0, width, height))])
        } catch {
            throw .io(file: input.path, reason: "\(error)")
        }
        warnings += PageWarnings.baseline(dpi: geometry.believed, colourMode: mode)
        let thumbnail: ThumbnailImage
        switch try JPEGThumbnail.make(input.path, header: header) {
        case .drawn(let image): thumbnail = image
        case .blank(let image, let reason):
            thumbnail = image
            warnings.append(reason)
        }
        let orientation = PageOrientation(header.orientation)
        let widthMM = (orientation.swapsAxes ? height : width) / 72 * 25.4
        let heightMM = (orientation.swapsAxes ? width : height) / 72 * 25.4
        return ([PageMetadata(
            widthPixels: header.width, heightPixels: header.height, dpi: geometry.believed.map { ($0.x + $0.y) / 2 },
            bitsPerSample: 8, colourMode: mode, compression: header.progressive ? "JPEG (progressive)" : "JPEG",
            encoding: "jpeg", widthMM: TIFFNormalizer.round(widthMM), heightMM: TIFFNormalizer.round(heightMM),
            paper: PaperClass.classify(widthMM: widthMM, heightMM: heightMM), warnings: warnings
        )], thumbnail)
    }

    /// Most bytes of segments read before the frame header (a Photoshop file may carry megabytes of
    /// ICC profile and previews first).
    static let headerLimit = 16 << 20

    /// The header, read from as much of the file's start as holds the frame header.
    private func readHeader(_ handle: FileHandle, _ input: URL) throws(NormalizeError) -> JPEGHeader {
        var size = 256 * 1024
        while true {
            let head: [UInt8]
            do {
                try handle.seek(toOffset: 0)
                head = Array(try handle.read(upToCount: size) ?? Data())
            } catch {
                throw .io(file: input.path, reason: error.localizedDescription)
            }
            switch JPEGHeader.parse(head) {
            case .success(let parsed): return parsed
            case .failure(.unsupported(let reason)): throw .unsupported(file: input.path, reason: reason)
            case .failure(.headerEnds) where head.count == size && size < Self.headerLimit: size *= 4
            case .failure(.headerEnds) where head.count == size:
                throw .unsupported(file: input.path, reason: "no frame header in the first \(Self.headerLimit >> 20) MiB of segments")
            case .failure(let error): throw .corrupt(file: input.path, reason: error.reason)
            }
        }
    }

    /// Copies the file into the open stream up to its primary image's end, walking its markers and scans
    /// as it goes (one read of the file); returns where the image ends and how many stray bytes lie
    /// between its markers. A file without its end marker is refused (the half-written PDF is discarded).
    private func copyPrimaryImage(_ handle: FileHandle, _ input: URL, into writer: PDFFileWriter) throws(NormalizeError) -> (end: Int, strayBytes: Int) {
        var extent = JPEGExtent()
        var copied = 0
        do {
            try handle.seek(toOffset: 0)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                let done = try chunk.withUnsafeBytes { bytes throws(JPEGHeaderError) in try extent.consume(bytes) }
                let keep = done ? extent.end! - copied : chunk.count
                try writer.appendToStream(Array(chunk.prefix(keep)))
                copied += keep
                if done { return (copied, extent.strayBytes) }
            }
        } catch let error as JPEGHeaderError {
            throw .corrupt(file: input.path, reason: error.reason)
        } catch {
            throw .io(file: input.path, reason: error.localizedDescription)
        }
        throw .corrupt(file: input.path, reason: extent.truncation.reason)
    }
}
