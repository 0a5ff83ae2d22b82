import Foundation

/// Copies some pages of a PDF into a new PDF: each page with what it uses (content streams, resources,
/// images, fonts), streams copied as they are coded, nothing decoded or re-encoded.
///
/// Attributes a page inherits from its page tree (Resources, MediaBox, CropBox, Rotate) are written onto
/// the copied page. Annotations, article beads and structure references are left out: they can point
/// at pages that are not copied. Used to split a scanner's PDF batch at separator sheets, and to bring
/// a rendered signature appearance into a signed file as a form XObject.
public struct PDFPageCopier {
    let reader: PDFReader

    public init(reader: PDFReader) {
        self.reader = reader
    }

    /// The pages, in order, as dictionaries with their inherited attributes.
    public func pages() throws(PDFReadError) -> [PDFDictionary] {
        try located().map(\.page)
    }

    /// The pages, in order: each page object's reference and its dictionary with inherited attributes.
    public func located() throws(PDFReadError) -> [(reference: PDFReference, page: PDFDictionary)] {
        guard case .dictionary(let catalog)? = try reader.resolve(reader.trailer["Root"]),
              case .reference(let root)? = catalog["Pages"] else { throw PDFReadError(at: 0, "the document has no page tree") }
        var pages: [(reference: PDFReference, page: PDFDictionary)] = []
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
                pages.append((reference, page))
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
        var writer = try PDFFileWriter(destination: destination, version: "1.7", durable: durable)
        let catalog = writer.allocate(), tree = writer.allocate()
        var copied: [Int: PDFReference] = [:]
        var kids: [PDFObject] = []
        for index in selection {
            guard all.indices.contains(index) else { throw PDFReadError(at: 0, "page \(index + 1) asked for, the document has \(all.count)") }
            var page = PDFDictionary()
            for (key, value) in all[index].entries where !Self.dropped.contains(key) {
                page[key] = try copy(value, into: &writer, copied: &copied, depth: 0)
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

    /// Page `index` as a form XObject in `sink` (ISO 32000-2 §8.10): its resources copied, its content
    /// streams as the form's stream (one stream kept as coded; several decoded and joined), its media
    /// box as the form's bounding box. Returns the form and that box.
    public func formXObject<Sink: PDFObjectSink>(page index: Int, into sink: inout Sink) throws -> (form: PDFReference, box: [Double]) {
        let all = try pages()
        guard all.indices.contains(index) else { throw PDFReadError(at: 0, "page \(index + 1) asked for, the document has \(all.count)") }
        let page = all[index]
        guard case .array(let boxItems)? = try reader.resolve(page["MediaBox"]), boxItems.count == 4 else {
            throw PDFReadError(at: 0, "the page has no /MediaBox")
        }
        let box = try boxItems.map { item throws(PDFReadError) -> Double in
            switch try reader.resolve(item) {
            case .integer(let value)?: Double(value)
            case .real(let value)?: value
            default: throw PDFReadError(at: 0, "the page's /MediaBox is not four numbers")
            }
        }
        var copied: [Int: PDFReference] = [:]
        var form: PDFDictionary = ["Type": .name("XObject"), "Subtype": .name("Form"), "BBox": .array(box.map { .real($0) })]
        if let resources = page["Resources"] { form["Resources"] = try copy(resources, into: &sink, copied: &copied, depth: 0) }
        var streams: [PDFObject] = []
        switch page["Contents"] {
        case .array(let items)?: streams = items
        case .reference?: if case .array(let items)? = try reader.resolve(page["Contents"]) { streams = items } else { streams = [page["Contents"]!] }
        default: break
        }
        var data: [UInt8] = []
        if streams.count == 1, case .reference(let only) = streams[0], let object = try reader.object(only.number), let range = object.stream,
           case .dictionary(let dictionary) = object.value {
            for key in ["Filter", "DecodeParms"] as [PDFName] { if let value = dictionary[key] { form[key] = value } }
            data = reader.bytes(range)
        } else {
            for item in streams {
                guard case .reference(let reference) = item, let object = try reader.object(reference.number) else { continue }
                data += try reader.decodedStream(object) + [0x0A]
            }
        }
        let target = sink.allocate()
        try sink.writeStream(form, data: data, as: target)
        return (target, box)
    }

    /// `value` with every reference replaced by one to a copy in `sink` (each object copied once).
    private func copy<Sink: PDFObjectSink>(_ value: PDFObject, into sink: inout Sink, copied: inout [Int: PDFReference], depth: Int) throws -> PDFObject {
        guard depth < 256 else { throw PDFReadError(at: 0, "objects nested too deep to copy") }
        switch value {
        case .reference(let reference):
            if let done = copied[reference.number] { return .reference(done) }
            guard let object = try reader.object(reference.number) else { return .null }
            let target = sink.allocate()
            copied[reference.number] = target
            switch object.value {
            case .dictionary(let dictionary) where object.stream != nil:
                var copy = PDFDictionary()
                for (key, item) in dictionary.entries where key != "Length" && key != "Parent" {
                    copy[key] = try self.copy(item, into: &sink, copied: &copied, depth: depth + 1)
                }
                try sink.writeStream(copy, data: reader.bytes(object.stream!), as: target)
            default:
                let body = try self.copy(object.value, into: &sink, copied: &copied, depth: depth + 1)
                try sink.write(body, as: target)
            }
            return .reference(target)
        case .array(let items):
            return .array(try items.map { try copy($0, into: &sink, copied: &copied, depth: depth + 1) })
        case .dictionary(let dictionary):
            var copy = PDFDictionary()
            for (key, item) in dictionary.entries where key != "Parent" {
                copy[key] = try self.copy(item, into: &sink, copied: &copied, depth: depth + 1)
            }
            return .dictionary(copy)
        default:
            return value
        }
    }
}
