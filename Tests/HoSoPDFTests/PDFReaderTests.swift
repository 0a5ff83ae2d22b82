import Foundation
@testable import HoSoPDF
import HoSoTestSupport
import Testing

/// Reading real PDFs: HoSo's own, qpdf's object and cross-reference streams (linearized too), incremental
/// updates; and refusing broken structure with the offset and the reason.
@Suite struct PDFReaderTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("pdfr")
    }

    /// A three-page PDF written by HoSo's writer, classic xref table; the font is a resource of the page
    /// tree, which the pages inherit.
    func writeThreePages(to url: URL) throws {
        let writer = try PDFFileWriter(destination: url, version: "1.7")
        let catalog = writer.allocate(), pages = writer.allocate(), font = writer.allocate()
        try writer.write(.dictionary(["Type": .name("Font"), "Subtype": .name("Type1"), "BaseFont": .name("Helvetica")]), as: font)
        var kids: [PDFObject] = []
        for number in 1...3 {
            let page = writer.allocate(), content = writer.allocate()
            try writer.writeStream([:], data: Array("BT /F1 12 Tf 72 72 Td (Trang \(number)) Tj ET".utf8), as: content)
            try writer.write(.dictionary([
                "Type": .name("Page"), "Parent": .reference(pages), "MediaBox": [0, 0, 595, 842], "Contents": .reference(content),
            ]), as: page)
            kids.append(.reference(page))
        }
        try writer.write(.dictionary(["Type": .name("Pages"), "Kids": .array(kids), "Count": 3,
                                      "Resources": .dictionary(["Font": .dictionary(["F1": .reference(font)])])]), as: pages)
        try writer.write(.dictionary(["Type": .name("Catalog"), "Pages": .reference(pages)]), as: catalog)
        try writer.commit(root: catalog, documentID: ([9, 9], [9, 9]))
    }

    func pageCount(_ reader: PDFReader, revision: Int? = nil) throws -> Int? {
        guard case .dictionary(let catalog)? = try reader.resolve(reader.revisions[revision ?? reader.revisions.count - 1].trailer["Root"], revision: revision),
              case .dictionary(let pages)? = try reader.resolve(catalog["Pages"], revision: revision),
              case .integer(let count)? = pages["Count"] else { return nil }
        return count
    }

    @Test func byteClasses_areISO32000s() {
        // §7.2.3: the six white-space characters and the ten delimiters; every other byte is regular.
        let whitespace: Set<UInt8> = [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20]
        let delimiters = Set("()<>[]{}/%".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            #expect(PDFParser.isWhitespace(byte) == whitespace.contains(byte), "\(byte)")
            #expect(PDFParser.isDelimiter(byte) == delimiters.contains(byte), "\(byte)")
            #expect(PDFParser.isRegular(byte) == !(whitespace.contains(byte) || delimiters.contains(byte)), "\(byte)")
        }
    }

    @Test func aClassicFile_hasOneRevision_endingAtTheFilesEnd() throws {
        let url = directory.appendingPathComponent("classic.pdf")
        try writeThreePages(to: url)
        let reader = try PDFReader(path: url.path)
        #expect(reader.revisions.count == 1)
        #expect(reader.revisions[0].end == reader.byteCount)
        #expect(!reader.revisions[0].usesXrefStream)
        #expect(try pageCount(reader) == 3)
    }

    @Test(arguments: [["--object-streams=generate"], ["--object-streams=generate", "--compress-streams=y", "--linearize"]])
    func qpdfsObjectStreams_andXrefStreams_areRead(options: [String]) async throws {
        let source = directory.appendingPathComponent("source.pdf"), packed = directory.appendingPathComponent("packed.pdf")
        try writeThreePages(to: source)
        let run = try await ExternalTool.run("qpdf", options + [source.path, packed.path])
        #expect(run.status == 0, "\(run.output)")
        let reader = try PDFReader(path: packed.path)
        #expect(reader.revisions.contains { $0.usesXrefStream })
        #expect(reader.revisions.contains { $0.entries.values.contains { if case .compressed = $0 { true } else { false } } })
        #expect(try pageCount(reader) == 3)
    }

    /// Appends an update that replaces the catalog's page tree count, as an incremental update does.
    func appendUpdate(to url: URL, from reader: PDFReader) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let start = try handle.seekToEnd()
        guard case .reference(let root)? = reader.trailer["Root"],
              case .dictionary(let catalog)? = try reader.resolve(.reference(root)),
              case .reference(let pages)? = catalog["Pages"],
              case .dictionary(var tree)? = try reader.resolve(.reference(pages)) else { throw PDFReadError(at: 0, "no page tree") }
        tree["Count"] = 2
        let object = Array("\(pages.number) 0 obj\n".utf8) + PDFObject.dictionary(tree).bytes + Array("\nendobj\n".utf8)
        let xrefOffset = Int(start) + object.count
        let entry = String(format: "%010d 00000 n\r\n", Int(start))
        var trailer = reader.trailer
        trailer["Prev"] = .integer(reader.revisions.last!.xrefOffset)
        let tail = "xref\n0 1\n0000000000 65535 f\r\n\(pages.number) 1\n\(entry)trailer\n"
        try handle.write(contentsOf: object + Array(tail.utf8) + PDFObject.dictionary(trailer).bytes
                         + Array("\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8))
    }

    @Test func anIncrementalUpdate_isARevisionOfItsOwn_andEarlierRevisionsStayReadable() async throws {
        let url = directory.appendingPathComponent("updated.pdf")
        try writeThreePages(to: url)
        let originalLength = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        try appendUpdate(to: url, from: try PDFReader(path: url.path))
        let reader = try PDFReader(path: url.path)
        #expect(reader.revisions.count == 2)
        #expect(reader.revisions[0].end == originalLength && reader.revisions[1].end == reader.byteCount)
        #expect(try pageCount(reader, revision: 0) == 3)
        #expect(try pageCount(reader) == 2)
        #expect(try await ExternalTool.run("qpdf", ["--check", url.path]).output.contains("No syntax or stream encoding errors"))
    }

    @Test(arguments: [
        ("a truncated file", "cut"), ("a /Prev that loops", "loop"), ("an offset past the end", "offset"),
    ])
    func brokenStructure_isRefusedWithAReason(label: String, damage: String) throws {
        let url = directory.appendingPathComponent("broken-\(damage).pdf")
        try writeThreePages(to: url)
        var bytes = Array(try Data(contentsOf: url))
        let text = String(decoding: bytes, as: UTF8.self)
        switch damage {
        case "cut": bytes = Array(bytes.prefix(bytes.count / 2))
        case "loop":
            let startxref = text.range(of: "startxref\n")!.upperBound
            let offset = Int(text[startxref...].prefix { $0.isNumber })!
            let trailer = text.range(of: "trailer\n<<")!.upperBound
            let insert = text.distance(from: text.startIndex, to: trailer)
            bytes.insert(contentsOf: Array("/Prev \(offset) ".utf8), at: insert)
        default:
            let startxref = text.range(of: "startxref\n")!.upperBound
            let at = text.distance(from: text.startIndex, to: startxref)
            let digits = text[startxref...].prefix { $0.isNumber }.count
            bytes.replaceSubrange(at..<(at + digits), with: Array("99999999".utf8))
        }
        try Data(bytes).write(to: url)
        #expect(throws: PDFReadError.self, "\(label)") { _ = try PDFReader(path: url.path) }
    }

    @Test func pagesCopiedApart_keepTheirContentAndInheritedResources() async throws {
        let source = directory.appendingPathComponent("three.pdf"), part = directory.appendingPathComponent("part.pdf")
        try writeThreePages(to: source)
        try PDFPageCopier(reader: try PDFReader(path: source.path)).copy([2, 0], to: part)
        #expect(try await ExternalTool.run("qpdf", ["--check", part.path]).output.contains("No syntax or stream encoding errors"))
        let text = try await ExternalTool.run("pdftotext", ["-layout", part.path, "-"]).output
        let pages = text.split(separator: "\u{0C}").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        #expect(pages == ["Trang 3", "Trang 1"], "\(text)")
    }
}

/// The reference scanner (tokens, no values built) against the parser, on every object of the signed
/// PDFs of the shared corpus: the change analysis relies on both agreeing.
@Suite struct ReferenceScannerTests {
    @Test func theScanner_findsWhatTheParserFinds_inEveryCorpusObject() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/signatures")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pdf") }.sorted()
        try #require(names.count > 100)
        var compared = 0
        for name in names {
            guard let reader = try? PDFReader(path: folder.appendingPathComponent(name).path) else { continue }
            let numbers = Set(reader.revisions.flatMap { $0.entries.compactMap { if case .inUse = $0.value { $0.key } else { nil } } })
            for number in numbers.sorted() {
                guard let scanned = try? reader.references(of: number), let parsed = try? reader.object(number)?.value.referencesInValue() else { continue }
                func key(_ reference: ObjectReference) -> String { "\(reference.number) \(reference.key) \(reference.direct) \(reference.backLink)" }
                #expect(scanned.map(key).sorted() == parsed.map(key).sorted(), "\(name) object \(number)")
                compared += 1
            }
        }
        #expect(compared > 10_000, "objects compared: \(compared)")
    }
}
