import Foundation
import HoSoCatalog
import HoSoCore
import HoSoImaging
import HoSoIngest
import HoSoSamples
import HoSoTestSupport
import Testing

/// Reading QR codes and Code128 barcodes made by zint, through the real `hoso barcodes` child process.
@Suite struct BarcodeTests {
    let root: URL

    init() throws {
        root = try makeTemporaryDirectory("barcodes")
    }

    static let caseA = "000.00.14.H27-240815-0001"
    static let caseB = "000.00.14.H27-240815-0002"
    static let caseC = "000.00.14.H27-240816-0003"

    @Test(arguments: [200.0, 300.0, 600.0])
    func aReceiptsQRCode_andCode128_areRead_atEveryScanResolution(dpi: Double) throws {
        let file = root.appendingPathComponent("batch-\(Int(dpi)).tif")
        try SampleSet.writeCodedBatch(to: file, pages: [
            .receipt(caseID: Self.caseA, symbology: .qr, payload: "MaHS:\(Self.caseA);MaTTHC:1.001193;CCCD:001088012345"),
            .plain,
            .receipt(caseID: Self.caseB, symbology: .code128, payload: Self.caseB),
        ], dpi: dpi)
        let pages = try BarcodeReader(executable: hosoBinary).read(file).get()
        #expect(pages.map(\.page) == [1, 2, 3])
        #expect(pages[0].codes == [Barcode(symbology: .qr, text: "MaHS:\(Self.caseA);MaTTHC:1.001193;CCCD:001088012345")])
        #expect(pages[1].codes.isEmpty)
        #expect(pages[2].codes == [Barcode(symbology: .code128, text: Self.caseB)])
    }

    @Test func theCornerOfAMap_at600dpi_isReadAt200dpi() throws {
        let file = root.appendingPathComponent("map.tif")
        // A corner of a map sheet keeps the test quick; the benchmark reads a whole A0 sheet's corner.
        try SampleSet.writeMap(to: file, widthMM: 200, heightMM: 150, dpi: 600, colour: .rgb8, compression: .lzw,
                               qrPayload: Self.caseC)
        var sizes: [(Int, Int)] = []
        let scanner = BarcodeScanner(corners: CornerReader())
        let pages = try scanner.scan(file)
        try CornerReader().read(file) { _, corner in sizes.append((corner.width, corner.height)) }
        // 120 × 100 mm at 600 dpi is 2834 × 2362 px; averaged 3 × 3 it is 944 × 787.
        #expect(sizes.count == 1 && sizes[0] == (944, 787))
        #expect(pages == [PageBarcodes(page: 1, codes: [Barcode(symbology: .qr, text: Self.caseC)])])
    }

    @Test func aPDFPage_isRenderedClippedToItsCorner() throws {
        let tiff = root.appendingPathComponent("receipt.tif"), pdf = root.appendingPathComponent("receipt.pdf")
        try SampleSet.writeCodedBatch(to: tiff, pages: [.receipt(caseID: Self.caseA, symbology: .qr, payload: Self.caseA)], dpi: 300)
        _ = try Normalizer().normalize(tiff, pdf: pdf, thumbnail: root.appendingPathComponent("t.png"))
        var sizes: [(Int, Int)] = []
        try CornerReader().read(pdf) { _, corner in sizes.append((corner.width, corner.height)) }
        #expect(sizes.count == 1 && sizes[0] == (944, 787))
        #expect(try BarcodeReader(executable: hosoBinary).read(pdf).get()[0].codes == [Barcode(symbology: .qr, text: Self.caseA)])
    }

    @Test func aReaderThatCrashes_orHangs_costsOneFile_notTheCaller() throws {
        let file = root.appendingPathComponent("any.tif")
        try SampleSet.writeCodedBatch(to: file, pages: [.plain], dpi: 50)
        // Stand-ins for a decoder that crashes and one that loops: real processes, killed by real signals.
        let aborting = root.appendingPathComponent("aborting"), hanging = root.appendingPathComponent("hanging")
        try "#!/bin/sh\nkill -SEGV $$\n".write(to: aborting, atomically: true, encoding: .utf8)
        try "#!/bin/sh\nexec sleep 30\n".write(to: hanging, atomically: true, encoding: .utf8)
        for script in [aborting, hanging] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path) }

        let crashed = BarcodeReader(executable: aborting).read(file)
        guard case .failure(.crashed(let signal, _)) = crashed else {
            Issue.record("an aborting reader must be reported as crashed: \(crashed)"); return
        }
        #expect(signal == SIGSEGV)
        let started = Date()
        let hung = BarcodeReader(executable: hanging, timeout: 1).read(file)
        guard case .failure(.timedOut) = hung else {
            Issue.record("a hanging reader must be stopped: \(hung)"); return
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func anUnreadableFile_isRefusedWithTheChildsReason() {
        let missing = root.appendingPathComponent("nothing-here.tif")
        guard case .failure(.refused(let status, let message)) = BarcodeReader(executable: hosoBinary).read(missing) else {
            Issue.record("a missing file must be refused"); return
        }
        #expect(status == 66 || status == 65)
        #expect(message.contains("nothing-here.tif"))
    }
}
