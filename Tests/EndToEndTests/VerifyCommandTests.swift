import Foundation
import HoSoTestSupport
import Testing

/// `hoso verify` as a clerk or a script runs it: the verdict per file and the exit code.
@Suite struct VerifyCommandTests {
    let work: URL
    let pki: URL

    init() throws {
        work = try makeTemporaryDirectory("verify-cli")
        pki = work.appendingPathComponent("pki")
        let made = try ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
    }

    /// A normalized receipt, signed by pyHanko with the test signer.
    func signedReceipt() throws -> URL {
        let normalized = try HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif").path,
                                              "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let unsigned = work.appendingPathComponent("receipt-a4-bilevel.pdf"), signed = work.appendingPathComponent("signed.pdf")
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let run = try ExternalTool.run(python, [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py").path,
                                                unsigned.path, signed.path, pki.appendingPathComponent("signer.key").path,
                                                pki.appendingPathComponent("signer-chain.pem").path])
        try #require(run.status == 0, "\(run.output)")
        return signed
    }

    @Test func exitCodes_tellPassed_failed_indeterminate_unsigned_andUnreadable() throws {
        let signed = try signedReceipt()
        let trust = ["--trust", pki.appendingPathComponent("anchors").path, "--crl", pki.appendingPathComponent("crls").path]
        let passed = try HoSoProcess.run(["verify", signed.path] + trust, in: work)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        #expect(passed.stdout.contains("Signature1: TOTAL_PASSED"))

        var bytes = Array(try Data(contentsOf: signed))
        let mark = Array("/Type /XObject".utf8)
        let at = try #require(bytes.indices.first { bytes[$0..<min(bytes.count, $0 + mark.count)].elementsEqual(mark) })
        bytes[at + 7] = UInt8(ascii: "x")  // /XObject → /xObject, inside the signed bytes
        let tampered = work.appendingPathComponent("tampered.pdf")
        try Data(bytes).write(to: tampered)
        let failed = try HoSoProcess.run(["verify", tampered.path, "--json"] + trust, in: work)
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("HASH_FAILURE"))

        #expect(try HoSoProcess.run(["verify", signed.path], in: work).status == 2, "no trust anchors: indeterminate")
        let unsigned = work.appendingPathComponent("receipt-a4-bilevel.pdf")
        #expect(try HoSoProcess.run(["verify", unsigned.path] + trust, in: work).status == 3)
        let notPDF = work.appendingPathComponent("notes.pdf")
        try Data("not a pdf".utf8).write(to: notPDF)
        let unreadable = try HoSoProcess.run(["verify", notPDF.path, signed.path] + trust, in: work)
        #expect(unreadable.status == 65 && unreadable.stderr.contains("notes.pdf"))
    }
}
