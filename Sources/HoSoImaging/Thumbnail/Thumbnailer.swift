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
    /// pixel of the row counts, so thin strokes stay visible as grey.
    mutating func add(bilevelRow row: [UInt8], inkIsOne: Bool, at y: Int) {
        let target = min(outputHeight - 1, y * outputHeight / inputHeight)
        if target != currentRow { flush() ; currentRow = target }
        if bits == nil { bits = BitColumnCounter(width: inputWidth, columns: outputWidth) }
        bitsInkIsOne = inkIsOne
        if bits!.isFull { drainBits() }
        bits!.add(row)
        if y + rowStep >= inputHeight { flush() }
    }

    /// Counts rows of a 1-bit page a run at a time; drained into the sums when full or at a flush.
    private var bits: BitColumnCounter?
    private var bitsInkIsOne = true

    private mutating func drainBits() {
        let inkIsOne = bitsInkIsOne
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                bits?.drain { column, ones, pixels in
                    let light = UInt32((inkIsOne ? pixels - ones : ones) * 255)
                    sums[column * 3] += light
                    sums[column * 3 + 1] += light
                    sums[column * 3 + 2] += light
                    counts[column] += UInt32(pixels)
                }
            }
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
        drainBits()
        let base = currentRow * outputWidth * 3
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                pixels.withUnsafeMutableBufferPointer { pixels in
                    for x in 0..<counts.count where counts[x] > 0 {
                        let count = counts[x]
                        let (r, g, b) = (sums[x * 3], sums[x * 3 + 1], sums[x * 3 + 2])
                        // Grey (every bilevel and grey page): one division, not three.
                        let red = UInt8(r / count)
                        pixels[base + x * 3] = red
                        pixels[base + x * 3 + 1] = g == r ? red : UInt8(g / count)
                        pixels[base + x * 3 + 2] = b == r ? red : UInt8(b / count)
                    }
                    sums.update(repeating: 0)
                    counts.update(repeating: 0)
                }
            }
        }
    }

    /// The thumbnail turned for display.
    func oriented(_ orientation: PageOrientation) -> ThumbnailImage {
        guard orientation.value != 1 else { return ThumbnailImage(width: outputWidth, height: outputHeight, rgb: pixels) }
        let width = orientation.swapsAxes ? outputHeight : outputWidth
        let height = orientation.swapsAxes ? outputWidth : outputHeight
        var out = [UInt8](repeating: 255, count: pixels.count)
        for y in 0..<outputHeight {
            for x in 0..<outputWidth {
                let (dx, dy) = orientation.displayed(x: x, y: y, width: outputWidth, height: outputHeight)
                for c in 0..<3 { out[(dy * width + dx) * 3 + c] = pixels[(y * outputWidth + x) * 3 + c] }
            }
        }
        return ThumbnailImage(width: width, height: height, rgb: out)
    }
}
