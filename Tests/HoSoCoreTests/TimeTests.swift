import Foundation
import HoSoCore
import Testing

@Suite struct TimeTests {
    @Test(arguments: [
        ("2024-08-15T08:30:00+07:00", "2024-08-15T01:30:00.000Z"),
        ("2024-08-15T01:30:00Z", "2024-08-15T01:30:00.000Z"),
        ("2024-08-15T01:30:00.1234Z", "2024-08-15T01:30:00.123Z"),
        ("2024-02-29T23:59:59.999-05:00", "2024-03-01T04:59:59.999Z"),
        ("1969-12-31T23:59:59.500Z", "1969-12-31T23:59:59.500Z"),
        ("2000-01-01T00:00:00+00:00", "2000-01-01T00:00:00.000Z"),
    ])
    func rfc3339_readsAnyOffset_writesUTCWithMilliseconds(input: String, canonical: String) throws {
        let date = try #require(RFC3339.parse(input))
        #expect(RFC3339.format(date) == canonical)
        #expect(RFC3339.parse(canonical) == date)
    }

    @Test(arguments: ["", "2024-08-15", "2024-08-15T08:30:00", "2024-02-30T00:00:00Z", "2024-08-15T24:00:00Z",
                      "2024-08-15T08:30:00+7:00", "2024-08-15T08:30:00Zjunk", "2024-08-15T08:30:00.Z"])
    func rfc3339_refusesWhatIsNotATimestamp(input: String) {
        #expect(RFC3339.parse(input) == nil)
    }

    @Test func rfc3339_agreesWithFoundationOnManyInstants() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for seconds in stride(from: -2_000_000_000, through: 4_000_000_000, by: 7_777_777) {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(RFC3339.format(date).replacingOccurrences(of: ".000", with: "") == formatter.string(from: date))
        }
    }

    @Test func vietnamTime_printsTheSlipFormat() throws {
        let date = try #require(RFC3339.parse("2024-08-15T01:30:05Z"))
        #expect(VietnamTime.format(date) == "08:30:05 15/08/2024 +07:00")
        let lateEvening = try #require(RFC3339.parse("2024-12-31T20:00:00Z"))
        #expect(VietnamTime.format(lateEvening) == "03:00:00 01/01/2025 +07:00")
    }

    /// Vietnam's day begins at 17:00 UTC the evening before: a time just before and just after that
    /// boundary, and the boundary itself.
    @Test func vietnamTime_startOfDay_isMidnightInVietnam() throws {
        let midnight = try #require(RFC3339.parse("2024-12-31T17:00:00Z"))  // 00:00 on 01/01/2025 in Vietnam
        for text in ["2024-12-31T17:00:00Z", "2025-01-01T16:59:59.999Z", "2025-01-01T08:00:00Z"] {
            #expect(VietnamTime.startOfDay(try #require(RFC3339.parse(text))) == midnight, "\(text)")
        }
        #expect(VietnamTime.startOfDay(try #require(RFC3339.parse("2024-12-31T16:59:59.999Z"))) == midnight.addingTimeInterval(-86_400))
        #expect(VietnamTime.startOfDay(try #require(RFC3339.parse("1969-12-31T20:00:00Z"))) == RFC3339.parse("1969-12-31T17:00:00Z"),
                "before 1970 too")
    }
}
