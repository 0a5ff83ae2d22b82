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
        var found: [ObjectReference] = []
        forEachReference(inValueAt: start) { found.append($0) }
        return found
    }

    /// Calls `body` with each reference in the object value at `start`, in order.
    ///
    /// The containers open around the current token are two bit sets (dictionary or array, by depth),
    /// not a stack of values: only the innermost dictionary's state and the object's top-level key matter.
    func forEachReference(inValueAt start: Int, _ body: (ObjectReference) -> Void) {
        var depth = 0
        var dictionaries: (UInt64, UInt64) = (0, 0)
        func isDictionary(_ level: Int) -> Bool {
            level < 64 ? (dictionaries.0 >> UInt64(level)) & 1 == 1 : (dictionaries.1 >> UInt64(level - 64)) & 1 == 1
        }
        func push(dictionary: Bool) {
            let bit: UInt64 = dictionary ? 1 : 0
            if depth < 64 {
                dictionaries.0 = dictionaries.0 & ~(1 << UInt64(depth)) | bit << UInt64(depth)
            } else {
                dictionaries.1 = dictionaries.1 & ~(1 << UInt64(depth - 64)) | bit << UInt64(depth - 64)
            }
            depth += 1
        }
        // The innermost dictionary: waiting for a key, or holding the key whose value comes next.
        var expectingKey = true
        var currentKey: Range<Int>?
        var topKey: Range<Int> = 0..<0
        var topName: (range: Range<Int>, name: PDFName)?
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
        while true {
            i = skipSpace(i)
            guard i < bytes.count, depth < 128 else { return }
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "<"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "<") {
                    push(dictionary: true)
                    expectingKey = true
                    currentKey = nil
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
                if depth > 0 { depth -= 1 }
            case UInt8(ascii: "["):
                push(dictionary: false)
                i += 1
                continue
            case UInt8(ascii: "]"):
                i += 1
                if depth > 0 { depth -= 1 }
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
                if depth > 0, isDictionary(depth - 1), expectingKey {
                    // A key (names with #xx escapes are keys this scan need not recognize).
                    let key = (i + 1)..<end
                    expectingKey = false
                    currentKey = key
                    if depth == 1 { topKey = key }
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
                if let (number, _) = unsignedInteger(at: i), number > 0, let (_, afterGeneration) = unsignedInteger(after: end),
                   case let r = skipSpace(afterGeneration), r < bytes.count, bytes[r] == UInt8(ascii: "R"),
                   r + 1 == bytes.count || !Self.isRegular(bytes[r + 1]) {
                    var backLink = false
                    var direct = false
                    if depth > 0, isDictionary(depth - 1), !expectingKey, let key = currentKey {
                        backLink = isBackLink(key)
                        direct = depth == 1
                    }
                    let key: PDFName = depth == 0 || topKey.isEmpty ? "" : name(topKey)
                    body(ObjectReference(number: number, key: key, direct: direct, backLink: backLink))
                    i = r + 1
                } else {
                    if depth == 0, hasKeyword("endobj", at: i) || hasKeyword("stream", at: i) { return }
                    i = end
                }
            }
            if depth == 0 { return }
            // A value ended: the innermost dictionary, if that is what holds it, waits for its next key.
            if isDictionary(depth - 1) { expectingKey = true }
        }
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
