/// A cell of a sheet: text is shown as written (never run as a formula), numbers are numbers a
/// spreadsheet can sum.
public enum Cell: Hashable, Sendable {
    case text(String)
    case number(Double)

    public static func integer(_ value: Int) -> Cell { .number(Double(value)) }

    /// The cell as plain text, as a CSV or the sheet's XML holds it: whole numbers without a decimal point;
    /// nothing for a number that is not finite.
    public var plainText: String {
        switch self {
        case .text(let text): text
        case .number(let value) where !value.isFinite: ""
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }
}

/// An Office Open XML workbook (.xlsx, ECMA-376) of one sheet: a bold, frozen header row, then the rows.
/// Text is written inline in each cell (no shared-strings part), which every reader of the format takes.
public struct Workbook: Sendable {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public let sheetName: String
    public let header: [String]
    public let rows: [[Cell]]

    /// `sheetName` is cut to what a sheet name may be: 31 characters, none of `[]:*?/\`.
    public init(sheetName: String, header: [String], rows: [[Cell]]) {
        let allowed = sheetName.filter { !"[]:*?/\\".contains($0) }
        self.sheetName = allowed.isEmpty ? "Sheet1" : String(allowed.prefix(31))
        self.header = header
        self.rows = rows
    }

    /// The .xlsx file's bytes.
    public func xlsx() throws -> [UInt8] {
        var archive = ZipArchive()
        for (path, xml) in parts { try archive.add(path, Array(xml.utf8)) }
        return try archive.finished()
    }

    private var parts: [(String, String)] {
        let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let package = "http://schemas.openxmlformats.org/package/2006"
        let office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        return [
            ("[Content_Types].xml", declaration + """
                <Types xmlns="\(package)/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="\(types).sheet.main+xml"/>\
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="\(types).worksheet+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="\(types).styles+xml"/>\
                </Types>
                """),
            ("_rels/.rels", declaration + """
                <Relationships xmlns="\(package)/relationships">\
                <Relationship Id="rId1" Type="\(office)/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", declaration + """
                <workbook xmlns="\(main)" xmlns:r="\(office)"><sheets>\
                <sheet name="\(XMLText.escaped(sheetName))" sheetId="1" r:id="rId1"/>\
                </sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", declaration + """
                <Relationships xmlns="\(package)/relationships">\
                <Relationship Id="rId1" Type="\(office)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(office)/styles" Target="styles.xml"/>\
                </Relationships>
                """),
            // Two cell formats: 0 plain, 1 bold (the header).
            ("xl/styles.xml", declaration + """
                <styleSheet xmlns="\(main)">\
                <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
                </styleSheet>
                """),
            ("xl/worksheets/sheet1.xml", declaration + sheet(main: main)),
        ]
    }

    private func sheet(main: String) -> String {
        var xml = #"<worksheet xmlns="\#(main)">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if !header.isEmpty {
            xml += "<cols>" + header.indices.map { #"<col min="\#($0 + 1)" max="\#($0 + 1)" width="\#(width(column: $0))" customWidth="1"/>"# }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        xml += row(1, header.map(Cell.text), style: 1)
        for (index, cells) in rows.enumerated() { xml += row(index + 2, cells, style: 0) }
        return xml + "</sheetData></worksheet>"
    }

    private func row(_ number: Int, _ cells: [Cell], style: Int) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            let reference = Self.column(index) + String(number)
            let styled = style == 0 ? "" : #" s="\#(style)""#
            switch cell {
            case .text(let text):
                xml += #"<c r="\#(reference)"\#(styled) t="inlineStr"><is><t xml:space="preserve">\#(XMLText.escaped(XMLText.cell(text)))</t></is></c>"#
            case .number(let value) where value.isFinite:
                xml += #"<c r="\#(reference)"\#(styled)><v>\#(cell.plainText)</v></c>"#
            case .number:
                xml += #"<c r="\#(reference)"\#(styled)/>"#  // no number for NaN or infinity: an empty cell
            }
        }
        return xml + "</row>"
    }

    /// A column wide enough for its header and its longest text, within reason (in characters).
    private func width(column: Int) -> Int {
        let longest = ([header[column].count] + rows.prefix(1000).map { cells in
            guard column < cells.count, case .text(let text) = cells[column] else { return 8 }
            return text.count
        }).max() ?? 8
        return min(max(longest + 2, 8), 60)
    }

    /// `A` … `Z`, `AA` …: the name of the column at a 0-based index.
    public static func column(_ index: Int) -> String {
        var name = "", rest = index + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + digit))) + name
            rest = (rest - 1) / 26
        }
        return name
    }
}

/// Text as XML 1.0 may hold it.
enum XMLText {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where allowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// What a cell may hold: at most 32,767 characters (UTF-16 units, as spreadsheets count).
    static func cell(_ text: String) -> String {
        guard text.utf16.count > 32_767 else { return text }
        var kept = "", units = 0
        for character in text {
            units += character.utf16.count
            guard units <= 32_767 else { break }
            kept.append(character)
        }
        return kept
    }

    /// XML 1.0's characters: tab, line feed, carriage return, and from U+0020 on, without the surrogates
    /// (never a scalar) and U+FFFE, U+FFFF.
    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
