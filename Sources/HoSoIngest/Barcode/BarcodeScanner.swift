import Foundation
import HoSoImaging

/// Reads the QR codes and Code128 barcodes in the top-left corner of every page of a TIFF or PDF.
///
/// This runs zbar, libtiff and poppler on whatever a station dropped; a daemon calls it through
/// ``BarcodeReader``, in a child process, so a decoder that crashes or hangs costs one file, not the
/// service.
public struct BarcodeScanner: Sendable {
    public let corners: CornerReader

    public init(corners: CornerReader) {
        self.corners = corners
    }

    /// Every page's codes, page 1 first (pages without codes included, with none); only the first
    /// `pages` pages when given.
    public func scan(_ file: URL, pages limit: Int? = nil) throws -> [PageBarcodes] {
        let decoder = ZBarDecoder()
        var pages: [PageBarcodes] = []
        try corners.read(file, pages: limit) { index, corner in
            pages.append(PageBarcodes(page: index + 1, codes: decoder.decode(corner)))
        }
        return pages
    }
}

/// What `hoso barcodes --json` prints: the file, each page's codes and, with `--text`, a PDF's text.
public struct BarcodeScanReport: Hashable, Sendable, Codable {
    public let file: String
    public let pages: [PageBarcodes]
    /// The PDF's text (poppler), pages separated by form feeds; nil unless asked for.
    public let text: String?

    public init(file: String, pages: [PageBarcodes], text: String? = nil) {
        self.file = file
        self.pages = pages
        self.text = text
    }
}
