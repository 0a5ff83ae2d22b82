/// Applies PNG row filters (RFC 2083 §6), which PDF's `/Predictor 15` undoes on reading: each row is
/// sent as a filter-type byte and the differences that filter leaves, which deflate compresses far
/// better than raw scan pixels.
public struct PNGPredictor {
    /// Bytes per complete pixel, at least 1 (PNG's "bpp").
    public let bytesPerPixel: Int
    public let rowBytes: Int
    private var previous: [UInt8]
    /// One output row per candidate filter: None, Sub, Up, Paeth.
    private var candidates: [[UInt8]]
    /// Whether to try all four filters per row, or use Up alone (cheap, for small images).
    private let adaptive: Bool

    /// - Parameter adaptive: try None, Sub, Up and Paeth on every row and keep the best (the default);
    ///   false uses Up on every row, four times cheaper, for images where bytes matter less than time.
    public init(bytesPerPixel: Int, rowBytes: Int, adaptive: Bool = true) {
        self.bytesPerPixel = max(1, bytesPerPixel)
        self.rowBytes = rowBytes
        self.adaptive = adaptive
        previous = [UInt8](repeating: 0, count: rowBytes)
        candidates = (0..<4).map { [UInt8](repeating: UInt8([0, 1, 2, 4][$0]), count: rowBytes + 1) }
    }

    /// Filters `row` and returns the filtered row (filter byte first), chosen among None, Sub, Up and
    /// Paeth by the smallest sum of absolute values, the heuristic libpng uses.
    public mutating func filter(_ row: [UInt8]) -> [UInt8] {
        precondition(row.count == rowBytes, "row is \(row.count) bytes, expected \(rowBytes)")
        let bpp = bytesPerPixel, count = rowBytes
        var costs = [0, 0, 0, 0]
        row.withUnsafeBufferPointer { current in
            previous.withUnsafeBufferPointer { above in
                let cur = current.baseAddress!, up = above.baseAddress!
                for filter in (adaptive ? 0..<4 : 2..<3) {
                    costs[filter] = candidates[filter].withUnsafeMutableBufferPointer { buffer in
                        let out = buffer.baseAddress! + 1
                        var cost = 0
                        switch filter {
                        case 0:
                            for i in 0..<count { out[i] = cur[i] }
                        case 1:
                            for i in 0..<min(bpp, count) { out[i] = cur[i] }
                            if bpp < count { for i in bpp..<count { out[i] = cur[i] &- cur[i - bpp] } }
                        case 2:
                            for i in 0..<count { out[i] = cur[i] &- up[i] }
                        default:
                            for i in 0..<min(bpp, count) { out[i] = cur[i] &- up[i] }
                            if bpp < count {
                                for i in bpp..<count { out[i] = cur[i] &- Self.paeth(cur[i - bpp], up[i], up[i - bpp]) }
                            }
                        }
                        for i in 0..<count {
                            let value = Int(Int8(bitPattern: out[i]))
                            cost &+= value < 0 ? -value : value
                        }
                        return cost
                    }
                }
            }
        }
        previous = row
        guard adaptive else { return candidates[2] }
        var best = 0
        for filter in 1..<4 where costs[filter] < costs[best] { best = filter }
        return candidates[best]
    }

    @inline(__always)
    public static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}
