/// A page's size in points, from its pixels and the resolution its file declares, kept within what a
/// PDF page can be (ISO 32000-2 §C.2: 3 to 14,400 units a side).
///
/// A missing resolution gets `normalize.default_dpi`; an implausible one (a camera's EXIF of 1/4294967295,
/// zero, infinity) is treated as missing rather than making a page of light-years or of a
/// millionth of a point. A page still beyond PDF's limits is drawn to fit them, and says so.
struct PageGeometry {
    /// The resolution the page is drawn at.
    let dpi: (x: Double, y: Double)
    let width: Double
    let height: Double
    let warnings: [String]
    /// The file's own resolution when it is believed; nil when missing or implausible.
    let believed: (x: Double, y: Double)?

    /// Resolutions outside this are not believed.
    static let plausibleDPI = 10.0...100_000.0
    static let sides = 3.0...14_400.0

    init(width pixelsWide: Int, height pixelsHigh: Int, declared: (x: Double, y: Double)?, defaultDPI: Double) {
        var warnings: [String] = []
        var dpi = declared ?? (defaultDPI, defaultDPI)
        var believed = declared
        if let declared {
            if !(Self.plausibleDPI.contains(declared.x) && Self.plausibleDPI.contains(declared.y)) {
                dpi = (defaultDPI, defaultDPI)
                believed = nil
                warnings.append("the file's resolution (\(Self.describe(declared.x)) × \(Self.describe(declared.y)) dpi) is implausible; "
                                + "\(Int(defaultDPI)) dpi assumed")
            }
        } else {
            warnings.append("no resolution in the file; \(Int(defaultDPI)) dpi assumed")
        }
        let (pixelsX, pixelsY) = (Double(max(pixelsWide, 1)), Double(max(pixelsHigh, 1)))
        var (width, height) = (pixelsX * 72 / dpi.x, pixelsY * 72 / dpi.y)
        var scale = 1.0
        if max(width, height) > Self.sides.upperBound {
            scale = Self.sides.upperBound / max(width, height)
        } else if min(width, height) < Self.sides.lowerBound {
            scale = min(Self.sides.lowerBound / min(width, height), Self.sides.upperBound / max(width, height))
        }
        if scale != 1 {
            warnings.append("at \(Int(dpi.x.rounded())) dpi the page would be \(Self.describe(width)) × \(Self.describe(height)) pt, outside "
                            + "PDF's 3–14,400 pt; drawn at \(Self.describe(scale * 100)) % of that size")
            (width, height) = (width * scale, height * scale)
            dpi = (dpi.x / scale, dpi.y / scale)
        }
        self.dpi = dpi
        self.believed = believed
        self.width = width
        self.height = height
        self.warnings = warnings
    }

    private static func describe(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        return value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.3g", value)
    }
}
