import Foundation

/// Reads an existing PDF: its revisions (the original and each incremental update), their objects,
/// classic cross-reference tables, cross-reference streams, object streams and hybrid files.
///
/// The file is memory-mapped, not read: hashing a byte range or parsing an object touches only those
/// pages, so memory follows the file's structure, not its size. Objects are parsed on demand.
public final class PDFReader: @unchecked Sendable {
    public let path: String
    private let data: Data
    /// Oldest first: `revisions[0]` is the original file, the last is the newest update.
    public private(set) var revisions: [PDFRevision] = []
    /// The largest object number HoSo reads: ten times what PDF 1.7 readers must take (8,388,607).
    public static let maximumObjectNumber = 100_000_000
    /// Largest decoded size of a structure stream (xref or object stream).
    public static let structureStreamLimit = 64 << 20
    /// Decoded object streams, by the offset of the stream object.
    private var objectStreams: [Int: (objects: [Int: Int], first: Int, data: [UInt8])] = [:]
    /// Objects already parsed, by the offset of their header (with their value ranges, apart).
    private var parsed: [Int: IndirectObject] = [:]
    private var recorded: [Int: IndirectObject] = [:]
    /// Where each object's headers are, by number; read only when a table is found damaged.
    private var objectHeaders: [Int: [Int]]?
    private let lock = NSLock()

