/// A page described as shapes and text in pixel coordinates, rendered one row at a time so a page of any
/// size (A0 at 600 dpi is 19,866 × 28,087 px) is produced in memory proportional to its width.
struct PageLayout: Sendable {
    /// An RGB colour.
    struct Colour: Hashable, Sendable {
        var red: UInt8, green: UInt8, blue: UInt8
        static let black = Colour(red: 0, green: 0, blue: 0)
        static let white = Colour(red: 255, green: 255, blue: 255)
        static let navy = Colour(red: 20, green: 40, blue: 110)
        static let sealRed = Colour(red: 210, green: 30, blue: 35)
        static let paper = Colour(red: 250, green: 248, blue: 240)
    }

    enum Item: Sendable {
        /// Text drawn with ``BitmapFont`` at `scale` pixels per font pixel; (x, y) is the top-left corner.
        case text(String, x: Int, y: Int, scale: Int, colour: Colour)
        /// A rectangle outline `thickness` pixels wide.
        case frame(x: Int, y: Int, width: Int, height: Int, thickness: Int, colour: Colour)
        case fill(x: Int, y: Int, width: Int, height: Int, colour: Colour)
        /// A QR code or barcode, each module `moduleWidth` × `moduleHeight` pixels; (x, y) is its top-left.
        case symbol(SymbolMatrix, x: Int, y: Int, moduleWidth: Int, moduleHeight: Int)
        /// A ring, like an office seal.
        case ring(centreX: Int, centreY: Int, radius: Int, thickness: Int, colour: Colour)
    }

    let width: Int
    let height: Int
    let background: Colour
    var items: [Item] = []

    /// Adds text, returning the width it takes.
    @discardableResult
    mutating func text(_ string: String, x: Int, y: Int, scale: Int, colour: Colour = .black) -> Int {
        items.append(.text(string, x: x, y: y, scale: scale, colour: colour))
        return string.count * (BitmapFont.width + 1) * scale
    }

    /// Paints row `y` into `pixels` (RGB, `width * 3` bytes).
    func renderRow(_ y: Int, into pixels: inout [UInt8]) {
        for x in 0..<width {
            pixels[x * 3] = background.red
            pixels[x * 3 + 1] = background.green
            pixels[x * 3 + 2] = background.blue
        }
        func paint(_ from: Int, _ to: Int, _ colour: Colour) {
            let start = max(0, from), end = min(width, to)
            guard start < end else { return }
            for x in start..<end {
                pixels[x * 3] = colour.red
                pixels[x * 3 + 1] = colour.green
                pixels[x * 3 + 2] = colour.blue
            }
        }
        for item in items {
            switch item {
            case .text(let string, let x, let top, let scale, let colour):
                let fontRow = (y - top) / scale
                guard y >= top, fontRow < BitmapFont.height else { continue }
                var left = x
                for character in string {
                    let bits = BitmapFont.rows(of: character)[fontRow]
                    for column in 0..<BitmapFont.width where bits & (0x10 >> UInt8(column)) != 0 {
                        paint(left + column * scale, left + (column + 1) * scale, colour)
                    }
                    left += (BitmapFont.width + 1) * scale
                }
            case .frame(let x, let top, let w, let h, let t, let colour):
                guard y >= top, y < top + h else { continue }
                if y < top + t || y >= top + h - t {
                    paint(x, x + w, colour)
                } else {
                    paint(x, x + t, colour)
                    paint(x + w - t, x + w, colour)
                }
            case .fill(let x, let top, let w, let h, let colour):
                if y >= top, y < top + h { paint(x, x + w, colour) }
            case .symbol(let matrix, let x, let top, let mw, let mh):
                guard y >= top, y < top + matrix.height * mh else { continue }
                for (column, dark) in matrix.rows[(y - top) / mh].enumerated() where dark {
                    paint(x + column * mw, x + (column + 1) * mw, .black)
                }
            case .ring(let cx, let cy, let r, let t, let colour):
                let dy = y - cy
                guard abs(dy) <= r else { continue }
                let outer = Int((Double(r * r - dy * dy)).squareRoot())
                let innerRadius = r - t
                let inner = abs(dy) < innerRadius ? Int((Double(innerRadius * innerRadius - dy * dy)).squareRoot()) : -1
                if inner < 0 {
                    paint(cx - outer, cx + outer + 1, colour)
                } else {
                    paint(cx - outer, cx - inner, colour)
                    paint(cx + inner + 1, cx + outer + 1, colour)
                }
            }
        }
    }
}

extension PageLayout {
    /// The heading of an official document: the agency's two lines on the left, the national motto on
    /// the right, then the title and the case code centred, twice the size. Returns the y below it.
    mutating func officialHeading(agency: (String, String), title: String, caseID: String, left: Int, right: Int, top: Int,
                                  scale s: Int, gapBeforeTitle: Int) -> Int {
        var y = top
        text(agency.0, x: left, y: y, scale: s)
        let motto = "CONG HOA XA HOI CHU NGHIA VIET NAM"
        text(motto, x: right - motto.count * 6 * s, y: y, scale: s)
        y += 10 * s
        text(agency.1, x: left, y: y, scale: s)
        let motto2 = "DOC LAP - TU DO - HANH PHUC"
        text(motto2, x: right - motto2.count * 6 * s - (motto.count - motto2.count) * 3 * s, y: y, scale: s)
        y += gapBeforeTitle
        text(title, x: (width - title.count * 6 * s * 2) / 2, y: y, scale: 2 * s)
        y += 20 * s
        let code = "MA HO SO: \(caseID)"
        text(code, x: (width - code.count * 6 * s * 2) / 2, y: y, scale: 2 * s)
        return y + 30 * s
    }
}
