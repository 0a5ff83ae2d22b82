/// Just enough DER to find and rebuild a CMS structure's top-level fields without OpenSSL: the
/// tag-length-value headers of definite-length encodings. Anything else (BER's indefinite lengths,
/// multi-byte tags, lengths past the buffer) reads as nil, and callers fall back to OpenSSL's parser.
enum DER {
    /// One element: its tag byte, where its value lies, and where the whole element ends.
    struct Element {
        let tag: UInt8
        let start: Int
        let value: Range<Int>
        var end: Int { value.upperBound }
        var whole: Range<Int> { start..<value.upperBound }
    }

    /// The element starting at `offset` of `bytes`, wholly inside `limit`.
    static func element<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes, at offset: Int, limit: Int) -> Element?
    where Bytes.Index == Int {
        guard offset + 2 <= limit else { return nil }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { return nil }
        let first = bytes[offset + 1]
        var cursor = offset + 2
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, cursor + count <= limit else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
        }
        guard cursor + length <= limit else { return nil }
        return Element(tag: tag, start: offset, value: cursor..<(cursor + length))
    }

    /// The elements one after another inside `range`; nil if they do not fill it exactly.
    static func children<Bytes: RandomAccessCollection<UInt8>>(of bytes: Bytes, in range: Range<Int>) -> [Element]?
    where Bytes.Index == Int {
        var found: [Element] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard let next = element(in: bytes, at: offset, limit: range.upperBound) else { return nil }
            found.append(next)
            offset = next.end
        }
        return found
    }

    /// A tag and the DER length header for `length` bytes of value.
    static func header(tag: UInt8, length: Int) -> [UInt8] {
        guard length >= 0x80 else { return [tag, UInt8(length)] }
        var digits: [UInt8] = []
        var rest = length
        while rest > 0 {
            digits.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [tag, 0x80 | UInt8(digits.count)] + digits
    }

    /// An element made of `tag` around `value`.
    static func wrap(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] { header(tag: tag, length: value.count) + value }
}
