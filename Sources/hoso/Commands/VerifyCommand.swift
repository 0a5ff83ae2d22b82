import ArgumentParser
import Foundation
import HoSoCore
import HoSoPDF
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
            several files the worst wins (65 over 1 over 2 over 3).

            Example:
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --crl /etc/hoso/crl
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --ocsp http://ocsp.ca.gov.vn/
              hoso verify ket-qua.pdf --trust /etc/hoso/trust --fetch-crls /var/cache/hoso/crl
            """
    )

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

    @Flag(help: "Print the reports as JSON.")
    var json = false

    func run() async throws {
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
        let results = parallelResults(count: files.count) { [files] index in
            Result { () throws(PDFReadError) in try verifier.verify(URL(fileURLWithPath: files[index])) }
        }
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
        if json { try Output.json(reports) }
        let worst = [65, 1, 2, 3].first { statuses.contains(Int32($0)) } ?? 0
        if worst != 0 { throw ExitCode(Int32(worst)) }
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
                line += "  signed \(RFC3339.format(time)) (\(source.rawValue))"
            }
            lines.append(line)
            for reason in signature.reasons { lines.append("    \(reason)") }
        }
        return lines.joined(separator: "\n")
    }
}
