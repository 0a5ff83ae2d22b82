import Foundation

/// Copies some pages of a PDF into a new PDF: each page with what it uses (content streams, resources,
/// images, fonts), streams copied as they are coded, nothing decoded or re-encoded.
///
/// Attributes a page inherits from its page tree (Resources, MediaBox, CropBox, Rotate) are written onto
/// the copied page. Annotations, article beads and structure references are left out: they can point
/// at pages that are not copied. Used to split a scanner's PDF batch at separator sheets.
public struct PDFPageCopier {
    let reader: PDFReader

    public init(reader: PDFReader) {
        self.reader = reader
    }

    /// The pages, in order, as (dictionary with inherited attributes).
    public func pages() throws(PDFReadError) -> [PDFDictionary] {
        guard case .dictionary(let catalog)? = try reader.resolve(reader.trailer["Root"]),
              case .reference(let root)? = catalog["Pages"] else { throw PDFReadError(at: 0, "the document has no page tree") }
        var pages: [PDFDictionary] = []
        var visited: Set<Int> = []
        func walk(_ reference: PDFReference, inherited: PDFDictionary, depth: Int) throws(PDFReadError) {
            guard depth < 64, visited.insert(reference.number).inserted else { throw PDFReadError(at: 0, "the page tree loops") }
            guard case .dictionary(let node)? = try reader.resolve(.reference(reference)) else { return }
            var carried = inherited
            for key in Self.inheritable { if let value = node[key] { carried[key] = value } }
            if node["Type"] == .name("Pages") || node["Kids"] != nil {
                guard case .array(let kids)? = try reader.resolve(node["Kids"]) else { return }
                for kid in kids { if case .reference(let child) = kid { try walk(child, inherited: carried, depth: depth + 1) } }
            } else {
                var page = node
                for key in Self.inheritable where page[key] == nil { if let value = carried[key] { page[key] = value } }
                pages.append(page)
            }
        }
        try walk(root, inherited: PDFDictionary(), depth: 0)
        return pages
    }

    static let inheritable: [PDFName] = ["Resources", "MediaBox", "CropBox", "Rotate"]
    static let dropped: Set<PDFName> = ["Parent", "Annots", "B", "StructParents", "Thumb"]

    /// Writes pages `selection` (indices from 0, in the order given) to `destination`.
    public func copy(_ selection: [Int], to destination: URL, durable: Bool = true) throws {
        let all = try pages()
        let writer = try PDFFileWriter(destination: destination, version: "1.7", durable: durable)
        let catalog = writer.allocate(), tree = writer.allocate()
        var copied: [Int: PDFReference] = [:]
        var kids: [PDFObject] = []
        for index in selection {
            guard all.indices.contains(index) else { throw PDFReadError(at: 0, "page \(index + 1) asked for, the document has \(all.count)") }
            var page = PDFDictionary()
            for (key, value) in all[index].entries where !Self.dropped.contains(key) {
                page[key] = try copy(value, into: writer, copied: &copied, depth: 0)
            }
            page["Parent"] = .reference(tree)
            let reference = writer.allocate()
            try writer.write(.dictionary(page), as: reference)
            kids.append(.reference(reference))
        }
        try writer.write(.dictionary(["Type": .name("Pages"), "Kids": .array(kids), "Count": .integer(kids.count)]), as: tree)
        try writer.write(.dictionary(["Type": .name("Catalog"), "Pages": .reference(tree)]), as: catalog)
        try writer.commit(root: catalog)
    }

    /// `value` with every reference replaced by one to a copy in `writer` (each object copied once).
    private func copy(_ value: PDFObject, into writer: PDFFileWriter, copied: inout [Int: PDFReference], depth: Int) throws -> PDFObject {
        guard depth < 256 else { throw PDFReadError(at: 0, "objects nested too deep to copy") }
        switch value {
        case .reference(let reference):
            if let done = copied[reference.number] { return .reference(done) }
            guard let object = try reader.object(reference.number) else { return .null }
            let target = writer.allocate()
            copied[reference.number] = target
            switch object.value {
            case .dictionary(let dictionary) where object.stream != nil:
                var copy = PDFDictionary()
                for (key, item) in dictionary.entries where key != "Length" && key != "Parent" {
                    copy[key] = try self.copy(item, into: writer, copied: &copied, depth: depth + 1)
                }
                try writer.writeStream(copy, data: reader.bytes(object.stream!), as: target)
            default:
                let body = try self.copy(object.value, into: writer, copied: &copied, depth: depth + 1)
                try writer.write(body, as: target)
            }
            return .reference(target)
        case .array(let items):
            return .array(try items.map { try copy($0, into: writer, copied: &copied, depth: depth + 1) })
        case .dictionary(let dictionary):
            var copy = PDFDictionary()
            for (key, item) in dictionary.entries where key != "Parent" {
                copy[key] = try self.copy(item, into: writer, copied: &copied, depth: depth + 1)
            }
            return .dictionary(copy)
        default:
            return value
        }
    }
}
