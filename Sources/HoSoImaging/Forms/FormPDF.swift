import CPoppler
import Foundation

/// A printed administrative form as one PDF on A4 pages: the national heading, a centred title, lines
/// of facts, a ruled table whose cells hold several lines (wrapped at word boundaries; the table goes
/// on to further pages, its header repeated), and closing lines under a heading of their own. Drawn by
/// cairo in DejaVu Sans (embedded as a subset), so Vietnamese prints right everywhere. Used for the
/// process control slip (Biểu 05).
public struct FormPDF: Sendable {
    public var heading: [String]
    public var title: String
    public var facts: [String]
    public var columns: [(heading: String, width: Double)]
    /// Each cell's text; a line feed starts a new line in the cell.
    public var rows: [[String]]
    public var closingTitle: String
    public var closing: [String]

    public init(heading: [String], title: String, facts: [String], columns: [(heading: String, width: Double)], rows: [[String]],
                closingTitle: String = "", closing: [String] = []) {
        self.heading = heading
        self.title = title
        self.facts = facts
        self.columns = columns
        self.rows = rows
        self.closingTitle = closingTitle
        self.closing = closing
    }

    static let pageWidth = 595.28, pageHeight = 841.89, margin = 42.0

    public func render() throws(DrawingError) -> [UInt8] {
        try CairoPDF.render(width: Self.pageWidth, height: Self.pageHeight) { cairo in
            var drawing = FormDrawing(cairo: cairo)
            drawing.draw(self)
        }
    }
}

/// One form being drawn: where the pen is, and how text is measured and wrapped.
private struct FormDrawing {
    let cairo: OpaquePointer
    var y = FormPDF.margin
    let width = FormPDF.pageWidth - 2 * FormPDF.margin

    init(cairo: OpaquePointer) { self.cairo = cairo }

    func font(_ size: Double, bold: Bool = false) {
        cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cairo, size)
    }

    func advance(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(cairo, text, &extents)
        return extents.x_advance
    }

    /// `text`'s lines (line feeds kept) wrapped to `width` at spaces; a word longer than the width is
    /// cut where it must be.
    func wrapped(_ text: String, width: Double) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph -> [String] in
            var lines: [String] = []
            var line = ""
            for word in paragraph.split(separator: " ").map(String.init) {
                let candidate = line.isEmpty ? word : line + " " + word
                if advance(candidate) <= width { line = candidate; continue }
                if !line.isEmpty { lines.append(line) }
                var rest = word
                while advance(rest) > width, rest.count > 1 {
                    var cut = rest.count - 1
                    while cut > 1, advance(String(rest.prefix(cut))) > width { cut -= 1 }
                    lines.append(String(rest.prefix(cut)))
                    rest = String(rest.dropFirst(cut))
                }
                line = rest
            }
            lines.append(line)
            return lines
        }
    }

    func show(_ text: String, x: Double, at y: Double) {
        cairo_move_to(cairo, x, y)
        cairo_show_text(cairo, text)
    }

    mutating func centred(_ text: String, size: Double, bold: Bool, underline: Bool = false) {
        font(size, bold: bold)
        let left = FormPDF.margin + (width - advance(text)) / 2
        show(text, x: left, at: y)
        if underline {
            cairo_set_line_width(cairo, 0.6)
            cairo_move_to(cairo, left, y + 3)
            cairo_line_to(cairo, left + advance(text), y + 3)
            cairo_stroke(cairo)
        }
        y += size + 5
    }

    mutating func newPageIfNeeded(_ height: Double) -> Bool {
        guard y + height > FormPDF.pageHeight - FormPDF.margin else { return false }
        cairo_show_page(cairo)
        y = FormPDF.margin
        return true
    }

    mutating func draw(_ form: FormPDF) {
        for (index, line) in form.heading.enumerated() {
            centred(line, size: 10.5, bold: true, underline: index == form.heading.count - 1)
        }
        y += 14
        centred(form.title, size: 13, bold: true)
        y += 4
        font(9.5)
        for fact in form.facts {
            for line in wrapped(fact, width: width) {
                _ = newPageIfNeeded(14)
                show(line, x: FormPDF.margin, at: y)
                y += 13.5
            }
        }
        y += 8
        let scale = width / form.columns.reduce(0) { $0 + $1.width }
        let widths = form.columns.map { $0.width * scale }
        row(form.columns.map(\.heading), widths: widths, bold: true)
        for cells in form.rows {
            font(Self.size(bold: false))
            if newPageIfNeeded(height(of: cells, widths: widths)) { row(form.columns.map(\.heading), widths: widths, bold: true) }
            row(cells, widths: widths, bold: false)
        }
        guard !form.closing.isEmpty else { return }
        y += 16
        _ = newPageIfNeeded(30)
        font(10, bold: true)
        show(form.closingTitle, x: FormPDF.margin, at: y)
        y += 15
        font(9)
        for item in form.closing {
            for (index, line) in wrapped(item, width: width - 12).enumerated() {
                _ = newPageIfNeeded(13)
                if index == 0 { show("–", x: FormPDF.margin, at: y) }
                show(line, x: FormPDF.margin + 12, at: y)
                y += 12.5
            }
            y += 2
        }
    }

    static let lineHeight = 11.0, padding = 4.0

    /// Cells' text size; a header's is a little smaller, as forms print their column titles.
    static func size(bold: Bool) -> Double { bold ? 8 : 8.5 }

    func height(of cells: [String], widths: [Double]) -> Double {
        let lines = zip(cells, widths).map { wrapped($0, width: $1 - 2 * Self.padding).count }.max() ?? 1
        return Double(lines) * Self.lineHeight + 2 * Self.padding
    }

    /// A row of ruled cells; a header's lines are centred.
    mutating func row(_ cells: [String], widths: [Double], bold: Bool) {
        font(Self.size(bold: bold), bold: bold)
        let height = height(of: cells, widths: widths)
        var x = FormPDF.margin
        cairo_set_line_width(cairo, 0.5)
        for (cell, cellWidth) in zip(cells, widths) {
            cairo_rectangle(cairo, x, y, cellWidth, height)
            cairo_stroke(cairo)
            var lineY = y + Self.padding + 8.5
            for line in wrapped(cell, width: cellWidth - 2 * Self.padding) {
                let left = bold ? x + (cellWidth - advance(line)) / 2 : x + Self.padding
                show(line, x: left, at: lineY)
                lineY += Self.lineHeight
            }
            x += cellWidth
        }
        y += height
    }
}
