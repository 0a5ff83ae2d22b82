import Foundation
import HoSoCore
import Testing

/// Working time counted by hand: office hours 07:30–11:30 and 13:00–17:00, Monday to Friday, the fixed
/// holidays and their days off, Tết 2025 (25 January to 2 February) and a worked Saturday as data.
struct WorkCalendarTests {
    let calendar = WorkCalendar(listed: try! HolidayList(parsing: """
        # 2025, as decided
        2025-01-25..2025-02-02   Tết Nguyên đán Ất Tỵ
        2025-04-07               Giỗ Tổ Hùng Vương
        work 2025-04-26          làm bù
        """))

    func vn(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test func workingTime_skipsNightsLunchWeekendsAndTet() {
        // Friday 15:00–17:00 (2 h), then nothing until Monday 3 February: 07:30–09:00 (1.5 h).
        #expect(calendar.workingSeconds(from: vn("2025-01-24T15:00:00+07:00"), to: vn("2025-02-03T09:00:00+07:00")) == 12_600)
        #expect(calendar.workingSeconds(from: vn("2025-02-03T09:00:00+07:00"), to: vn("2025-01-24T15:00:00+07:00")) == -12_600)
        // 11:00–13:30: half an hour before lunch, half an hour after.
        #expect(calendar.workingSeconds(from: vn("2025-02-03T11:00:00+07:00"), to: vn("2025-02-03T13:30:00+07:00")) == 3600)
    }

    @Test func dueTimes_countForwardInOfficeHours() {
        // Eight working hours from Friday 15:00: 2 h on Friday, 4 h on Monday morning, 2 h after lunch.
        #expect(calendar.adding(workingSeconds: 8 * 3600, to: vn("2025-01-24T15:00:00+07:00")) == vn("2025-02-03T15:00:00+07:00"))
        // Received after hours on Friday: one working day is Monday's whole day.
        #expect(calendar.adding(workingDays: 1, to: vn("2025-01-24T17:30:00+07:00")) == vn("2025-02-03T17:00:00+07:00"))
        #expect(calendar.adding(workingDays: 3, to: vn("2025-04-03T08:00:00+07:00")) == vn("2025-04-09T08:00:00+07:00"),
                "Thursday from 08:00, Friday, Tuesday (Monday is the Hùng Kings' day), Wednesday until 08:00")
    }

    @Test func waitingTimes_countBackInOfficeHours() {
        // From Monday 3 February 08:30, one working hour back is 07:30; two are Friday 24 January 16:00 (Tết between).
        #expect(calendar.subtracting(workingSeconds: 3600, from: vn("2025-02-03T08:30:00+07:00")) == vn("2025-02-03T07:30:00+07:00"))
        #expect(calendar.subtracting(workingSeconds: 2 * 3600, from: vn("2025-02-03T08:30:00+07:00")) == vn("2025-01-24T16:00:00+07:00"))
        // From 20:00, the evening does not count: 8 hours back from Tuesday 20:00 is Tuesday 07:30.
        #expect(calendar.subtracting(workingSeconds: 8 * 3600, from: vn("2025-02-04T20:00:00+07:00")) == vn("2025-02-04T07:30:00+07:00"))
        #expect(calendar.subtracting(workingSeconds: 0, from: vn("2025-02-04T20:00:00+07:00")) == vn("2025-02-04T20:00:00+07:00"))
        let back = calendar.subtracting(workingSeconds: 30 * 3600, from: vn("2025-04-10T10:00:00+07:00"))
        #expect(calendar.workingSeconds(from: back, to: vn("2025-04-10T10:00:00+07:00")) == 30 * 3600, "the inverse of counting")
    }

    @Test func fixedHolidaysOnAWeekend_giveTheNextWeekdaysOff() {
        let day = { (text: String) in CivilDate(parsing: text)! }
        // 2022: 30 April a Saturday, 1 May a Sunday: Monday 2 and Tuesday 3 May off.
        #expect(!calendar.isWorkingDay(day("2022-05-02")) && !calendar.isWorkingDay(day("2022-05-03")))
        #expect(calendar.isWorkingDay(day("2022-04-29")) && calendar.isWorkingDay(day("2022-05-04")))
        #expect(calendar.fixedHoliday(day("2022-05-03")) == "nghỉ bù Ngày Quốc tế Lao động")
        #expect(!calendar.isWorkingDay(day("2023-01-02")), "1 January 2023 was a Sunday")
        #expect(!calendar.isWorkingDay(day("2025-09-02")) && calendar.isWorkingDay(day("2025-09-03")))
        #expect(calendar.isWorkingDay(day("2025-04-26")), "a Saturday worked to make up")
        #expect(!calendar.isWorkingDay(day("2025-04-07")) && !calendar.isWorkingDay(day("2025-01-29")))
    }

    @Test func timeliness_earlyOnTimeOrLate_byWorkingTime() {
        let due = vn("2025-02-03T15:00:00+07:00")
        #expect(Timeliness(done: vn("2025-02-03T16:00:00+07:00"), due: due, calendar: calendar) == .late(workingSeconds: 3600))
        #expect(Timeliness(done: vn("2025-02-03T10:00:00+07:00"), due: due, calendar: calendar) == .onTime)
        // Friday 16:00–17:00, Monday 07:30–11:30 and 13:00–15:00: seven hours early.
        let early = Timeliness(done: vn("2025-01-24T16:00:00+07:00"), due: due, calendar: calendar)
        #expect(early == .early(workingSeconds: 25_200) && early.vietnamese == "Trước hạn")
        #expect(Timeliness.onTime.vietnamese == "Đúng hạn" && Timeliness.late(workingSeconds: 1).vietnamese == "Quá hạn")
    }

    @Test(arguments: [
        ("2025-01-25..2025-02-02 Tết\nfoo bar\n", 2, "not a day"),
        ("2025-13-01 Tháng mười ba\n", 1, "not a day"),
        ("# ok\n\n2025-02-02..2025-01-25 ngược\n", 3, "run forward"),
        ("2025-01-01..2025-03-01 quá dài\n", 1, "at most 31"),
        ("work\n", 1, "must follow 'work'"),
    ])
    func aHolidayListThatDoesNotParse_namesItsLine(text: String, line: Int, reason: String) {
        #expect(throws: HolidayList.Invalid.self) { try HolidayList(parsing: text) }
        do { _ = try HolidayList(parsing: text) } catch {
            #expect(error.line == line && error.reason.contains(reason), "\(error)")
        }
    }

    @Test func officeHours_andDays_parseStrictly() throws {
        #expect(WorkHours.standard.minutesPerDay == 480 && WorkHours.standard.description == "07:30-11:30,13:00-17:00")
        for bad in ["07:30-11:30,11:00-17:00", "7:30-11:30", "11:30-07:30", ""] {
            #expect(throws: WorkHours.Invalid.self, "\(bad)") { try WorkHours(parsing: bad) }
        }
        #expect(CivilDate(parsing: "2025-01-29")?.weekday == 3 && CivilDate(dayNumber: 0).weekday == 4 && CivilDate(dayNumber: -1).weekday == 3)
        #expect(CivilDate(parsing: "2024-02-29") != nil && CivilDate(parsing: "2025-02-29") == nil && CivilDate(parsing: "2025-1-29") == nil)
        #expect(CivilDate(vietnam: vn("2025-01-28T17:00:00Z")).description == "2025-01-29", "midnight in Vietnam")
    }
}
