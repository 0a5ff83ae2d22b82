import HoSoPDF

/// Who refers to which object in one revision of a PDF: every reference reachable from the trailer,
/// with the object and top-level key it is made from.
///
/// The change analysis judges an object by where the document uses it, never by what the object says it
/// is: a page labelled `/Type /Metadata`, or the trailer's `/Info` pointed at a page, is still a page.
/// Back-links (`/Parent`, an annotation's `/P`) are not uses: a widget pointing at its page does not
/// make the page part of the widget. References are read from the objects' bytes (``PDFReader/references(of:revision:)``),
/// not by parsing every object.
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
    /// Most objects walked; a larger document is judged as far as this.
    static let limit = 500_000

    init(reader: PDFReader, revision: Int) throws(PDFReadError) {
        self.revision = revision
        var queue: [Int] = []
        func add(_ reference: ObjectReference, from: Int?) {
            guard !reference.backLink else { return }
            if referrers[reference.number] == nil {
                referrers[reference.number] = []
                queue.append(reference.number)
            }
            referrers[reference.number]!.append(Edge(from: from, key: reference.key, direct: reference.direct))
        }
        let trailer = reader.trailer(asOf: revision)
        for (key, value) in trailer.entries where !["Prev", "XRefStm", "Size", "ID", "Encrypt"].contains(key) {
            for reference in PDFObject.dictionary([key: value]).referencesInValue() { add(reference, from: nil) }
        }
        var next = 0
        while next < queue.count, next < Self.limit {
            let number = queue[next]
            next += 1
            for reference in try reader.references(of: number, revision: revision) { add(reference, from: number) }
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
