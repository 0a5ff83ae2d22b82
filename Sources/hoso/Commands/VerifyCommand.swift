import ArgumentParser
import Foundation
import HoSoConfig
import HoSoCore
import HoSoPDF
import HoSoServer
import HoSoSignature

/// `hoso verify`: the verdict on every signature of each PDF, with its evidence.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the signatures of PDFs: byte range, CMS, signer, path to the trust anchors, revocation, later changes.",
        discussion: """
            One block per file, one line per signature with its ETSI EN 319 102-1 indication \
            (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE) and the reason in words; --json prints the \
            reports with their evidence. Files are verified in parallel.

            Exit codes: 0 every file passed, 1 a signature failed, 2 indeterminate (untrusted root, \
            revocation unknown, ...), 3 a file has no signature, 65 a file is not a readable PDF. With \
            several files the worst wins (65 over 1 over 2 over 3); 66 a file is missing.

            --case ID runs the return gate's own checks on one file, so the records clerk can check a \
            result before the workflow server attaches it: the last signature must be by a registered \
            signer of the agency that decides the case (hoso signers), and the result must name the \
            case (signature, text, or page 1's QR code or Code128). A refusal exits 1 with the API's \
            code (signer_not_authorized, no_signer_registered, result_case_not_named). Without \
            --trust and --crl, the configuration's trust.anchors and trust.crls are used.

            Example:
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --crl /etc/hoso/crl
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --ocsp http://ocsp.ca.gov.vn/
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --fetch-crls /var/cache/hoso/crl
              hoso verify ket-qua.pdf --case 000.00.14.H27-240815-0007 --config /etc/hoso/hoso.yaml
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Signed PDFs.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("Folder of trust anchors (PEM or DER).", valueName: "dir"))
    var trust: String?

    @Option(name: .customLong("intermediates"), help: ArgumentHelp("Folder of intermediate CA certificates.", valueName: "dir"))
    var intermediates: String?

    @Option(help: ArgumentHelp("Folder of CRLs; when given, every certificate on a path must have one.", valueName: "dir"))
    var crl: String?

    @Option(name: .customLong("fetch-crls"),
            help: ArgumentHelp("Download the CRLs the signers' certificates name (http) into this folder, reusing those still current, and use them.", valueName: "dir"))
    var fetchCRLs: String?

    @Option(help: ArgumentHelp("OCSP responder asked about each signer's certificate (http://host:port/).", valueName: "url"))
    var ocsp: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Also run the return gate's signer and case checks for this case.", valueName: "id"))
    var caseID: String?

    @Flag(help: "Print the reports as JSON.")
    var json = false

    func validate() throws {
        if let caseID {
            do { _ = try CaseID(parsing: caseID) } catch { throw ValidationError("--case \(caseID): \(error.description)") }
            guard files.count == 1 else { throw ValidationError("--case checks one file") }
        }
    }

    func run() async throws {
        try await reportingFailures {
            for file in files where !FileManager.default.isReadableFile(atPath: file) {
                throw CommandFailure(.noInput, "\(file): no such file, or not readable")
            }
        }
        let configuration = try await configuration()
        let trust = self.trust ?? configuration?.string(ConfigKeys.trustAnchors)
        let crl = self.crl ?? configuration?.string(ConfigKeys.trustCRLs)
        let fetched = fetchCRLs.map { URL(fileURLWithPath: $0) }
        if let fetched {
            let helpers = TrustStore.certificates(in: intermediates.map { URL(fileURLWithPath: $0) })
            for line in CRLFetcher(cache: fetched).fetch(for: files.map { URL(fileURLWithPath: $0) }, intermediates: helpers) {
                FileHandle.standardError.write(Data("hoso: CRL \(line)\n".utf8))
            }
        }
        let store = TrustStore(anchors: trust.map { URL(fileURLWithPath: $0) }, intermediates: intermediates.map { URL(fileURLWithPath: $0) },
                               crls: crl.map { URL(fileURLWithPath: $0) }, fetchedCRLs: fetched, ocspResponder: ocsp.flatMap { URL(string: $0) })
        let verifier = SignatureVerifier(trust: store)
        let progress = ProgressLine()
        progress.doing("verifying \(files.count) file(s)")
        let results = parallelResults(count: files.count) { [files] index in
            Result { () throws(PDFReadError) in try verifier.verify(URL(fileURLWithPath: files[index])) }
        }
        progress.finish()
        var statuses: [Int32] = []
        var reports: [DocumentReport] = []
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let report):
                reports.append(report)
                statuses.append(Self.status(report))
                if !json { print(Self.describe(report)) }
            case .failure(let error):
                statuses.append(65)
                FileHandle.standardError.write(Data("hoso: \(file): not a readable PDF: \(error)\n".utf8))
            }
        }
        if let caseID, let report = reports.first, let configuration {
            let refused = try await checkAcceptance(report, for: try! CaseID(parsing: caseID), configuration: configuration)
            if refused, statuses[0] == 0 { statuses[0] = 1 }
        } else if json {
            try Output.json(reports)
        }
        let worst = [65, 1, 2, 3].first { statuses.contains(Int32($0)) } ?? 0
        if worst != 0 { throw ExitCode(Int32(worst)) }
    }

    /// The configuration, read only when it is asked for (--config, $HOSO_CONFIG, --case) or present.
    private func configuration() async throws -> Configuration? {
        var loaded: Configuration?
        try await reportingFailures { loaded = try global.loadConfiguration() }
        return loaded
    }

    /// The gate's signer rule and case binding on `report`; prints them and returns whether they refused.
    private func checkAcceptance(_ report: DocumentReport, for id: CaseID, configuration: Configuration) async throws -> Bool {
        var evidence: AcceptanceEvidence?
        try await reportingFailures {
            let catalog = try await global.openCatalog(configuration)
            let found = try await catalog.fetchCase(id) ?? Case(id: id, createdAt: Date())
            let acceptance = ResultAcceptance(
                registry: catalog, reader: configuration.barcodeReader,
                requireRegisteredSigner: configuration.boolean(ConfigKeys.resultsRequireRegisteredSigner) ?? true,
                requireCaseBinding: configuration.boolean(ConfigKeys.resultsRequireCaseBinding) ?? true)
            evidence = try await acceptance.judge(report, file: URL(fileURLWithPath: files[0]), for: found, at: Date())
        }
        guard let evidence else { return true }
        let refusal = evidence.refusal
        if json {
            struct Checked: Encodable {
                let report: DocumentReport
                let acceptance: AcceptanceEvidence
                let refusal: [String: String]?
            }
            try Output.json(Checked(report: report, acceptance: evidence, refusal: refusal.map { ["code": $0.code, "detail": $0.detail] }))
        } else {
            print(Self.describe(evidence))
            if let refusal { print("  refused: \(refusal.code) — \(refusal.detail)") }
        }
        return refusal != nil
    }

    static func describe(_ evidence: AcceptanceEvidence) -> String {
        let signer = evidence.signer
        var lines = ["case \(evidence.caseID), decided by agency \(evidence.policy.agency)"
                     + (evidence.policy.requiredRoles.isEmpty ? "" : " (requires " + evidence.policy.requiredRoles.map(\.rawValue).joined(separator: ", ") + ")")]
        switch signer.outcome {
        case "authorized":
            let entry = signer.entry.map { " — registry entry \($0.id ?? 0): \($0.name), \($0.role.rawValue), by \($0.match)" } ?? ""
            lines.append("  signer: authorized \(signer.signer ?? "")\(entry)")
        default:
            lines.append("  signer: \(signer.outcome)" + (signer.signer.map { " \($0)" } ?? ""))
        }
        switch evidence.binding.outcome {
        case "bound": lines.append("  case: named in \(evidence.binding.place ?? "")")
        default: lines.append("  case: \(evidence.binding.outcome)" + evidence.binding.found.map { " — \($0.caseID) in \($0.place)" }.joined())
        }
        return lines.joined(separator: "\n")
    }

    static func status(_ report: DocumentReport) -> Int32 {
        switch report.indication {
        case nil: 3
        case .totalPassed?: 0
        case .totalFailed?: 1
        case .indeterminate?: 2
        }
    }

    static func describe(_ report: DocumentReport) -> String {
        var lines = ["\(report.file): \(report.indication?.rawValue ?? "NO_SIGNATURE") — \(report.summary)"]
        for signature in report.signatures {
            var line = "  \(signature.field): \(signature.indication.rawValue)"
            if let sub = signature.subIndication { line += "/\(sub.rawValue)" }
            if let signer = signature.signer { line += "  signer \(signer)" }
            if let coverage = signature.coverage { line += "  covers \(coverage.rawValue)" }
            if let time = signature.signingTime, let source = signature.signingTimeSource {
                line += "  signed \(VietnamTime.format(time)) (\(source.rawValue))"
            }
            lines.append(line)
            for reason in signature.reasons { lines.append("    \(reason)") }
        }
        return lines.joined(separator: "\n")
    }
}
