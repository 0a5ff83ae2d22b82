/// Counts the 1 bits of a run of 1-bit rows within each column span: the bilevel thumbnail's inner loop.
///
/// Rows are added whole with bitwise carry-save adders (bit-sliced counters: plane p holds bit p of each
/// pixel's count so far), a few byte operations per 8 pixels that the compiler vectorizes. Spans are
/// counted once per run of rows, with a popcount per plane, instead of once per row.
struct BitColumnCounter {
    /// The bits of a row one column covers.
    struct Span {
        let first: Int, last: Int
        let head: UInt8, tail: UInt8
        let pixels: Int
    }

    static let planeCount = 4
    /// Rows a run may hold before it must be drained: what four planes can count.
    static let capacity = (1 << planeCount) - 1

    let spans: [Span]
    private let byteCount: Int
    /// `planeCount` planes of `byteCount` bytes, then the carry row.
    private var storage: [UInt8]
    private(set) var rows = 0

    /// Columns `0..<columns` spread over a row of `width` pixels, like the thumbnail's columns.
    init(width: Int, columns: Int) {
        byteCount = (width + 7) / 8
        storage = [UInt8](repeating: 0, count: byteCount * (Self.planeCount + 1))
        spans = (0..<columns).map { column in
            let start = column * width / columns
            let end = column == columns - 1 ? width : (column + 1) * width / columns
            return Span(first: start >> 3, last: (end - 1) >> 3, head: UInt8(0xFF) >> UInt8(start & 7),
                        tail: UInt8(0xFF) << UInt8(7 - (end - 1) & 7), pixels: end - start)
        }
    }

    var isFull: Bool { rows == Self.capacity }

    /// Adds one row (at least `(width + 7) / 8` bytes, most significant bit first).
    mutating func add(_ row: [UInt8]) {
        precondition(rows < Self.capacity, "drain the counter before it overflows")
        let n = byteCount
        row.withUnsafeBufferPointer { input in
            storage.withUnsafeMutableBufferPointer { all in
                let carry = UnsafeMutableBufferPointer(rebasing: all[(Self.planeCount * n)...])
                for i in 0..<n { carry[i] = input[i] }
                for p in 0..<Self.planeCount {
                    let plane = UnsafeMutableBufferPointer(rebasing: all[(p * n)..<((p + 1) * n)])
                    for i in 0..<n {
                        let next = plane[i] & carry[i]
                        plane[i] ^= carry[i]
                        carry[i] = next
                    }
                }
            }
        }
        rows += 1
    }

    /// Hands each column's count of 1 bits over the rows added since the last drain, then starts again.
    mutating func drain(_ body: (_ column: Int, _ ones: Int, _ pixels: Int) -> Void) {
        guard rows > 0 else { return }
        let n = byteCount, rows = rows
        // Only the planes `rows` can have reached hold bits (7 rows: planes 0, 1 and 2).
        let planes = Int.bitWidth - rows.leadingZeroBitCount
        Self.onesInByte.withUnsafeBufferPointer { ones in
            storage.withUnsafeMutableBufferPointer { all in
                for (column, span) in spans.enumerated() {
                    var total = 0
                    for p in 0..<planes {
                        let base = p * n
                        var count: Int
                        if span.first == span.last {
                            count = Int(ones[Int(all[base + span.first] & span.head & span.tail)])
                        } else {
                            count = Int(ones[Int(all[base + span.first] & span.head)]) + Int(ones[Int(all[base + span.last] & span.tail)])
                            var index = span.first + 1
                            while index < span.last { count += Int(ones[Int(all[base + index])]); index += 1 }
                        }
                        total += count << p
                    }
                    body(column, total, span.pixels * rows)
                }
                all.update(repeating: 0)
            }
        }
        self.rows = 0
    }

    /// The number of 1 bits in each byte value: a table lookup beats the bit-twiddling popcount that
    /// baseline x86-64 (no POPCNT instruction) compiles `nonzeroBitCount` to.
    private static let onesInByte: [UInt8] = (0..<256).map { UInt8(($0 as Int).nonzeroBitCount) }
}
