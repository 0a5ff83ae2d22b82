/// The office hours of a working day, as minutes after midnight in Vietnam: `07:30-11:30,13:00-17:00`
/// (`calendar.work_hours`). Periods are in order and do not overlap.
public struct WorkHours: Hashable, Sendable, CustomStringConvertible {
    public struct Period: Hashable, Sendable {
        public let start: Int
        public let end: Int
        public var minutes: Int { end - start }
    }

    public let periods: [Period]

    /// Minutes of work in one working day.
    public var minutesPerDay: Int { periods.reduce(0) { $0 + $1.minutes } }

    /// Vietnam's administrative hours: four in the morning, four in the afternoon.
    public static let standard = try! WorkHours(parsing: "07:30-11:30,13:00-17:00")

    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "'\(text)': \(reason)" }
    }

    public init(parsing text: String) throws(Invalid) {
        var periods: [Period] = []
        for piece in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let ends = piece.split(separator: "-")
            guard ends.count == 2, let start = Self.minutes(String(ends[0])), let end = Self.minutes(String(ends[1])) else {
                throw Invalid(text: text, reason: "'\(piece)' is not HH:MM-HH:MM")
            }
            guard start < end else { throw Invalid(text: text, reason: "'\(piece)' ends before it starts") }
            if let last = periods.last, start < last.end { throw Invalid(text: text, reason: "'\(piece)' overlaps or precedes the period before it") }
            periods.append(Period(start: start, end: end))
        }
        guard !periods.isEmpty else { throw Invalid(text: text, reason: "no working period") }
        self.periods = periods
    }

    /// Working time in words, a day being these hours once: `1 ngày 2 giờ 30 phút` làm việc; `0 phút` for none.
    public func vietnamese(workingSeconds seconds: Double) -> String {
        words(workingSeconds: seconds, units: ("ngày", "giờ", "phút"))
    }

    /// The same in English: `1 day 2 h 30 min`; `0 min` for none.
    public func english(workingSeconds seconds: Double) -> String {
        words(workingSeconds: seconds, units: ("day", "h", "min"))
    }

    private func words(workingSeconds seconds: Double, units: (day: String, hour: String, minute: String)) -> String {
        let minutes = Int((seconds / 60).rounded())
        let days = minutes / minutesPerDay, rest = minutes % minutesPerDay
        let parts = [(days, units.day), (rest / 60, units.hour), (rest % 60, units.minute)].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.isEmpty ? "0 \(units.minute)" : parts.joined(separator: " ")
    }

    public var description: String {
        periods.map { "\(Self.clock($0.start))-\(Self.clock($0.end))" }.joined(separator: ",")
    }

    /// `HH:MM` (00:00 to 24:00) as minutes.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 24 * 60 else { return nil }
        return hours * 60 + minutes
    }

    static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}
