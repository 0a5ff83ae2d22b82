import Foundation
import HoSoPDF
import Testing

@Suite struct PDFFileWriterTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdfw-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs an outside tool and returns its exit status and output.
    func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
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

    @Test func writtenFile_passesQpdfCheck_andPopplerReadsItsImage() throws {
        let url = directory.appendingPathComponent("out.pdf")
        try writeSample(to: url)
        let (qpdfStatus, qpdfOutput) = try run("qpdf", ["--check", url.path])
        #expect(qpdfStatus == 0, "\(qpdfOutput)")
        #expect(qpdfOutput.contains("No syntax or stream encoding errors"))
        let (_, images) = try run("pdfimages", ["-list", url.path])
        #expect(images.contains("300   200  gray    1   8  image"))
        let (_, info) = try run("pdfinfo", [url.path])
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
