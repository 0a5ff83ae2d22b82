/// A revision to append to an existing PDF (ISO 32000-2 §7.5.6): new and replaced objects, then a
/// cross-reference section in the form the file's last one uses (a table after a table, a stream after a
/// stream) and a trailer whose `/Prev` chains to the previous section. The original bytes are never
/// touched: the update is bytes to write after them.
public struct IncrementalUpdate {
    public let reader: PDFReader
    /// Each object's number and its serialized `n g obj … endobj` body, in the order added.
    private var objects: [(reference: PDFReference, body: [UInt8])] = []
    private var nextNumber: Int

    public init(reader: PDFReader) {
        self.reader = reader
        var size = 1
        if case .integer(let declared)? = reader.trailer["Size"] { size = max(size, declared) }
        for revision in reader.revisions { size = max(size, (revision.entries.keys.max() ?? 0) + 1) }
        nextNumber = size
    }

    /// A new object number, not used by any revision.
    public mutating func allocate() -> PDFReference {
        defer { nextNumber += 1 }
        return PDFReference(number: nextNumber)
    }

    /// Writes `object` as `reference` (new, or replacing the object the file has under that number).
    public mutating func set(_ reference: PDFReference, _ object: PDFObject) {
        set(reference, raw: object.bytes)
    }

    /// Writes `syntax` (an object's PDF syntax, not checked) as `reference`.
    public mutating func set(_ reference: PDFReference, raw syntax: [UInt8]) {
        objects.removeAll { $0.reference == reference }
        objects.append((reference, syntax))
    }

    /// The bytes to append to the file, and where each object's syntax starts in them.
    public func bytes() -> (bytes: [UInt8], objectStarts: [PDFReference: Int]) {
        let base = reader.byteCount
        var out: [UInt8] = []
        // A file need not end with an end-of-line; the update must start on a line of its own.
        let endsWithNewline = reader.withBytes { $0.last == 0x0A || $0.last == 0x0D }
        if !endsWithNewline { out.append(0x0A) }
        var offsets: [Int: Int] = [:]
        var generations: [Int: Int] = [:]
        var starts: [PDFReference: Int] = [:]
        for (reference, body) in objects {
            offsets[reference.number] = base + out.count
            generations[reference.number] = reference.generation
            out += Array("\(reference.number) \(reference.generation) obj\n".utf8)
            starts[reference] = out.count
            out += body
            out += Array("\nendobj\n".utf8)
        }
        var trailer = PDFDictionary()
        for key in ["Root", "Info", "ID", "Encrypt"] as [PDFName] { if let value = reader.trailer[key] { trailer[key] = value } }
        trailer["Prev"] = .integer(reader.head.xrefOffset)
        if reader.head.usesXrefStream {
            out += xrefStream(offsets: offsets, generations: generations, trailer: trailer, at: base + out.count)
        } else {
            trailer["Size"] = .integer(max(nextNumber, (offsets.keys.max() ?? 0) + 1))
            let xref = base + out.count
            out += Array("xref\n".utf8)
            for run in Self.runs(offsets.keys.sorted()) {
                out += Array("\(run.first!) \(run.count)\n".utf8)
                for number in run {
                    // An object rewritten keeps its generation: the entry must give it, or readers find "another" object.
                    out += Array("\(Self.pad(offsets[number]!, 10)) \(Self.pad(generations[number] ?? 0, 5)) n\r\n".utf8)
                }
            }
            out += Array("trailer\n".utf8) + PDFObject.dictionary(trailer).bytes + Array("\nstartxref\n\(xref)\n%%EOF\n".utf8)
        }
        return (out, starts)
    }

    /// A cross-reference stream listing `offsets` and itself, written at `position`.
    private func xrefStream(offsets: [Int: Int], generations: [Int: Int], trailer: PDFDictionary, at position: Int) -> [UInt8] {
        let own = nextNumber
        var offsets = offsets
        offsets[own] = position
        var width = 1
        while position >> (8 * width) > 0 { width += 1 }
        var data: [UInt8] = []
        let numbers = offsets.keys.sorted()
        for number in numbers {
            data.append(1)
            let offset = offsets[number]!
            for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: offset >> shift)) }
            let generation = generations[number] ?? 0
            data += [UInt8(truncatingIfNeeded: generation >> 8), UInt8(truncatingIfNeeded: generation)]
        }
        var dictionary = trailer
        dictionary["Type"] = .name("XRef")
        dictionary["Size"] = .integer(own + 1)
        dictionary["W"] = [1, .integer(width), 2]
        dictionary["Index"] = .array(Self.runs(numbers).flatMap { [PDFObject.integer($0.first!), .integer($0.count)] })
        dictionary["Length"] = .integer(data.count)
        return Array("\(own) 0 obj\n".utf8) + PDFObject.dictionary(dictionary).bytes + Array("\nstream\n".utf8) + data
            + Array("\nendstream\nendobj\nstartxref\n\(position)\n%%EOF\n".utf8)
    }

    /// Sorted numbers cut into runs of consecutive ones.
    private static func runs(_ numbers: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        for number in numbers {
            if let last = runs.last?.last, last + 1 == number { runs[runs.count - 1].append(number) } else { runs.append([number]) }
        }
        return runs
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
