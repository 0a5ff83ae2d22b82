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
    /// Every reference found, with the index of the next one to the same object (-1: none): lists
    /// threaded through flat arrays, indexed by object number, so a walk of a document allocates a few
    /// arrays rather than a dictionary entry and an array per object.
    private var edges: [Edge] = []
    private var nextEdge: [Int32] = []
    /// The last edge to each object below `head.count` (-1: none); numbers beyond the trailer's /Size
    /// (dangling references) in `farHead`.
    private var head: [Int32]
    private var farHead: [Int: Int32] = [:]
    /// Most objects walked; a larger document is judged as far as this.
    static let limit = 500_000
    private static let length: PDFName = "Length"

    init(reader: PDFReader, revision: Int) throws(PDFReadError) {
        self.revision = revision
        let trailer = reader.trailer(asOf: revision)
        let size = if case .integer(let declared)? = trailer["Size"] { min(max(declared, 0), Self.limit) } else { 0 }
        head = [Int32](repeating: -1, count: size)
        var queue: [Int] = []
        queue.reserveCapacity(size)
        var queued = [Bool](repeating: false, count: size)
        var farQueued: Set<Int> = []
        func add(_ reference: ObjectReference, from: Int?) {
            guard !reference.backLink, reference.number >= 0 else { return }
            let previous = lastEdge(to: reference.number)
            // A stream's /Length is a number: the object is recorded as used but not read for references
            // (half of a scanned document's objects are lengths). Whatever such an object might refer to
            // is drawn by nothing, so it stays unused unless something else uses it.
            if !(reference.direct && reference.key == Self.length) {
                let number = reference.number
                if number < queued.count {
                    if !queued[number] { queued[number] = true; queue.append(number) }
                } else if farQueued.insert(number).inserted {
                    queue.append(number)
                }
            }
            edges.append(Edge(from: from, key: reference.key, direct: reference.direct))
            nextEdge.append(previous)
            let index = Int32(edges.count - 1)
            if reference.number < head.count { head[reference.number] = index } else { farHead[reference.number] = index }
        }
        for (key, value) in trailer.entries where !["Prev", "XRefStm", "Size", "ID", "Encrypt"].contains(key) {
            for reference in PDFObject.dictionary([key: value]).referencesInValue() { add(reference, from: nil) }
        }
        var next = 0
        while next < queue.count, next < Self.limit {
            let number = queue[next]
            next += 1
            try reader.forEachReference(of: number, revision: revision) { add($0, from: number) }
        }
    }

    private func lastEdge(to number: Int) -> Int32 {
        number < head.count ? head[number] : farHead[number] ?? -1
    }

    /// Whether anything in the revision uses object `number`.
    func isUsed(_ number: Int) -> Bool { lastEdge(to: number) >= 0 }

    /// The objects and keys that use object `number`, in the order the walk found them.
    func uses(of number: Int) -> [Edge] {
        var found: [Edge] = []
        var index = lastEdge(to: number)
        while index >= 0 {
            found.append(edges[Int(index)])
            index = nextEdge[Int(index)]
        }
        return found.reversed()
    }
}

extension PDFObject {
    var isReference: Bool { if case .reference = self { true } else { false } }
}
