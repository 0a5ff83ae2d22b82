/// Applies PNG row filters (RFC 2083 §6), which PDF's `/Predictor 15` undoes on reading: each row is
/// sent as a filter-type byte and the differences that filter leaves, which deflate compresses far
/// better than raw scan pixels.
public struct PNGPredictor {
    /// Bytes per complete pixel, at least 1 (PNG's "bpp").
    public let bytesPerPixel: Int
    public let rowBytes: Int
    private var previous: [UInt8]
    private var candidates: [[UInt8]]

    public init(bytesPerPixel: Int, rowBytes: Int) {
        self.bytesPerPixel = max(1, bytesPerPixel)
        self.rowBytes = rowBytes
        previous = [UInt8](repeating: 0, count: rowBytes)
        candidates = Array(repeating: [UInt8](repeating: 0, count: rowBytes + 1), count: 3)
    }

    /// Filters `row` and returns the filtered row (filter byte first), chosen among Sub, Up and Paeth by
    /// the smallest sum of absolute differences, the heuristic libpng uses.
    public mutating func filter(_ row: [UInt8]) -> [UInt8] {
        precondition(row.count == rowBytes, "row is \(row.count) bytes, expected \(rowBytes)")
        let bpp = bytesPerPixel
        var best = 0
        var bestCost = Int.max
        row.withUnsafeBufferPointer { current in
            previous.withUnsafeBufferPointer { above in
                for (slot, type) in [UInt8(1), 2, 4].enumerated() {
                    var cost = 0
                    candidates[slot].withUnsafeMutableBufferPointer { out in
                        out[0] = type
                        for i in 0..<current.count {
                            let a = i >= bpp ? current[i - bpp] : 0
                            let b = above[i]
                            let predicted: UInt8
                            switch type {
                            case 1: predicted = a
                            case 2: predicted = b
                            default:
                                let c = i >= bpp ? above[i - bpp] : 0
                                predicted = Self.paeth(a, b, c)
                            }
                            let value = current[i] &- predicted
                            out[i + 1] = value
                            cost += Int(value < 128 ? value : 255 - value + 1)
                        }
                    }
                    if cost < bestCost {
                        bestCost = cost
                        best = slot
                    }
                }
            }
        }
        previous = row
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
