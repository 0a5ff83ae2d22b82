import Foundation
import HoSoPDF
import HoSoTestSupport

/// A test PKI made with the openssl CLI and PDFs signed by pyHanko, once per test run.
enum SignedFixtures {
    static let folder: URL = {
        let url = try! makeTemporaryDirectory("signatures")
        let script = packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path
        let made = try! ExternalTool.runBlocking("/bin/bash", [script, url.appendingPathComponent("pki").path, String(crlPort)])
        precondition(made.status == 0, "make-pki.sh failed: \(made.output)")
        return url
    }()

    /// The port the signers' certificates name in their CRL distribution point (nothing listens there
    /// unless a test serves the CRLs).
    static let crlPort = (try? freeLocalPort()) ?? Int.random(in: 20_000..<30_000)

    static var pki: URL { folder.appendingPathComponent("pki") }
    static var anchors: URL { pki.appendingPathComponent("anchors") }
    static var crls: URL { pki.appendingPathComponent("crls") }

    /// A small unsigned PDF written by HoSo's writer: one page with text.
    static func unsigned(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent("\(name)-\(UUID().uuidString).pdf")
        let writer = try PDFFileWriter(destination: url, version: "1.7")
        let catalog = writer.allocate(), pages = writer.allocate(), page = writer.allocate(), content = writer.allocate()
        let font = writer.allocate()
        try writer.write(.dictionary(["Type": .name("Font"), "Subtype": .name("Type1"), "BaseFont": .name("Helvetica")]), as: font)
        try writer.writeStream([:], data: Array("BT /F1 14 Tf 72 760 Td (KET QUA GIAI QUYET HO SO 000.00.14.H27-240815-0007) Tj ET".utf8), as: content)
        try writer.write(.dictionary([
            "Type": .name("Page"), "Parent": .reference(pages), "MediaBox": [0, 0, 595, 842], "Contents": .reference(content),
            "Resources": .dictionary(["Font": .dictionary(["F1": .reference(font)])]),
        ]), as: page)
        try writer.write(.dictionary(["Type": .name("Pages"), "Kids": [.reference(page)], "Count": 1]), as: pages)
        try writer.write(.dictionary(["Type": .name("Catalog"), "Pages": .reference(pages)]), as: catalog)
        try writer.commit(root: catalog, documentID: ([1, 2, 3], [1, 2, 3]))
        return url
    }

    /// `input` signed by pyHanko with `signer`'s key and chain (names from make-pki.sh).
    static func sign(_ input: URL, as signer: String = "signer", field: String = "Signature1", subfilter: String = "pades",
                     certify: Bool = false, timestamp: Bool = false, documentTimestamp: Bool = false) async throws -> URL {
        let output = folder.appendingPathComponent("\(input.deletingPathExtension().lastPathComponent)-\(field)-\(signer).pdf")
        let script = packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py").path
        var arguments = [script, input.path, output.path, pki.appendingPathComponent("\(signer).key").path,
                         pki.appendingPathComponent("\(signer)-chain.pem").path, "--field", field, "--subfilter", subfilter]
        if certify { arguments.append("--certify") }
        if timestamp || documentTimestamp {
            arguments += ["--tsa-key", pki.appendingPathComponent("tsa.key").path, "--tsa-chain", pki.appendingPathComponent("tsa-chain.pem").path]
        }
        if documentTimestamp { arguments.append("--document-timestamp") }
        // The venv `make test` makes with pyHanko in it.
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let run = try await ExternalTool.run(python, arguments)
        guard run.status == 0 else { throw FixtureError(message: "pyHanko could not sign: \(run.output)") }
        return output
    }

    /// A copy of `file` with `transform` applied to its bytes.
    static func tampered(_ file: URL, _ name: String, _ transform: (inout [UInt8]) -> Void) throws -> URL {
        var bytes = Array(try Data(contentsOf: file))
        transform(&bytes)
        let url = folder.appendingPathComponent("\(name)-\(UUID().uuidString).pdf")
        try Data(bytes).write(to: url)
        return url
    }

    /// Appends an incremental update to `file` that replaces or adds `objects` (number → object text).
    static func appendUpdate(to file: URL, _ name: String, objects: [Int: String]) throws -> URL {
        let url = folder.appendingPathComponent("\(name)-\(UUID().uuidString).pdf")
        try PDFSurgery.appendUpdate(to: file, writing: url, objects: objects)
        return url
    }

    struct FixtureError: Error, CustomStringConvertible { let message: String; var description: String { message } }
}
