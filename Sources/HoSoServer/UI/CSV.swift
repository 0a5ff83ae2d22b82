import Hummingbird

/// Tables as CSV that Excel opens right: UTF-8 with a byte-order mark (without it Excel reads Vietnamese
/// as Windows-1252), CRLF line ends, every field quoted, quotes doubled (RFC 4180). A field that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
enum CSV {
    static func text(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        let safe = value.first.map { "=+-@".contains($0) } == true && Double(value) == nil ? "'" + value : value
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func response(header: [String], rows: [[String]], file: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(file)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text(header: header, rows: rows))))
    }
}
