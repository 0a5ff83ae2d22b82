/// A PDF object (ISO 32000-2 §7.3): the values a PDF file is made of.
public indirect enum PDFObject: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int)
    case real(Double)
    case string(PDFString)
    case name(PDFName)
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case reference(PDFReference)

    /// Appends the object's PDF syntax to `out`.
    public func serialize(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .boolean(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .real(let value): out.append(contentsOf: PDFObject.format(real: value).utf8)
        case .string(let value): value.serialize(into: &out)
        case .name(let value): value.serialize(into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: " ")) }
                item.serialize(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary): dictionary.serialize(into: &out)
        case .reference(let reference): out.append(contentsOf: "\(reference.number) \(reference.generation) R".utf8)
        }
    }

    /// The object's PDF syntax.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        serialize(into: &out)
        return out
    }

    /// Reals without exponents (PDF has none), at most 6 decimals, trailing zeros dropped. PDF has no
    /// infinity and readers take at most about ±3.4 × 10^38; HoSo's writers never ask for more than
    /// ±10^12, and anything beyond (or not a number) is written as that bound (or 0) rather than trapping.
    static func format(real requested: Double) -> String {
        let value = requested.isNaN ? 0 : min(max(requested, -1e12), 1e12)
        let scaled = (value * 1_000_000).rounded()
        if scaled == 0 { return "0" }
        let magnitude = UInt64(abs(scaled))
        var whole = magnitude / 1_000_000
        var fraction = magnitude % 1_000_000
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        if fraction != 0 {
            var places = 6
            while fraction % 10 == 0 { fraction /= 10; places -= 1 }
            for _ in 0..<places {
                digits.append(UInt8(ascii: "0") + UInt8(fraction % 10))
                fraction /= 10
            }
            digits.append(UInt8(ascii: "."))
        }
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(whole % 10))
            whole /= 10
        } while whole > 0
        if scaled < 0 { digits.append(UInt8(ascii: "-")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}

/// A reference to an indirect object, `12 0 R`.
public struct PDFReference: Hashable, Sendable, Comparable {
    public let number: Int
    public let generation: Int

    public init(number: Int, generation: Int = 0) {
        precondition(number > 0, "object number 0 is reserved for the free list head")
        self.number = number
        self.generation = generation
    }

    public static func < (lhs: PDFReference, rhs: PDFReference) -> Bool {
        (lhs.number, lhs.generation) < (rhs.number, rhs.generation)
    }
}

extension PDFObject: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral,
    ExpressibleByArrayLiteral
{
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(arrayLiteral elements: PDFObject...) { self = .array(elements) }
}
