import Foundation
import HoSoPDF
import Testing

/// Found by fuzzing (`make fuzz`, target pdf): a stream whose /Length is an object that is itself a stream,
/// whose /Length is another such object, and so on (or the stream itself), made the reader recurse until
/// the stack ran out. A /Length object is an integer (ISO 32000-1, 7.3.8.2); one that is a stream is refused.
@Suite struct StreamLengthTests {
    /// A file of `count` streams, numbered from 3, each stream's /Length the object `length(number)` names;
    /// a classic cross-reference table.
    static func streams(_ count: Int, length: (Int) -> String) -> [UInt8] {
        var bytes = Array("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        func add(_ text: String) {
            offsets.append(bytes.count)
            bytes += Array("\(offsets.count) 0 obj\n\(text)\nendobj\n".utf8)
        }
        add("<< /Type /Catalog /Pages 2 0 R >>")
        add("<< /Type /Pages /Kids [] /Count 0 >>")
        for number in 3..<(3 + count) { add("<< /Length \(length(number)) >>\nstream\nabcd\nendstream") }
        let table = offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        bytes += Array("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n\(table)trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(bytes.count)\n%%EOF\n".utf8)
        return bytes
    }

    @Test func aStreamWhoseLengthIsItself_isRefused() throws {
        let reader = try PDFReader(data: Data(Self.streams(1) { "\($0) 0 R" }), name: "self.pdf")
        let error = try #require(throws: PDFReadError.self) { _ = try reader.object(3) }
        #expect("\(error)".contains("is a stream's /Length, yet is a stream itself"), "\(error)")
    }

    @Test func aChainOfStreamsEachTheLengthOfTheLast_isRefused_notRecursedInto() throws {
        // 20,000 deep: far past any thread's stack when each link is a nested parse.
        let count = 20_000
        let reader = try PDFReader(data: Data(Self.streams(count) { $0 + 1 < 3 + count ? "\($0 + 1) 0 R" : "4" }), name: "chain.pdf")
        for number in [3, 3 + count / 2] {
            let error = try #require(throws: PDFReadError.self) { _ = try reader.object(number) }
            #expect("\(error)".contains("yet is a stream itself"), "object \(number): \(error)")
        }
        // The last stream's /Length is a plain 4: it reads.
        #expect(try reader.object(2 + count)?.stream?.count == 4)
    }

    @Test func aLengthInAnObjectOfItsOwn_stillReads() throws {
        var bytes = Self.streams(1) { _ in "4 0 R" }
        // Object 4, holding the integer, appended with a second table section for it.
        let offset = bytes.count
        bytes += Array("4 0 obj\n4\nendobj\nxref\n4 1\n\(String(format: "%010d", offset)) 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev \(Self.startxref(bytes)) >>\n".utf8)
        let table = offset + "4 0 obj\n4\nendobj\n".utf8.count
        bytes += Array("startxref\n\(table)\n%%EOF\n".utf8)
        let reader = try PDFReader(data: Data(bytes), name: "length.pdf")
        #expect(try reader.object(3)?.stream?.count == 4)
    }

    /// The offset the file's last `startxref` gives.
    static func startxref(_ bytes: [UInt8]) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        let tail = text.components(separatedBy: "startxref\n").last ?? ""
        return Int(tail.prefix { $0.isNumber }) ?? 0
    }
}
