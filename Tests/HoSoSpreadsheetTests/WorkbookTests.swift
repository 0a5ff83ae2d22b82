import Foundation
import HoSoSpreadsheet
import HoSoTestSupport
import Testing

/// Workbooks read back by tools HoSo did not write: Python's zipfile (the archive's CRCs and sizes),
/// openpyxl (the workbook as a spreadsheet program reads it, any warning of its an error) and Info-ZIP's `unzip -t`.
struct WorkbookTests {
    let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path

    /// Writes `workbook` and has openpyxl read it back: each row's values as JSON, numbers as numbers.
    func readBack(_ workbook: Workbook) async throws -> (rows: [[JSONValue]], bold: Bool, frozen: String, sheet: String, members: [String]) {
        let folder = try makeTemporaryDirectory("workbook")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.xlsx")
        try Data(try workbook.xlsx()).write(to: file)
        let unzip = try await ExternalTool.run("unzip", ["-t", file.path])
        #expect(unzip.status == 0, "unzip -t: \(unzip.output)")
        let read = try await ExternalTool.run(python, ["-W", "error", "-c", """
            import json, sys, zipfile, openpyxl
            archive = zipfile.ZipFile(sys.argv[1])
            assert archive.testzip() is None, "a member's CRC is wrong"
            book = openpyxl.load_workbook(sys.argv[1])
            sheet = book.active
            print(json.dumps({"rows": [list(row) for row in sheet.iter_rows(values_only=True)], "bold": sheet["A1"].font.b,
                              "frozen": sheet.freeze_panes, "sheet": sheet.title, "members": archive.namelist()}))
            """, file.path])
        try #require(read.status == 0, "openpyxl: \(read.output)")
        struct Answer: Decodable { let rows: [[JSONValue]]; let bold: Bool; let frozen: String; let sheet: String; let members: [String] }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(read.output.utf8))
        return (answer.rows, answer.bold, answer.frozen, answer.sheet, answer.members)
    }

    @Test func aReportReadsBackAsWritten() async throws {
        let workbook = Workbook(sheetName: "Số hóa", header: ["Cơ quan", "Thủ tục", "Hồ sơ", "Giờ chờ"], rows: [
            [.text("000.00.14.H27"), .text("1.004227"), .integer(12), .number(26.5)],
            [.text("<script>alert(1)</script> & \"Lê Thị Lan\""), .text("=SUM(A1:A9)"), .integer(0), .number(-3.25)],
        ])
        let back = try await readBack(workbook)
        #expect(back.rows == [
            [.text("Cơ quan"), .text("Thủ tục"), .text("Hồ sơ"), .text("Giờ chờ")],
            [.text("000.00.14.H27"), .text("1.004227"), .number(12), .number(26.5)],
            [.text("<script>alert(1)</script> & \"Lê Thị Lan\""), .text("=SUM(A1:A9)"), .number(0), .number(-3.25)],
        ])
        #expect(back.bold, "the header row is bold")
        #expect(back.frozen == "A2", "the header row stays in view")
        #expect(back.sheet == "Số hóa")
        #expect(back.members.contains("xl/worksheets/sheet1.xml") && back.members.contains("[Content_Types].xml"))
    }

    @Test func whatXMLCannotHoldIsLeftOutAndNamesAreCut() async throws {
        let wide = (0..<30).map { Cell.text("c\($0)") }
        let workbook = Workbook(sheetName: "a/b:c*d?e[f]g\\h and a name longer than thirty-one", header: (0..<30).map { "h\($0)" },
                                rows: [[.text("bell\u{7} nul\u{0} tab\tkept")] , wide, [.number(.nan), .number(1e300)]])
        let back = try await readBack(workbook)
        #expect(back.sheet == "abcdefgh and a name longer than")
        #expect(back.rows[1].first == .text("bell nul tab\tkept"))
        #expect(back.rows[2].count == 30 && back.rows[2][26] == .text("c26"), "column AA after Z")
        #expect(back.rows[3].prefix(2) == [.null, .number(1e300)])
        #expect(Workbook.column(0) == "A" && Workbook.column(25) == "Z" && Workbook.column(26) == "AA" && Workbook.column(701) == "ZZ"
                && Workbook.column(702) == "AAA")
    }

    @Test func theSameTableGivesTheSameBytes() throws {
        let make = { Workbook(sheetName: "x", header: ["a"], rows: [[.integer(1)]]) }
        #expect(try make().xlsx() == make().xlsx())
    }
}

/// A JSON value as openpyxl's rows come back.
enum JSONValue: Decodable, Equatable {
    case text(String), number(Double), bool(Bool), null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .text(try container.decode(String.self)) }
    }
}
