/// A PDF dictionary that keeps its keys in insertion order, so written files are stable and readable.
public struct PDFDictionary: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: PDFName, value: PDFObject)]

    public init() {
        entries = []
    }

    public init(dictionaryLiteral elements: (PDFName, PDFObject)...) {
        entries = []
        for (key, value) in elements { self[key] = value }
    }

    /// The value for `key`; setting nil removes it.
    public subscript(key: PDFName) -> PDFObject? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public func serialize(into out: inout [UInt8]) {
        out.append(contentsOf: "<<".utf8)
        for (key, value) in entries {
            key.serialize(into: &out)
            out.append(UInt8(ascii: " "))
            value.serialize(into: &out)
            out.append(UInt8(ascii: " "))
        }
        out.append(contentsOf: ">>".utf8)
    }

    public static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in entries {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
