import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoImaging
import HoSoIngest
import HoSoSignature

/// `hoso demo`: the whole flow HoSo supports so far, on a fresh data directory, with the sample scans.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: fresh data in <data>/demo, sample scans ingested into three cases, a result signed.",
        discussion: """
            Deletes and recreates <data>/demo (default ./var/demo) each run; nothing else is touched.

            Example:
              hoso demo --samples Samples
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Folder with the sample scans.", valueName: "dir"))
    var samples = "Samples"

    /// One step of the demo: files of one case, as a desk would scan them.
    struct Step {
        let caseID: String
        let component: String
        let files: [String]
        let station: String
    }

    static let steps = [
        Step(caseID: "000.00.14.H27-240815-0007", component: "Giấy tiếp nhận hồ sơ (Biểu 01)",
             files: ["receipt-a4-bilevel.tif"], station: "scan-01"),
        Step(caseID: "000.00.14.H27-240815-0007", component: "Đơn đăng ký biến động đất đai",
             files: ["application-a4-colour-3p.tif"], station: "scan-01"),
        Step(caseID: "000.00.21.H27-240816-0012", component: "Giấy chứng nhận quyền sử dụng đất (bản sao)",
             files: ["scanner-output.pdf"], station: "scan-02"),
        Step(caseID: "000.00.14.H27-240816-0003", component: "Giấy tiếp nhận hồ sơ (Biểu 01)",
             files: ["receipt-a4-bilevel.tif"], station: "scan-01"),
        // The desk scans the first receipt a second time: HoSo keeps one copy and records the duplicate.
        Step(caseID: "000.00.14.H27-240815-0007", component: "Giấy tiếp nhận hồ sơ (Biểu 01)",
             files: ["receipt-a4-bilevel.tif"], station: "scan-01"),
    ]

    /// Step 5: the case's result is scanned, normalized, and signed by the records clerk (as `hoso sign`
    /// does, with a demo key and the visible seal), then verified.
    private func signResult(of caseID: CaseID, root: URL, configuration: Configuration) throws {
        print("\n5. The records clerk (văn thư) signs the result of \(caseID): PAdES by incremental update, the seal")
        print("   visible (ND 30/2020), then anyone can check it (pdfsig, pyHanko, `hoso verify`).")
        let results = root.appendingPathComponent("results"), signed = root.appendingPathComponent("signed")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let result = results.appendingPathComponent("\(caseID)-KQ1.pdf")
        let scan = URL(fileURLWithPath: samples).appendingPathComponent("result-a4-bilevel.tif")
        do {
            _ = try configuration.normalizer.normalize(scan, pdf: result, thumbnail: results.appendingPathComponent("\(caseID)-KQ1.thumb.png"))
        } catch {
            throw CommandFailure(.dataError, "\(scan.path): \(error)")
        }
        let pki = try DemoPKI(in: root.appendingPathComponent("pki"))
        var signer = PDFSigner(key: try SigningKey.pkcs12(pki.p12, passphrase: pki.passphrase))
        signer.reason = "Kết quả giải quyết hồ sơ \(caseID)"
        signer.location = "Bộ phận Một cửa thị xã Từ Sơn"
        let drawing = try SealAppearance(width: 90 * 72 / 25.4, height: 30 * 72 / 25.4,
                                         seal: URL(fileURLWithPath: samples).appendingPathComponent("seal-red.png"))
        signer.appearance = .init(page: .last, box: [105, 190, 90, 30].map { $0 * 72 / 25.4 }) { name, time in
            try drawing.render(signer: name, time: time)
        }
        let outcomes = try BatchSigner(signer: signer, folder: signed).run([result], jobs: 1) { _, _ in }
        guard case .signed(let entry) = outcomes[0] else { throw CommandFailure(.software, "the demo result was not signed: \(outcomes[0])") }
        print("   signed     \(entry.file) by \(DemoPKI.officeName)  sha256 \(entry.outputSHA256.prefix(16))…")
        let report = try SignatureVerifier(trust: TrustStore(anchors: pki.anchors)).verify(signed.appendingPathComponent(entry.file))
        print("   verified   \(report.indication?.rawValue ?? "NO_SIGNATURE") against the demo root (\(pki.anchors.path))")
        print("   files      \(signed.path)/ (with manifest.json and its signature manifest.json.p7s)")
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let root = global.dataDirectory(configuration).root.appendingPathComponent("demo", isDirectory: true)
            try? FileManager.default.removeItem(at: root)
            let directory = DataDirectory(root: root)
            let (catalog, blobs) = try directory.create()
            let intake = global.intake(directory, catalog, blobs, configuration)
            print("HoSo demo — data in \(root.path)\n")
            print("1. Scanning stations hand in files; HoSo makes each an archival PDF (PDF/A-2b), stores original,")
            print("   PDF and thumbnail by SHA-256, and records the document on its case.")
            for step in Self.steps {
                let id = try parseCaseID(step.caseID)
                for name in step.files {
                    let file = URL(fileURLWithPath: samples).appendingPathComponent(name)
                    let result = try await intake.ingest(
                        file, caseID: id, component: step.component, station: step.station,
                        actor: "station:\(step.station)", at: Date()
                    )
                    switch result {
                    case .stored(let document):
                        print("   stored     \(name) → \(id)  \(Output.bytes(document.byteCount))  sha256 \(document.sha256.hex.prefix(16))…")
                        if let copy = document.normalized {
                            let pages = copy.metadata.pages
                            let encodings = Set(pages.map(\.encoding)).sorted().joined(separator: "+")
                            let papers = Set(pages.map(\.paper.rawValue)).sorted().joined(separator: ",")
                            print("              → PDF \(copy.pdf.hex.prefix(16))…  \(pages.count) page(s) \(papers), \(encodings), "
                                + "\(Output.bytes(copy.pdfByteCount))\(copy.metadata.pdfA ? ", PDF/A-2b" : ", kept as received")")
                            for warning in Set(pages.flatMap(\.warnings)).sorted() { print("                warning: \(warning)") }
                        }
                    case .duplicate(let earlier, _):
                        print("   duplicate  \(name) → \(id)  same bytes as document \(earlier.id ?? 0); kept once, event recorded")
                    }
                }
            }

            print("\n2. Cases in the catalog:")
            let summaries = try await catalog.listCases(CaseQuery())
            Output.table(
                ["   CASE ID", "AGENCY", "RECEIVED", "STATUS", "DOCS"],
                summaries.sorted { $0.case.id < $1.case.id }.map {
                    ["   \($0.case.id)", $0.case.id.agency.description, $0.case.id.receivedOn.description,
                     $0.case.status.rawValue, String($0.documentCount)]
                }
            )

            let first = try parseCaseID(Self.steps[0].caseID)
            print("\n3. The trail of \(first), each step with its real time and actor:")
            for event in try await catalog.events(of: first) {
                let file = event.details["sourceFileName"].map { "  \($0)" } ?? ""
                print("   \(Output.time(event.time))  \(event.kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0))\(event.actor)\(file)")
            }

            print("\n4. Every stored blob still has its hash:")
            var checked = 0
            for summary in summaries {
                for document in try await catalog.documents(of: summary.case.id) {
                    try blobs.verify(document.sha256)
                    checked += 1
                    if let copy = document.normalized {
                        try blobs.verify(copy.pdf)
                        try blobs.verify(copy.thumbnail)
                    }
                }
            }
            print("   \(checked) documents, their archival PDFs and thumbnails verified against their SHA-256")

            try signResult(of: first, root: root, configuration: configuration)
            print("\nNext: `hoso cases show \(first) --data \(root.path)` and `hoso events \(first) --data \(root.path)`.")
        }
    }
}
