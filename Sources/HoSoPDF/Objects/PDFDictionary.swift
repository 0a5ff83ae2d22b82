/// A PDF dictionary that keeps its keys in insertion order, so written files are stable and readable.
/// Two dictionaries are equal when they map the same keys to the same values, in any order: a writer
/// that re-serializes a dictionary has not changed it.
public struct PDFDictionary: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: PDFName, value: PDFObject)]
    /// Keys the file gave more than once (the first value is kept): legal syntax, ambiguous meaning.
    public private(set) var duplicateKeys: [PDFName] = []

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

    /// Records that the file gave `key` again after its first value.
    mutating func recordDuplicate(_ key: PDFName) {
        if !duplicateKeys.contains(key) { duplicateKeys.append(key) }
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
        lhs.entries.count == rhs.entries.count && lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, as equality is: the sum of each entry's own hash.
        var sum = 0
        for (key, value) in entries {
            var entry = Hasher()
            entry.combine(key)
            entry.combine(value)
            sum = sum &+ entry.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(sum)
    }
}
