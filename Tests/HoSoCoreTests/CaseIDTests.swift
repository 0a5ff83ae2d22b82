import HoSoCore
import Testing

@Suite struct CaseIDTests {
    static let valid: [(text: String, agency: String, date: String, sequence: Int)] = [
        ("000.00.14.H27-240815-0007", "000.00.14.H27", "2024-08-15", 7),
        ("000.00.00.H27-240101-0001", "000.00.00.H27", "2024-01-01", 1),
        ("000.00.14.H27-241231-9999", "000.00.14.H27", "2024-12-31", 9999),
        ("000.00.14.H27-240229-0100", "000.00.14.H27", "2024-02-29", 100),  // 2024 is a leap year
        ("000.00.00.G01-000229-0001", "000.00.00.G01", "2000-02-29", 1),  // 2000 is a leap year
        ("001.12.34.K05-250630-0420", "001.12.34.K05", "2025-06-30", 420),
        ("A01.B2.C3.H01-991231-1234", "A01.B2.C3.H01", "2099-12-31", 1234),
        ("000.00.25.H56-230131-0010", "000.00.25.H56", "2023-01-31", 10),
        ("000.00.14.H27-230228-0002", "000.00.14.H27", "2023-02-28", 2),
    ]

    @Test(arguments: valid)
    func validCaseIDs_parseIntoTheirParts(_ example: (text: String, agency: String, date: String, sequence: Int)) throws {
        let id = try CaseID(parsing: example.text)
        #expect(id.agency.rawValue == example.agency)
        #expect(id.receivedOn.description == example.date)
        #expect(id.sequence == example.sequence)
        #expect(id.description == example.text, "the canonical form round-trips")
    }

    static let invalid: [(text: String, error: CaseIDError, mentions: String)] = [
        ("", .empty, "empty"),
        ("000.00.14.H27-240231-0007", .notADate("240231"), "'240231' is not a date"),
        ("000.00.14.H27-230229-0007", .notADate("230229"), "not a date"),  // 2023 is not a leap year
        ("000.00.14.H27-241301-0007", .notADate("241301"), "not a date"),
        ("000.00.14.H27-240800-0007", .notADate("240800"), "not a date"),
        ("000.00.14.H27-240431-0007", .notADate("240431"), "not a date"),
        ("000.00.14.H27-24081-0007", .dateFormat("24081"), "six digits"),
        ("000.00.14.H27-2408150-0007", .dateFormat("2408150"), "six digits"),
        ("000.00.14.H27-0000", .shape(parts: 2), "expected <agency code>-<YYMMDD>-<NNNN>"),
        ("000.00.14.H27-240815-0007-1", .shape(parts: 4), "4 dash-separated parts"),
        ("000.00.14.H27-240815-0000", .sequenceZero, "'0000'"),
        ("000.00.14.H27-240815-007", .sequenceFormat("007"), "four digits"),
        ("000.00.14.H27-240815-00007", .sequenceFormat("00007"), "four digits"),
        ("000.00.14.H27-240815-", .sequenceFormat(""), "four digits"),
        ("000.00.14.h27-240815-0007", .strayCharacter("h", position: 11), "stray character 'h' at position 11"),
        ("000.00.14.H27_240815_0007", .strayCharacter("_", position: 14), "stray character '_'"),
        (" 000.00.14.H27-240815-0007", .strayCharacter(" ", position: 1), "U+20"),
        ("000.00.14.H27-240815-0007\n", .strayCharacter("\n", position: 26), "U+A"),
        ("000.00.14.H27–240815–0007", .strayCharacter("–", position: 14), "'–'"),  // en dash from a word processor
        ("00.00.14.H27-240815-0007", .agency(.levelLength(level: 1, found: "00", expected: 3)), "level 1 '00'"),
        ("000.00.14-240815-0007", .agency(.levelCount(3)), "3 dot-separated levels"),
        ("000.00.14.127-240815-0007", .agency(.topLevel("127")), "top level '127'"),
        ("000.00.14.HH7-240815-0007", .agency(.topLevel("HH7")), "letter and two digits"),
        ("000..14.H27-240815-0007", .agency(.levelLength(level: 2, found: "", expected: 2)), "level 2"),
        ("-240815-0007", .agency(.empty), "agency code is empty"),
        (String(repeating: "0", count: 48), .tooLong(48), "48 characters"),
    ]

    @Test(arguments: invalid)
    func invalidCaseIDs_sayWhichPartIsWrong(_ example: (text: String, error: CaseIDError, mentions: String)) {
        #expect(throws: example.error) { try CaseID(parsing: example.text) }
        #expect(example.error.description.contains(example.mentions), "\(example.error.description)")
    }

    @Test func caseIDs_sortByTheirText_andCodeAsStrings() throws {
        let a = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let b = try CaseID(parsing: "000.00.14.H27-240815-0010")
        #expect(a < b)
        let encoded = try JSONEncoder().encode([a])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["000.00.14.H27-240815-0007"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CaseID].self, from: Data(#"["000.00.14.H27-240231-0007"]"#.utf8))
        }
    }
}

import Foundation
