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
        enum Container {
            case dictionary(expectingKey: Bool, key: PDFName?)
            case array
        }
        var stack: [Container] = []
        var topKey: PDFName = ""
        var found: [ObjectReference] = []
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
                while i < bytes.count, bytes[i] != UInt8(ascii: ">") { i += 1 }
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
                    let name = PDFName(bytes: Array(bytes[(i + 1)..<end]))
                    stack[stack.count - 1] = .dictionary(expectingKey: false, key: name)
                    if stack.count == 1 { topKey = name }
                    i = end
                    continue
                }
                i = end
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ")"):
                i += 1
                continue
            default:
                let (text, end) = word(at: i)
                guard !text.isEmpty else { i += 1; continue }
                if stack.isEmpty, text == "endobj" || text == "stream" { return found }
                i = end
                // `n g R`: a reference.
                if let number = Int(text), number > 0, let (_, afterGeneration) = generation(after: end),
                   case let r = skipSpace(afterGeneration), hasKeyword("R", at: r) {
                    var backLink = false
                    var direct = false
                    if case .dictionary(false, let key?)? = stack.last {
                        backLink = key == "Parent" || key == "P"
                        direct = stack.count == 1
                    }
                    found.append(ObjectReference(number: number, key: stack.isEmpty ? "" : topKey, direct: direct, backLink: backLink))
                    i = r + 1
                }
            }
            if stack.isEmpty { return found }
            valueDone()
        }
    }

    private func generation(after offset: Int) -> (Int, Int)? {
        let start = skipSpace(offset)
        guard start < bytes.count, bytes[start] >= UInt8(ascii: "0"), bytes[start] <= UInt8(ascii: "9") else { return nil }
        let (text, end) = word(at: start)
        guard let value = Int(text), value >= 0, value <= 65535 else { return nil }
        return (value, end)
    }
}

extension PDFObject {
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
