/// Shrinks a page to a thumbnail as its rows stream past: each output pixel is the average of the input
/// pixels it covers, and only one output row of sums is held, so an A0 page at 600 dpi needs kilobytes.
///
/// Large pages are sampled, not read whole: about 2 × 2 input pixels per output pixel are averaged, so
/// the thumbnail costs little beside the page itself.
struct Thumbnailer {
    static let longestSide = 512

    let inputWidth: Int
    let inputHeight: Int
    let outputWidth: Int
    let outputHeight: Int
    private var sums: [UInt32]
    private var counts: [UInt32]
    private var currentRow = 0
    private(set) var pixels: [UInt8]
    /// Which output column each sampled input column adds to.
    private let columnMap: [Int]
    /// Every `rowStep`-th row and `columnStep`-th column is sampled.
    let rowStep: Int
    let columnStep: Int
    /// Pixels in a sampled row.
    var sampledWidth: Int { columnMap.count }

    /// - Parameter bilevel: a 1-bit page, whose rows are counted whole (``add(bilevelRow:inkIsOne:at:)``),
    ///   so one row per output row is enough.
    init(width: Int, height: Int, longestSide: Int = Thumbnailer.longestSide, bilevel: Bool = false) {
        inputWidth = width
        inputHeight = height
        let scale = min(1, Double(longestSide) / Double(max(width, height)))
        outputWidth = max(1, Int((Double(width) * scale).rounded()))
        outputHeight = max(1, Int((Double(height) * scale).rounded()))
        sums = [UInt32](repeating: 0, count: outputWidth * 3)
        counts = [UInt32](repeating: 0, count: outputWidth)
        pixels = [UInt8](repeating: 255, count: outputWidth * outputHeight * 3)
        rowStep = max(1, height / (outputHeight * (bilevel ? 1 : 2)))
        columnStep = max(1, width / (outputWidth * 2))
        let (outW, inW, step) = (outputWidth, width, columnStep)
        columnMap = stride(from: 0, to: width, by: step).map { min(outW - 1, $0 * outW / inW) }
    }

