import CPoppler
import Foundation

/// A printed form as one PDF: a title, lines of facts, and a table with a header row, on A4 pages
/// (the table goes on to further pages). Drawn by cairo in DejaVu Sans (embedded as a subset), so
/// Vietnamese prints right everywhere. Used for the process control slip.
public struct TablePDF: Sendable {
    public var title: String
    public var facts: [String]
    public var columns: [(heading: String, width: Double)]
    public var rows: [[String]]

    public init(title: String, facts: [String], columns: [(heading: String, width: Double)], rows: [[String]]) {
        self.title = title
        self.facts = facts
        self.columns = columns
        self.rows = rows
    }

    static let pageWidth = 595.28, pageHeight = 841.89, margin = 42.0

    public func render() throws(DrawingError) -> [UInt8] {
        try CairoPDF.render(width: Self.pageWidth, height: Self.pageHeight) { cairo in draw(on: cairo) }
    }

    private func draw(on cairo: OpaquePointer) {
        var y = Self.margin
        func font(_ size: Double, bold: Bool = false) {
            cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(cairo, size)
        }
        func text(_ string: String, x: Double, width: Double) {
            // Cut to the cell: drop characters until it fits.
            var shown = string
            var extents = cairo_text_extents_t()
            cairo_text_extents(cairo, shown, &extents)
            while extents.x_advance > width - 4, !shown.isEmpty {
                shown.removeLast()
                cairo_text_extents(cairo, shown + "…", &extents)
                if extents.x_advance <= width - 4 { shown += "…"; break }
            }
            cairo_move_to(cairo, x + 2, y)
            cairo_show_text(cairo, shown)
        }
        font(13, bold: true)
        text(title, x: Self.margin, width: Self.pageWidth - 2 * Self.margin)
        y += 22
        font(9)
        for fact in facts {
            text(fact, x: Self.margin, width: Self.pageWidth - 2 * Self.margin)
            y += 13
        }
        y += 8
        let scale = (Self.pageWidth - 2 * Self.margin) / columns.reduce(0) { $0 + $1.width }
        func row(_ cells: [String], bold: Bool) {
            font(8, bold: bold)
            var x = Self.margin
            for (cell, column) in zip(cells, columns) {
                text(cell, x: x, width: column.width * scale)
                x += column.width * scale
            }
            cairo_set_line_width(cairo, 0.4)
            cairo_move_to(cairo, Self.margin, y + 4)
            cairo_line_to(cairo, Self.pageWidth - Self.margin, y + 4)
            cairo_stroke(cairo)
            y += 14
        }
        row(columns.map(\.heading), bold: true)
        for cells in rows {
            if y > Self.pageHeight - Self.margin {
                cairo_show_page(cairo)
                y = Self.margin
                row(columns.map(\.heading), bold: true)
            }
            row(cells, bold: false)
        }
    }
}
