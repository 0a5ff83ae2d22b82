import Foundation

/// Working time as Vietnam's offices count it: office hours (``WorkHours``) on Monday to Friday, less the
/// public holidays, plus the weekend days worked to make up for a day off.
///
/// The fixed solar holidays of the Labour Code (2019, art. 112) are built in — 1 January, 30 April,
/// 1 May, 2 September — each moved to the next working day when it falls on a weekend (nghỉ bù). The
/// lunar ones (Tết, the Hùng Kings' day) and each year's decided days come from a ``HolidayList``.
public struct WorkCalendar: Sendable {
    public let hours: WorkHours
    public let listed: HolidayList

    public init(hours: WorkHours = .standard, listed: HolidayList = HolidayList()) {
        self.hours = hours
        self.listed = listed
    }

    /// The fixed holiday this day is, or is the day off owed for one, if any.
    public func fixedHoliday(_ day: CivilDate) -> String? {
        Self.fixedDaysOff(year: day.parts.year)[day]
    }

    /// A year's fixed holidays, and for each that falls on a weekend, the first weekday after it not
    /// already off (30 April on a Saturday and 1 May on a Sunday: Monday and Tuesday off).
    static func fixedDaysOff(year: Int) -> [CivilDate: String] {
        var off: [CivilDate: String] = [:]
        for (month, day, name) in fixed { off[CivilDate(year: year, month: month, day: day)!] = name }
        for holiday in off.keys.sorted() where holiday.weekday >= 6 {
            var owed = holiday.adding(days: 1)
            while owed.weekday >= 6 || off[owed] != nil { owed = owed.adding(days: 1) }
            off[owed] = "nghỉ bù \(off[holiday]!)"
        }
        return off
    }

    static let fixed = [(1, 1, "Tết Dương lịch"), (4, 30, "Ngày Chiến thắng"), (5, 1, "Ngày Quốc tế Lao động"), (9, 2, "Quốc khánh")]

    public func isWorkingDay(_ day: CivilDate) -> Bool {
        if listed.daysWorked[day] != nil { return true }
        return day.weekday <= 5 && listed.daysOff[day] == nil && fixedHoliday(day) == nil
    }

    /// Working seconds between two instants: the office hours of working days inside `[from, to)`;
    /// negative when `to` comes first.
    public func workingSeconds(from: Date, to: Date) -> Double {
        guard from <= to else { return -workingSeconds(from: to, to: from) }
        var total = 0.0
        var day = CivilDate(vietnam: from)
        let last = CivilDate(vietnam: to)
        while day <= last {
            if isWorkingDay(day) {
                for period in hours.periods {
                    let start = max(day.vietnamTime(minutes: period.start), from), end = min(day.vietnamTime(minutes: period.end), to)
                    if start < end { total += end.timeIntervalSince(start) }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// The instant `seconds` of working time after `start` (a due time: so many working hours or days
    /// after receipt). Work never begins outside office hours: from Friday 17:30, one hour ends on
    /// Monday at 08:30.
    public func adding(workingSeconds seconds: Double, to start: Date) -> Date {
        var left = seconds
        var day = CivilDate(vietnam: start)
        while true {
            if isWorkingDay(day) {
                for period in hours.periods {
                    let from = max(day.vietnamTime(minutes: period.start), start), end = day.vietnamTime(minutes: period.end)
                    guard from < end else { continue }
                    let available = end.timeIntervalSince(from)
                    if left <= available { return from.addingTimeInterval(left) }
                    left -= available
                }
            }
            day = day.adding(days: 1)
        }
    }

    /// The latest instant `seconds` of working time before `end` (how long a result has waited, counted
    /// back): from Monday 08:30, one hour back is Friday 16:30. `end` itself for none.
    public func subtracting(workingSeconds seconds: Double, from end: Date) -> Date {
        guard seconds > 0 else { return end }
        var left = seconds
        var day = CivilDate(vietnam: end)
        // Ten years back at most: a calendar with no working day at all would never end.
        for _ in 0..<3660 {
            if isWorkingDay(day) {
                for period in hours.periods.reversed() {
                    let start = day.vietnamTime(minutes: period.start), stop = min(day.vietnamTime(minutes: period.end), end)
                    guard start < stop else { continue }
                    let available = stop.timeIntervalSince(start)
                    if left <= available { return stop.addingTimeInterval(-left) }
                    left -= available
                }
            }
            day = day.adding(days: -1)
        }
        return day.vietnamTime(minutes: 0)
    }

    /// So many working days after `start`: each a full day of office hours.
    public func adding(workingDays days: Int, to start: Date) -> Date {
        adding(workingSeconds: Double(days * hours.minutesPerDay * 60), to: start)
    }
}

/// How a step or a case ended against its due time (Biểu 05's "Trước hạn / đúng hạn / quá hạn"), and by
/// how much working time.
public enum Timeliness: Equatable, Sendable {
    /// Done on a working day before the due one.
    case early(workingSeconds: Double)
    /// Done on the due day, by the due time.
    case onTime
    /// Done after the due time.
    case late(workingSeconds: Double)

    public init(done: Date, due: Date, calendar: WorkCalendar) {
        if done > due {
            self = .late(workingSeconds: calendar.workingSeconds(from: due, to: done))
        } else if CivilDate(vietnam: done) == CivilDate(vietnam: due) {
            self = .onTime
        } else {
            self = .early(workingSeconds: calendar.workingSeconds(from: done, to: due))
        }
    }

    /// The form's words.
    public var vietnamese: String {
        switch self {
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late: "Quá hạn"
        }
    }
}
