import Foundation

/// DER encodings the CMS builder needs (X.690): each returns a whole element.
extension DER {
    static func sequence(_ parts: [UInt8]...) -> [UInt8] { wrap(0x30, parts.flatMap { $0 }) }
    /// A SET OF, its elements in DER order (sorted by their encodings).
    static func set(of parts: [[UInt8]], tag: UInt8 = 0x31) -> [UInt8] {
        wrap(tag, parts.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 })
    }
    static func octetString(_ bytes: [UInt8]) -> [UInt8] { wrap(0x04, bytes) }
    static let null: [UInt8] = [0x05, 0x00]

    static func integer(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while rest > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return wrap(0x02, bytes)
    }

    /// An OBJECT IDENTIFIER from its dotted form, `1.2.840.113549.1.7.2`.
    static func oid(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { Int($0)! }
        var body: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            body += chunk
        }
        return wrap(0x06, body)
    }

    /// A UTCTime (years 1950–2049), `YYMMDDHHMMSSZ`.
    static func utcTime(_ seconds: Int) -> [UInt8] {
        var time = time_t(seconds)
        var fields = tm()
        gmtime_r(&time, &fields)
        let text = String(format: "%02d%02d%02d%02d%02d%02dZ", fields.tm_year % 100, fields.tm_mon + 1, fields.tm_mday,
                          fields.tm_hour, fields.tm_min, fields.tm_sec)
        return wrap(0x17, Array(text.utf8))
    }
}
