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

    /// Renders page `index` so its longest side is `longestSide` pixels; returns 8-bit RGB on white.
    func render(_ index: Int, longestSide: Int) throws(NormalizeError) -> (width: Int, height: Int, rgb: [UInt8]) {
        guard let page = poppler_document_get_page(document, Int32(index)) else {
            throw .corrupt(file: path, reason: "page \(index + 1) cannot be read")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var pageWidth = 0.0, pageHeight = 0.0
        poppler_page_get_size(page, &pageWidth, &pageHeight)
        guard pageWidth > 0, pageHeight > 0 else { throw .corrupt(file: path, reason: "page \(index + 1) has no size") }
        let scale = Double(longestSide) / max(pageWidth, pageHeight)
        let width = max(1, Int((pageWidth * scale).rounded())), height = max(1, Int((pageHeight * scale).rounded()))
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
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                // RGB24 is a native-endian 32-bit word 0x00RRGGBB per pixel.
                let pixel = data.advanced(by: y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                rgb[(y * width + x) * 3] = UInt8(pixel >> 16 & 0xFF)
                rgb[(y * width + x) * 3 + 1] = UInt8(pixel >> 8 & 0xFF)
                rgb[(y * width + x) * 3 + 2] = UInt8(pixel & 0xFF)
            }
        }
        return (width, height, rgb)
    }
}
