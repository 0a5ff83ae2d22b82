import Foundation
import HoSoTestSupport
import Testing

/// `hoso verify` and `hoso sign` on real files other software wrote (`../shared/corpus/`): signatures
/// from EU DSS, pyHanko, pdf.js, qpdf and signing demos with what each should give, and the corpus's
/// unsigned scanner PDFs signed and checked by pdfsig, pyHanko and qpdf.
@Suite struct SignatureCorpusTests {
    static let corpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("corpus")
    }

    /// One row of `signatures.tsv`: the file, and what pyHanko and the corpus say of it.
    struct Row {
        let name: String
        let pyhanko: String
        let expected: String
    }

    static func rows() throws -> [Row] {
        let table = try String(contentsOf: corpus.appendingPathComponent("signatures/signatures.tsv"), encoding: .utf8)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 8 else { return nil }
            return Row(name: String(columns[0].dropLast(4)), pyhanko: columns[6], expected: columns[7])
        }
    }

    /// What `hoso verify --json` said: exit status, each signature's sub-indication and reasons, stderr.
    struct Verdict {
        let status: Int32
        let signatures: [(sub: String?, reasons: [String])]
        let stderr: String
    }

    func verify(_ row: Row, trusted: Bool = true) async throws -> Verdict {
        let folder = Self.corpus.appendingPathComponent("signatures")
        let trust = folder.appendingPathComponent("trust/\(row.name)")
        let arguments = (trusted && FileManager.default.fileExists(atPath: trust.path) ? ["--trust", trust.path] : [])
        let run = try await HoSoProcess.run(["verify", "--json"] + arguments + [folder.appendingPathComponent(row.name + ".pdf").path], in: work)
        let reports = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] ?? []
        let signatures = (reports.first?["signatures"] as? [[String: Any]] ?? []).map {
            ($0["subIndication"] as? String, $0["reasons"] as? [String] ?? [])
        }
        return Verdict(status: run.status, signatures: signatures, stderr: run.stderr)
    }

    @Test func everySignedCorpusFile_meetsItsExpectation() async throws {
        let rows = try Self.rows()
        try #require(rows.count >= 180, "the corpus's signatures.tsv")
        var checked = 0
        for row in rows {
            let verdict = try await verify(row)
            let context = "\(row.name): status \(verdict.status), \(verdict.signatures.map { "\($0.sub ?? "-"): \($0.reasons.last ?? "")" }) \(verdict.stderr)"
            // Never a crash, a hang or a signal; never more lenient than pyHanko on integrity.
            #expect([0, 1, 2, 3, 65].contains(verdict.status), "\(context)")
            if verdict.status == 0 { #expect(!row.pyhanko.contains("intact=False"), "passes what pyHanko finds not intact: \(context)") }
            if verdict.status == 65 { #expect(verdict.stderr.contains("encrypted PDFs are not supported"), "unreadable: \(context)") }
            let subs = verdict.signatures.compactMap(\.sub)
            let reasons = verdict.signatures.flatMap(\.reasons)
            switch row.expected {
            case let expected where expected.hasPrefix("no crash"):
                break
            case let expected where expected.hasPrefix("not TOTAL_FAILED"):
                #expect(verdict.status != 1 && verdict.status != 65, "\(expected): \(context)")
            case "TOTAL_FAILED":
                #expect(verdict.status == 1, "\(context)")
            case let expected where expected.hasPrefix("never exit 0"):
                #expect(verdict.status != 0, "\(context)")
            case let expected where expected.hasPrefix("no FORMAT_FAILURE"):
                #expect(!subs.contains("FORMAT_FAILURE"), "\(expected): \(context)")
            case let expected where expected.hasPrefix("readable"):
                #expect(verdict.status != 65 && !verdict.signatures.isEmpty, "\(expected): \(context)")
            case let expected where expected.hasPrefix("TOTAL_FAILED/CRYPTO_CONSTRAINTS_FAILURE"):
                #expect(verdict.status == 1 && subs.contains("CRYPTO_CONSTRAINTS_FAILURE"), "\(context)")
            case let expected where expected.hasPrefix("TOTAL_FAILED/FORMAT_FAILURE even without --trust"):
                let untrusted = try await verify(row, trusted: false)
                #expect(untrusted.status == 1 && untrusted.signatures.contains { $0.sub == "FORMAT_FAILURE" }, "without trust: \(untrusted)")
            case let expected where expected.hasPrefix("valid adbe.pkcs7.detached") || expected.hasPrefix("at worst INDETERMINATE"):
                #expect(verdict.status == 0 || verdict.status == 2, "\(expected): \(context)")
            case let expected where expected.contains("parsed"):
                #expect(!reasons.contains { $0.contains("not an RFC 3161") }, "\(expected): \(context)")
            case let expected:
                Issue.record("an expectation this test does not know: \(expected)")
            }
            checked += 1
        }
        #expect(checked == rows.count)
    }

    @Test func everyUnsignedCorpusPDF_isSigned_andOtherValidatorsAgree() async throws {
        let scans = Self.corpus.appendingPathComponent("scans")
        let names = try FileManager.default.contentsOfDirectory(atPath: scans.path).filter { $0.hasSuffix(".pdf") }.sorted()
        try #require(names.count >= 20, "the corpus's scanner PDFs")
        let pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        let p12 = work.appendingPathComponent("signer.p12")
        try #require(try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("signer.key").path,
                                                      "-in", pki.appendingPathComponent("signer-chain.pem").path,
                                                      "-passout", "pass:x", "-out", p12.path]).status == 0)
        let out = work.appendingPathComponent("signed")
        let run = try await HoSoProcess.run(["sign", "--p12", p12.path, "--pass-env", "P", "--out", out.path, "--json"]
                                      + names.map { scans.appendingPathComponent($0).path }, in: work, environment: ["P": "x"])
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let outcomes = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] ?? []
        #expect(outcomes.count == names.count, "\(run.stdout.prefix(500))")
        let signed = outcomes.filter { $0["outcome"] as? String == "signed" }.compactMap { ($0["file"] as? String) }
        // What HoSo could not read is said, per file, and refused rather than signed.
        for refused in outcomes where refused["outcome"] as? String == "failed" {
            #expect((refused["reason"] as? String)?.isEmpty == false, "\(refused)")
        }
        #expect(signed.count >= names.count / 2, "most scanner PDFs sign: \(outcomes.map { "\($0["file"] ?? ""): \($0["reason"] ?? "ok")" })")
        for name in signed {
            let file = out.appendingPathComponent(name).path
            let pdfsig = try await ExternalTool.run("pdfsig", [file]).output
            let blocks = pdfsig.components(separatedBy: "Signature #").dropFirst()
            #expect(blocks.last?.contains("Signature is Valid.") == true && blocks.last?.contains("Total document signed") == true, "\(name): \(pdfsig)")
            #expect(try await ExternalTool.run("qpdf", ["--check", file]).status != 2, "\(name): qpdf finds errors")
        }
        // pyHanko on each output; a file it cannot read must be one whose original it cannot read either.
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let script = packageRoot.appendingPathComponent("Benchmarks/pyhanko-validate.py").path
        let root = pki.appendingPathComponent("anchors/root.pem").path
        let lines = try await ExternalTool.run(python, [script, "--each", root] + signed.map { out.appendingPathComponent($0).path }).output
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.filter { $0.count == 2 }
        #expect(lines.count == signed.count, "\(lines)")
        for line in lines where line[0] != "ok" {
            #expect(line[0] == "unreadable", "pyHanko: \(line)")
            let original = scans.appendingPathComponent(URL(fileURLWithPath: line[1]).lastPathComponent).path
            let input = try await ExternalTool.run(python, ["-c", "import sys\nfrom pyhanko.pdf_utils.reader import PdfFileReader\nPdfFileReader(open(sys.argv[1], 'rb'))", original])
            #expect(input.status != 0, "pyHanko reads \(original) but not what hoso sign made of it")
        }
        let verify = try await HoSoProcess.run(["verify", "--trust", pki.appendingPathComponent("anchors").path]
                                         + signed.map { out.appendingPathComponent($0).path }, in: work)
        #expect(verify.status == 0, "\(verify.stdout.suffix(2000))")
    }
}
