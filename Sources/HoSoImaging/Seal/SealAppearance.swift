import CPoppler
import Foundation
import HoSoCore

/// The visible appearance of a signature as ND 30/2020 (Phụ lục I) describes an organization's digital
/// signature: the seal image (red, transparent PNG) on the left, and beside it the signer's name and the
/// signing time `hh:mm:ss dd/mm/yyyy +07:00`. Rendered by cairo into a one-page PDF of the box's size
/// (text in DejaVu Sans, embedded as a subset, so Vietnamese shows the same in every viewer); the
/// signer copies that page into the signed file as the widget's appearance.
public struct SealAppearance: Sendable {
    /// The box, in points.
    public let width: Double
    public let height: Double
    /// The seal image.
    public let seal: URL

    /// Checks that the seal is a PNG cairo reads, with an alpha channel.
    public init(width: Double, height: Double, seal: URL) throws(DrawingError) {
        guard width >= 20, height >= 20 else { throw .size("the appearance box must be at least 20 × 20 pt, not \(width) × \(height)") }
        self.width = width
        self.height = height
        self.seal = seal
        let image = try Self.loadSeal(seal)
        cairo_surface_destroy(image)
    }

    /// The one-page PDF showing `signer` and `time`.
    public func render(signer: String, time: Date) throws(DrawingError) -> [UInt8] {
        try CairoPDF.render(width: width, height: height) { (cairo: OpaquePointer) throws(DrawingError) in
            let image = try Self.loadSeal(seal)
            // The seal fills the box's height on the left, its proportions kept.
            let imageWidth = Double(cairo_image_surface_get_width(image)), imageHeight = Double(cairo_image_surface_get_height(image))
            let scale = min(height / imageHeight, (width * 0.45) / imageWidth)
            cairo_save(cairo)
            cairo_translate(cairo, 0, (height - imageHeight * scale) / 2)
            cairo_scale(cairo, scale, scale)
            cairo_set_source_surface(cairo, image, 0, 0)
            cairo_paint(cairo)
            cairo_restore(cairo)
            cairo_surface_destroy(image)

            // The text to the right of the seal, overlapping it by a third as the decree's samples do.
            let left = imageWidth * scale * 2 / 3 + 2
            // The time is one unit (no-break spaces): it moves to a line of its own rather than break.
            let lines = [(signer, true), ("Thời gian ký: " + VietnamTime.format(time).replacingOccurrences(of: " ", with: "\u{00A0}"), false)]
            cairo_set_source_rgb(cairo, 0, 0, 0.55)
            var fontSize = min(10, height / 4)
            var wrapped: [(String, Bool)] = []
            while true {
                wrapped = lines.flatMap { text, bold in wrap(text, bold: bold, width: width - left - 2, size: fontSize, cairo: cairo).map { ($0, bold) } }
                if Double(wrapped.count) * fontSize * 1.25 <= height - 4 || fontSize <= 5 { break }
                fontSize -= 0.5
            }
            var baseline = (height - Double(wrapped.count) * fontSize * 1.25) / 2 + fontSize
            for (line, bold) in wrapped {
                select(cairo, bold: bold, size: fontSize)
                cairo_move_to(cairo, left, baseline)
                cairo_show_text(cairo, line)
                baseline += fontSize * 1.25
            }
        }
    }

    private static func loadSeal(_ url: URL) throws(DrawingError) -> OpaquePointer {
        guard let image = cairo_image_surface_create_from_png(url.path) else { throw .seal("\(url.path): cannot read the seal image") }
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(image)
            throw .seal("\(url.path): not a PNG cairo can read (\(String(cString: cairo_status_to_string(status))))")
        }
        // Cairo gives a PNG with an alpha channel as ARGB32, one without as RGB24: an opaque seal would hide
        // the text beneath it on the page.
        guard cairo_image_surface_get_format(image) == CAIRO_FORMAT_ARGB32 else {
            cairo_surface_destroy(image)
            throw .seal("\(url.path): the seal PNG has no transparency (alpha channel); it would hide what is beneath it")
        }
        return image
    }

    private func select(_ cairo: OpaquePointer?, bold: Bool, size: Double) {
        cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cairo, size)
    }

    /// `text` cut at spaces into lines no wider than `width`.
    private func wrap(_ text: String, bold: Bool, width: Double, size: Double, cairo: OpaquePointer?) -> [String] {
        select(cairo, bold: bold, size: size)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            var extents = cairo_text_extents_t()
            cairo_text_extents(cairo, candidate, &extents)
            if extents.x_advance > width && !line.isEmpty {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
