/// A PDF string: raw bytes, written as a literal `(...)` or as hex `<...>`.
public struct PDFString: Hashable, Sendable {
    public enum Form: Hashable, Sendable {
        case literal
        case hex
    }

    public let bytes: [UInt8]
    public let form: Form

    public init(bytes: [UInt8], form: Form = .literal) {
        self.bytes = bytes
        self.form = form
    }

    /// A text string (ISO 32000-2 §7.9.2): ASCII as is, anything else as UTF-16BE with a byte order mark,
    /// which every reader since PDF 1.2 understands.
    public init(text: String) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            self.init(bytes: Array(text.utf8))
        } else {
            var utf16: [UInt8] = [0xFE, 0xFF]
            for unit in text.utf16 {
                utf16.append(UInt8(unit >> 8))
                utf16.append(UInt8(unit & 0xFF))
            }
            self.init(bytes: utf16, form: .hex)
        }
    }

    public func serialize(into out: inout [UInt8]) {
        switch form {
        case .hex:
            out.append(UInt8(ascii: "<"))
            for byte in bytes {
                out.append(PDFSyntax.hexDigit(byte >> 4))
                out.append(PDFSyntax.hexDigit(byte & 0x0F))
            }
            out.append(UInt8(ascii: ">"))
        case .literal:
            out.append(UInt8(ascii: "("))
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                case 0x0A: out.append(contentsOf: Array(#"\n"#.utf8))
                case 0x0D: out.append(contentsOf: Array(#"\r"#.utf8))
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: ")"))
        }
    }
}

extension PDFString {
    /// The string read as a text string (ISO 32000-2 §7.9.2.2): UTF-16BE after a byte order mark,
    /// UTF-8 after one (PDF 2.0), else PDFDocEncoding, whose printable range HoSo reads as Latin-1.
    public var text: String {
        if bytes.starts(with: [0xFE, 0xFF]) {
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
