import CPoppler

/// PDF drawn with cairo into memory: the signature appearance and the printed forms.
enum CairoPDF {
    /// The PDF `draw` makes on one cairo context, its pages `width` × `height` points
    /// (`cairo_show_page` starts the next).
    static func render(width: Double, height: Double, _ draw: (OpaquePointer) throws(DrawingError) -> Void) throws(DrawingError) -> [UInt8] {
        final class Bytes { var data: [UInt8] = [] }
        let output = Bytes()
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Bytes>.fromOpaque(closure).takeUnretainedValue().data.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(output).toOpaque(), width, height) else {
            throw .rendering("cairo cannot make a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        guard let cairo = cairo_create(surface) else { throw .rendering("cairo cannot make a drawing context") }
        do {
            try draw(cairo)
        } catch {
            cairo_destroy(cairo)
            throw error
        }
        cairo_destroy(cairo)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw .rendering("cairo: \(String(cString: cairo_status_to_string(status)))") }
        return output.data
    }
}

/// Why a drawing (a signature appearance, a printed form) cannot be made.
public enum DrawingError: Error, CustomStringConvertible {
    case seal(String)
    case size(String)
    case rendering(String)

    public var description: String {
        switch self {
        case .seal(let why), .size(let why), .rendering(let why): why
        }
    }
}
