import CZlib
import Dispatch

/// Compresses one zlib stream on several cores, as pigz does: the input is cut into chunks, each chunk
/// is deflated on its own (primed with the 32 KB before it, so the ratio barely suffers) and ends on a
/// byte boundary, and the pieces are joined in order under one header and one Adler-32.
///
/// The result is a single ordinary `FlateDecode` stream. Memory is a few chunks, whatever the input size.
public final class ParallelFlateEncoder {
    private let level: Int32
    private let chunkSize: Int
    private let parallelism: Int
    private let sink: ([UInt8]) throws -> Void
    private var pending: [[UInt8]] = []
    private var current: [UInt8] = []
    /// The last 32 KB of input before the first pending chunk: the dictionary for that chunk.
    private var dictionary: [UInt8] = []
    private var adler: uLong = adler32(0, nil, 0)
    private var wroteHeader = false

    /// - Parameters:
    ///   - level: zlib level, 1 (fast) to 9 (small).
    ///   - chunkSize: bytes of input per independently compressed piece.
    ///   - parallelism: how many pieces to compress at once (the number of cores to use).
    ///   - sink: receives the compressed stream in order, piece by piece.
    public init(level: Int32 = 6, chunkSize: Int = 1 << 20, parallelism: Int = 2, sink: @escaping ([UInt8]) throws -> Void) {
        self.level = level
        self.chunkSize = chunkSize
        self.parallelism = max(1, parallelism)
        self.sink = sink
        current.reserveCapacity(chunkSize)
    }

    /// Adds input.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let take = min(chunkSize - current.count, bytes.count - offset)
            current.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]))
            offset += take
            if current.count == chunkSize {
                pending.append(current)
                current = []
                current.reserveCapacity(chunkSize)
                if pending.count == parallelism { try compressPending(final: false) }
            }
        }
    }

    /// Adds input.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Compresses what is left and writes the Adler-32 trailer.
    public func finish() throws {
        if !current.isEmpty { pending.append(current) }
        current = []
        try compressPending(final: true)
        try sink([UInt8(adler >> 24 & 0xFF), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)])
    }

    private func compressPending(final: Bool) throws {
        if !wroteHeader {
            try sink([0x78, 0x9C])
            wroteHeader = true
        }
        let chunks = pending
        pending = []
        // An empty last piece still has to close the stream with a final block.
        let jobs = final && chunks.isEmpty ? [[UInt8]()] : chunks
        var primes: [[UInt8]] = []
        var previous = dictionary
        for chunk in jobs {
            primes.append(previous)
            previous = Array((previous + chunk).suffix(32 * 1024))
        }
        dictionary = previous
        let dictionaries = primes
        let results = ResultSlots(count: jobs.count)
        defer { results.free() }
        let level = level
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let isLast = final && index == jobs.count - 1
            results.set(index, Result { try Self.deflate(jobs[index], dictionary: dictionaries[index], level: level, last: isLast) })
        }
        for index in 0..<jobs.count {
            let piece = try results.get(index)
            try sink(piece)
            jobs[index].withUnsafeBytes { adler = adler32_combine(adler, adler32(1, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count)), off_t($0.count)) }
        }
    }

    private static func deflate(_ input: [UInt8], dictionary: [UInt8], level: Int32, last: Bool) throws -> [UInt8] {
        var stream = z_stream()
        guard hoso_deflate_init_raw(&stream, level) == Z_OK else { throw PDFWriteError.compression("deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        if !dictionary.isEmpty {
            _ = dictionary.withUnsafeBytes {
                deflateSetDictionary(&stream, $0.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt($0.count))
            }
        }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let produced: Int = try input.withUnsafeBytes { inBytes in
            try output.withUnsafeMutableBytes { outBytes in
                stream.next_in = UnsafeMutablePointer(mutating: inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(inBytes.count)
                stream.next_out = outBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(outBytes.count)
                // A sync flush ends the piece on a byte boundary with the stream still open.
                let status = CZlib.deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                guard status == (last ? Z_STREAM_END : Z_OK), stream.avail_in == 0 else {
                    throw PDFWriteError.compression("deflate returned \(status)")
                }
                return outBytes.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}

/// One result slot per parallel job; each job writes only its own slot, so sharing the buffer is safe.
private struct ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<[UInt8], Error>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func set(_ index: Int, _ result: Result<[UInt8], Error>) { slots[index] = result }

    func get(_ index: Int) throws -> [UInt8] {
        guard let result = slots[index] else { throw PDFWriteError.compression("piece \(index) was not compressed") }
        return try result.get()
    }

    func free() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
