import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HoSoBlobs
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoImaging
import HoSoIngest
import HoSoServer
import HoSoSignature
import Hummingbird
import Logging

/// `hoso demo`: the whole flow on a fresh data directory with the sample scans, against HoSo's own
/// server: the office's seal registered as its agency's signer, cases registered over HTTP, scans
/// dropped in station folders, the result signed for its case, attached over HTTP, results refused
/// for each reason the gate knows, the return step allowed, and refused for a case without a signed
/// result.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: its own server and stations on fresh data in <data>/demo, from registration to the return step.",
        discussion: """
            Deletes and recreates <data>/demo (default ./var/demo) each run; nothing else is touched. The \
            server listens on a free loopback port while the demo runs.

            Example:
              hoso demo --samples Samples
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Folder with the sample scans.", valueName: "dir"))
    var samples = "Samples"

    /// A scan a desk drops into a station's inbox, named `<case ID>_<component>.<ext>` (the file-name rule).
    struct Scan {
        let station: String
        let caseID: String
        let component: String
        let sample: String
    }

    static let first = "000.00.14.H27-240815-0007", second = "000.00.21.H27-240816-0012", third = "000.00.14.H27-240816-0003"
    /// The agency the office's seal signs for: the first and third cases'; the second's agency has no signer.
    static let agency = "000.00.14.H27"
    static let receipt = "Giấy tiếp nhận hồ sơ (Biểu 01)", application = "Đơn đăng ký biến động đất đai"

    /// The first case's way through the offices (Vietnam's time): from, to, when, and by when it was due.
    static let handOvers = [
        (("Bộ phận Một cửa", "Nguyễn Thị Lan"), ("Văn phòng Đăng ký đất đai", "Trần Văn Minh"), "2024-08-15T10:00:00", "2024-08-15T17:00:00"),
        (("Văn phòng Đăng ký đất đai", "Trần Văn Minh"), ("Lãnh đạo Văn phòng", "Lê Quang Hùng"), "2024-08-22T09:00:00", "2024-08-21T17:00:00"),
        (("Lãnh đạo Văn phòng", "Lê Quang Hùng"), ("Văn thư", "Phạm Thu Hà"), "2024-08-26T15:00:00", "2024-08-27T17:00:00"),
        (("Văn thư", "Phạm Thu Hà"), ("Bộ phận Một cửa", "Nguyễn Thị Lan"), "2024-08-28T10:00:00", "2024-08-28T17:00:00"),
    ]

    static let scans = [
        Scan(station: "scan-01", caseID: first, component: receipt, sample: "receipt-a4-bilevel.tif"),
        Scan(station: "scan-01", caseID: first, component: application, sample: "application-a4-colour-3p.tif"),
        Scan(station: "scan-02", caseID: second, component: "Giấy chứng nhận quyền sử dụng đất (bản sao)", sample: "scanner-output.pdf"),
        Scan(station: "scan-01", caseID: third, component: receipt, sample: "receipt-a4-bilevel.tif"),
    ]

    /// Every sample the demo uses, checked before anything starts.
    static let needed = ["receipt-a4-bilevel.tif", "application-a4-colour-3p.tif", "scanner-output.pdf", "result-a4-bilevel.tif", "seal-red.png"]

    func run() async throws {
        try await reportingFailures {
            let missing = Self.needed.filter { !FileManager.default.isReadableFile(atPath: URL(fileURLWithPath: samples).appendingPathComponent($0).path) }
            guard missing.isEmpty else {
                throw CommandFailure(.noInput, "\(samples): missing the demo's sample(s) \(missing.joined(separator: ", ")); "
                                     + "run it from the HoSo checkout or give --samples DIR (the repository's Samples/)")
            }
            let configuration = try global.loadConfiguration()
            let root = global.dataDirectory(configuration).root.appendingPathComponent("demo", isDirectory: true)
            try? FileManager.default.removeItem(at: root)
            let directory = DataDirectory(root: root)
            // The demo runs on the embedded default, whatever blobs.url says.
            let catalog = try directory.create()
            let blobs = try LocalBlobStore(root: directory.blobRoot)
            let intake = global.intake(directory, catalog, blobs, configuration)
            print("HoSo demo — data in \(root.path)\n")

            let pki = try DemoPKI(in: root.appendingPathComponent("pki"))
            let server = try await DemoServer.start(catalog: catalog, blobs: blobs, intake: intake, uploads: directory.workRoot,
                                                    anchors: pki.anchors)
            let token = BearerToken.make()
            _ = try await catalog.createToken(APIToken(name: "mot-cua-demo", role: .workflow, tokenHash: BearerToken.hash(token), createdAt: Date()))
            let client = DemoClient(port: server.port, token: token)
            let adminToken = BearerToken.make()
            _ = try await catalog.createToken(APIToken(name: "admin-demo", role: .admin, tokenHash: BearerToken.hash(adminToken), createdAt: Date()))
            let admin = DemoClient(port: server.port, token: adminToken)

            print("0. The administrator registers the office's seal as the signer of agency \(Self.agency) (hoso signers add):")
            let registered = try await admin.send("POST", "/v1/signers", json: [
                "agency": Self.agency, "role": "organization", "name": "Con dấu \(DemoPKI.officeName)",
                "certificate": try String(contentsOf: pki.officeCertificate, encoding: .utf8),
            ])
            print("   POST /v1/signers → \(registered.status)  entry \(registered.json["id"] as? Int ?? 0), key sha256 "
                  + "\((registered.json["keySha256"] as? String ?? "").prefix(16))…\n")

            print("1. The workflow server registers three cases over HTTP (HoSo serves http://127.0.0.1:\(server.port)):")
            for (id, components) in [(Self.first, [Self.receipt, Self.application]), (Self.second, []), (Self.third, [Self.receipt])] {
                let answer = try await client.send("POST", "/v1/cases", json: [
                    "caseId": id, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
                    "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": components,
                ])
                print("   POST /v1/cases \(id) → \(answer.status)  required: \(components.isEmpty ? "-" : components.joined(separator: "; "))")
            }

            print("\n2. Desks drop scans into their stations' inboxes; HoSo takes each once stable, makes it an archival")
            print("   PDF (PDF/A-2b), stores original, PDF and thumbnail by SHA-256, and files it under its case.")
            try await ingest(Self.scans, root: root, catalog: catalog, intake: intake, configuration: configuration)
            print("   The first receipt is scanned a second time:")
            try await ingest([Self.scans[0]], root: root, catalog: catalog, intake: intake, configuration: configuration)
            let summaries = try await catalog.listCases(CaseQuery())
            var rows: [[String]] = []
            for summary in summaries.sorted(by: { $0.case.id < $1.case.id }) {
                for document in try await catalog.documents(of: summary.case.id) {
                    let pages = document.normalized?.metadata.pages ?? []
                    rows.append(["   \(summary.case.id)", document.component ?? "-", document.station, "\(pages.count) p.",
                                 document.normalized?.metadata.pdfA == true ? "PDF/A-2b" : "as received", String(document.sha256.hex.prefix(12)) + "…"])
                }
            }
            Output.table(["   CASE ID", "COMPONENT", "STATION", "PAGES", "PDF", "SHA-256"], rows)

            let (signed, byCitizen) = try signResult(of: Self.first, root: root, configuration: configuration, pki: pki)

            print("\n4. The result is attached over HTTP; HoSo verifies it, checks its signer is registered for the")
            print("   case's agency and that it names the case:")
            let attached = try await client.send("POST", "/v1/cases/\(Self.first)/results", body: try Data(contentsOf: signed), type: "application/pdf")
            let binding = ((attached.json["verification"] as? [String: Any])?["acceptance"] as? [String: Any])?["binding"] as? [String: Any]
            print("   POST /v1/cases/\(Self.first)/results → \(attached.status)  \(attached.json["resultCode"] as? String ?? "")  "
                  + "\(attached.json["verdict"] as? String ?? attached.text)  case named in \(binding?["place"] as? String ?? "-")")
            let unsigned = root.appendingPathComponent("results/\(Self.first)-KQ1.pdf")
            print("   Refused, each with its reason:")
            for (id, file, what) in [(Self.second, unsigned, "the same result, unsigned"),
                                     (Self.first, byCitizen, "signed by a citizen's certificate under the same root"),
                                     (Self.third, signed, "the office's signed result of \(Self.first)"),
                                     (Self.second, signed, "a case of agency 000.00.21.H27, which has no registered signer")] {
                let refused = try await client.send("POST", "/v1/cases/\(id)/results", body: try Data(contentsOf: file), type: "application/pdf")
                print("   POST /v1/cases/\(id)/results (\(what)) → \(refused.status)  \(refused.json["code"] as? String ?? "")")
            }

            print("\n5. The workflow server reports each hand-over of \(Self.first) between the offices, with its due time;")
            print("   HoSo judges each in working hours (trước hạn / đúng hạn / quá hạn):")
            for (from, to, at, due) in Self.handOvers {
                let answer = try await client.send("POST", "/v1/cases/\(Self.first)/steps", json: [
                    "from": ["name": from.0, "person": from.1], "to": ["name": to.0, "person": to.1],
                    "at": at + "+07:00", "dueAt": due + "+07:00",
                ])
                let timeliness = answer.json["timeliness"] as? [String: Any]
                let words = [timeliness?["words"], timeliness?["verdict"] as? String == "on_time" ? nil : timeliness?["workingTime"]]
                    .compactMap { $0 as? String }.joined(separator: " ")
                print("   POST /v1/cases/\(Self.first)/steps \(from.0) → \(to.0) → \(answer.status)  \(words.isEmpty ? answer.text : words)")
            }

            print("\n   The desk asks for the return step (trả kết quả):")
            for id in [Self.first, Self.second] {
                let answer = try await client.send("POST", "/v1/cases/\(id)/return")
                let reasons = (answer.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                print("   POST /v1/cases/\(id)/return → \(answer.status)  " + (reasons.isEmpty ? "returned" : "refused: " + reasons.joined(separator: ", ")))
            }

            print("\n6. The trail of \(Self.first), each event with its real time and actor; the control slip (Biểu 05) prints")
            print("   the hand-overs and what HoSo saw, in Vietnamese:")
            for event in try await catalog.events(of: try parseCaseID(Self.first)) {
                let file = event.details["sourceFileName"] ?? event.details["resultCode"] ?? event.details["reasons"] ?? ""
                print("   \(Output.time(event.time))  \(event.kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0))"
                      + "\(event.actor.padding(toLength: 20, withPad: " ", startingAt: 0))\(file)")
            }
            let slip = try await client.send("GET", "/v1/cases/\(Self.first)/control-slip?format=pdf")
            let slipFile = root.appendingPathComponent("control-slip-\(Self.first).pdf")
            try slip.body.write(to: slipFile)
            print("   control slip: \(slipFile.path)")

            var checked = 0
            for summary in summaries {
                for document in try await catalog.documents(of: summary.case.id) {
                    for digest in [document.sha256, document.normalized?.pdf, document.normalized?.thumbnail].compactMap({ $0 }) {
                        try await blobs.verify(digest)
                        checked += 1
                    }
                }
            }
            print("\n7. Fixity: \(checked) stored files read back against their SHA-256.")
            await server.stop()
            let hoso = Self.executable
            print("\nNext, on the demo's data (the same tokens work):")
            print("   \(hoso) cases show \(Self.first) --data \(root.path)")
            print("   \(hoso) signers list --data \(root.path)")
            print("   \(hoso) serve --data \(root.path)")
            print("   curl -H 'Authorization: Bearer \(token)' http://127.0.0.1:8080/v1/cases/\(Self.first)   # the workflow server's token")
        }
    }

    /// Drops `scans` into their stations' inboxes and takes them in, as `hoso watch --once` does.
    private func ingest(_ scans: [Scan], root: URL, catalog: SQLiteCatalog, intake: DocumentIntake, configuration: Configuration) async throws {
        let stations = ["scan-01", "scan-02"].map {
            StationConfig(id: $0, inbox: root.appendingPathComponent("inbox/\($0)"), mode: .poll, stabilityWindow: 0.2, rules: [.fileName])
        }
        for station in stations { try FileManager.default.createDirectory(at: station.inbox, withIntermediateDirectories: true) }
        for scan in scans {
            let name = "\(scan.caseID)_\(scan.component).\((scan.sample as NSString).pathExtension)"
            try FileManager.default.copyItem(at: URL(fileURLWithPath: samples).appendingPathComponent(scan.sample),
                                             to: root.appendingPathComponent("inbox/\(scan.station)/\(name)"))
        }
        // The demo tells each file's fate itself; the per-file log lines would say it twice.
        var quiet = Logger(label: "hoso.demo")
        quiet.logLevel = .warning
        let service = IngestService(stations: stations, catalog: catalog, intake: intake, barcodes: configuration.barcodeReader, logger: quiet)
        let outcomes = try await service.runOnce()
        print("   " + WatchCommand.summary(outcomes))
    }

    /// Step 3: the case's result is scanned, normalized, and signed for its case by the records clerk as
    /// `hoso sign --case` does, with the demo's key and the visible seal; returns the signed file, and
    /// the same result signed by a citizen's certificate.
    private func signResult(of id: String, root: URL, configuration: Configuration, pki: DemoPKI) throws -> (URL, URL) {
        print("\n3. The records clerk (văn thư) signs the result of \(id) for its case (hoso sign --case): PAdES by")
        print("   incremental update, the seal visible (ND 30/2020); pdfsig, pyHanko and `hoso verify` all accept it.")
        let results = root.appendingPathComponent("results"), signed = root.appendingPathComponent("signed")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let result = results.appendingPathComponent("\(id)-KQ1.pdf")
        let scan = URL(fileURLWithPath: samples).appendingPathComponent("result-a4-bilevel.tif")
        do {
            _ = try configuration.normalizer.normalize(scan, pdf: result, thumbnail: results.appendingPathComponent("\(id)-KQ1.thumb.png"))
        } catch {
            throw CommandFailure(.dataError, "\(scan.path): \(error)")
        }
        let caseID = try parseCaseID(id)
        var signer = PDFSigner(key: try SigningKey.pkcs12(pki.p12, passphrase: pki.passphrase))
        signer.location = "Bộ phận Một cửa thị xã Từ Sơn"
        signer.appearance = try .seal(URL(fileURLWithPath: samples).appendingPathComponent("seal-red.png"), page: .last,
                                      millimetres: [105, 190, 90, 30])
        let outcomes = try BatchSigner(signer: signer, folder: signed, cases: .fixed(caseID)).run([result], jobs: 1) { _, _ in }
        guard case .signed(let entry) = outcomes[0] else { throw CommandFailure(.software, "the demo result was not signed: \(outcomes[0])") }
        let file = signed.appendingPathComponent(entry.file)
        print("   signed     \(file.path) by \(DemoPKI.officeName) for case \(entry.caseID ?? "-")  sha256 \(entry.outputSHA256.prefix(16))…")
        let report = try SignatureVerifier(trust: TrustStore(anchors: pki.anchors)).verify(file)
        print("   verified   \(report.indication?.rawValue ?? "NO_SIGNATURE") against the demo root (\(pki.anchors.path))")

        let citizen = PDFSigner(key: try SigningKey.pkcs12(pki.citizenP12, passphrase: pki.passphrase))
        let byCitizen = root.appendingPathComponent("signed-by-citizen")
        let other = try BatchSigner(signer: citizen, folder: byCitizen, cases: .fixed(caseID)).run([result], jobs: 1) { _, _ in }
        guard case .signed(let citizenEntry) = other[0] else { throw CommandFailure(.software, "the citizen's copy was not signed: \(other[0])") }
        return (file, byCitizen.appendingPathComponent(citizenEntry.file))
    }

    /// This binary's own path, for hints that work as they are printed (`hoso` may not be on the PATH).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
