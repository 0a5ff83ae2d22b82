/// How a stored raster is turned to be displayed, from the TIFF Orientation tag (or EXIF's, which uses
/// the same numbers). Applied as a PDF transformation, so no pixel is moved or resampled.
struct PageOrientation: Hashable, Sendable {
    /// TIFF Orientation 1...8.
    let value: Int

    init(_ value: Int) {
        self.value = (1...8).contains(value) ? value : 1
    }

    /// Whether rows and columns trade places on display (orientations 5 to 8).
    var swapsAxes: Bool { value >= 5 }

    /// The matrix `[a b c d e f]` that maps the stored image, drawn in a `width` × `height` box with
    /// row 0 at the top, onto the displayed page.
    func matrix(width: Double, height: Double) -> [Double] {
        let w = width, h = height
        return switch value {
        case 2: [-1, 0, 0, 1, w, 0]
        case 3: [-1, 0, 0, -1, w, h]
        case 4: [1, 0, 0, -1, 0, h]
        case 5: [0, -1, -1, 0, h, w]
        case 6: [0, -1, 1, 0, 0, w]
        case 7: [0, 1, 1, 0, 0, 0]
        case 8: [0, 1, -1, 0, h, 0]
        default: [1, 0, 0, 1, 0, 0]
        }
    }

    /// Where the stored pixel at column `x`, row `y` lands in a displayed raster, for thumbnails.
    func displayed(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch value {
        case 2: (width - 1 - x, y)
        case 3: (width - 1 - x, height - 1 - y)
        case 4: (x, height - 1 - y)
        case 5: (y, x)
        case 6: (height - 1 - y, x)
        case 7: (height - 1 - y, width - 1 - x)
        case 8: (y, width - 1 - x)
        default: (x, y)
        }
    }
}
