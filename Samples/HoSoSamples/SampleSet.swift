import CTIFF
import Foundation
import HoSoImaging
import HoSoPDF

/// Makes the sample scans: the small set kept in `Samples/` and large ones for tests and benchmarks.
public enum SampleSet {
    /// The case the small samples belong to.
    public static let demoCaseID = "000.00.14.H27-240815-0007"

    /// File names of the small set, as `hoso demo` expects them.
    public static let smallFiles = ["receipt-a4-bilevel.tif", "application-a4-colour-3p.tif", "scanner-output.pdf", "seal-red.png",
                                          "result-a4-bilevel.tif"]

    /// Writes the small set into `directory`: a 1-page A4 G4 receipt at 200 dpi, a 3-page A4 colour JPEG
    /// TIFF at 200 dpi, and a 2-page scanner PDF (a G4 page and a Flate colour page).
    public static func writeSmall(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try writeReceipt(to: directory.appendingPathComponent(smallFiles[0]), caseID: demoCaseID, dpi: 200)
        try writeApplicationForm(to: directory.appendingPathComponent(smallFiles[1]), pages: 3, dpi: 200, quality: 60)
        try writeScannerPDF(to: directory.appendingPathComponent(smallFiles[2]), caseID: demoCaseID, dpi: 150)
        try writeSeal(to: directory.appendingPathComponent(smallFiles[3]), dpi: 300)
        try writeBilevel(SamplePages.result(caseID: demoCaseID, dpi: 200), dpi: 200, to: directory.appendingPathComponent(smallFiles[4]))
    }

    /// The office's red seal as a PNG with transparency, for signature appearances.
    public static func writeSeal(to url: URL, dpi: Double) throws {
        let seal = SamplePages.seal(dpi: dpi)
        try Data(PNGWriter.encode(width: seal.width, height: seal.height, rgba: seal.rgba)).write(to: url)
    }

    /// A receipt as a 1-page bilevel TIFF.
    public static func writeReceipt(
        to url: URL, caseID: String, dpi: Double, compression: TIFFPageFormat.Compression = .ccittG4
    ) throws {
        try writeBilevel(SamplePages.receipt(caseID: caseID, dpi: dpi), dpi: dpi, to: url, compression: compression)
    }

    /// One page as a 1-page bilevel TIFF, one strip.
    static func writeBilevel(
        _ page: PageLayout, dpi: Double, to url: URL, compression: TIFFPageFormat.Compression = .ccittG4
    ) throws {
        let writer = try TIFFWriter(path: url.path)
        defer { writer.close() }
        let format = TIFFPageFormat(width: page.width, height: page.height, dpi: dpi, colour: .bilevel,
                                    compression: compression, layout: .strips(rowsPerStrip: page.height))
        try writer.writePage(format, page: 0, of: 1) { y, row in page.renderRow(y, into: &row) }
    }

    /// An application form as a multi-page colour TIFF.
    public static func writeApplicationForm(to url: URL, pages: Int, dpi: Double, quality: Int) throws {
        let writer = try TIFFWriter(path: url.path)
        defer { writer.close() }
        for number in 1...pages {
            let page = SamplePages.applicationForm(page: number, of: pages, dpi: dpi)
            let format = TIFFPageFormat(width: page.width, height: page.height, dpi: dpi, colour: .rgb8,
                                        compression: .jpeg(quality: quality), layout: .strips(rowsPerStrip: 64))
            try writer.writePage(format, page: number - 1, of: pages) { y, row in page.renderRow(y, into: &row) }
        }
    }

