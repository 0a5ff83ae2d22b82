import CZlib
import Dispatch

/// Compresses one zlib stream on several cores, as pigz does: the input is cut into chunks, each chunk
/// is deflated on its own (primed with the 32 KB before it, so the ratio barely suffers) and ends on a
/// byte boundary, and the pieces are joined in order under one header and one Adler-32.
///
/// Chunks compress on worker threads while the caller goes on producing input, so decoding and
/// compressing overlap. The result is a single ordinary `FlateDecode` stream; memory is a few chunks,
/// whatever the input size.
public final class ParallelFlateEncoder {
    private let level: Int32
    private let chunkSize: Int
    private let maximumInFlight: Int
    private let sink: ([UInt8]) throws -> Void
    private let workers = DispatchQueue(label: "hoso.flate", attributes: .concurrent)
    private var inFlight: [Piece] = []
    private var current: [UInt8] = []
    /// The last 32 KB of input submitted so far: the dictionary for the next chunk.
    private var dictionary: [UInt8] = []
    private var adler: uLong = adler32(0, nil, 0)
    private var wroteHeader = false

    /// - Parameters:
    ///   - level: zlib level, 1 (fast) to 9 (small).
    ///   - chunkSize: bytes of input per independently compressed piece.
    ///   - parallelism: how many pieces may compress at once (the cores to use).
    ///   - sink: receives the compressed stream in order, piece by piece, on the caller's thread.
    public init(level: Int32 = 6, chunkSize: Int = 1 << 20, parallelism: Int = 2, sink: @escaping ([UInt8]) throws -> Void) {
        self.level = level
        self.chunkSize = chunkSize
        maximumInFlight = max(1, parallelism) + 1
        self.sink = sink
        current.reserveCapacity(chunkSize)
    }

    deinit {
        // Never leave workers writing into pieces nobody waits for.
        for piece in inFlight { piece.done.wait() }
    }

    /// Adds input.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            if current.count == chunkSize {
                // More input follows, so this chunk is not the last one.
                try submit(final: false)
            }
            let take = min(chunkSize - current.count, bytes.count - offset)
            current.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]))
            offset += take
        }
    }

    /// Adds input.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Compresses what is left, writes everything in order and the Adler-32 trailer.
    public func finish() throws {
        try submit(final: true)
        while !inFlight.isEmpty { try writeFirst() }
        try sink([UInt8(adler >> 24 & 0xFF), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)])
    }

    private func submit(final: Bool) throws {
        if !wroteHeader {
            try sink([0x78, 0x9C])
            wroteHeader = true
        }
        while inFlight.count >= maximumInFlight { try writeFirst() }
        let input = current
        let piece = Piece(input: input, dictionary: dictionary, last: final)
        dictionary = Array((dictionary + input).suffix(32 * 1024))
        current = []
        current.reserveCapacity(chunkSize)
        inFlight.append(piece)
        let level = level
        workers.async { piece.compress(level: level) }
    }

    /// Waits for the oldest piece and writes it.
    private func writeFirst() throws {
        let piece = inFlight.removeFirst()
        piece.done.wait()
        let (output, pieceAdler, length) = try piece.take()
        try sink(output)
        adler = adler32_combine(adler, pieceAdler, off_t(length))
    }
}

/// One chunk of input and, once a worker is done, its compressed form. The worker writes the result
/// before signalling `done`; the owner reads it only after waiting on `done`.
private final class Piece: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let input: [UInt8]
    private let dictionary: [UInt8]
    private let last: Bool
    private var result: Result<[UInt8], Error> = .failure(PDFWriteError.compression("piece not compressed"))
    private var inputAdler: uLong = 0

    init(input: [UInt8], dictionary: [UInt8], last: Bool) {
        self.input = input
        self.dictionary = dictionary
        self.last = last
    }

    func compress(level: Int32) {
        inputAdler = input.withUnsafeBytes { adler32(1, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count)) }
        result = Result { try Self.deflate(input, dictionary: dictionary, level: level, last: last) }
        done.signal()
    }

    func take() throws -> (output: [UInt8], adler: uLong, length: Int) {
        (try result.get(), inputAdler, input.count)
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
