/// The days off a year's decisions name, as a text file an office keeps (`calendar.holidays`): one entry
/// a line, `#` starts a comment.
///
///     2025-01-25..2025-02-02   Tết Nguyên đán Ất Tỵ
///     2025-04-07               Giỗ Tổ Hùng Vương
///     work 2025-04-26          làm bù: a Saturday worked for a day off
///
/// Tết and the Hùng Kings' day follow the lunar calendar and each year's decision; they are data here,
/// never code. The fixed solar holidays are ``WorkCalendar``'s own.
public struct HolidayList: Hashable, Sendable {
    public private(set) var daysOff: [CivilDate: String] = [:]
    public private(set) var daysWorked: [CivilDate: String] = [:]

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public let line: Int
        public let text: String
        public let reason: String
        public var description: String { "line \(line): '\(text)': \(reason)" }
    }

    public init(parsing text: String) throws(Invalid) {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard !words.isEmpty else { continue }
            let worked = words[0] == "work"
            if worked { words.removeFirst() }
            guard let range = words.first else { throw Invalid(line: index + 1, text: line, reason: "a day (YYYY-MM-DD) or days (FROM..TO) must follow 'work'") }
            let name = words.dropFirst().joined(separator: " ")
            let ends = range.components(separatedBy: "..")
            guard ends.count <= 2, let first = CivilDate(parsing: ends[0]), let last = ends.count == 2 ? CivilDate(parsing: ends[1]) : first else {
                throw Invalid(line: index + 1, text: range, reason: "not a day YYYY-MM-DD or days FROM..TO")
            }
            guard first <= last, last.dayNumber - first.dayNumber < 31 else {
                throw Invalid(line: index + 1, text: range, reason: "the days must run forward, at most 31 of them")
            }
            for number in first.dayNumber...last.dayNumber {
                let day = CivilDate(dayNumber: number)
                if worked { daysWorked[day] = name } else { daysOff[day] = name }
            }
        }
        if let both = daysOff.keys.filter({ daysWorked[$0] != nil }).min() {
            throw Invalid(line: 0, text: both.description, reason: "listed both as a day off and as a day worked")
        }
    }
}
