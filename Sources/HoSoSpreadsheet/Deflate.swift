import CZlib

/// zlib's raw deflate (no zlib header or trailer: what a ZIP entry holds) and its CRC-32: the thin
/// wrapper over the C library.
enum Deflate {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "zlib deflate failed with status \(status)" }
    }

    /// `bytes` compressed as one raw deflate stream.
    static func raw(_ bytes: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let started = hoso_deflate_init_raw(&stream, level)
        guard started == Z_OK else { throw Failure(status: started) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)  // deflateBound's room: one call ends the stream
            }
        }
        guard status == Z_STREAM_END else { throw Failure(status: status) }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
