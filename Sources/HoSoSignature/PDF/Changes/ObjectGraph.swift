import HoSoPDF

/// Who refers to which object in one revision of a PDF: every reference reachable from the trailer,
/// with the object and top-level key it is made from.
///
/// The change analysis judges an object by where the document uses it, never by what the object says it
/// is: a page labelled `/Type /Metadata`, or the trailer's `/Info` pointed at a page, is still a page.
/// Back-links (`/Parent`, an annotation's `/P`) are not uses: a widget pointing at its page does not
/// make the page part of the widget.
final class ObjectGraph {
    /// One reference: from object `from` (nil: the trailer), under its top-level key `key`; `direct`
    /// when the reference is that key's value itself, not inside an array or dictionary under it.
    struct Edge: Hashable {
        let from: Int?
        let key: PDFName
        let direct: Bool
    }

    let revision: Int
    /// Each reachable object's referrers.
    private(set) var referrers: [Int: [Edge]] = [:]
    /// The objects parsed on the way, by number.
    private(set) var objects: [Int: IndirectObject] = [:]
    /// Most objects walked; a larger document is judged as far as this.
    static let limit = 500_000

    static let backLinks: Set<PDFName> = ["Parent", "P"]

    init(reader: PDFReader, revision: Int) throws(PDFReadError) {
        self.revision = revision
        var queue: [Int] = []
        func visit(_ value: PDFObject, from: Int?, key: PDFName, direct: Bool = true) {
            switch value {
            case .reference(let reference):
                let number = reference.number
                if referrers[number] == nil {
                    referrers[number] = []
                    queue.append(number)
                }
                referrers[number]!.append(Edge(from: from, key: key, direct: direct))
            case .array(let items):
                for item in items { visit(item, from: from, key: key, direct: false) }
            case .dictionary(let dictionary):
                for (inner, item) in dictionary.entries where !(Self.backLinks.contains(inner) && item.isReference) {
                    visit(item, from: from, key: key, direct: false)
                }
            default:
                break
            }
        }
        for (key, value) in reader.trailer(asOf: revision).entries where !["Prev", "XRefStm", "Size", "ID", "Encrypt"].contains(key) {
            visit(value, from: nil, key: key)
        }
        var next = 0
        while next < queue.count, next < Self.limit {
            let number = queue[next]
            next += 1
            guard let object = try reader.object(number, revision: revision) else { continue }
            objects[number] = object
            if case .dictionary(let dictionary) = object.value {
                for (key, item) in dictionary.entries where !(Self.backLinks.contains(key) && item.isReference) {
                    visit(item, from: number, key: key)
                }
            } else {
                visit(object.value, from: number, key: "")
            }
        }
    }

    /// Whether anything in the revision uses object `number`.
    func isUsed(_ number: Int) -> Bool { !(referrers[number] ?? []).isEmpty }

    /// The objects and keys that use object `number`.
    func uses(of number: Int) -> [Edge] { referrers[number] ?? [] }
}

extension PDFObject {
    var isReference: Bool { if case .reference = self { true } else { false } }
}
