import Foundation
import HoSoCore
import Testing

/// A land case walked through the offices over a weekend and the Hùng Kings' day (Monday 7 April 2025),
/// every lateness computed by hand in office hours (07:30–11:30, 13:00–17:00).
struct CaseTimelineTests {
    let calendar = WorkCalendar(listed: try! HolidayList(parsing: "2025-04-07   Giỗ Tổ Hùng Vương"))
    let caseID = try! CaseID(parsing: "000.00.14.H27-250403-0001")

    func vn(_ text: String) -> Date { RFC3339.parse(text + "+07:00")! }

    func step(_ from: String, _ to: String, at time: String, due: String?, number: Int64) -> Event {
        let entry = ProgressEntry.handOver(HandOver(from: Party(name: from, person: "Người \(from)"), to: Party(name: to, person: "Người \(to)"),
                                                    dueAt: due.map(vn)))
        return Event(id: number, caseID: caseID, time: vn(time), actor: "token:mot-cua", kind: entry.kind, details: entry.details)
    }

    func change(_ entry: ProgressEntry, at time: String, number: Int64) -> Event {
        Event(id: number, caseID: caseID, time: vn(time), actor: "token:mot-cua", kind: entry.kind, details: entry.details)
    }

    var registered: Case {
        Case(id: caseID, receivedAt: vn("2025-04-03T09:00:00"), dueAt: vn("2025-04-10T17:00:00"), createdAt: vn("2025-04-03T09:00:00"))
    }

    var walk: [Event] {
        [
            step("Bộ phận Một cửa", "Văn phòng Đăng ký đất đai", at: "2025-04-03T10:00:00", due: "2025-04-03T17:00:00", number: 1),
            step("Văn phòng Đăng ký đất đai", "Lãnh đạo", at: "2025-04-08T09:00:00", due: "2025-04-04T17:00:00", number: 2),
            change(.supplementRequested(reason: "thiếu bản vẽ"), at: "2025-04-08T10:00:00", number: 3),
            change(.supplementReceived(note: "đã nộp bản vẽ"), at: "2025-04-09T10:00:00", number: 4),
            step("Lãnh đạo", "Văn thư", at: "2025-04-10T08:00:00", due: "2025-04-09T17:00:00", number: 5),
            step("Văn thư", "Bộ phận Một cửa", at: "2025-04-11T14:00:00", due: "2025-04-10T17:00:00", number: 6),
            Event(id: 7, caseID: caseID, time: vn("2025-04-11T15:00:00"), actor: "token:mot-cua", kind: .returned),
        ]
    }

    @Test func eachStep_isJudgedInOfficeHoursAgainstItsDueTime() {
        let timeline = CaseTimeline(case: registered, events: walk, calendar: calendar, now: vn("2025-05-01T00:00:00"))
        #expect(timeline.rows.map(\.number) == [1, 2, 3, 4])
        // 1: handed on Thursday 10:00, due the same day at 17:00.
        #expect(timeline.rows[0].timeliness == .onTime)
        // 2: due Friday 17:00, handed on Tuesday 09:00: Monday is the holiday; Tuesday 07:30–09:00.
        #expect(timeline.rows[1].timeliness == .late(workingSeconds: 1.5 * 3600))
        // 3: due Wednesday 17:00, but the clock stood still Tuesday 10:00 → Wednesday 10:00 inside the step
        // (1.5 h + 4 h + 2.5 h = 8 h, one working day): due Thursday 17:00; handed on Thursday 08:00.
        #expect(timeline.rows[2].effectiveDueAt == vn("2025-04-10T17:00:00"))
        #expect(timeline.rows[2].timeliness == .onTime)
        // 4: due Thursday 17:00, handed on Friday 14:00: 07:30–11:30 and 13:00–14:00.
        #expect(timeline.rows[3].timeliness == .late(workingSeconds: 5 * 3600))
    }

