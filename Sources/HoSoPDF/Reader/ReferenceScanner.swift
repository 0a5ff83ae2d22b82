import Foundation

/// One reference an object makes, as the change analysis needs it: to object `number`, under the
/// object's top-level key `key` (empty when the object is not a dictionary); `direct` when it is that
/// key's value itself, not inside an array or dictionary under it; `backLink` when it is the value of a
/// `/Parent` or `/P` key at any depth (a widget pointing at its page).
public struct ObjectReference: Hashable, Sendable {
    public let number: Int
    public let key: PDFName
    public let direct: Bool
    public let backLink: Bool
}

extension PDFParser {
    /// The references in the object value at `start`, found by reading its tokens without building the
    /// value (no allocation but the result): walking a document's objects for their references costs a
    /// fraction of parsing them. Stops at the value's end; a stream's data is never read.
    func references(inValueAt start: Int) -> [ObjectReference] {
        // Keys are kept as where they are in the bytes: a name is made only for a reference's top-level key.
        enum Container {
            case dictionary(expectingKey: Bool, key: Range<Int>?)
            case array
        }
        var stack: [Container] = []
        var topKey: Range<Int> = 0..<0
        var topName: (range: Range<Int>, name: PDFName)?
        var found: [ObjectReference] = []
        func name(_ range: Range<Int>) -> PDFName {
            if let topName, topName.range == range { return topName.name }
            // `/Annot#73` is `/Annots`: escaped names are decoded as the parser decodes them.
            let made: PDFName
            if bytes[range].contains(UInt8(ascii: "#")), case .name(let decoded)? = try? self.name(at: range.lowerBound - 1).0 {
                made = decoded
            } else {
                made = PDFName(bytes: Array(bytes[range]))
            }
            topName = (range, made)
            return made
        }
        func isBackLink(_ range: Range<Int>) -> Bool {
            if bytes[range].contains(UInt8(ascii: "#")) {
                guard case .name(let decoded)? = try? self.name(at: range.lowerBound - 1).0 else { return false }
                return decoded == "Parent" || decoded == "P"
            }
            return (range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "P"))
                || (range.count == 6 && zip(bytes[range], "Parent".utf8).allSatisfy { $0 == $1 })
        }
        var i = start
        func valueDone() {
            if case .dictionary(_, let key)? = stack.last { stack[stack.count - 1] = .dictionary(expectingKey: true, key: key) }
        }
        while true {
            i = skipSpace(i)
            guard i < bytes.count else { return found }
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "<"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "<") {
                    stack.append(.dictionary(expectingKey: true, key: nil))
                    i += 2
                    continue
                }
                // A hex string (a signature's /Contents is 16 KB of them): its end found at memchr's pace.
                let rest = bytes.count - i
                i = memchr(bytes.baseAddress! + i, Int32(UInt8(ascii: ">")), rest).map { bytes.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                i += 1
            case UInt8(ascii: ">"):
                i += 1
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { continue }
                i += 1
                _ = stack.popLast()
            case UInt8(ascii: "["):
                stack.append(.array)
                i += 1
                continue
            case UInt8(ascii: "]"):
                i += 1
                _ = stack.popLast()
            case UInt8(ascii: "("):
                var nesting = 0
                while i < bytes.count {
                    let character = bytes[i]
                    if character == UInt8(ascii: "\\") { i += 2; continue }
                    if character == UInt8(ascii: "(") { nesting += 1 }
                    if character == UInt8(ascii: ")") { nesting -= 1; if nesting == 0 { i += 1; break } }
                    i += 1
                }
            case UInt8(ascii: "/"):
                var end = i + 1
                while end < bytes.count, Self.isRegular(bytes[end]) { end += 1 }
                if case .dictionary(true, _)? = stack.last {
                    // A key (names with #xx escapes are keys this scan need not recognize).
                    let key = (i + 1)..<end
                    stack[stack.count - 1] = .dictionary(expectingKey: false, key: key)
                    if stack.count == 1 { topKey = key }
                    i = end
                    continue
                }
                i = end
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ")"):
                i += 1
                continue
            default:
                // A token, read in place: a number (perhaps the first of `n g R`), a keyword, a real.
                var end = i
                while end < bytes.count, Self.isRegular(bytes[end]) { end += 1 }
                guard end > i else { i += 1; continue }
                if let number = digits(i..<end), number > 0, let afterGeneration = digitsEnd(after: end),
                   case let r = skipSpace(afterGeneration), r < bytes.count, bytes[r] == UInt8(ascii: "R"),
                   r + 1 == bytes.count || !Self.isRegular(bytes[r + 1]) {
                    var backLink = false
                    var direct = false
                    if case .dictionary(false, let key?)? = stack.last {
                        backLink = isBackLink(key)
                        direct = stack.count == 1
                    }
                    let key: PDFName = stack.isEmpty || topKey.isEmpty ? "" : name(topKey)
                    found.append(ObjectReference(number: number, key: key, direct: direct, backLink: backLink))
                    i = r + 1
                } else {
                    if stack.isEmpty, hasKeyword("endobj", at: i) || hasKeyword("stream", at: i) { return found }
                    i = end
                }
            }
            if stack.isEmpty { return found }
            valueDone()
        }
    }

    /// The value of `range` when it is all decimal digits (at most 18), else nil.
    private func digits(_ range: Range<Int>) -> Int? {
        guard range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Where a generation number (digits, at most 65535) after `offset` ends, or nil when there is none.
    private func digitsEnd(after offset: Int) -> Int? {
        let start = skipSpace(offset)
        var end = start
        while end < bytes.count, Self.isRegular(bytes[end]) { end += 1 }
        guard let value = digits(start..<end), end > start, value <= 65535 else { return nil }
        return end
    }
}

extension PDFObject {
    /// PDF's white-space characters (ISO 32000-2 §7.2.3), for readers outside this module.
    public static func isWhitespace(_ byte: UInt8) -> Bool { PDFParser.isWhitespace(byte) }

    /// The references in this value, as ``PDFParser/references(inValueAt:)`` finds them in an object's bytes.
    public func referencesInValue() -> [ObjectReference] { references() }

    /// The references in this value, as ``PDFParser/references(inValueAt:)`` finds them in bytes.
    func references(topKey: PDFName = "", depth: Int = 0, inside: PDFName? = nil, top: Bool = true) -> [ObjectReference] {
        switch self {
        case .reference(let reference):
            return [ObjectReference(number: reference.number, key: topKey, direct: depth == 1 && inside != nil,
                                    backLink: inside == "Parent" || inside == "P")]
        case .array(let items):
            return items.flatMap { $0.references(topKey: topKey, depth: depth + 1, inside: nil, top: false) }
        case .dictionary(let dictionary):
            return dictionary.entries.flatMap { key, value in
                value.references(topKey: top ? key : topKey, depth: depth + 1, inside: key, top: false)
            }
        default:
            return []
        }
    }
}
