import Foundation

/// Times as Vietnamese administrative documents print them: `hh:mm:ss dd/mm/yyyy +07:00` (ND 30/2020).
public enum VietnamTime {
    /// UTC+7, which Vietnam keeps all year.
    public static let offsetMinutes = 7 * 60

    /// `08:30:00 15/08/2024 +07:00`
    public static func format(_ date: Date) -> String {
        let text = RFC3339.format(date, offsetMinutes: offsetMinutes)  // 2024-08-15T08:30:00.000+07:00
        let day = text.prefix(10).split(separator: "-")
        let clock = text.dropFirst(11).prefix(8)
        return "\(clock) \(day[2])/\(day[1])/\(day[0]) +07:00"
    }

    /// The midnight in Vietnam that begins the day `date` falls in.
    public static func startOfDay(_ date: Date) -> Date {
        CivilDate(vietnam: date).vietnamTime(minutes: 0)
    }

    /// `2024-08-15T08:30:00.000+07:00`: RFC 3339 in Vietnam's time, as JSON and the logs write every time.
    public static func rfc3339(_ date: Date) -> String {
        RFC3339.format(date, offsetMinutes: offsetMinutes)
    }

    /// `08:30 15/08/2024`: the time as the web pages show it, in Vietnam's time.
    public static func short(_ date: Date) -> String {
        let text = RFC3339.format(date, offsetMinutes: offsetMinutes)
        let day = text.prefix(10).split(separator: "-")
        return "\(text.dropFirst(11).prefix(5)) \(day[2])/\(day[1])/\(day[0])"
    }

    /// `08 giờ 30 phút, ngày 05 tháng 05 năm 2025`: the time as the control slip (Biểu 05) writes it.
    public static func formWords(_ date: Date) -> String {
        let text = RFC3339.format(date, offsetMinutes: offsetMinutes)
        let day = text.prefix(10).split(separator: "-")
        let clock = text.dropFirst(11).prefix(5).split(separator: ":")
        return "\(clock[0]) giờ \(clock[1]) phút, ngày \(day[2]) tháng \(day[1]) năm \(day[0])"
    }
}
