import Foundation

/// PDF dates (ISO 32000-2 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional.
enum PDFDate {
    static func parse(_ bytes: [UInt8]) -> Date? {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("D:") { text.removeFirst(2) }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4 else { return nil }
        func part(_ start: Int, _ length: Int, default value: Int) -> Int {
            guard digits.count >= start + length else { return value }
            let begin = digits.index(digits.startIndex, offsetBy: start)
            return Int(digits[begin..<digits.index(begin, offsetBy: length)]) ?? value
        }
        let components = (year: part(0, 4, default: 0), month: part(4, 2, default: 1), day: part(6, 2, default: 1),
                          hour: part(8, 2, default: 0), minute: part(10, 2, default: 0), second: part(12, 2, default: 0))
        guard (1...12).contains(components.month), (1...31).contains(components.day), components.hour < 24,
              components.minute < 60, components.second < 61 else { return nil }
        var offset = 0
        let rest = text.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let zone = rest.dropFirst().filter { $0.isNumber }
            let hours = Int(zone.prefix(2)) ?? 0, minutes = Int(zone.dropFirst(2).prefix(2)) ?? 0
            offset = (hours * 60 + minutes) * 60 * (sign == "-" ? -1 : 1)
        }
        // timegm, not Calendar: it is called for every signature, and Calendar goes through ICU.
        var fields = tm()
        fields.tm_year = Int32(components.year - 1900)
        fields.tm_mon = Int32(components.month - 1)
        fields.tm_mday = Int32(components.day)
        fields.tm_hour = Int32(components.hour)
        fields.tm_min = Int32(components.minute)
        fields.tm_sec = Int32(components.second)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&fields) - offset))
    }
}
