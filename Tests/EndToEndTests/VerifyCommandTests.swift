import Foundation
import HoSoTestSupport
import Testing

/// `hoso verify` as a clerk or a script runs it: the verdict per file and the exit code.
@Suite struct VerifyCommandTests {
    let work: URL
    let pki: URL

    /// Where the signer's certificate says its CRL is (served only by the test that fetches it).
    let crlPort = (try? freeLocalPort()) ?? Int.random(in: 20_000..<30_000)

    init() async throws {
        work = try makeTemporaryDirectory("verify-cli")
        pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path,
                                                      pki.path, String(crlPort)])
        try #require(made.status == 0, "\(made.output)")
    }

    /// A normalized receipt, signed by pyHanko with the test signer.
    func signedReceipt() async throws -> URL {
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif").path,
                                              "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let unsigned = work.appendingPathComponent("receipt-a4-bilevel.pdf"), signed = work.appendingPathComponent("signed.pdf")
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let run = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py").path,
                                                unsigned.path, signed.path, pki.appendingPathComponent("signer.key").path,
                                                pki.appendingPathComponent("signer-chain.pem").path])
        try #require(run.status == 0, "\(run.output)")
        return signed
    }

    @Test func exitCodes_tellPassed_failed_indeterminate_unsigned_andUnreadable() async throws {
        let signed = try await signedReceipt()
        let trust = ["--trust", pki.appendingPathComponent("anchors").path, "--crl", pki.appendingPathComponent("crls").path]
        let passed = try await HoSoProcess.run(["verify", signed.path] + trust, in: work)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        #expect(passed.stdout.contains("Signature1: TOTAL_PASSED"))

        var bytes = Array(try Data(contentsOf: signed))
        let mark = Array("/Type /XObject".utf8)
        let at = try #require(bytes.indices.first { bytes[$0..<min(bytes.count, $0 + mark.count)].elementsEqual(mark) })
        bytes[at + 7] = UInt8(ascii: "x")  // /XObject → /xObject, inside the signed bytes
        let tampered = work.appendingPathComponent("tampered.pdf")
        try Data(bytes).write(to: tampered)
        let failed = try await HoSoProcess.run(["verify", tampered.path, "--json"] + trust, in: work)
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("HASH_FAILURE"))

        #expect(try await HoSoProcess.run(["verify", signed.path], in: work).status == 2, "no trust anchors: indeterminate")
        let unsigned = work.appendingPathComponent("receipt-a4-bilevel.pdf")
        #expect(try await HoSoProcess.run(["verify", unsigned.path] + trust, in: work).status == 3)
        let notPDF = work.appendingPathComponent("notes.pdf")
        try Data("not a pdf".utf8).write(to: notPDF)
        let unreadable = try await HoSoProcess.run(["verify", notPDF.path, signed.path] + trust, in: work)
        #expect(unreadable.status == 65 && unreadable.stderr.contains("notes.pdf"))
    }

    @Test func crlsNamedByTheSigner_areFetched_cached_andRequired() async throws {
        let signed = try await signedReceipt()
        let cache = work.appendingPathComponent("crl-cache")
        let arguments = ["verify", signed.path, "--trust", pki.appendingPathComponent("anchors").path,
                         "--intermediates", pki.appendingPathComponent("intermediates").path, "--fetch-crls", cache.path]
        // Nothing serves the distribution point yet: the status is unknown, not unchecked.
        let unreachable = try await HoSoProcess.run(arguments, in: work)
        #expect(unreachable.status == 2 && unreachable.stdout.contains("TRY_LATER"), "\(unreachable.stdout)\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("issuing.crl: not fetched"))

        // The CA's web server, serving the CRL as DER like distribution points do.
        let served = work.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        for name in ["issuing.crl", "root.crl"] {
            let der = try await ExternalTool.run("openssl", ["crl", "-in", pki.appendingPathComponent("crls/\(name)").path, "-outform", "DER",
                                                       "-out", served.appendingPathComponent(name).path])
            try #require(der.status == 0, "\(der.output)")
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", String(crlPort), "--bind", "127.0.0.1", "--directory", served.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try #require(waitForLocalPort(crlPort), "the CRL server did not come up")
        let fetched = try await HoSoProcess.run(arguments, in: work)
        #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
        #expect(fetched.stderr.contains("issuing.crl: fetched"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".crl") }.count == 2)
        // The second time the cached CRL is still current: no download.
        kill(server.processIdentifier, SIGKILL)
        let cached = try await HoSoProcess.run(arguments + ["--json"], in: work)
        #expect(cached.status == 0 && cached.stderr.contains("cached, current until"), "\(cached.stderr)")
        #expect(cached.stdout.contains(".crl (issued"))
    }
}
