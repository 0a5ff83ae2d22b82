import Foundation
import HoSoPDF
import Testing

/// Found by fuzzing (`make fuzz`, target pdf): two object streams whose /Length each lie in the other made
/// the reader recurse until the stack ran out (SIGSEGV in `hoso verify`, and in `hoso serve` before its
/// parsers moved to worker processes). ISO 32000-1, 7.5.7: an object stream's /Length is never itself in
/// an object stream; such a file is refused.
@Suite struct ObjectStreamLengthTests {
    /// Objects 1–2 the catalog and pages; 3 and 4 object streams whose /Length are objects 5 and 6; 5 is
    /// in stream 4, 6 in stream 3; 7 the cross-reference stream (uncompressed, /W [1 4 2]).
    static func crossedObjectStreams() -> [UInt8] {
        var bytes = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        func add(_ number: Int, _ text: String) {
            offsets[number] = bytes.count
            bytes += Array("\(number) 0 obj\n\(text)\nendobj\n".utf8)
        }
        func objectStream(holding number: Int, value: String, length: Int) -> String {
            let header = "\(number) 0 "
            let data = header + value
            return "<< /Type /ObjStm /N 1 /First \(header.utf8.count) /Length \(length) 0 R >>\nstream\n\(data)\nendstream"
        }
        add(1, "<< /Type /Catalog /Pages 2 0 R >>")
        add(2, "<< /Type /Pages /Kids [] /Count 0 >>")
        add(3, objectStream(holding: 6, value: "12", length: 5))
        add(4, objectStream(holding: 5, value: "12", length: 6))
        offsets[7] = bytes.count
        func entry(_ type: UInt8, _ field: Int, _ index: Int) -> [UInt8] {
            [type, UInt8(field >> 24 & 0xFF), UInt8(field >> 16 & 0xFF), UInt8(field >> 8 & 0xFF), UInt8(field & 0xFF),
             UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]
        }
        var table = entry(0, 0, 0xFFFF)
        for number in 1...4 { table += entry(1, offsets[number]!, 0) }
        table += entry(2, 4, 0) + entry(2, 3, 0) + entry(1, offsets[7]!, 0)
        bytes += Array("7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length \(table.count) >>\nstream\n".utf8)
        bytes += table + Array("\nendstream\nendobj\nstartxref\n\(offsets[7]!)\n%%EOF\n".utf8)
        return bytes
    }

    @Test func objectStreamsWhoseLengthsLieInEachOther_areRefused_notRecursedInto() throws {
        let reader = try PDFReader(data: Data(Self.crossedObjectStreams()), name: "crossed.pdf")
        #expect(try reader.object(1) != nil)
        for number in [3, 4, 5, 6] {
            let error = try #require(throws: PDFReadError.self) { _ = try reader.object(number) }
            #expect("\(error)".contains("is itself in an object stream"), "object \(number): \(error)")
        }
    }
}
