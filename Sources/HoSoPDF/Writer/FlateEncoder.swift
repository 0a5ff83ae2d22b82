import CZlib

/// Compresses a byte stream with zlib (the PDF `FlateDecode` filter), piece by piece.
///
/// Owns its `z_stream`; `deinit` frees it.
public final class FlateEncoder {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    /// - Parameter level: zlib's level, 1 (fast) to 9 (small); 6 is zlib's own default.
    public init(level: Int32 = 6) throws {
        let status = hoso_deflate_init(&stream, level)
        guard status == Z_OK else { throw PDFWriteError.compression("deflateInit returned \(status)") }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input`, passing each piece of output to `sink`.
    public func compress(_ input: UnsafeRawBufferPointer, sink: ([UInt8]) throws -> Void) throws {
        try run(input, flush: Z_NO_FLUSH, sink: sink)
    }

    /// Ends the stream, passing the last output to `sink`.
    public func finish(sink: ([UInt8]) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, sink: sink)
    }

    /// Compresses a whole buffer at once.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let encoder = try FlateEncoder(level: level)
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { try encoder.compress($0) { out += $0 } }
        try encoder.finish { out += $0 }
        return out
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, sink: ([UInt8]) throws -> Void) throws {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = uInt(input.count)
        repeat {
            let produced: Int = try output.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                let status = deflate(&stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw PDFWriteError.compression("deflate returned \(status)")
                }
                return buffer.count - Int(stream.avail_out)
            }
            if produced > 0 { try sink(Array(output[0..<produced])) }
        } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
    }
}