    @Test func theClockStopsWhileDocumentsAreAwaited() {
        let timeline = CaseTimeline(case: registered, events: walk, calendar: calendar, now: vn("2025-05-01T00:00:00"))
        #expect(timeline.pausedSeconds == 8 * 3600)
        #expect(timeline.effectiveDueAt == vn("2025-04-11T17:00:00"), "Thursday 17:00 moved one working day")
        // Returned Friday 15:00: on the due day, in time; without the pause it would be 6 h late.
        #expect(timeline.timeliness == .onTime)
        let unpaused = walk.filter { $0.kind != .supplementRequested && $0.kind != .supplementReceived }
        #expect(CaseTimeline(case: registered, events: unpaused, calendar: calendar, now: vn("2025-05-01T00:00:00")).timeliness
            == .late(workingSeconds: 6 * 3600))
    }

    @Test func anOpenCase_isLateOnlyOncePastItsDueTime_andAnOpenPauseKeepsTheClockStill() {
        let opened = Array(walk.prefix(3))  // more documents asked for on Tuesday 10:00, never received
        let before = CaseTimeline(case: registered, events: opened, calendar: calendar, now: vn("2025-04-10T12:00:00"))
        #expect(before.timeliness == nil)
        // At Friday 11 April 17:00 the clock has stood still since Tuesday 10:00: 1.5 + 4 + 8 + 8 + 8 = 29.5 h.
        let waiting = CaseTimeline(case: registered, events: opened, calendar: calendar, now: vn("2025-04-11T17:00:00"))
        #expect(waiting.pausedSeconds == 29.5 * 3600 && waiting.timeliness == nil)
        let unpaused = CaseTimeline(case: registered, events: Array(walk.prefix(2)), calendar: calendar, now: vn("2025-04-11T09:00:00"))
        #expect(unpaused.timeliness == .late(workingSeconds: 1.5 * 3600), "Thursday 17:00 to Friday 09:00")
    }

    @Test func anExtensionExcusesNothing_andAWithdrawnCaseIsNotJudged() {
        var extended = registered
        extended.dueAt = vn("2025-04-15T17:00:00")
        let letter = ProgressEntry.extended(newDueAt: vn("2025-04-15T17:00:00"), apologyLetter: "12/PXL", reason: "chờ ý kiến phối hợp")
        var details = letter.details
        details["previousDueAt"] = RFC3339.format(vn("2025-04-10T17:00:00"))
        let events = [Event(id: 1, caseID: caseID, time: vn("2025-04-10T16:00:00"), actor: "token:mot-cua", kind: .dueExtended, details: details),
                      Event(id: 2, caseID: caseID, time: vn("2025-04-14T09:00:00"), actor: "token:mot-cua", kind: .returned)]
        let timeline = CaseTimeline(case: extended, events: events, calendar: calendar, now: vn("2025-05-01T00:00:00"))
        #expect(timeline.firstDueAt == vn("2025-04-10T17:00:00") && timeline.promisedDueAt == vn("2025-04-15T17:00:00"))
        // Thursday 17:00 → Monday 09:00: Friday's 8 h and Monday 07:30–09:00.
        #expect(timeline.timeliness == .late(workingSeconds: 9.5 * 3600))
        let withdrawn = [change(.withdrawn(reason: "người nộp rút"), at: "2025-04-14T09:00:00", number: 1)]
        #expect(CaseTimeline(case: registered, events: withdrawn, calendar: calendar, now: vn("2025-05-01T00:00:00")).timeliness == nil)
    }

    @Test func theRule_refusesOutOfOrderTimesClosedCasesAndUnpairedPauses() {
        let earlier = Array(walk.prefix(2))
        let rule = ProgressRule(current: registered, earlier: earlier)
        let handOver = ProgressEntry.handOver(HandOver(from: Party(name: "A", person: "a"), to: Party(name: "B", person: "b")))
        #expect(rule.refusal(of: handOver, at: vn("2025-04-08T08:59:59")) == .beforePrevious(time: vn("2025-04-08T08:59:59"),
                                                                                          previous: vn("2025-04-08T09:00:00")))
        #expect(rule.refusal(of: handOver, at: vn("2025-04-08T09:00:00")) == nil, "the same time as the previous step is in order")
        #expect(rule.refusal(of: .supplementReceived(note: ""), at: vn("2025-04-09T09:00:00")) == .notPaused)
        #expect(ProgressRule(current: registered, earlier: Array(walk.prefix(3))).refusal(of: .supplementRequested(reason: "x"),
                                                                                           at: vn("2025-04-09T09:00:00")) == .alreadyPaused)
        #expect(rule.refusal(of: .extended(newDueAt: vn("2025-04-09T17:00:00"), apologyLetter: "1", reason: "r"), at: vn("2025-04-09T09:00:00"))
            == .dueNotLater(current: vn("2025-04-10T17:00:00"), asked: vn("2025-04-09T17:00:00")))
        var returned = registered
        returned.status = .returned
        #expect(ProgressRule(current: returned, earlier: earlier).refusal(of: handOver, at: vn("2025-04-12T09:00:00")) == .caseClosed(.returned))
    }

    @Test func workingTime_inWords() {
        #expect(WorkHours.standard.vietnamese(workingSeconds: 9.5 * 3600) == "1 ngày 1 giờ 30 phút")
        #expect(WorkHours.standard.vietnamese(workingSeconds: 0) == "0 phút")
        #expect(WorkHours.standard.english(workingSeconds: 9.5 * 3600) == "1 day 1 h 30 min")
        #expect(VietnamTime.formWords(vn("2025-04-08T09:05:00")) == "09 giờ 05 phút, ngày 08 tháng 04 năm 2025")
    }
}

