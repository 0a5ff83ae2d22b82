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
        var components = DateComponents()
        components.year = part(0, 4, default: 0)
        components.month = part(4, 2, default: 1)
        components.day = part(6, 2, default: 1)
        components.hour = part(8, 2, default: 0)
        components.minute = part(10, 2, default: 0)
        components.second = part(12, 2, default: 0)
        var offset = 0
        let rest = text.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let zone = rest.dropFirst().filter { $0.isNumber }
            let hours = Int(zone.prefix(2)) ?? 0, minutes = Int(zone.dropFirst(2).prefix(2)) ?? 0
            offset = (hours * 60 + minutes) * 60 * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(secondsFromGMT: 0)!
        return calendar.date(from: components)
    }
}