    /// A land map of `widthMM` × `heightMM` (A0 is 841 × 1189) in the given format, streamed band by band.
    public static func writeMap(
        to url: URL, widthMM: Double = 841, heightMM: Double = 1189, dpi: Double, colour: TIFFPageFormat.Colour,
        compression: TIFFPageFormat.Compression, layout: TIFFPageFormat.Layout? = nil, bigTIFF: Bool = false,
        qrPayload: String? = nil
    ) throws {
        let code = try qrPayload.map { try SymbolMatrix.zint(.qr, $0) }
        let map = MapSheet(width: SamplePages.px(widthMM, dpi), height: SamplePages.px(heightMM, dpi), dpi: dpi, code: code)
        let writer = try TIFFWriter(path: url.path, bigTIFF: bigTIFF)
        defer { writer.close() }
        let format = TIFFPageFormat(width: map.width, height: map.height, dpi: dpi, colour: colour,
                                    compression: compression, layout: layout ?? .strips(rowsPerStrip: 16))
        try writer.writePage(format, page: 0, of: 1) { y, row in map.renderRow(y, into: &row) }
    }

    /// A batch of receipts as one multi-page bilevel TIFF, one strip of `rowsPerStrip` rows at a time.
    public static func writeReceiptBatch(
        to url: URL, caseIDs: [String], dpi: Double, compression: TIFFPageFormat.Compression = .ccittG4,
        rowsPerStrip: Int = 128
    ) throws {
        let writer = try TIFFWriter(path: url.path)
        defer { writer.close() }
        for (index, caseID) in caseIDs.enumerated() {
            let page = SamplePages.receipt(caseID: caseID, dpi: dpi)
            let format = TIFFPageFormat(width: page.width, height: page.height, dpi: dpi, colour: .bilevel,
                                        compression: compression, layout: .strips(rowsPerStrip: rowsPerStrip))
            try writer.writePage(format, page: index, of: caseIDs.count) { y, row in page.renderRow(y, into: &row) }
        }
    }

    /// One page of a coded batch: a receipt carrying a code of the case, or a plain page without one.
    public enum BatchPage: Sendable {
        case receipt(caseID: String, symbology: SymbolMatrix.Symbology, payload: String)
        case plain
    }

    /// A batch scan as one multi-page bilevel G4 TIFF: receipts with their QR code or Code128 (made by
    /// `zint`) top-left, which separate the cases, and plain pages between them.
    public static func writeCodedBatch(to url: URL, pages: [BatchPage], dpi: Double) throws {
        let writer = try TIFFWriter(path: url.path)
        defer { writer.close() }
        for (index, kind) in pages.enumerated() {
            let page: PageLayout
            switch kind {
            case .receipt(let caseID, let symbology, let payload):
                page = SamplePages.receipt(caseID: caseID, dpi: dpi, code: (symbology, try SymbolMatrix.zint(symbology, payload)))
            case .plain:
                page = SamplePages.applicationForm(page: index + 1, of: pages.count, dpi: dpi)
            }
            let format = TIFFPageFormat(width: page.width, height: page.height, dpi: dpi, colour: .bilevel,
                                        compression: .ccittG4, layout: .strips(rowsPerStrip: 128))
            try writer.writePage(format, page: index, of: pages.count) { y, row in page.renderRow(y, into: &row) }
        }
    }

