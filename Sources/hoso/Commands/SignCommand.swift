import ArgumentParser
import Foundation
import HoSoConfig
import HoSoCore
import HoSoImaging
import HoSoSignature

/// `hoso sign`: the records clerk signs a batch of result PDFs with one key.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign result PDFs by incremental update (PAdES B-B, or B-T with --tsa) with a PKCS#12 key or a PKCS#11 token.",
        discussion: """
            Each output keeps its input's file name under --out, written atomically; the original bytes \
            are kept unchanged, so earlier signatures stay valid. --out/manifest.json lists every file \
            signed there (input and output SHA-256, signer, settings), and manifest.json.p7s is its \
            detached CMS signature by the same key. Re-running skips inputs already signed into --out \
            with the same input hash. A file that cannot be signed is reported and the rest go on.

            The key is a PKCS#12 file (--p12) or an object on a PKCS#11 token (--pkcs11, an RFC 7512 \
            URI such as pkcs11:token=van-thu;object=signer?module-path=/usr/lib/softhsm/libsofthsm2.so; \
            without module-path, p11-kit's proxy reaches every registered module). The token is logged \
            in to once for the whole batch. The passphrase or PIN comes from an environment variable \
            (--pass-env) or a file (--pass-file), or is asked on the terminal (hidden) when neither is \
            given; never from the command line.

            --appearance makes the signature visible as ND 30/2020 shows an organization's: the seal \
            image (signing.seal_image in the config, a red PNG with transparency), the signer's name \
            and the time hh:mm:ss dd/mm/yyyy +07:00, in the box signing.appearance_box (mm from the \
            lower-left corner) on the first or last page (signing.appearance_page).

            A result must name its case before the return gate takes it: --case ID signs one file for \
            one case (the ID goes into the signature's /HoSo.CaseID and its /Reason, "Kết quả giải \
            quyết hồ sơ ID", both signed); in a batch, --case-from file-name takes each file's case \
            from its name, <case ID>_….pdf, and the manifest records it.

            Exit codes: 0 every file signed (or already signed), 1 some failed, 64 usage, 77 the key \
            cannot be used (file, passphrase or PIN, or a key TT 15/2025 refuses), 78 configuration.

            Example:
              HOSO_PASS=... hoso sign --p12 van-thu.p12 --pass-env HOSO_PASS --out signed/ --batch results/
              HOSO_PASS=... hoso sign --p12 van-thu.p12 --pass-env HOSO_PASS --out signed/ --case 000.00.14.H27-240815-0007 kq.pdf
              HOSO_PIN=... hoso sign --pkcs11 'pkcs11:token=van-thu;object=signer' --chain ca.pem \\
                --pass-env HOSO_PIN --out signed/ results/*.pdf
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("PDFs to sign.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Sign every *.pdf in this folder.", valueName: "dir"))
    var batch: String?

    @Option(help: ArgumentHelp("Folder the signed PDFs and the manifest go to.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("PKCS#12 file with the key and its certificate chain.", valueName: "file"))
    var p12: String?

    @Option(help: ArgumentHelp("PKCS#11 URI (RFC 7512) of the key and certificate on a token.", valueName: "uri"))
    var pkcs11: String?

    @Option(help: ArgumentHelp("PEM certificates above the signer's, added to each signature (for tokens that hold only the signer's).", valueName: "file"))
    var chain: String?

    @Option(name: .customLong("pass-env"), help: ArgumentHelp("Environment variable holding the passphrase or PIN.", valueName: "name"))
    var passEnv: String?

    @Option(name: .customLong("pass-file"), help: ArgumentHelp("File whose first line is the passphrase or PIN.", valueName: "file"))
    var passFile: String?

    @Option(help: "Why the document is signed (the signature's /Reason).")
    var reason: String?

    @Option(help: "Where it is signed (/Location).")
    var location: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("The case the one file is the result of (written into the signature).", valueName: "id"))
    var caseID: String?

    @Option(name: .customLong("case-from"), help: ArgumentHelp("file-name: each file's case from its name, <case ID>_….pdf.", valueName: "source"))
    var caseFrom: String?

    @Option(help: ArgumentHelp("pades (ETSI.CAdES.detached) or pkcs7 (adbe.pkcs7.detached).", valueName: "format"))
    var format: String = "pades"

    @Option(help: ArgumentHelp("sha256, sha384 or sha512.", valueName: "digest"))
    var digest: String = "sha256"

    @Flag(help: "RSA-PSS instead of PKCS#1 v1.5 (RSA keys).")
    var pss = false

    @Option(help: ArgumentHelp("RFC 3161 time-stamping server for PAdES B-T (http://host:port/path).", valueName: "url"))
    var tsa: String?

    @Flag(help: "A visible signature: the seal image (config signing.seal_image), the signer's name and the time, in the box signing.appearance_box on signing.appearance_page.")
    var appearance = false

    @Option(help: ArgumentHelp("Files signed at once (default: the machine's cores).", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the outcomes as JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty || batch != nil else { throw ValidationError("name PDFs to sign, or a folder with --batch") }
        guard (p12 == nil) != (pkcs11 == nil) else { throw ValidationError("name the key with exactly one of --p12 or --pkcs11") }
        guard passEnv == nil || passFile == nil else { throw ValidationError("give the passphrase or PIN with one of --pass-env or --pass-file, not both") }
        if let pkcs11 {
            do { _ = try PKCS11URI(pkcs11) } catch { throw ValidationError("--pkcs11 \(error)") }
        }
        guard PDFSigner.Format(rawValue: format) != nil else { throw ValidationError("--format must be pades or pkcs7") }
        guard SigningDigest(rawValue: digest) != nil else {
            throw ValidationError("--digest must be sha256, sha384 or sha512 (SHA-1 is refused by TT 15/2025)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let caseID {
            do { _ = try CaseID(parsing: caseID) } catch { throw ValidationError("--case \(caseID): \(error.description)") }
            guard files.count == 1, batch == nil, caseFrom == nil else {
                throw ValidationError("--case signs one file for one case; for a batch use --case-from file-name")
            }
        }
        if let caseFrom, caseFrom != "file-name" { throw ValidationError("--case-from: only file-name is known") }
        if let tsa { guard URL(string: tsa)?.scheme == "http" else { throw ValidationError("--tsa must be an http:// URL") } }
    }

    func run() async throws {
        try await reportingFailures { try signAll() }
    }

    private func signAll() throws {
        let inputs = try inputFiles()
        let passphrase = try readPassphrase()
        let key: SigningKey
        let (loaded, diagnostics) = capturingStandardError { () throws(SigningError) in try loadKey(secret: passphrase) }
        switch loaded {
        case .success(let loaded):
            key = loaded
        case .failure(let error):
            // The PKCS#11 engine prints its own lines; the first says what the token answered.
            let token = diagnostics.split(separator: "\n").first.map { " (token: \($0))" } ?? ""
            FileHandle.standardError.write(Data("hoso: \(error)\(token)\n".utf8))
            throw ExitCode(77)
        }
        var signer = PDFSigner(key: key)
        signer.format = PDFSigner.Format(rawValue: format)!
        signer.digest = SigningDigest(rawValue: digest)!
        signer.pss = pss
        signer.reason = reason
        signer.location = location
        signer.timestampServer = tsa.flatMap { URL(string: $0) }
        if appearance { signer.appearance = try visibleAppearance() }
        let progress = Progress(total: inputs.count, quiet: json)
        let cases: BatchSigner.CaseAssignment = if let caseID { .fixed(try! CaseID(parsing: caseID)) }
            else if caseFrom != nil { .fromFileName } else { .none }
        let batch = BatchSigner(signer: signer, folder: URL(fileURLWithPath: out), cases: cases)
        let outcomes = try batch.run(inputs, jobs: jobs) { index, outcome in
            progress.report(inputs[index], outcome)
        }
        progress.finish()
        if json { try Output.json(outcomes.map(Report.init)) }
        let failed = outcomes.filter { if case .failed = $0 { true } else { false } }.count
        if !json {
            let skipped = outcomes.filter { if case .skipped = $0 { true } else { false } }.count
            print("\(outcomes.count - failed - skipped) signed, \(skipped) already signed, \(failed) failed → \(out)/\(BatchSigner.manifestName)")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// The configured seal and box, checked before any file is signed (exit 64 naming the setting).
    private func visibleAppearance() throws -> PDFSigner.Appearance {
        let configuration = try global.loadConfiguration()
        guard let seal = configuration.string(ConfigKeys.signingSealImage) else {
            throw CommandFailure(.configError, "--appearance needs the seal image: set signing.seal_image in the config (or $HOSO_SIGNING_SEAL_IMAGE)")
        }
        let pageText = configuration.string(ConfigKeys.signingAppearancePage) ?? "last"
        guard let page = PDFSigner.Appearance.Page(rawValue: pageText) else {
            throw CommandFailure(.configError, "signing.appearance_page: \(pageText) is neither first nor last")
        }
        let boxText = configuration.string(ConfigKeys.signingAppearanceBox) ?? ""
        let millimetres = boxText.split(separator: " ").compactMap { Double($0) }
        guard millimetres.count == 4, millimetres.allSatisfy({ $0 >= 0 }) else {
            throw CommandFailure(.configError, "signing.appearance_box: \"\(boxText)\" is not four numbers x y width height (mm)")
        }
        do {
            return try .seal(URL(fileURLWithPath: seal), page: page, millimetres: millimetres)
        } catch {
            throw CommandFailure(.configError, "signing.seal_image: \(error)")
        }
    }

    private func loadKey(secret: String) throws(SigningError) -> SigningKey {
        var certificates: [Certificate] = []
        if let chain {
            certificates = Certificate.load(URL(fileURLWithPath: chain))
            guard !certificates.isEmpty else { throw .key("\(chain): no PEM or DER certificates (--chain)") }
        }
        if let pkcs11 { return try SigningKey.pkcs11(PKCS11URI(pkcs11), pin: secret, chain: certificates) }
        return try SigningKey.pkcs12(URL(fileURLWithPath: p12 ?? ""), passphrase: secret, chain: certificates)
    }

    private func inputFiles() throws -> [URL] {
        var inputs = files.map { URL(fileURLWithPath: $0) }
        if let batch {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: batch) else {
                FileHandle.standardError.write(Data("hoso: \(batch): cannot list the folder\n".utf8))
                throw ExitCode(64)
            }
            inputs += names.filter { $0.lowercased().hasSuffix(".pdf") && !$0.hasPrefix(".") }.sorted()
                .map { URL(fileURLWithPath: batch).appendingPathComponent($0) }
        }
        return inputs
    }

    private func readPassphrase() throws -> String {
        if let passEnv {
            guard let value = ProcessInfo.processInfo.environment[passEnv] else {
                FileHandle.standardError.write(Data("hoso: the environment variable \(passEnv) (--pass-env) is not set\n".utf8))
                throw ExitCode(64)
            }
            return value
        }
        guard let passFile else {
            // Neither given: asked on the terminal, hidden, as a records clerk signs at a desk.
            guard let typed = SecretPrompt.ask(p12 != nil ? "Passphrase of \(p12!): " : "PIN of the token: ") else {
                FileHandle.standardError.write(Data("hoso: no terminal to ask the passphrase or PIN on: give --pass-env or --pass-file\n".utf8))
                throw ExitCode(64)
            }
            return typed
        }
        guard let text = try? String(contentsOfFile: passFile, encoding: .utf8) else {
            FileHandle.standardError.write(Data("hoso: \(passFile): cannot read the passphrase file\n".utf8))
            throw ExitCode(77)
        }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    /// One outcome as `--json` prints it.
    struct Report: Encodable {
        let file: String
        let outcome: String
        let inputSHA256: String?
        let outputSHA256: String?
        let caseId: String?
        let reason: String?

        init(_ outcome: BatchSigner.Outcome) {
            switch outcome {
            case .signed(let entry), .skipped(let entry):
                let skipped = if case .skipped = outcome { true } else { false }
                (file, self.outcome, inputSHA256, outputSHA256, caseId, reason) = (entry.file, skipped ? "already_signed" : "signed",
                                                                                    entry.inputSHA256, entry.outputSHA256, entry.caseID, nil)
            case .failed(let file, let why):
                (self.file, self.outcome, inputSHA256, outputSHA256, caseId, reason) = (file, "failed", nil, nil, nil, why)
            }
        }
    }

    /// A progress bar on a terminal, plain lines otherwise; failures always go to stderr.
    final class Progress: @unchecked Sendable {
        private let total: Int
        private let quiet: Bool
        private let terminal = isatty(STDERR_FILENO) == 1
        private let lock = NSLock()
        private var done = 0

        init(total: Int, quiet: Bool) {
            self.total = total
            self.quiet = quiet
        }

        func report(_ input: URL, _ outcome: BatchSigner.Outcome) {
            lock.withLock {
                done += 1
                if case .failed(let file, let reason) = outcome {
                    FileHandle.standardError.write(Data("\(terminal ? "\r\u{1B}[K" : "")hoso: \(file): not signed: \(reason)\n".utf8))
                } else if !quiet && !terminal {
                    let verb = if case .skipped = outcome { "already signed" } else { "signed" }
                    FileHandle.standardError.write(Data("\(verb) \(input.path)\n".utf8))
                }
                if terminal && !quiet {
                    let width = 30, filled = total == 0 ? width : width * done / total
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
                }
            }
        }

        func finish() {
            if terminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}
