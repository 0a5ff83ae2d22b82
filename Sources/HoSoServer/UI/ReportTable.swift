import HoSoSpreadsheet
import Hummingbird

/// A report as a table, for download as CSV (UTF-8 with BOM) or as an .xlsx workbook: one table, two
/// writers, so both files hold the same lines.
struct ReportTable {
    enum Format {
        case csv, xlsx
    }

    /// The file's name without its extension, and the sheet's.
    let file: String
    let sheet: String
    let header: [String]
    let rows: [[Cell]]

    func response(_ format: Format) throws -> Response {
        switch format {
        case .csv:
            return CSV.response(header: header, rows: rows.map { $0.map(\.plainText) }, file: file + ".csv")
        case .xlsx:
            let bytes = try Workbook(sheetName: sheet, header: header, rows: rows).xlsx()
            return Response(status: .ok, headers: [.contentType: Workbook.mediaType, .contentDisposition: "attachment; filename=\"\(file).xlsx\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