    /// What a document scanner's "scan to PDF" makes: page 1 a black-and-white page as CCITT G4, page 2 a
    /// colour page as Flate. The G4 data comes from libtiff's encoder, as a scanner's firmware would make it.
    public static func writeScannerPDF(to url: URL, caseID: String, dpi: Double) throws {
        let writer = try PDFFileWriter(destination: url, version: "1.4")
        let catalog = writer.allocate(), pages = writer.allocate(), info = writer.allocate()
        var kids: [PDFObject] = []

        // Page 1: the receipt, G4-coded through a scratch single-strip TIFF.
        let receipt = SamplePages.receipt(caseID: caseID, dpi: dpi)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("g4-\(UUID()).tif")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try writeReceipt(to: scratch, caseID: caseID, dpi: dpi)
        let g4 = try rawStrip(of: scratch)
        let image1 = writer.allocate()
        try writer.writeStream([
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(receipt.width),
            "Height": .integer(receipt.height), "ColorSpace": .name("DeviceGray"), "BitsPerComponent": 1,
            "Filter": .name("CCITTFaxDecode"),
            "DecodeParms": .dictionary(["K": -1, "Columns": .integer(receipt.width), "Rows": .integer(receipt.height)]),
        ], data: g4, as: image1)
        kids.append(.reference(try writeImagePage(writer, image: image1, width: receipt.width, height: receipt.height, dpi: dpi, parent: pages)))

        // Page 2: the last page of the application form, in colour.
        let form = SamplePages.applicationForm(page: 1, of: 1, dpi: dpi)
        let image2 = writer.allocate()
        try writer.beginStream([
            "Type": .name("XObject"), "Subtype": .name("Image"), "Width": .integer(form.width),
            "Height": .integer(form.height), "ColorSpace": .name("DeviceRGB"), "BitsPerComponent": 8,
            "Filter": .name("FlateDecode"),
        ], as: image2)
        let encoder = try FlateEncoder()
        var row = [UInt8](repeating: 0, count: form.width * 3)
        for y in 0..<form.height {
            form.renderRow(y, into: &row)
            try row.withUnsafeBytes { try encoder.compress($0) { try writer.appendToStream($0) } }
        }
        try encoder.finish { try writer.appendToStream($0) }
        try writer.endStream()
        kids.append(.reference(try writeImagePage(writer, image: image2, width: form.width, height: form.height, dpi: dpi, parent: pages)))

        try writer.write(.dictionary(["Type": .name("Pages"), "Kids": .array(kids), "Count": .integer(kids.count)]), as: pages)
        try writer.write(.dictionary(["Type": .name("Catalog"), "Pages": .reference(pages)]), as: catalog)
        try writer.write(.dictionary([
            "Producer": .string(PDFString(text: "hoso-samples scanner simulation")),
            "Title": .string(PDFString(text: "Hồ sơ \(caseID)")),
            "CreationDate": .string(PDFString(text: "D:20240815083000+07'00'")),
        ]), as: info)
        let id = Array(fnv1a(url.lastPathComponent + caseID))
        try writer.commit(root: catalog, info: info, documentID: (id, id))
    }

    private static func writeImagePage(
        _ writer: PDFFileWriter, image: PDFReference, width: Int, height: Int, dpi: Double, parent: PDFReference
    ) throws -> PDFReference {
        let w = Double(width) * 72 / dpi, h = Double(height) * 72 / dpi
        let content = writer.allocate(), page = writer.allocate()
        try writer.writeStream([:], data: Array("q \(PDFObject.real(w).text) 0 0 \(PDFObject.real(h).text) 0 0 cm /Im0 Do Q\n".utf8), as: content)
        try writer.write(.dictionary([
            "Type": .name("Page"), "Parent": .reference(parent),
            "MediaBox": [0, 0, .real(w), .real(h)],
            "Resources": .dictionary(["XObject": .dictionary(["Im0": .reference(image)])]),
            "Contents": .reference(content),
        ]), as: page)
        return page
    }

    /// The coded bytes of a single-strip TIFF's only strip.
    private static func rawStrip(of url: URL) throws -> [UInt8] {
        guard let tiff = TIFFOpen(url.path, "r") else { throw SampleError.tiff(path: url.path, reason: "cannot open") }
        defer { TIFFClose(tiff) }
        let size = Int(TIFFRawStripSize64(tiff, 0))
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { TIFFReadRawStrip(tiff, 0, $0.baseAddress, tmsize_t(size)) }
        guard read == size else { throw SampleError.tiff(path: url.path, reason: "strip 0 could not be read") }
        return bytes
    }

    /// 16 stable bytes from a text, for file identifiers that are the same on every run.
    private static func fnv1a(_ text: String) -> [UInt8] {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 7
        }
        return (0..<8).map { UInt8(truncatingIfNeeded: a >> ($0 * 8)) } + (0..<8).map { UInt8(truncatingIfNeeded: b >> ($0 * 8)) }
    }
}

extension PDFObject {
    /// The object's syntax as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
