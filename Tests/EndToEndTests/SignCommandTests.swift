import Foundation
import HoSoTestSupport
import Testing

/// `hoso sign` as the records clerk runs it, its outputs judged by pdfsig, pyHanko, qpdf, openssl and
/// `hoso verify`.
@Suite struct SignCommandTests {
    let work: URL
    let pki: URL
    let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path

    init() async throws {
        work = try makeTemporaryDirectory("sign-cli")
        pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        for (name, key) in [("office", "signer"), ("weak", "weak")] {
            let p12 = try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("\(key).key").path,
                                                       "-in", pki.appendingPathComponent("\(key).pem").path,
                                                       "-certfile", pki.appendingPathComponent("inter.pem").path,
                                                       "-passout", "pass:mat-khau", "-out", work.appendingPathComponent("\(name).p12").path])
            try #require(p12.status == 0, "\(p12.output)")
        }
    }

    /// Inputs from four writers: HoSo's normalizer, qpdf with object streams (an xref stream), a file
    /// pyHanko already signed, and img2pdf (the receipt's G4 data wrapped as it is).
    func inputs() async throws -> URL {
        let folder = work.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif").path,
                                              "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let plain = work.appendingPathComponent("receipt-a4-bilevel.pdf")
        try FileManager.default.copyItem(at: plain, to: folder.appendingPathComponent("a-hoso.pdf"))
        let qpdf = try await ExternalTool.run("qpdf", ["--object-streams=generate", plain.path, folder.appendingPathComponent("b-qpdf.pdf").path])
        try #require(qpdf.status == 0, "\(qpdf.output)")
        let signed = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py").path,
                                                   plain.path, folder.appendingPathComponent("c-signed.pdf").path,
                                                   pki.appendingPathComponent("signer.key").path, pki.appendingPathComponent("signer-chain.pem").path])
        try #require(signed.status == 0, "\(signed.output)")
        let img2pdf = try await ExternalTool.run(packageRoot.appendingPathComponent(".build/python/bin/img2pdf").path, [
            packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif").path, "-o", folder.appendingPathComponent("d-img2pdf.pdf").path,
        ])
        try #require(img2pdf.status == 0, "\(img2pdf.output)")
        return folder
    }

    static let inputNames = ["a-hoso.pdf", "b-qpdf.pdf", "c-signed.pdf", "d-img2pdf.pdf"]

    func sign(_ arguments: [String], passphrase: String = "mat-khau") async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(["sign"] + arguments, in: work, environment: ["HOSO_PASS": passphrase])
    }

    @Test func aBatch_isSigned_andEveryToolAgrees() async throws {
        let results = try await inputs()
        let out = work.appendingPathComponent("signed")
        let run = try await sign(["--p12", work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS", "--out", out.path,
                            "--batch", results.path, "--reason", "Kết quả giải quyết hồ sơ", "--location", "Hà Nội"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let names = Self.inputNames
        try await expectEveryToolAgrees(names, signedInto: out, from: results)
        #expect(try await ExternalTool.run("pdfsig", [out.appendingPathComponent("c-signed.pdf").path]).output
            .components(separatedBy: "Signature #").count == 3, "pyHanko's signature and HoSo's")

        // The manifest's hashes are the files', and its signature verifies with openssl.
        try await expectManifest(in: out, count: names.count)

        // Again: nothing to do. One input changed: only it is signed again.
        let again = try await sign(["--p12", work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS", "--out", out.path, "--batch", results.path])
        #expect(again.status == 0 && again.stdout.contains("0 signed, 4 already signed"), "\(again.stdout)")
        try FileManager.default.removeItem(at: results.appendingPathComponent("a-hoso.pdf"))
        try FileManager.default.copyItem(at: results.appendingPathComponent("b-qpdf.pdf"), to: results.appendingPathComponent("a-hoso.pdf"))
        let changed = try await sign(["--p12", work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS", "--out", out.path, "--batch", results.path])
        #expect(changed.stdout.contains("1 signed, 3 already signed"), "\(changed.stdout)")
    }

    /// pdfsig (every signature valid, the last covering the whole file), qpdf --check, the original
    /// bytes kept as the output's prefix, pyHanko's validator (intact and trusted) and `hoso verify`.
    func expectEveryToolAgrees(_ names: [String], signedInto out: URL, from results: URL) async throws {
        for name in names {
            let file = out.appendingPathComponent(name)
            let pdfsig = try await ExternalTool.run("pdfsig", [file.path]).output
            let blocks = pdfsig.components(separatedBy: "Signature #").dropFirst()
            #expect(!blocks.isEmpty && blocks.allSatisfy { $0.contains("Signature is Valid.") }, "\(name): \(pdfsig)")
            #expect(blocks.last?.contains("Total document signed") == true, "\(name)")
            #expect(try await ExternalTool.run("qpdf", ["--check", file.path]).status == 0, "\(name)")
            // The original bytes are the output's first bytes: nothing was rewritten.
            let original = try Data(contentsOf: results.appendingPathComponent(name))
            #expect(try Data(contentsOf: file).prefix(original.count) == original)
        }
        let files = names.map { out.appendingPathComponent($0).path }
        let pyhanko = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Benchmarks/pyhanko-validate.py").path,
                                                    pki.appendingPathComponent("anchors/root.pem").path] + files)
        #expect(pyhanko.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("\(names.count)"), "pyHanko: \(pyhanko.output)")
        let verify = try await HoSoProcess.run(["verify", "--trust", pki.appendingPathComponent("anchors").path,
                                          "--crl", pki.appendingPathComponent("crls").path] + files, in: work)
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// The manifest lists `count` files with their outputs' SHA-256, and its detached signature
    /// verifies with `openssl cms` to the test root.
    func expectManifest(in out: URL, count: Int) async throws {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any]
        let entries = manifest?["files"] as? [[String: Any]] ?? []
        #expect(entries.count == count)
        for entry in entries {
            let name = entry["file"] as? String ?? ""
            let sum = try await ExternalTool.run("sha256sum", [out.appendingPathComponent(name).path]).output.prefix(64)
            #expect(entry["outputSHA256"] as? String == String(sum), "\(name)")
        }
        let chain = work.appendingPathComponent("ca.pem")
        try (String(contentsOf: pki.appendingPathComponent("inter.pem"), encoding: .utf8)
             + String(contentsOf: pki.appendingPathComponent("anchors/root.pem"), encoding: .utf8)).write(to: chain, atomically: true, encoding: .utf8)
        let cms = try await ExternalTool.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", out.appendingPathComponent("manifest.json.p7s").path,
                                                   "-content", out.appendingPathComponent("manifest.json").path, "-CAfile", chain.path,
                                                   "-purpose", "any", "-out", "/dev/null"])
        #expect(cms.status == 0, "\(cms.output)")
    }

    @Test func aPKCS11Token_signsTheBatch_withOneLogin() async throws {
        let results = try await inputs()
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-token.sh").path,
                                                      work.appendingPathComponent("token").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        let conf = made.output.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n").last ?? ""
        func sign(_ uri: String, pin: String = "1234", _ more: [String] = []) async throws -> HoSoProcess.Result {
            try await HoSoProcess.run(["sign", "--pkcs11", uri, "--chain", pki.appendingPathComponent("inter.pem").path, "--pass-env", "HOSO_PIN",
                                 "--out", work.appendingPathComponent("token-signed").path] + more,
                                in: work, environment: ["HOSO_PIN": pin, "SOFTHSM2_CONF": conf])
        }
        // The module named in the URI, RSA-PSS; then the same token through p11-kit's proxy.
        let names = Self.inputNames
        let run = try await sign("pkcs11:token=van-thu;object=signer?module-path=/usr/lib/softhsm/libsofthsm2.so", ["--pss", "--batch", results.path])
        #expect(run.status == 0 && run.stdout.contains("4 signed"), "\(run.stdout)\(run.stderr)")
        try await expectEveryToolAgrees(names, signedInto: work.appendingPathComponent("token-signed"), from: results)
        try await expectManifest(in: work.appendingPathComponent("token-signed"), count: names.count)
        try FileManager.default.removeItem(at: work.appendingPathComponent("token-signed"))
        let proxied = try await sign("pkcs11:token=van-thu;id=%01", ["--batch", results.path])
        #expect(proxied.status == 0, "\(proxied.stdout)\(proxied.stderr)")
        try await expectEveryToolAgrees(names, signedInto: work.appendingPathComponent("token-signed"), from: results)

        let plain = results.appendingPathComponent("a-hoso.pdf").path
        let wrongPIN = try await sign("pkcs11:token=van-thu;object=signer", pin: "0000", [plain])
        #expect(wrongPIN.status == 77 && wrongPIN.stderr.contains("Login failed"), "\(wrongPIN.stderr)")
        #expect(wrongPIN.stderr.split(separator: "\n").count == 1, "one line: \(wrongPIN.stderr)")
        let noObject = try await sign("pkcs11:token=van-thu;object=nobody", [plain])
        #expect(noObject.status == 77, "\(noObject.stderr)")
        let pinInURI = try await sign("pkcs11:token=van-thu;object=signer?pin-value=1234", [plain])
        #expect(pinInURI.status == 64 && pinInURI.stderr.contains("PIN does not go in the URI"), "\(pinInURI.stderr)")
    }

    @Test func badInputs_areSkipped_andBadKeys_stopTheBatch() async throws {
        let results = try await inputs()
        let plain = results.appendingPathComponent("a-hoso.pdf")
        let encrypted = try await ExternalTool.run("qpdf", ["--encrypt", "u", "o", "256", "--", plain.path, results.appendingPathComponent("d-encrypted.pdf").path])
        try #require(encrypted.status == 0, "\(encrypted.output)")
        try Data("%PDF-1.7\nnot really".utf8).write(to: results.appendingPathComponent("e-broken.pdf"))
        let out = work.appendingPathComponent("partly")
        let office = work.appendingPathComponent("office.p12").path
        let run = try await sign(["--p12", office, "--pass-env", "HOSO_PASS", "--out", out.path, "--batch", results.path, "--json"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("d-encrypted.pdf: not signed: the PDF is encrypted"), "\(run.stderr)")
        #expect(run.stderr.contains("e-broken.pdf: not signed: not a readable PDF"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("a-hoso.pdf").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("d-encrypted.pdf").path))

        #expect(try await sign(["--p12", office, "--pass-env", "HOSO_PASS", "--out", out.path, plain.path], passphrase: "sai").status == 77)
        let weak = try await sign(["--p12", work.appendingPathComponent("weak.p12").path, "--pass-env", "HOSO_PASS", "--out", out.path, plain.path])
        #expect(weak.status == 77 && weak.stderr.contains("TT 15/2025"), "\(weak.stderr)")
        #expect(try await sign(["--p12", office, "--out", out.path, plain.path]).status == 64, "no passphrase source and no terminal to ask on")
        // On a terminal (util-linux's `script` gives it one) the passphrase is asked, hidden; typed after
        // the prompt, as a person would (what is typed before it is flushed with the echo turned off).
        let typed = try await ExternalTool.run("/bin/sh", ["-c", "(sleep 2; printf 'mat-khau\\n') | script -qec \"$0 sign --p12 $1 --out $2 $3\" /dev/null",
                                                           hosoBinary.path, office, out.appendingPathComponent("typed").path, plain.path])
        #expect(typed.output.contains("Passphrase of \(office): ") && !typed.output.contains("mat-khau"), "not echoed: \(typed.output)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("typed/\(plain.lastPathComponent)").path), "signed with it: \(typed.output)")
        #expect(try await sign(["--p12", office, "--pass-env", "HOSO_PASS", "--out", out.path, "--digest", "sha1", plain.path]).status == 64)
    }

    @Test func aTimestampServer_makesItPAdESBT() async throws {
        let results = try await inputs()
        let port = try freeLocalPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/tsa-server.py").path, String(port), pki.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try #require(waitForLocalPort(port), "the TSA did not come up")
        let out = work.appendingPathComponent("stamped")
        let run = try await sign(["--p12", work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS", "--out", out.path,
                            "--tsa", "http://127.0.0.1:\(port)/tsa", "--pss", results.appendingPathComponent("a-hoso.pdf").path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let file = out.appendingPathComponent("a-hoso.pdf").path
        let verify = try await HoSoProcess.run(["verify", "--trust", pki.appendingPathComponent("anchors").path, "--json", file], in: work)
        #expect(verify.status == 0 && verify.stdout.contains("\"signingTimeSource\" : \"timestamp\""), "\(verify.stdout)")
        #expect(try await ExternalTool.run("pdfsig", [file]).output.contains("Signature is Valid."))
        let pyhanko = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Benchmarks/pyhanko-validate.py").path,
                                                    pki.appendingPathComponent("anchors/root.pem").path, file])
        #expect(pyhanko.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("1"), "pyHanko: \(pyhanko.output)")
    }
}

/// `hoso sign --appearance`: the ND 30/2020 seal, name and time, seen by poppler's renderer.
@Suite struct SignAppearanceTests {
    @Test func theSeal_isDrawnInTheConfiguredBox_andTheSignatureStaysValid() async throws {
        let suite = try await SignCommandTests()
        let results = try await suite.inputs()
        let config = suite.work.appendingPathComponent("hoso.yaml")
        try """
            signing:
              seal_image: \(packageRoot.appendingPathComponent("Samples/seal-red.png").path)
              appearance_page: first
              appearance_box: 20 20 90 30
            """.write(to: config, atomically: true, encoding: .utf8)
        let out = suite.work.appendingPathComponent("visible")
        let run = try await suite.sign(["--config", config.path, "--appearance", "--p12", suite.work.appendingPathComponent("office.p12").path,
                                  "--pass-env", "HOSO_PASS", "--out", out.path, "--batch", results.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        try await suite.expectEveryToolAgrees(SignCommandTests.inputNames, signedInto: out, from: results)

        // At 72 dpi a point is a pixel: the box is x 57..312, y 57..142 from the bottom of the A4 page.
        let box = (x: 57, yFromTop: 842 - 142, width: 255, height: 85)
        let before = try await redPixels(in: results.appendingPathComponent("a-hoso.pdf"), box)
        let after = try await redPixels(in: out.appendingPathComponent("a-hoso.pdf"), box)
        #expect(before == 0)
        #expect(after > 500, "the seal's red rings in the box: \(after) red pixels")
        let fonts = try await ExternalTool.run("pdffonts", [out.appendingPathComponent("a-hoso.pdf").path]).output
        #expect(fonts.contains("DejaVuSans"), "the name and time in an embedded font: \(fonts)")
    }

    @Test func aMissingSealOrABadBox_isAConfigurationError() async throws {
        let suite = try await SignCommandTests()
        let input = try await suite.inputs().appendingPathComponent("a-hoso.pdf").path
        let p12 = suite.work.appendingPathComponent("office.p12").path
        let out = suite.work.appendingPathComponent("never").path
        let noSeal = try await suite.sign(["--appearance", "--p12", p12, "--pass-env", "HOSO_PASS", "--out", out, input])
        #expect(noSeal.status == 78 && noSeal.stderr.contains("signing.seal_image"), "\(noSeal.stderr)")
        let config = suite.work.appendingPathComponent("bad.yaml")
        try "signing:\n  seal_image: \(input)\n".write(to: config, atomically: true, encoding: .utf8)
        let notPNG = try await suite.sign(["--config", config.path, "--appearance", "--p12", p12, "--pass-env", "HOSO_PASS", "--out", out, input])
        #expect(notPNG.status == 78 && notPNG.stderr.contains("not a PNG"), "\(notPNG.stderr)")
        // A red RGB PNG without alpha, written by Python's zlib, not by HoSo.
        let opaque = suite.work.appendingPathComponent("opaque.png")
        let made = try await ExternalTool.run("/usr/bin/python3", ["-c", """
            import struct, sys, zlib
            def chunk(kind, data): return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
            rows = b"".join(b"\\x00" + b"\\xcc\\x00\\x00" * 64 for _ in range(64))
            open(sys.argv[1], "wb").write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
                                          + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
            """, opaque.path])
        try #require(made.status == 0, "\(made.output)")
        try "signing:\n  seal_image: \(opaque.path)\n".write(to: config, atomically: true, encoding: .utf8)
        let noAlpha = try await suite.sign(["--config", config.path, "--appearance", "--p12", p12, "--pass-env", "HOSO_PASS", "--out", out, input])
        #expect(noAlpha.status == 78 && noAlpha.stderr.contains("no transparency"), "\(noAlpha.stderr)")
        let seal = packageRoot.appendingPathComponent("Samples/seal-red.png").path
        try "signing:\n  seal_image: \(seal)\n  appearance_box: 10 10 wide\n".write(to: config, atomically: true, encoding: .utf8)
        let badBox = try await suite.sign(["--config", config.path, "--appearance", "--p12", p12, "--pass-env", "HOSO_PASS", "--out", out, input])
        #expect(badBox.status == 78 && badBox.stderr.contains("signing.appearance_box"), "\(badBox.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Pixels clearly red (the seal's colour) in a region of page 1 rendered by pdftoppm at 72 dpi.
    func redPixels(in pdf: URL, _ box: (x: Int, yFromTop: Int, width: Int, height: Int)) async throws -> Int {
        let prefix = pdf.deletingLastPathComponent().appendingPathComponent("render-\(UUID().uuidString)").path
        let rendered = try await ExternalTool.run("pdftoppm", ["-r", "72", "-f", "1", "-l", "1", "-singlefile", "-x", String(box.x), "-y", String(box.yFromTop),
                                                         "-W", String(box.width), "-H", String(box.height), pdf.path, prefix])
        try #require(rendered.status == 0, "\(rendered.output)")
        let ppm = try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm"))
        // P6 header: magic, width, height, maxval, each followed by whitespace.
        var fields = 0, at = 0
        while fields < 4 {
            while ppm[at] == 0x20 || ppm[at] == 0x0A { at += 1 }
            while ppm[at] != 0x20 && ppm[at] != 0x0A { at += 1 }
            fields += 1
        }
        let pixels = ppm[(at + 1)...]
        var red = 0
        var index = pixels.startIndex
        while index + 2 < pixels.endIndex {
            if pixels[index] > 150 && pixels[index + 1] < 110 && pixels[index + 2] < 110 { red += 1 }
            index += 3
        }
        return red
    }
}

/// A batch killed part way: what it signed before the crash is taken from its journal, not signed again.
@Suite struct SignCrashTests {
    @Test func aKilledBatch_resumesFromItsJournal() async throws {
        let suite = try await SignCommandTests()
        let input = try await suite.inputs().appendingPathComponent("a-hoso.pdf")
        let batch = suite.work.appendingPathComponent("many")
        try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: true)
        for index in 0..<3000 {
            try FileManager.default.copyItem(at: input, to: batch.appendingPathComponent(String(format: "kq-%04d.pdf", index)))
        }
        let out = suite.work.appendingPathComponent("crashed")
        let journal = out.appendingPathComponent(".manifest.journal")
        let process = HoSoProcess.start(["sign", "--p12", suite.work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS",
                                         "--out", out.path, "--batch", batch.path, "--jobs", "1"],
                                        in: suite.work, environment: ["HOSO_PASS": "mat-khau"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try #require(process.processIdentifier > 0)
        // Killed once some files are journaled, long before the 3,000 are done.
        var lines = 0
        for _ in 0..<2000 where lines < 20 {
            try await Task.sleep(for: .milliseconds(5))
            lines = (try? String(contentsOf: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        await process.exited()
        try #require(lines >= 20, "the batch journaled \(lines) files")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path), "killed before its manifest")
        let journaled = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").count

        let again = try await suite.sign(["--p12", suite.work.appendingPathComponent("office.p12").path, "--pass-env", "HOSO_PASS",
                                    "--out", out.path, "--batch", batch.path])
        #expect(again.status == 0, "\(again.stderr)")
        // Every complete journal line whose file survived is skipped (a line cut by the kill is not counted).
        let skipped = Int(again.stdout.split(separator: ",").dropFirst().first?.split(separator: " ").first ?? "") ?? -1
        #expect(skipped >= journaled - 1 && skipped <= journaled, "\(again.stdout) with \(journaled) journal lines")
        #expect(again.stdout.hasPrefix("\(3000 - skipped) signed"), "\(again.stdout)")
        #expect(!FileManager.default.fileExists(atPath: journal.path), "the journal goes once the manifest is written")
        try await suite.expectManifest(in: out, count: 3000)
    }
}
