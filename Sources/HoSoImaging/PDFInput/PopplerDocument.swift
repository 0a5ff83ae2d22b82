import CPoppler
import Foundation

/// A PDF opened with poppler, to prove it opens and renders, and to draw thumbnails.
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

    /// Renders page `index` so its longest side is `longestSide` pixels; returns 8-bit RGB on white.
    func render(_ index: Int, longestSide: Int) throws(NormalizeError) -> (width: Int, height: Int, rgb: [UInt8]) {
        let size = try size(of: index)
        let scale = Double(longestSide) / max(size.width, size.height)
        let width = max(1, Int((size.width * scale).rounded())), height = max(1, Int((size.height * scale).rounded()))
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        try draw(index, width: width, height: height, scale: scale) { i, pixel in
            rgb[i * 3] = UInt8(pixel >> 16 & 0xFF)
            rgb[i * 3 + 1] = UInt8(pixel >> 8 & 0xFF)
            rgb[i * 3 + 2] = UInt8(pixel & 0xFF)
        }
        return (width, height, rgb)
    }

    /// Renders the top-left `widthMM` × `heightMM` of page `index` (less if the page is smaller) at `dpi`,
    /// as 8-bit grey on white; poppler draws only what falls inside.
    func renderCorner(_ index: Int, widthMM: Double, heightMM: Double, dpi: Double) throws(NormalizeError) -> GrayImage {
        let size = try size(of: index)
        let scale = dpi / 72
        let width = Int(min(size.width, widthMM / 25.4 * 72) * scale), height = Int(min(size.height, heightMM / 25.4 * 72) * scale)
        guard width > 0, height > 0 else { return GrayImage(width: 0, height: 0, pixels: []) }
        var pixels = [UInt8](repeating: 255, count: width * height)
        try draw(index, width: width, height: height, scale: scale) { i, pixel in
            let luma = (pixel >> 16 & 0xFF) * 299 + (pixel >> 8 & 0xFF) * 587 + (pixel & 0xFF) * 114
            pixels[i] = UInt8(luma / 1000)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
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

    /// Draws page `index` at `scale` onto a white `width` × `height` surface (its top-left corner first)
    /// and hands each pixel, row by row, to `pixel` as 0x00RRGGBB.
    private func draw(_ index: Int, width: Int, height: Int, scale: Double, pixel: (Int, UInt32) -> Void) throws(NormalizeError) {
        guard let page = poppler_document_get_page(document, Int32(index)) else {
            throw .corrupt(file: path, reason: "page \(index + 1) cannot be read")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw .io(file: path, reason: "cannot make a render surface")
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        poppler_page_render(page, context)
        cairo_surface_flush(surface)
        guard cairo_status(context) == CAIRO_STATUS_SUCCESS else {
            throw .corrupt(file: path, reason: "page \(index + 1) does not render")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { throw .io(file: path, reason: "render surface has no data") }
        for y in 0..<height {
            // RGB24 is a native-endian 32-bit word 0x00RRGGBB per pixel.
            let words = UnsafeRawPointer(data.advanced(by: y * stride)).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { pixel(y * width + x, words[x]) }
        }
    }
}
