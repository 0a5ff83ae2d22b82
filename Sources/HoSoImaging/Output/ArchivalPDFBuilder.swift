import Foundation
import HoSoPDF

/// Assembles a PDF/A-2b file page by page on top of ``PDFFileWriter``: image XObjects stream to disk as
/// they are made, and the document-level parts (catalog, XMP, sRGB output intent, file ID) come last.
final class ArchivalPDFBuilder {
    /// One image drawn on a page: `rect` is (x, y, width, height) in the stored image's space, in points,
    /// y measured from the bottom.
    struct Placement {
        let image: PDFReference
        let rect: (x: Double, y: Double, width: Double, height: Double)
    }

    let writer: PDFFileWriter
    private let pagesReference: PDFReference
    private var pageReferences: [PDFReference] = []
    static let producer = "HoSo"

    init(destination: URL, durable: Bool = true) throws {
        writer = try PDFFileWriter(destination: destination, version: "1.7", durable: durable)
        pagesReference = writer.allocate()
    }

    /// Adds a page showing `placements` in a `width` × `height` point box (the stored image's size),
    /// turned for display by `orientation`.
    func addPage(width: Double, height: Double, orientation: PageOrientation, placements: [Placement]) throws {
        let displayWidth = orientation.swapsAxes ? height : width
        let displayHeight = orientation.swapsAxes ? width : height
        var content = "q \(Self.numbers(orientation.matrix(width: width, height: height))) cm\n"
        var xobjects = PDFDictionary()
        for (index, placement) in placements.enumerated() {
            let name = "Im\(index)"
            xobjects[PDFName(name)] = .reference(placement.image)
            let r = placement.rect
            content += "q \(Self.numbers([r.width, 0, 0, r.height, r.x, r.y])) cm /\(name) Do Q\n"
        }
        content += "Q\n"
        let contentReference = writer.allocate()
        try writer.writeStream(["Filter": .name("FlateDecode")], data: try FlateEncoder.compress(Array(content.utf8)),
                               as: contentReference)
        let page = writer.allocate()
        try writer.write(.dictionary([
            "Type": .name("Page"), "Parent": .reference(pagesReference),
            "MediaBox": [0, 0, .real(displayWidth), .real(displayHeight)],
            "Resources": .dictionary(["XObject": .dictionary(xobjects)]),
            "Contents": .reference(contentReference),
        ]), as: page)
        pageReferences.append(page)
    }

    /// Writes the document parts and renames the file into place.
    ///
    /// - Parameters:
    ///   - documentID: 16 bytes identifying the file; derived from the input so reruns give the same bytes.
    ///   - title: the document's title, if any.
    ///   - claimPDFA: whether the XMP identifies the file as PDF/A-2b (not when a page is DeviceCMYK).
    func commit(documentID: [UInt8], title: String?, claimPDFA: Bool) throws {
        try writer.write(.dictionary([
            "Type": .name("Pages"), "Kids": .array(pageReferences.map { .reference($0) }),
            "Count": .integer(pageReferences.count),
        ]), as: pagesReference)

        let profile = writer.allocate()
        try writer.writeStream(["N": 3], data: SRGBProfile.bytes, as: profile)
        let metadata = writer.allocate()
        try writer.writeStream(["Type": .name("Metadata"), "Subtype": .name("XML")],
                               data: XMPPacket.packet(producer: Self.producer, title: title, pdfA: claimPDFA), as: metadata)
        let catalog = writer.allocate()
        try writer.write(.dictionary([
            "Type": .name("Catalog"), "Pages": .reference(pagesReference), "Metadata": .reference(metadata),
            "OutputIntents": [.dictionary([
                "Type": .name("OutputIntent"), "S": .name("GTS_PDFA1"),
                "OutputConditionIdentifier": .string(PDFString(text: "sRGB IEC61966-2.1")),
                "Info": .string(PDFString(text: "sRGB IEC61966-2.1")),
                "DestOutputProfile": .reference(profile),
            ])],
        ]), as: catalog)
        let info = writer.allocate()
        var infoDictionary: PDFDictionary = ["Producer": .string(PDFString(text: Self.producer))]
        if let title { infoDictionary["Title"] = .string(PDFString(text: title)) }
        try writer.write(.dictionary(infoDictionary), as: info)
        try writer.commit(root: catalog, info: info, documentID: (documentID, documentID))
    }

    static func numbers(_ values: [Double]) -> String {
        values.map { String(decoding: PDFObject.real($0).bytes, as: UTF8.self) }.joined(separator: " ")
    }
}
