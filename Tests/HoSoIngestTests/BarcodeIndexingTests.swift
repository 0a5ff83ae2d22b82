import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoImaging
import HoSoIngest
import HoSoSamples
import HoSoTestSupport
import Testing

/// The barcode rule in the station pipeline: real inbox, real catalog, the real `hoso barcodes` child.
@Suite struct BarcodeIndexingTests {
    let root: URL
    let inbox: URL
    let data: DataDirectory
    let catalog: SQLiteCatalog
    let blobs: LocalBlobStore

    init() throws {
        (root, inbox, data, catalog, blobs) = try StationFixture.make("barcode-index")
    }

    func service(reader: URL = hosoBinary) -> IngestService {
        let station = StationConfig(id: "scan-02", inbox: inbox, mode: .poll, pollInterval: 0.2, stabilityWindow: 0.2,
                                    defaultAgency: try! AgencyCode(parsing: "000.00.14.H27"), rules: [.sidecar, .barcode])
        return IngestService(stations: [station], catalog: catalog,
                             intake: DocumentIntake(catalog: catalog, blobs: blobs, normalizer: Normalizer(), workRoot: data.workRoot),
                             barcodes: BarcodeReader(executable: reader, timeout: 30))
    }

    /// Writes `pages` as a G4 batch into the inbox (built aside, then renamed in, as scanners do).
    func drop(_ name: String, _ pages: [SampleSet.BatchPage], dpi: Double = 200) throws -> URL {
        let scratch = root.appendingPathComponent(".scratch-\(UUID()).tif")
        try SampleSet.writeCodedBatch(to: scratch, pages: pages, dpi: dpi)
        let url = inbox.appendingPathComponent(name)
        try FileManager.default.moveItem(at: scratch, to: url)
        return url
    }

    let a = try! CaseID(parsing: "000.00.14.H27-240815-0001")
    let b = try! CaseID(parsing: "000.00.14.H27-240815-0002")

    @Test func theReceiptsQRCodeOnPage1_namesTheCase() async throws {
        _ = try drop("scan-0001.tif", [.receipt(caseID: a.description, symbology: .qr, payload: "MaHS:\(a);MaTTHC:1.001193"), .plain])
        #expect(try await service().runOnce() == [.stored(a)])
        let document = try #require(try await catalog.documents(of: a).first)
        #expect(document.pageCount == 2 && document.sourcePages == nil)
    }

    @Test func aBatchIsSplitAtItsSeparatorSheets_intoOneDocumentPerCase() async throws {
        _ = try drop("batch.tif", [
            .receipt(caseID: a.description, symbology: .qr, payload: a.description), .plain,
            .receipt(caseID: b.description, symbology: .code128, payload: "240815-0002"), .plain, .plain,
        ])
        let outcomes = try await service().runOnce()
        #expect(outcomes == [.split([a, b])], "\(outcomes)")

        let first = try #require(try await catalog.documents(of: a).first)
        let second = try #require(try await catalog.documents(of: b).first)
        #expect(first.sourcePages == PageRanges("1-2") && second.sourcePages == PageRanges("3-5"))
        #expect(first.sha256 == second.sha256, "both keep the whole batch as their original")
        // Each case's PDF holds its own pages, as poppler counts them.
        for (document, pages) in [(first, 2), (second, 3)] {
            let pdf = blobs.location(of: try #require(document.normalized?.pdf))
            let info = try await ExternalTool.run("pdfinfo", [pdf.path])
            let line = info.output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            #expect(line?.split(separator: " ").last == "\(pages)", "\(info.output)")
        }
        let events = try await catalog.events(of: b)
        #expect(events.first { $0.kind == .documentStored }?.details["sourcePages"] == "3-5")
    }

    @Test func aScannersPDFBatch_isSplitToo_itsPagesCopiedAsTheyAre() async throws {
        let tiff = root.appendingPathComponent("batch.tif"), pdf = root.appendingPathComponent("batch.pdf")
        try SampleSet.writeCodedBatch(to: tiff, pages: [
            .receipt(caseID: a.description, symbology: .qr, payload: a.description), .plain, .plain,
            .receipt(caseID: b.description, symbology: .qr, payload: b.description), .plain,
        ], dpi: 200)
        _ = try Normalizer().normalize(tiff, pdf: pdf, thumbnail: root.appendingPathComponent("t.png"))
        try FileManager.default.moveItem(at: pdf, to: inbox.appendingPathComponent("scan-to-pdf.pdf"))
        let outcomes = try await service().runOnce()
        #expect(outcomes == [.split([a, b])], "\(outcomes)")
        let parts = [try #require(try await catalog.documents(of: a).first), try #require(try await catalog.documents(of: b).first)]
        #expect(parts.map(\.sourcePages) == [PageRanges("1-3"), PageRanges("4-5")])
        for (document, pages) in zip(parts, [3, 2]) {
            let file = blobs.location(of: try #require(document.normalized?.pdf))
            let line = try await ExternalTool.run("pdfinfo", [file.path]).output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            #expect(line?.split(separator: " ").last == "\(pages)")
            // The G4 images are copied, not re-encoded.
            #expect(try await ExternalTool.run("pdfimages", ["-list", file.path]).output.contains("ccitt"))
        }
    }

    @Test func aFileWithoutACode_goesToQuarantine_sayingSo() async throws {
        _ = try drop("plain.tif", [.plain])
        #expect(try await service().runOnce() == [.quarantined(.noCaseID)])
        let entry = try #require(try await catalog.quarantine(includeResolved: false).first)
        #expect(entry.detail.contains("no QR or Code128 code on page 1"))
    }

    @Test func aReaderThatCrashes_quarantinesTheFile_andTheWorkerGoesOn() async throws {
        let crashing = root.appendingPathComponent("crashing-reader")
        try "#!/bin/sh\nkill -SEGV $$\n".write(to: crashing, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: crashing.path)
        _ = try drop("scan-0002.tif", [.receipt(caseID: a.description, symbology: .qr, payload: a.description)])
        _ = try drop("scan-0003.tif", [.plain])
        let outcomes = try await service(reader: crashing).runOnce()
        #expect(outcomes == [.quarantined(.unreadableBarcode), .quarantined(.unreadableBarcode)])
        let details = try await catalog.quarantine(includeResolved: false).map(\.detail)
        #expect(details.allSatisfy { $0.contains("signal \(SIGSEGV)") })
    }
}