    /// Adds input row `y` (one that ``wants(row:)``) of a 1-bit page, 1 = ink when `inkIsOne`: every
    /// pixel of the row counts, by counting bits a byte at a time, so thin strokes stay visible as grey.
    mutating func add(bilevelRow row: [UInt8], inkIsOne: Bool, at y: Int) {
        let target = min(outputHeight - 1, y * outputHeight / inputHeight)
        if target != currentRow { flush() ; currentRow = target }
        if bitSpans.isEmpty { bitSpans = Self.bitSpans(inputWidth: inputWidth, outputWidth: outputWidth) }
        row.withUnsafeBufferPointer { bits in
            sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    bitSpans.withUnsafeBufferPointer { spans in
                        for column in 0..<spans.count {
                            // The column's bits: a masked first byte, whole bytes, a masked last byte.
                            let span = spans[column]
                            var ink: Int
                            if span.first == span.last {
                                ink = (bits[span.first] & span.head & span.tail).nonzeroBitCount
                            } else {
                                ink = (bits[span.first] & span.head).nonzeroBitCount + (bits[span.last] & span.tail).nonzeroBitCount
                                var index = span.first + 1
                                while index < span.last { ink += bits[index].nonzeroBitCount; index += 1 }
                            }
                            let dark = inkIsOne ? ink : span.pixels - ink
                            let level = UInt32((span.pixels - dark) * 255)
                            sums[column * 3] += level
                            sums[column * 3 + 1] += level
                            sums[column * 3 + 2] += level
                            counts[column] += UInt32(span.pixels)
                        }
                    }
                }
            }
        }
        if y + rowStep >= inputHeight { flush() }
    }

    /// Which bits of a 1-bit row each output column covers, worked out once per page.
    private struct BitSpan {
        let first: Int, last: Int
        let head: UInt8, tail: UInt8
        let pixels: Int
    }

    private var bitSpans: [BitSpan] = []

    private static func bitSpans(inputWidth: Int, outputWidth: Int) -> [BitSpan] {
        (0..<outputWidth).map { column in
            let start = column * inputWidth / outputWidth
            let end = column == outputWidth - 1 ? inputWidth : (column + 1) * inputWidth / outputWidth
            return BitSpan(first: start >> 3, last: (end - 1) >> 3, head: UInt8(0xFF) >> UInt8(start & 7),
                           tail: UInt8(0xFF) << UInt8(7 - (end - 1) & 7), pixels: end - start)
        }
    }

    /// A thumbnailer for a page of `layout`'s rows: 1-bit pages are counted whole row by row.
    init(width: Int, height: Int, layout: SampleLayout) {
        self.init(width: width, height: height, bilevel: layout.isBilevel)
    }

    /// Adds input row `y` (one that ``wants(row:)``) as decoded, in `layout`; `scratch` is reused between
    /// calls to hold the row's sampled colours.
    mutating func add(row: [UInt8], layout: SampleLayout, at y: Int, scratch: inout [UInt8]) {
        if case .gray(let minIsWhite) = layout.colour, layout.isBilevel {
            add(bilevelRow: row, inkIsOne: minIsWhite, at: y)
            return
        }
        if scratch.count < sampledWidth * 3 { scratch = [UInt8](repeating: 0, count: sampledWidth * 3) }
        layout.rgbRow(row, into: &scratch, step: columnStep)
        add(sampledRow: scratch, at: y)
    }

    /// Whether input row `y` is sampled; rows that are not need not be converted.
    func wants(row y: Int) -> Bool { y % rowStep == 0 }

    /// Adds input row `y` (one that ``wants(row:)``), as 8-bit RGB of its sampled columns.
    mutating func add(sampledRow row: [UInt8], at y: Int) {
        let target = min(outputHeight - 1, y * outputHeight / inputHeight)
        if target != currentRow { flush() ; currentRow = target }
        row.withUnsafeBufferPointer { input in
            sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    for x in 0..<columnMap.count {
                        let column = columnMap[x]
                        sums[column * 3] += UInt32(input[x * 3])
                        sums[column * 3 + 1] += UInt32(input[x * 3 + 1])
                        sums[column * 3 + 2] += UInt32(input[x * 3 + 2])
                        counts[column] += 1
                    }
                }
            }
        }
        if y + rowStep >= inputHeight { flush() }
    }

    private mutating func flush() {
        let base = currentRow * outputWidth * 3
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                pixels.withUnsafeMutableBufferPointer { pixels in
                    for x in 0..<counts.count where counts[x] > 0 {
                        let count = counts[x]
                        pixels[base + x * 3] = UInt8(sums[x * 3] / count)
                        pixels[base + x * 3 + 1] = UInt8(sums[x * 3 + 1] / count)
                        pixels[base + x * 3 + 2] = UInt8(sums[x * 3 + 2] / count)
                    }
                    sums.update(repeating: 0)
                    counts.update(repeating: 0)
                }
            }
        }
    }

    /// The thumbnail turned for display.
    func oriented(_ orientation: PageOrientation) -> (width: Int, height: Int, rgb: [UInt8]) {
        guard orientation.value != 1 else { return (outputWidth, outputHeight, pixels) }
        let width = orientation.swapsAxes ? outputHeight : outputWidth
        let height = orientation.swapsAxes ? outputWidth : outputHeight
        var out = [UInt8](repeating: 255, count: pixels.count)
        for y in 0..<outputHeight {
            for x in 0..<outputWidth {
                let (dx, dy) = orientation.displayed(x: x, y: y, width: outputWidth, height: outputHeight)
                for c in 0..<3 { out[(dy * width + dx) * 3 + c] = pixels[(y * outputWidth + x) * 3 + c] }
            }
        }
        return (width, height, out)
    }
}
