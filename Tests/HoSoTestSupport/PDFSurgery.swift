import Foundation
import HoSoPDF

/// Byte surgery on PDFs for tests that forge what an attacker would: read a file's layout, append an
/// incremental update by hand (objects, a classic cross-reference table, a trailer).
public enum PDFSurgery {
    /// Where the first page and the catalog are, and their dictionaries as PDF syntax to edit.
    public struct Layout {
        public let root: Int
        public let catalog: String
        public let page: Int
        public let pageText: String
        public let content: Int?
        /// The form's own object number when it is not stored in the catalog, and its syntax.
        public let acroForm: (number: Int?, text: String)?
        /// A number no revision uses yet.
        public let nextNumber: Int
    }

    public struct SurgeryError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func layout(of file: URL) throws -> Layout {
        let reader = try PDFReader(path: file.path)
        guard case .reference(let root)? = reader.trailer["Root"], case .dictionary(let catalog)? = try reader.resolve(.reference(root)),
              case .dictionary(let pages)? = try reader.resolve(catalog["Pages"]),
              case .array(let kids)? = try reader.resolve(pages["Kids"]), case .reference(let page)? = kids.first,
              case .dictionary(let pageDictionary)? = try reader.resolve(.reference(page)) else {
            throw SurgeryError(description: "\(file.path): no first page")
        }
        var content: Int?
        if case .reference(let reference)? = pageDictionary["Contents"] { content = reference.number }
        var acroForm: (Int?, String)?
        switch catalog["AcroForm"] {
        case .reference(let reference)?: acroForm = (reference.number, text(try reader.resolve(.reference(reference)) ?? .null))
        case let value?: acroForm = (nil, text(value))
        case nil: acroForm = nil
        }
        var next = 1
        if case .integer(let size)? = reader.trailer["Size"] { next = size }
        for revision in reader.revisions { next = max(next, (revision.entries.keys.max() ?? 0) + 1) }
        return Layout(root: root.number, catalog: text(.dictionary(catalog)), page: page.number, pageText: text(.dictionary(pageDictionary)),
                      content: content, acroForm: acroForm, nextNumber: next)
    }

    /// `file` with an update appended that adds or replaces `objects` (number → object syntax, streams
    /// included), its trailer given `trailer`'s entries (PDF syntax) besides `/Size`, `/Root`, `/Prev`, `/ID`.
    public static func appendUpdate(to file: URL, writing output: URL, objects: [Int: String], trailer extra: [String: String] = [:]) throws {
        let reader = try PDFReader(path: file.path)
        var bytes = Array(try Data(contentsOf: file))
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var offsets: [(Int, Int)] = []
        for (number, text) in objects.sorted(by: { $0.key < $1.key }) {
            offsets.append((number, bytes.count))
            bytes += Array("\(number) 0 obj\n\(text)\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n0 1\n0000000000 65535 f\r\n"
        for (number, offset) in offsets { table += "\(number) 1\n" + String(format: "%010d 00000 n\r\n", offset) }
        var size = objects.keys.max().map { $0 + 1 } ?? 1
        if case .integer(let declared)? = reader.trailer["Size"] { size = max(size, declared) }
        var trailer = "<< /Size \(size) /Prev \(reader.head.xrefOffset)"
        if let root = reader.trailer["Root"], extra["Root"] == nil { trailer += " /Root " + text(root) }
        if let id = reader.trailer["ID"] { trailer += " /ID " + text(id) }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { trailer += " /\(key) \(value)" }
        bytes += Array(table.utf8) + Array("trailer\n\(trailer) >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        try Data(bytes).write(to: output)
    }

    /// A PDF written by hand: `objects` (syntax) as objects 1, 2, … with the generations `generations`
    /// gives (else 0), a classic cross-reference table (passed through `xref`, for tests that damage it)
    /// and a trailer whose `/Root` is object 1.
    public static func handWritten(_ objects: [String], generations: [Int: Int] = [:], xref tamper: (String) -> String = { $0 }) -> String {
        var text = "%PDF-1.7\n"
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for (index, object) in objects.enumerated() {
            let generation = generations[index + 1] ?? 0
            table += String(format: "%010d %05d n \n", text.utf8.count, generation)
            text += "\(index + 1) \(generation) obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        return text + tamper(table) + "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    }

    /// A stream object's syntax.
    public static func stream(_ data: String, dictionary: String = "") -> String {
        "<< \(dictionary) /Length \(data.utf8.count) >>\nstream\n\(data)\nendstream"
    }

    static func text(_ object: PDFObject) -> String { String(decoding: object.bytes, as: UTF8.self) }
}