/// The ≥ 1/4 rule, by hand: a one-day case (Monday 3 March 2025, 07:30–17:00: 8 working hours).
struct ExcusableDelayTests {
    let calendar = WorkCalendar()
    let id = try! CaseID(parsing: "000.00.14.H27-250303-0001")
    func vn(_ text: String) -> Date { RFC3339.parse(text + "+07:00")! }

    func delay(outages: [(String, String)], events: [Event] = []) -> ExcusableDelay {
        let item = Case(id: id, receivedAt: vn("2025-03-03T07:30:00"), dueAt: vn("2025-03-03T17:00:00"), createdAt: vn("2025-03-03T07:30:00"))
        let timeline = CaseTimeline(case: item, events: events, calendar: calendar, now: vn("2025-03-10T00:00:00"))
        return ExcusableDelay(timeline: timeline, receivedAt: vn("2025-03-03T07:30:00"),
                              outages: outages.map { TimeSpan(from: vn($0.0), to: vn($0.1)) }, calendar: calendar)
    }

    @Test func threeHoursOfEight_isExcusable_oneIsNot() {
        // 08:00–10:00 and 13:00–14:00: three hours.
        let three = delay(outages: [("2025-03-03T08:00:00", "2025-03-03T10:00:00"), ("2025-03-03T13:00:00", "2025-03-03T14:00:00")])
        #expect(three.allowedSeconds == 8 * 3600 && three.outageSeconds == 3 * 3600 && three.excusable)
        let one = delay(outages: [("2025-03-03T09:00:00", "2025-03-03T10:00:00")])
        #expect(one.outageSeconds == 3600 && !one.excusable && one.share == 0.125)
    }

    @Test func onlyWorkingHoursInsideTheCaseCount_andOverlapsCountOnce() {
        // 11:00–14:00 holds the lunch break (1.5 h off): 1.5 h of work; the night before and the day after are outside.
        let spanning = delay(outages: [("2025-03-02T20:00:00", "2025-03-03T08:00:00"), ("2025-03-03T11:00:00", "2025-03-03T14:00:00"),
                                       ("2025-03-03T11:30:00", "2025-03-03T13:30:00"), ("2025-03-04T08:00:00", "2025-03-04T12:00:00")])
        #expect(spanning.outageSeconds == 0.5 * 3600 + 1.5 * 3600, "07:30–08:00, then 11:00–11:30 and 13:00–14:00")
        #expect(spanning.excusable, "2 of 8 hours: exactly a quarter")
    }
}
