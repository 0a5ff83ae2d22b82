/// A PDF name, `/Type`: bytes that are written with `#xx` escapes where the syntax needs them.
public struct PDFName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name's bytes, without the slash and unescaped.
    public let bytes: [UInt8]

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { "/" + String(decoding: bytes, as: UTF8.self) }

    /// The bytes hashed at once, not one `combine` per byte: names are the keys of every dictionary lookup.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public func serialize(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "/"))
        for byte in bytes {
            if byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "#") || PDFSyntax.isDelimiter(byte) {
                out.append(UInt8(ascii: "#"))
                out.append(PDFSyntax.hexDigit(byte >> 4))
                out.append(PDFSyntax.hexDigit(byte & 0x0F))
            } else {
                out.append(byte)
            }
        }
    }
}

/// Character classes of PDF syntax (ISO 32000-2 §7.2).
enum PDFSyntax {
    static func isDelimiter(_ byte: UInt8) -> Bool { PDFParser.isDelimiter(byte) }

    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
