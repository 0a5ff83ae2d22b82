import CPoppler
import Foundation

/// A PDF opened with poppler: its pages, their sizes and text. (Pages are drawn by `SplashRenderer`.)
///
/// Owns its `PopplerDocument` (a GObject); `deinit` releases it.
final class PopplerDocument {
    private let document: OpaquePointer
    let path: String

    /// Opens `path`; an encrypted or unreadable file is refused with poppler's reason.
    init(path: String) throws(NormalizeError) {
        self.path = path
        let uri = URL(fileURLWithPath: path).absoluteString
        var error: UnsafeMutablePointer<GError>?
        guard let document = poppler_document_new_from_file(uri, nil, &error) else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "poppler cannot open it"
            let encrypted = error?.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue)
            if let error { g_error_free(error) }
            if encrypted { throw .encrypted(file: path) }
            throw .corrupt(file: path, reason: "not a readable PDF: \(message)")
        }
        self.document = document
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    var pageCount: Int { Int(poppler_document_get_n_pages(document)) }

    /// Page `index`'s size in points, as displayed.
    func pageSize(_ index: Int) -> (width: Double, height: Double)? {
        guard let page = poppler_document_get_page(document, Int32(index)) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        return (width, height)
    }

    /// The text poppler extracts from page `index`, in reading order; empty for a page of images.
    func text(_ index: Int) -> String {
        guard let page = poppler_document_get_page(document, Int32(index)) else { return "" }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        guard let text = poppler_page_get_text(page) else { return "" }
        defer { g_free(text) }
        return String(cString: text)
    }

    /// Page `index`'s size in points, or why it has none that can be drawn: a page of 10^400 pt (which
    /// poppler reads as infinity) is damage, not a size.
    func size(of index: Int) throws(NormalizeError) -> (width: Double, height: Double) {
        guard let size = pageSize(index) else { throw .corrupt(file: path, reason: "page \(index + 1) cannot be read") }
        guard size.width > 0, size.height > 0, size.width <= Self.largestSide, size.height <= Self.largestSide else {
            throw .corrupt(file: path, reason: "page \(index + 1) is \(size.width) × \(size.height) pt, not a size a page can have")
        }
        return size
    }

    /// The largest side HoSo draws, in points: 14,400 pt times PDF's largest sensible /UserUnit.
    static let largestSide = 14_400.0 * 75_000
}
