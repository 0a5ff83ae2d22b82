import Foundation

/// A day of the calendar, without a time or a zone: `2025-01-29`. Kept as its number of days since
/// 1970-01-01, so days compare, count and step as integers.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// Nil unless `month` and `day` name a day of `year`'s Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        dayNumber = RFC3339.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`, exactly.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `date` falls in, in Vietnam (UTC+7).
    public init(vietnam date: Date) {
        let local = RFC3339.milliseconds(date) + Int64(VietnamTime.offsetMinutes) * 60_000
        dayNumber = Int(local.floorDivided(by: 86_400_000).0)
    }

    public var parts: (year: Int, month: Int, day: Int) {
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: Int64(dayNumber))
        return (year, month, day)
    }

    /// 1 Monday … 7 Sunday (ISO 8601); 1970-01-01 was a Thursday.
    public var weekday: Int {
        let fromMonday = (dayNumber + 3) % 7
        return (fromMonday < 0 ? fromMonday + 7 : fromMonday) + 1
    }

    /// The instant `minutes` after midnight of this day in Vietnam.
    public func vietnamTime(minutes: Int) -> Date {
        Date(timeIntervalSince1970: Double(dayNumber) * 86_400 + Double(minutes - VietnamTime.offsetMinutes) * 60)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public var description: String {
        let (year, month, day) = parts
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
