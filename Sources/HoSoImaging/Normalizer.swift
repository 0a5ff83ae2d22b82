import Foundation
import HoSoCore
import HoSoDigest
import HoSoPDF

/// Turns a scan (TIFF, JPEG, PNG or PDF) into an archival PDF and a thumbnail, and says what it found.
///
/// The output appears whole or not at all: a failed run leaves neither the PDF nor the thumbnail.
public struct Normalizer: Sendable {
    public let limits: NormalizeLimits
    /// zlib level for pages that are re-compressed (1 fast … 9 small).
    public let flateLevel: Int32
    /// Whether outputs are fsynced before they appear. Intake turns it off: its outputs are scratch
    /// files that the blob store copies and fsyncs itself.
    public var durable = true

    public init(limits: NormalizeLimits = NormalizeLimits(), flateLevel: Int32 = 3) {
        self.limits = limits
        self.flateLevel = flateLevel
    }

    /// Normalizes `input` into `pdf` and `thumbnail` (PNG, longest side 512 px).
    ///
    /// - Parameters:
    ///   - title: the document's title in the PDF, e.g. the case ID and component.
    ///   - selection: only these pages (from 1), for a part of a batch scan; TIFF and PDF inputs. A PDF's
    ///     pages are copied into a new PDF as they are coded. The metadata's input digest and size still
    ///     describe the whole input file.
    public func normalize(
        _ input: URL, pdf: URL, thumbnail: URL, title: String? = nil, selection: PageRanges? = nil
    ) throws(NormalizeError) -> DocumentMetadata {
        let inputByteCount = try checkInput(input)
        let kind = try InputKind.detect(input)
        if selection != nil, kind != .tiff, kind != .pdf {
            throw .unsupported(file: input.path, reason: "only TIFF and PDF scans are split into parts; this is a \(kind.rawValue) file")
        }
        let inputDigest: SHA256Digest
        do { inputDigest = try FileDigest.sha256(of: input).digest } catch {
            throw .missing(file: input.path, reason: error.localizedDescription)
        }
        let documentID = Array(inputDigest.bytes.prefix(16))

        var pages: [PageMetadata]
        var picture: ThumbnailImage?
        var warnings: [String] = []
        var pdfA = true
        switch kind {
        case .pdf:
            let checked = try PDFInputNormalizer(limits: limits).check(input)
            pages = checked.pages
            picture = checked.thumbnail
            pdfA = false
            if let selection {
                let wanted = (1...pages.count).filter { selection.contains($0) }
                guard wanted.count == selection.count else {
                    throw .unsupported(file: input.path, reason: "pages \(selection) asked for, the file has \(pages.count)")
                }
                pages = wanted.map { pages[$0 - 1] }
                picture = nil  // the part's own first page, rendered from its PDF below
                do {
                    try PDFPageCopier(reader: try PDFReader(path: input.path)).copy(wanted.map { $0 - 1 }, to: pdf, durable: durable)
                } catch let error as PDFReadError {
                    throw .corrupt(file: input.path, reason: "its pages cannot be copied apart: \(error)")
                } catch {
                    throw .io(file: pdf.path, reason: "\(error)")
                }
            } else {
                try wrap(input) { try AtomicFile.copy(input, to: pdf, durable: durable) }
            }
        case .tiff, .jpeg, .png:
            let builder = try wrap(input) { try ArchivalPDFBuilder(destination: pdf, durable: durable) }
            switch kind {
            case .tiff:
                let scratch = pdf.deletingLastPathComponent().appendingPathComponent(".\(pdf.lastPathComponent).g4.tif")
                let output = try TIFFNormalizer(limits: limits, flateLevel: flateLevel)
                    .normalize(input, into: builder, scratch: scratch, selection: selection)
                pages = output.pages
                picture = output.thumbnail
            case .jpeg:
                (pages, picture) = try JPEGNormalizer(limits: limits).normalize(input, into: builder)
            default:
                (pages, picture) = try PNGNormalizer(limits: limits, flateLevel: flateLevel).normalize(input, into: builder)
            }
            if pages.contains(where: { $0.colourMode == .cmyk }) {
                pdfA = false
                warnings.append("CMYK pages: not PDF/A-2b, whose output intent here is sRGB")
            }
            try wrap(input) { try builder.commit(documentID: documentID, title: title, claimPDFA: pdfA) }
        }
        do {
            let image = try picture ?? SplashRenderer(path: pdf.path).thumbnail(0, longestSide: Thumbnailer.longestSide)
            try AtomicFile.write(try image.png(), to: thumbnail, durable: durable)
            let output = try FileDigest.sha256(of: pdf)
            return DocumentMetadata(
                inputKind: kind.rawValue, inputSHA256: inputDigest, inputByteCount: inputByteCount,
                outputSHA256: output.digest, outputByteCount: output.byteCount, pages: pages, pdfA: pdfA, warnings: warnings
            )
        } catch {
            try? FileManager.default.removeItem(at: pdf)
            try? FileManager.default.removeItem(at: thumbnail)
            if let error = error as? NormalizeError { throw error }
            throw .io(file: pdf.path, reason: "\(error)")
        }
    }

    /// Checks the input exists, is a readable regular file, not empty and not over the size limit.
    private func checkInput(_ input: URL) throws(NormalizeError) -> Int64 {
        var info = stat()
        guard stat(input.path, &info) == 0 else { throw .missing(file: input.path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .missing(file: input.path, reason: "not a regular file") }
        guard access(input.path, R_OK) == 0 else { throw .missing(file: input.path, reason: String(cString: strerror(errno))) }
        let size = Int64(info.st_size)
        guard size > 0 else { throw .corrupt(file: input.path, reason: "the file is empty (0 bytes)") }
        guard size <= limits.maximumInputBytes else {
            throw .overLimit(file: input.path, reason: "\(size) bytes, limit \(limits.maximumInputBytes) (ingest.max_input_bytes)")
        }
        return size
    }

    private func wrap<T>(_ input: URL, _ body: () throws -> T) throws(NormalizeError) -> T {
        do { return try body() } catch let error as NormalizeError { throw error } catch {
            throw .io(file: input.path, reason: "\(error)")
        }
    }

}
