/// Parses PDF object syntax (ISO 32000-2 §7.2–7.3) from bytes: numbers, strings, names, arrays,
/// dictionaries, references, and indirect objects with their streams.
///
/// It never guesses: anything that is not the syntax is an error naming the offset. Nesting is limited,
/// so a hostile file cannot exhaust the stack.
struct PDFParser {
    let bytes: UnsafeRawBufferPointer
    static let maximumDepth = 64

    // MARK: Bytes

    // The byte classes are bit sets, not comparisons: a tokenizer asks them of every byte, and a
    // switch compiled to a jump table per byte was most of the time spent walking a document.

    /// NUL, TAB, LF, FF, CR and space.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (UInt64(0x1_0000_3601) >> UInt64(byte)) & 1 == 1
    }

    /// `( ) < > [ ] { } / %`.
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<64: (UInt64(0x5000_8320_0000_0000) >> UInt64(byte)) & 1 == 1
        case 64..<128: (UInt64(0x2800_0000_2800_0000) >> UInt64(byte - 64)) & 1 == 1
        default: false
        }
    }

    static func isRegular(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<64: (UInt64(0x5000_8321_0000_3601) >> UInt64(byte)) & 1 == 0
        case 64..<128: (UInt64(0x2800_0000_2800_0000) >> UInt64(byte - 64)) & 1 == 0
        default: true
        }
    }

    /// The offset of the next byte that is not whitespace or inside a comment.
    func skipSpace(_ offset: Int) -> Int {
        var i = offset
        while i < bytes.count {
            if Self.isWhitespace(bytes[i]) {
                i += 1
            } else if bytes[i] == UInt8(ascii: "%") {
                while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
            } else {
                break
            }
        }
        return i
    }

    /// The regular characters from `offset` (a keyword or number), and where they end.
    func word(at offset: Int) -> (text: String, end: Int) {
        var end = offset
        while end < bytes.count, Self.isRegular(bytes[end]) { end += 1 }
        return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self), end)
    }

    /// Whether the keyword `keyword` stands at `offset` (followed by a non-regular byte or the end).
    func hasKeyword(_ keyword: StaticString, at offset: Int) -> Bool {
        let count = keyword.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        let text = keyword.utf8Start
        for i in 0..<count where bytes[offset + i] != text[i] { return false }
        return offset + count == bytes.count || !Self.isRegular(bytes[offset + count])
    }

    /// The non-negative integer written at `offset` (at most 18 digits) and where it ends; nil when
    /// the token there is not one.
    func unsignedInteger(at offset: Int) -> (value: Int, end: Int)? {
        var end = offset
        var value = 0
        while end < bytes.count, end - offset < 18, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[end] - UInt8(ascii: "0"))
            end += 1
        }
        guard end > offset, end == bytes.count || !Self.isRegular(bytes[end]) else { return nil }
        return (value, end)
    }

    // MARK: Objects

    /// Parses the direct object at `offset` (after whitespace); returns it and the offset after it.
    func object(at offset: Int, depth: Int = 0) throws(PDFReadError) -> (PDFObject, Int) {
        guard depth < Self.maximumDepth else { throw PDFReadError(at: offset, "objects nested more than \(Self.maximumDepth) deep") }
        let start = skipSpace(offset)
        guard start < bytes.count else { throw PDFReadError(at: start, "an object was expected, the file ended") }
        let byte = bytes[start]
        switch byte {
        case UInt8(ascii: "/"):
            return try name(at: start)
        case UInt8(ascii: "("):
            return try literalString(at: start)
        case UInt8(ascii: "<"):
            if start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "<") {
                let (dictionary, end) = try dictionary(at: start, depth: depth)
                return (.dictionary(dictionary), end)
            }
            return try hexString(at: start)
        case UInt8(ascii: "["):
            var items: [PDFObject] = []
            var i = start + 1
            while true {
                i = skipSpace(i)
                guard i < bytes.count else { throw PDFReadError(at: start, "an array is not closed") }
                if bytes[i] == UInt8(ascii: "]") { return (.array(items), i + 1) }
                let (item, end) = try object(at: i, depth: depth + 1)
                items.append(item)
                i = end
            }
        default:
            var end = start
            while end < bytes.count, Self.isRegular(bytes[end]) { end += 1 }
            guard end > start else { throw PDFReadError(at: start, "unexpected byte 0x\(String(byte, radix: 16))") }
            // A number, or the first of `n g R`: read from the bytes, the commonest tokens of a PDF.
            if let first = integer(start..<end) {
                if first > 0, let (generation, afterGeneration) = unsignedInteger(after: end),
                   case let r = skipSpace(afterGeneration), hasKeyword("R", at: r) {
                    return (.reference(PDFReference(number: first, generation: generation)), r + 1)
                }
                return (.integer(first), end)
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            switch text {
            case "true": return (.boolean(true), end)
            case "false": return (.boolean(false), end)
            case "null": return (.null, end)
            default: break
            }
            if let real = Self.real(text) { return (.real(real), end) }
            throw PDFReadError(at: start, "'\(text.prefix(20))' is not a PDF object")
        }
    }

    /// The integer (an optional sign and at most 18 digits) that `range` holds entirely, or nil.
    private func integer(_ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < range.upperBound, range.upperBound - index <= 18 else { return nil }
        var value = 0
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        return negative ? -value : value
    }

    /// A generation number (at most 65535) after `offset`, and where it ends.
    func unsignedInteger(after offset: Int) -> (Int, Int)? {
        guard let (value, end) = unsignedInteger(at: skipSpace(offset)), value <= 65535 else { return nil }
        return (value, end)
    }

    /// PDF reals: optional sign, digits with one point, no exponent.
    static func real(_ text: String) -> Double? {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.filter({ $0 == "." }).count <= 1, body.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }),
              body != "." else { return nil }
        return Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    func name(at start: Int) throws(PDFReadError) -> (PDFObject, Int) {
        var i = start + 1
        var out: [UInt8] = []
        while i < bytes.count, Self.isRegular(bytes[i]) {
            if bytes[i] == UInt8(ascii: "#"), i + 2 < bytes.count, let value = UInt8(String(decoding: [bytes[i + 1], bytes[i + 2]], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return (.name(PDFName(bytes: out)), i)
    }

    func literalString(at start: Int) throws(PDFReadError) -> (PDFObject, Int) {
        var i = start + 1
        var depth = 1
        var out: [UInt8] = []
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { break }
                let escaped = bytes[i]
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case 0x0D:
                    if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                case 0x0A: break
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = 0, digits = 0
                    while digits < 3, i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "7") {
                        value = value * 8 + Int(bytes[i] - UInt8(ascii: "0"))
                        i += 1
                        digits += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: value))
                    continue
                default: out.append(escaped)
                }
                i += 1
            case UInt8(ascii: "("):
                depth += 1
                out.append(byte)
                i += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return (.string(PDFString(bytes: out, form: .literal)), i + 1) }
                out.append(byte)
                i += 1
            default:
                out.append(byte)
                i += 1
            }
        }
        throw PDFReadError(at: start, "a string is not closed")
    }

    func hexString(at start: Int) throws(PDFReadError) -> (PDFObject, Int) {
        // One pass over the digits into a buffer sized for them: a signature's /Contents is tens of
        // thousands of digits, and every file `hoso verify` reads has one.
        var end = start + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: ">") { end += 1 }
        guard end < bytes.count else { throw PDFReadError(at: start, "a hex string is not closed") }
        var bad: Int?
        let out = [UInt8](unsafeUninitializedCapacity: (end - start) / 2 + 1) { buffer, count in
            var high: UInt8?
            for i in (start + 1)..<end {
                let value = Self.hexValues[Int(bytes[i])]
                if value == Self.hexSpace { continue }
                guard value != Self.hexInvalid else { bad = i; break }
                if let first = high {
                    buffer[count] = first << 4 | value
                    count += 1
                    high = nil
                } else {
                    high = value
                }
            }
            if let first = high {  // an odd digit count: the last digit is followed by 0
                buffer[count] = first << 4
                count += 1
            }
        }
        if let bad { throw PDFReadError(at: bad, "'\(Character(UnicodeScalar(bytes[bad])))' in a hex string") }
        return (.string(PDFString(bytes: out, form: .hex)), end + 1)
    }

    private static let hexInvalid: UInt8 = 0xFF
    private static let hexSpace: UInt8 = 0xFE
    /// Each byte's hex digit value, `hexSpace` for PDF whitespace, `hexInvalid` for anything else.
    private static let hexValues: [UInt8] = (0...255).map { byte in
        if isWhitespace(UInt8(byte)) { return hexSpace }
        return nibble(UInt8(byte)) ?? hexInvalid
    }

    /// The value of a hex digit (a signature's `/Contents` is thousands of them: no Character here).
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A dictionary at `start` (`<<`), and where each value lies, for callers that must know the bytes
    /// a value occupies (a signature's `/Contents`).
    func dictionary(at start: Int, depth: Int = 0) throws(PDFReadError) -> (PDFDictionary, Int) {
        let (dictionary, _, end) = try dictionaryWithRanges(at: start, depth: depth, recording: false)
        return (dictionary, end)
    }

    /// A dictionary and, when `recording`, where each top-level value lies (only a signature dictionary
    /// needs that; building the table for every dictionary cost a tenth of a document's analysis).
    func dictionaryWithRanges(at start: Int, depth: Int = 0, recording: Bool = true) throws(PDFReadError)
        -> (PDFDictionary, [PDFName: Range<Int>], Int) {
        var dictionary = PDFDictionary()
        var ranges: [PDFName: Range<Int>] = [:]
        var i = start + 2
        while true {
            i = skipSpace(i)
            guard i < bytes.count else { throw PDFReadError(at: start, "a dictionary is not closed") }
            if bytes[i] == UInt8(ascii: ">") {
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">") else { throw PDFReadError(at: i, "'>' inside a dictionary") }
                return (dictionary, ranges, i + 2)
            }
            guard bytes[i] == UInt8(ascii: "/") else { throw PDFReadError(at: i, "a dictionary key must be a name") }
            let (keyObject, afterKey) = try name(at: i)
            guard case .name(let key) = keyObject else { throw PDFReadError(at: i, "a dictionary key must be a name") }
            let valueStart = skipSpace(afterKey)
            let (value, end) = try object(at: valueStart, depth: depth + 1)
            if dictionary[key] == nil {
                dictionary[key] = value
                if recording { ranges[key] = valueStart..<end }
            } else {
                dictionary.recordDuplicate(key)
            }
            i = end
        }
    }

    /// An indirect object `n g obj … endobj` at `offset`, with its stream's data range if it has one.
    /// `streamLength` resolves an indirect `/Length`. With `recordingRanges`, a dictionary's top-level
    /// values are located too (one parse, for a signature dictionary).
    func indirectObject(
        at offset: Int, recordingRanges: Bool = false, streamLength: (PDFObject) throws(PDFReadError) -> Int
    ) throws(PDFReadError) -> IndirectObject {
        let start = skipSpace(offset)
        let (numberText, afterNumber) = word(at: start)
        guard let number = Int(numberText), number > 0, let (generation, afterGeneration) = unsignedInteger(after: afterNumber) else {
            throw PDFReadError(at: start, "no object header ('n g obj') here")
        }
        let keyword = skipSpace(afterGeneration)
        guard hasKeyword("obj", at: keyword) else { throw PDFReadError(at: start, "no 'obj' after '\(number) \(generation)'") }
        let valueStart = skipSpace(keyword + 3)
        var ranges: [PDFName: Range<Int>] = [:]
        let (value, afterValue): (PDFObject, Int)
        if recordingRanges, valueStart + 1 < bytes.count, bytes[valueStart] == UInt8(ascii: "<"), bytes[valueStart + 1] == UInt8(ascii: "<") {
            let (dictionary, located, end) = try dictionaryWithRanges(at: valueStart)
            (value, afterValue, ranges) = (.dictionary(dictionary), end, located)
        } else {
            (value, afterValue) = try object(at: valueStart)
        }
        var next = skipSpace(afterValue)
        var stream: Range<Int>?
        if hasKeyword("stream", at: next) {
            guard case .dictionary(let dictionary) = value else { throw PDFReadError(at: next, "a stream without a dictionary") }
            var dataStart = next + 6
            // The keyword is followed by CRLF or LF (a lone CR is tolerated, as most readers do).
            if dataStart < bytes.count, bytes[dataStart] == 0x0D { dataStart += 1 }
            if dataStart < bytes.count, bytes[dataStart] == 0x0A { dataStart += 1 }
            guard let lengthObject = dictionary["Length"] else { throw PDFReadError(at: next, "a stream without /Length") }
            let length = try streamLength(lengthObject)
            guard length >= 0, dataStart + length <= bytes.count else {
                throw PDFReadError(at: dataStart, "the stream's /Length \(length) runs past the end of the file")
            }
            stream = dataStart..<(dataStart + length)
            next = skipSpace(dataStart + length)
            guard hasKeyword("endstream", at: next) else {
                throw PDFReadError(at: next, "no 'endstream' where /Length \(length) says the stream ends")
            }
            next = skipSpace(next + 9)
        }
        guard hasKeyword("endobj", at: next) else { throw PDFReadError(at: next, "object \(number) has no 'endobj'") }
        return IndirectObject(reference: PDFReference(number: number, generation: generation), value: value, stream: stream,
                              range: start..<(next + 6), objectStream: nil, valueRanges: ranges)
    }
}

/// An indirect object as found in the file.
public struct IndirectObject: Hashable, Sendable {
    public let reference: PDFReference
    public let value: PDFObject
    /// Where its stream's data lies, if it is a stream.
    public let stream: Range<Int>?
    /// The bytes from its header to `endobj` (empty for an object inside an object stream).
    public let range: Range<Int>
    /// The object stream holding it, when it is compressed.
    public let objectStream: Int?
    /// Where a dictionary's top-level values lie in the file, when asked for (never for compressed objects).
    public var valueRanges: [PDFName: Range<Int>] = [:]
}