    public init(path: String) throws(PDFReadError) {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw PDFReadError(at: 0, "cannot read the file: \(error.localizedDescription)")
        }
        try readRevisions()
    }

    /// Reads a PDF held in memory; `name` stands for the path in messages.
    public init(data: Data, name: String) throws(PDFReadError) {
        path = name
        self.data = data
        try readRevisions()
    }

    public var byteCount: Int { data.count }

    /// Runs `body` on the file's bytes.
    public func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try data.withUnsafeBytes(body)
    }

    /// The newest trailer (keys it lacks taken from earlier sections: a linearized file's two sections
    /// share one trailer between them).
    public var trailer: PDFDictionary { trailer(asOf: revisions.count - 1) }

    /// The trailer as of `revision`: its own keys, and those only earlier sections give.
    public func trailer(asOf revision: Int) -> PDFDictionary {
        var merged = revisions[revision].trailer
        for index in stride(from: revision - 1, through: 0, by: -1) {
            for (key, value) in revisions[index].trailer.entries where merged[key] == nil { merged[key] = value }
        }
        return merged
    }

    /// `key` of the trailer as of `revision`.
    public func trailerValue(_ key: PDFName, revision: Int) -> PDFObject? { trailer(asOf: revision)[key] }

    /// The section the file's last `startxref` names: where an update's `/Prev` must point.
    public var head: PDFRevision { revisions.first { $0.xrefOffset == startxref } ?? revisions[revisions.count - 1] }
    private var startxref = 0

    // MARK: Revisions

    private func readRevisions() throws(PDFReadError) {
        let last = try Self.scan(data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) -> Int in
            guard let found = Self.startxrefOffsets(bytes, most: 1).first else {
                throw PDFReadError(at: bytes.count, "no startxref outside a comment (not a PDF, or truncated)")
            }
            return found
        }
        startxref = last
        var sections: [PDFRevision] = []
        do {
            sections = try chain(from: last)
        } catch {
            // A broken /Prev chain (a /Prev of 0, an offset that holds no section): the revisions are
            // found again from every startxref in the file, as readers that recover do.
            sections = recoveredSections()
            guard !sections.isEmpty else { throw error }
        }
        revisions = sections.enumerated().map { index, section in
            PDFRevision(index: index, xrefOffset: section.xrefOffset, trailer: section.trailer, entries: section.entries,
                        end: section.end, usesXrefStream: section.usesXrefStream)
        }
    }

    /// The sections from the one at `offset` back through each `/Prev`, oldest first.
    private func chain(from offset: Int) throws(PDFReadError) -> [PDFRevision] {
        var sections: [PDFRevision] = []
        var visited: Set<Int> = []
        var next: Int? = offset
        while let offset = next {
            guard visited.insert(offset).inserted, visited.count <= 10_000 else {
                throw PDFReadError(at: offset, "the cross-reference chain loops")
            }
            let section = try readSection(at: offset)
            sections.append(section)
            if case .integer(let previous)? = section.trailer["Prev"] {
                guard previous > 0, previous < data.count else { throw PDFReadError(at: offset, "/Prev \(previous) points outside the file's sections") }
                next = previous
            } else {
                next = nil
            }
        }
        // File order: an update ends after what it updates. Sections that end at the same `%%EOF` (a
        // linearized file's two) keep the chain's order, the newer one last, so it takes precedence.
        let oldestFirst = Array(sections.reversed().enumerated())
        return oldestFirst.sorted { ($0.element.end, $0.offset) < ($1.element.end, $1.offset) }.map(\.element)
    }

    /// Every section a `startxref` outside a comment names and that reads, in file order.
    private func recoveredSections() -> [PDFRevision] {
        let offsets = (try? Self.scan(data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) in
            Self.startxrefOffsets(bytes) + Self.tableOffsets(bytes)
        }) ?? []
        let sections = Set(offsets).compactMap { try? readSection(at: $0) }
        // Sections ending at one `%%EOF` are a linearized file's: its first-page section, earlier in the
        // file, is the newer.
        return sections.sorted { ($0.end, -$0.xrefOffset) < ($1.end, -$1.xrefOffset) }
    }

    /// Where each `xref` keyword that starts a line is: the tables a damaged `startxref` misses.
    private static func tableOffsets(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        let keyword = Array("xref".utf8)
        var found: [Int] = []
        var i = 1
        while i + keyword.count <= bytes.count {
            if (bytes[i - 1] == 0x0A || bytes[i - 1] == 0x0D), bytes[i] == keyword[0], keyword.indices.allSatisfy({ bytes[i + $0] == keyword[$0] }),
               i + keyword.count == bytes.count || PDFParser.isWhitespace(bytes[i + keyword.count]) {
                found.append(i)
            }
            i += 1
        }
        return found
    }

    /// The offsets the file's `startxref` keywords name, last first, at most `most`; a `startxref`
    /// inside a comment (after a `%` on its line) is not one.
    private static func startxrefOffsets(_ bytes: UnsafeRawBufferPointer, most: Int = .max) -> [Int] {
        let keyword = Array("startxref".utf8)
        var found: [Int] = []
        var i = bytes.count - keyword.count
        while i >= 0, found.count < most {
            if bytes[i] == keyword[0], keyword.indices.allSatisfy({ bytes[i + $0] == keyword[$0] }) {
                var lineStart = i
                while lineStart > 0, bytes[lineStart - 1] != 0x0A, bytes[lineStart - 1] != 0x0D { lineStart -= 1 }
                let commented = bytes[lineStart..<i].contains(UInt8(ascii: "%"))
                let parser = PDFParser(bytes: bytes)
                if !commented, let offset = Int(parser.word(at: parser.skipSpace(i + keyword.count)).text), offset >= 0, offset < bytes.count {
                    found.append(offset)
                }
            }
            i -= 1
        }
        return found
    }

    /// Bytes after the last revision's `%%EOF` that are not whitespace: data no signature covers and no
    /// cross-reference section lists. Nil when there are none.
    public var unsignedTail: Range<Int>? {
        guard let end = revisions.last?.end, end < data.count else { return nil }
        let tail = data.withUnsafeBytes { bytes in
            bytes[end...].contains { !PDFParser.isWhitespace($0) }
        }
        return tail ? end..<data.count : nil
    }

    /// One cross-reference section (table + trailer, or stream) and the `%%EOF` that ends its revision.
    private func readSection(at offset: Int) throws(PDFReadError) -> PDFRevision {
        try Self.scan(data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) -> PDFRevision in
            let parser = PDFParser(bytes: bytes)
            let start = parser.skipSpace(offset)
            var entries: [Int: XrefEntry]
            var trailer: PDFDictionary
            var sectionEnd: Int
            let isStream: Bool
            if parser.hasKeyword("xref", at: start) {
                isStream = false
                (entries, sectionEnd) = try Self.readTable(parser, after: start + 4)
                let keyword = parser.skipSpace(sectionEnd)
                guard parser.hasKeyword("trailer", at: keyword) else { throw PDFReadError(at: keyword, "no 'trailer' after the xref table") }
                let dictionaryStart = parser.skipSpace(keyword + 7)
                guard dictionaryStart + 1 < bytes.count, bytes[dictionaryStart] == UInt8(ascii: "<") else {
                    throw PDFReadError(at: dictionaryStart, "the trailer is not a dictionary")
                }
                (trailer, sectionEnd) = try parser.dictionary(at: dictionaryStart)
                // A hybrid file lists its compressed objects in a cross-reference stream as well.
                if case .integer(let streamOffset)? = trailer["XRefStm"] {
                    let hidden = try readXrefStream(parser, at: streamOffset)
                    for (number, entry) in hidden.entries where entries[number] == nil || entries[number] == .free {
                        entries[number] = entry
                    }
                }
            } else {
                isStream = true
                let section = try readXrefStream(parser, at: start)
                (entries, trailer, sectionEnd) = (section.entries, section.dictionary, section.end)
            }
            return PDFRevision(index: 0, xrefOffset: offset, trailer: trailer, entries: entries,
                               end: try Self.revisionEnd(parser, after: sectionEnd), usesXrefStream: isStream)
        }
    }

    /// `startxref n %%EOF` after a section, and the end-of-line after it: where the revision ends.
    private static func revisionEnd(_ parser: PDFParser, after offset: Int) throws(PDFReadError) -> Int {
        let bytes = parser.bytes
        let marker = Array("%%EOF".utf8)
        var i = offset
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], marker.indices.allSatisfy({ bytes[i + $0] == marker[$0] }) {
                var end = i + marker.count
                if end < bytes.count, bytes[end] == 0x0D { end += 1 }
                if end < bytes.count, bytes[end] == 0x0A { end += 1 }
                return end
            }
            i += 1
        }
        throw PDFReadError(at: offset, "no %%EOF after the cross-reference section (truncated?)")
    }

    /// A classic table: subsections `first count` of 20-byte entries (tolerant of 19- and 21-byte ones).
    private static func readTable(_ parser: PDFParser, after offset: Int) throws(PDFReadError) -> ([Int: XrefEntry], Int) {
        var entries: [Int: XrefEntry] = [:]
        var i = parser.skipSpace(offset)
        while !parser.hasKeyword("trailer", at: i) {
            guard let (first, afterFirst) = parser.unsignedInteger(at: i),
                  let (count, afterCount) = parser.unsignedInteger(at: parser.skipSpace(afterFirst)), count < 10_000_000,
                  first <= Self.maximumObjectNumber - count else {
                throw PDFReadError(at: i, "a cross-reference subsection header is not 'first count' within \(Self.maximumObjectNumber) objects")
            }
            i = afterCount
            for number in first..<(first + count) {
                // `oooooooooo ggggg n`, read from the bytes (a table may list a million of them).
                guard let (entryOffset, a) = parser.unsignedInteger(at: parser.skipSpace(i)),
                      let (generation, b) = parser.unsignedInteger(at: parser.skipSpace(a)),
                      case let k = parser.skipSpace(b), k < parser.bytes.count,
                      parser.bytes[k] == UInt8(ascii: "n") || parser.bytes[k] == UInt8(ascii: "f"),
                      k + 1 == parser.bytes.count || !PDFParser.isRegular(parser.bytes[k + 1]) else {
                    throw PDFReadError(at: i, "cross-reference entry for object \(number) is malformed")
                }
                if entries[number] == nil {
                    entries[number] = parser.bytes[k] == UInt8(ascii: "n") && number > 0 ? .inUse(offset: entryOffset, generation: generation) : .free
                }
                i = k + 1
            }
            i = parser.skipSpace(i)
            guard i < parser.bytes.count else { throw PDFReadError(at: i, "the xref table has no trailer") }
        }
        return (entries, i)
    }

    /// A cross-reference stream object at `offset`.
    private func readXrefStream(_ parser: PDFParser, at offset: Int) throws(PDFReadError) -> (entries: [Int: XrefEntry], dictionary: PDFDictionary, end: Int) {
        let object = try parser.indirectObject(at: offset) { (length: PDFObject) throws(PDFReadError) -> Int in
            guard case .integer(let value) = length else { throw PDFReadError(at: offset, "an xref stream's /Length must be direct") }
            return value
        }
        guard case .dictionary(let dictionary) = object.value, dictionary["Type"] == .name("XRef"), let range = object.stream else {
            throw PDFReadError(at: offset, "no cross-reference table or stream here")
        }
        let decoded = try StreamDecoder.decode(UnsafeRawBufferPointer(rebasing: parser.bytes[range]), dictionary: dictionary,
                                               limit: Self.structureStreamLimit, at: offset)
        guard case .array(let widthItems)? = dictionary["W"], widthItems.count == 3 else {
            throw PDFReadError(at: offset, "an xref stream without /W of three widths")
        }
        let widths = try widthItems.map { (item: PDFObject) throws(PDFReadError) -> Int in
            guard case .integer(let width) = item, (0...8).contains(width) else { throw PDFReadError(at: offset, "an xref stream /W width is not 0…8") }
            return width
        }
        guard case .integer(let size)? = dictionary["Size"], size >= 0, size <= Self.maximumObjectNumber else {
            throw PDFReadError(at: offset, "an xref stream without a /Size of at most \(Self.maximumObjectNumber)")
        }
        var ranges: [(Int, Int)] = [(0, size)]
        if case .array(let index)? = dictionary["Index"] {
            guard index.count % 2 == 0 else { throw PDFReadError(at: offset, "an xref stream /Index has an odd length") }
            ranges = []
            for pair in stride(from: 0, to: index.count, by: 2) {
                guard case .integer(let first) = index[pair], case .integer(let count) = index[pair + 1], first >= 0, count >= 0,
                      count <= Self.maximumObjectNumber, first <= Self.maximumObjectNumber - count else {
                    throw PDFReadError(at: offset, "an xref stream /Index holds something other than object numbers within \(Self.maximumObjectNumber)")
                }
                ranges.append((first, count))
            }
        }
        let rowLength = widths.reduce(0, +)
        let rows = ranges.reduce(0) { $0 + $1.1 }
        guard rowLength > 0, rows <= decoded.count, rows * rowLength <= decoded.count else {
            throw PDFReadError(at: offset, "an xref stream is shorter than its /Index says")
        }
        func field(_ row: Int, _ column: Int) -> Int {
            var value = 0
            let start = row * rowLength + widths[..<column].reduce(0, +)
            for i in 0..<widths[column] { value = value << 8 | Int(decoded[start + i]) }
            return value
        }
        var entries: [Int: XrefEntry] = [:]
        var row = 0
        for (first, count) in ranges {
            for number in first..<(first + count) {
                let type = widths[0] == 0 ? 1 : field(row, 0)
                switch type {
                case 0: entries[number] = .free
                case 1 where number > 0: entries[number] = .inUse(offset: field(row, 1), generation: field(row, 2))
                case 2 where number > 0: entries[number] = .compressed(stream: field(row, 1), index: field(row, 2))
                default: break  // unknown types are to be ignored (ISO 32000-2 §7.5.8.3)
                }
                row += 1
            }
        }
        return (entries, dictionary, object.range.upperBound)
    }

    // MARK: Objects

    /// Where object `number` lives as of revision `revision` (the newest when nil).
    public func entry(_ number: Int, revision: Int? = nil) -> XrefEntry? {
        let last = revision ?? revisions.count - 1
        for index in stride(from: last, through: 0, by: -1) {
            if let entry = revisions[index].entries[number] { return entry }
        }
        return nil
    }

    /// Object `number` as of `revision` (the newest when nil); nil when free or absent. With
    /// `recordingRanges`, a dictionary's top-level values are located in the file as well.
    public func object(_ number: Int, revision: Int? = nil, recordingRanges: Bool = false) throws(PDFReadError) -> IndirectObject? {
        try object(number, revision: revision, recordingRanges: recordingRanges, role: .any)
    }

    /// What an object is read for, when that limits what it may be. Reading a stream means reading its
    /// /Length first, which may be another object: without these rules, lengths that lie in each other's
    /// streams recursed until the stack ran out (both found by fuzzing).
    private enum Role {
        case any
        /// It holds an object stream, whose /Length must not itself be in an object stream (ISO 32000-1, 7.5.7).
        case objectStream
        /// It is a stream's /Length: an integer, never a stream with a /Length of its own.
        case streamLength
    }

    private func object(_ number: Int, revision: Int?, recordingRanges: Bool, role: Role) throws(PDFReadError) -> IndirectObject? {
        switch entry(number, revision: revision) {
        case nil, .free?: return nil
        case .inUse(let offset, _)?:
            do {
                return try indirectObject(number, at: offset, revision: revision, recordingRanges: recordingRanges, role: role)
            } catch {
                // A damaged table: the object is looked for where its header really is, as readers that
                // recover do; still damaged, the table's error stands.
                guard let found = recoveredOffset(of: number, before: revisionEnd(revision)), found != offset else { throw error }
                return try indirectObject(number, at: found, revision: revision, recordingRanges: recordingRanges, role: role)
            }
        case .compressed(let stream, let index)?:
            return try compressedObject(number, in: stream, index: index, revision: revision)
        }
    }

    private func indirectObject(_ number: Int, at offset: Int, revision: Int?, recordingRanges: Bool,
                                role: Role = .any) throws(PDFReadError) -> IndirectObject {
        // The bytes at an offset never change: an object read once is not parsed again (a signature's
        // analysis reads the same objects for every revision and every signature).
        // An object read with its value ranges serves later reads without them too.
        if let known = lock.withLock({ recordingRanges ? recorded[offset] : parsed[offset] ?? recorded[offset] }),
           known.reference.number == number { return known }
        let object = try parseIndirectObject(number, at: offset, revision: revision, recordingRanges: recordingRanges, role: role)
        lock.withLock { if recordingRanges { recorded[offset] = object } else { parsed[offset] = object } }
        return object
    }

    private func parseIndirectObject(_ number: Int, at offset: Int, revision: Int?, recordingRanges: Bool,
                                     role: Role) throws(PDFReadError) -> IndirectObject {
        guard offset < data.count else { throw PDFReadError(at: offset, "object \(number) is said to be past the end of the file") }
        let object = try Self.scan(data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) -> IndirectObject in
            try PDFParser(bytes: bytes).indirectObject(at: offset, recordingRanges: recordingRanges) { (length: PDFObject) throws(PDFReadError) -> Int in
                if role == .streamLength {
                    throw PDFReadError(at: offset, "object \(number) is a stream's /Length, yet is a stream itself")
                }
                var value = length
                if case .reference(let reference) = length {
                    if role == .objectStream, case .compressed? = self.entry(reference.number, revision: revision) {
                        throw PDFReadError(at: offset, "object stream \(number)'s /Length is itself in an object stream")
                    }
                    value = try self.object(reference.number, revision: revision, recordingRanges: false, role: .streamLength)?.value ?? .null
                }
                guard case .integer(let count) = value else { throw PDFReadError(at: offset, "object \(number)'s stream /Length is not an integer") }
                return count
            }
        }
        guard object.reference.number == number else {
            throw PDFReadError(at: offset, "the table says object \(number) is here, but object \(object.reference.number) is")
        }
        return object
    }

    private func revisionEnd(_ revision: Int?) -> Int { revisions[revision ?? revisions.count - 1].end }

    /// Where the last `number 0 obj` header before `limit` is, found by reading the file through once
    /// (only when a table points at the wrong place).
    private func recoveredOffset(of number: Int, before limit: Int) -> Int? {
        let headers = lock.withLock { () -> [Int: [Int]] in
            if let known = objectHeaders { return known }
            var found: [Int: [Int]] = [:]
            data.withUnsafeBytes { bytes in
                let parser = PDFParser(bytes: bytes)
                var i = 0
                while i + 3 <= bytes.count {
                    if bytes[i] == UInt8(ascii: "o"), bytes[i + 1] == UInt8(ascii: "b"), bytes[i + 2] == UInt8(ascii: "j") {
                        // Back over "<number> <generation> " to the header's start.
                        var j = i - 1
                        while j >= 0, PDFParser.isWhitespace(bytes[j]) { j -= 1 }
                        while j >= 0, (0x30...0x39).contains(bytes[j]) { j -= 1 }
                        while j >= 0, PDFParser.isWhitespace(bytes[j]) { j -= 1 }
                        let end = j + 1
                        while j >= 0, (0x30...0x39).contains(bytes[j]) { j -= 1 }
                        if end > j + 1, let value = Int(parser.word(at: j + 1).text) { found[value, default: []].append(j + 1) }
                    }
                    i += 1
                }
            }
            objectHeaders = found
            return found
        }
        return headers[number]?.last { $0 < limit }
    }

    /// The references object `number` makes as of `revision`, read from its bytes without parsing it
    /// (an object inside an object stream is parsed); empty when it is free or absent.
    public func references(of number: Int, revision: Int? = nil) throws(PDFReadError) -> [ObjectReference] {
        var found: [ObjectReference] = []
        try forEachReference(of: number, revision: revision) { found.append($0) }
        return found
    }

    /// Calls `body` with each reference object `number` makes as of `revision`, as ``references(of:revision:)`` finds them.
    public func forEachReference(of number: Int, revision: Int? = nil, _ body: (ObjectReference) -> Void) throws(PDFReadError) {
        switch entry(number, revision: revision) {
        case nil, .free?:
            return
        case .inUse(let offset, _)?:
            guard offset < data.count else { throw PDFReadError(at: offset, "object \(number) is said to be past the end of the file") }
            let scanned = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
                let parser = PDFParser(bytes: bytes)
                // `n g obj`, then the value.
                guard let (found, afterNumber) = parser.unsignedInteger(at: parser.skipSpace(offset)), found == number,
                      let (_, afterGeneration) = parser.unsignedInteger(at: parser.skipSpace(afterNumber)) else { return false }
                let keyword = parser.skipSpace(afterGeneration)
                guard parser.hasKeyword("obj", at: keyword) else { return false }
                parser.forEachReference(inValueAt: keyword + 3, body)
                return true
            }
            if scanned { return }
            // The table points elsewhere than its header: read it the way `object` recovers it.
            try object(number, revision: revision)?.value.references().forEach(body)
        case .compressed?:
            try object(number, revision: revision)?.value.references().forEach(body)
        }
    }

    /// Follows references until a direct object; a dangling reference is null, as the standard says.
    public func resolve(_ object: PDFObject?, revision: Int? = nil) throws(PDFReadError) -> PDFObject? {
        var current = object
        var hops = 0
        while case .reference(let reference)? = current {
            hops += 1
            guard hops < 32 else { throw PDFReadError(at: 0, "references loop at object \(reference.number)") }
            current = try self.object(reference.number, revision: revision)?.value ?? .null
        }
        return current
    }

    /// The decoded data of a stream object (Flate only; other filters are for content, not structure).
    public func decodedStream(_ object: IndirectObject, limit: Int = PDFReader.structureStreamLimit) throws(PDFReadError) -> [UInt8] {
        guard let range = object.stream, case .dictionary(let dictionary) = object.value else {
            throw PDFReadError(at: object.range.lowerBound, "object \(object.reference.number) is not a stream")
        }
        return try Self.scan(data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) -> [UInt8] in
            try StreamDecoder.decode(UnsafeRawBufferPointer(rebasing: bytes[range]), dictionary: dictionary, limit: limit, at: range.lowerBound)
        }
    }

    /// The raw bytes of `range`.
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        data.withUnsafeBytes { Array(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// `withUnsafeBytes` for a body with a typed error.
    private static func scan<C: ContiguousBytes, T>(
        _ bytes: C, _ body: (UnsafeRawBufferPointer) throws(PDFReadError) -> T
    ) throws(PDFReadError) -> T {
        let result: Result<T, PDFReadError> = bytes.withUnsafeBytes { raw in Result { () throws(PDFReadError) in try body(raw) } }
        return try result.get()
    }

    private func compressedObject(_ number: Int, in stream: Int, index: Int, revision: Int?) throws(PDFReadError) -> IndirectObject? {
        let container: (objects: [Int: Int], first: Int, data: [UInt8])
        // Cached by where the stream is, not its number: a later revision may reuse the number for
        // another object stream.
        guard case .inUse(let streamOffset, _)? = entry(stream, revision: revision) else {
            throw PDFReadError(at: 0, "object \(number) is said to be in object stream \(stream), which is not in the file")
        }
        if let cached = lock.withLock({ objectStreams[streamOffset] }) {
            container = cached
        } else {
            guard let holder = try object(stream, revision: revision, recordingRanges: false, role: .objectStream),
                  case .dictionary(let dictionary) = holder.value,
                  dictionary["Type"] == .name("ObjStm"), case .integer(let count)? = dictionary["N"],
                  case .integer(let first)? = dictionary["First"], count >= 0, first >= 0 else {
                throw PDFReadError(at: 0, "object \(number) is said to be in object stream \(stream), which is not one")
            }
            let decoded = try decodedStream(holder)
            guard first <= decoded.count else { throw PDFReadError(at: 0, "object stream \(stream)'s /First is past its data") }
            var offsets: [Int: Int] = [:]
            try Self.scan(decoded) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) in
                let parser = PDFParser(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<first]))
                var i = 0
                for _ in 0..<count {
                    let (numberText, a) = parser.word(at: parser.skipSpace(i))
                    let (offsetText, b) = parser.word(at: parser.skipSpace(a))
                    guard let objectNumber = Int(numberText), let objectOffset = Int(offsetText), objectOffset >= 0 else {
                        throw PDFReadError(at: 0, "object stream \(stream)'s header is malformed")
                    }
                    if offsets[objectNumber] == nil { offsets[objectNumber] = objectOffset }
                    i = b
                }
            }
            container = (offsets, first, decoded)
            lock.withLock { objectStreams[streamOffset] = container }
        }
        guard let relative = container.objects[number], container.first + relative < container.data.count else { return nil }
        let value = try Self.scan(container.data) { (bytes: UnsafeRawBufferPointer) throws(PDFReadError) -> PDFObject in
            try PDFParser(bytes: bytes).object(at: container.first + relative).0
        }
        _ = index
        return IndirectObject(reference: PDFReference(number: number), value: value, stream: nil, range: 0..<0, objectStream: stream)
    }
}
