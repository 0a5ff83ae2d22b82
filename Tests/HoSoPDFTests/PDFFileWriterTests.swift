import Foundation
import HoSoPDF
import HoSoTestSupport
import Testing

@Suite struct PDFFileWriterTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory("pdfw")
    }

    /// A one-page PDF whose page shows a grey image written in pieces through a Flate stream.
    func writeSample(to url: URL) throws {
        let writer = try PDFFileWriter(destination: url)
        let catalog = writer.allocate(), pages = writer.allocate(), page = writer.allocate()
        let image = writer.allocate(), content = writer.allocate()
        try writer.beginStream([
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": 300, "Height": 200,
            "ColorSpace": .name("DeviceGray"), "BitsPerComponent": 8, "Filter": .name("FlateDecode"),
        ], as: image)
        let encoder = try FlateEncoder()
        for y in 0..<200 {
            let row = (0..<300).map { UInt8(($0 + y) % 256) }
            try row.withUnsafeBytes { try encoder.compress($0) { try writer.appendToStream($0) } }
        }
        try encoder.finish { try writer.appendToStream($0) }
        try writer.endStream()
        try writer.writeStream([:], data: Array("q 216 0 0 144 0 0 cm /Im0 Do Q".utf8), as: content)
        try writer.write(.dictionary([
            "Type": .name("Page"), "Parent": .reference(pages), "MediaBox": [0, 0, 216, 144],
            "Resources": .dictionary(["XObject": .dictionary(["Im0": .reference(image)])]),
            "Contents": .reference(content),
        ]), as: page)
        try writer.write(.dictionary(["Type": .name("Pages"), "Kids": [.reference(page)], "Count": 1]), as: pages)
        try writer.write(.dictionary(["Type": .name("Catalog"), "Pages": .reference(pages)]), as: catalog)
        try writer.commit(root: catalog, documentID: ([1, 2, 3, 4], [1, 2, 3, 4]))
    }

    @Test func writtenFile_passesQpdfCheck_andPopplerReadsItsImage() async throws {
        let url = directory.appendingPathComponent("out.pdf")
        try writeSample(to: url)
        let qpdf = try await ExternalTool.run("qpdf", ["--check", url.path])
        #expect(qpdf.status == 0, "\(qpdf.output)")
        #expect(qpdf.output.contains("No syntax or stream encoding errors"))
        let images = try await ExternalTool.run("pdfimages", ["-list", url.path]).output
        #expect(images.contains("300   200  gray    1   8  image"))
        let info = try await ExternalTool.run("pdfinfo", [url.path]).output
        #expect(info.contains("Page size:       216 x 144 pts"))
    }

    @Test func anAbandonedWriter_leavesNoFileBehind() throws {
        let url = directory.appendingPathComponent("abandoned.pdf")
        do {
            let writer = try PDFFileWriter(destination: url)
            try writer.write(.integer(1), as: writer.allocate())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func committingWithUnwrittenObjects_isRefused() throws {
        let url = directory.appendingPathComponent("incomplete.pdf")
        let writer = try PDFFileWriter(destination: url)
        let catalog = writer.allocate()
        _ = writer.allocate()
        try writer.write(.dictionary(["Type": .name("Catalog")]), as: catalog)
        #expect(throws: PDFWriteError.unwrittenObjects([2])) { try writer.commit(root: catalog) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func objects_serializeAsPDFSyntax() {
        #expect(PDFObject.real(0.5).bytes == Array("0.5".utf8))
        #expect(PDFObject.real(-12.0).bytes == Array("-12".utf8))
        #expect(PDFObject.real(1e-9).bytes == Array("0".utf8))
        #expect(PDFObject.name(PDFName("A B#(")).bytes == Array("/A#20B#23#28".utf8))
        #expect(PDFObject.string(PDFString(bytes: Array("a(b)\\".utf8))).bytes == Array(#"(a\(b\)\\)"#.utf8))
        #expect(PDFObject.string(PDFString(text: "Hồ")).bytes == Array("<FEFF00481ED3>".utf8))
        let dictionary: PDFDictionary = ["Type": .name("Page"), "Count": 3]
        #expect(PDFObject.dictionary(dictionary).bytes == Array("<</Type /Page /Count 3 >>".utf8))
    }
}
