import Foundation
import HoSoTestSupport
import Testing

/// Forged results, built here the way an attacker would (byte surgery and pyHanko) from files signed by
/// `hoso sign` on three writers' PDFs: none may pass `hoso verify`, and each forgery is shown to change
/// what poppler draws, so the test is about what a person would see.
@Suite struct ForgeryTests {
    let work: URL
    let pki: URL
    let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path

    init() async throws {
        work = try makeTemporaryDirectory("forgery")
        pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        let export = try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("signer.key").path,
                                                      "-in", pki.appendingPathComponent("signer.pem").path, "-certfile",
                                                      pki.appendingPathComponent("inter.pem").path, "-passout", "pass:x",
                                                      "-out", work.appendingPathComponent("signer.p12").path])
        try #require(export.status == 0, "\(export.output)")
    }

    // MARK: Inputs, signing, judging

    /// The result scan as three writers write it: HoSo's normalizer, qpdf with object streams, img2pdf.
    func writers() async throws -> [(name: String, file: URL)] {
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/result-a4-bilevel.tif").path,
                                              "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let hoso = work.appendingPathComponent("result-a4-bilevel.pdf")
        let qpdf = work.appendingPathComponent("qpdf.pdf")
        try #require(try await ExternalTool.run("qpdf", ["--object-streams=generate", hoso.path, qpdf.path]).status == 0)
        let img2pdf = work.appendingPathComponent("img2pdf.pdf")
        let made = try await ExternalTool.run(packageRoot.appendingPathComponent(".build/python/bin/img2pdf").path,
                                        [work.appendingPathComponent("result-a4-bilevel.thumb.png").path, "-o", img2pdf.path])
        try #require(made.status == 0, "\(made.output)")
        return [("hoso", hoso), ("qpdf", qpdf), ("img2pdf", img2pdf)]
    }

    func sign(_ input: URL, _ name: String) async throws -> URL {
        let folder = work.appendingPathComponent("signed-\(name)")
        let copy = work.appendingPathComponent("in-\(name)").appendingPathComponent(name + ".pdf")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: input, to: copy)
        let signed = try await HoSoProcess.run(["sign", "--p12", work.appendingPathComponent("signer.p12").path, "--pass-env", "P",
                                          "--out", folder.path, copy.path], in: work, environment: ["P": "x"])
        try #require(signed.status == 0, "\(signed.stderr)")
        return folder.appendingPathComponent(name + ".pdf")
    }

    func pyhanko(_ input: URL, _ name: String, _ options: [String]) async throws -> URL {
        let output = work.appendingPathComponent(name + ".pdf")
        let run = try await ExternalTool.run(python, [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py").path,
                                                input.path, output.path, pki.appendingPathComponent("signer.key").path,
                                                pki.appendingPathComponent("signer-chain.pem").path] + options)
        try #require(run.status == 0, "\(run.output)")
        return output
    }

    /// `hoso verify` on `file`: its exit status and each signature's indication, sub-indication and last reason.
    func verify(_ file: URL, trusted: Bool = true) async throws -> (status: Int32, signatures: [(indication: String, sub: String?, reason: String)]) {
        let trust = trusted ? ["--trust", pki.appendingPathComponent("anchors").path] : []
        let run = try await HoSoProcess.run(["verify", "--json"] + trust + [file.path], in: work)
        let reports = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] ?? []
        let signatures = (reports.first?["signatures"] as? [[String: Any]] ?? []).map { signature in
            (signature["indication"] as? String ?? "", signature["subIndication"] as? String,
             (signature["reasons"] as? [String])?.last ?? "")
        }
        return (run.status, signatures)
    }

    /// Page 1 drawn by poppler at 20 dpi, in grey.
    func render(_ file: URL) async throws -> [UInt8] {
        let prefix = work.appendingPathComponent("render-\(UUID().uuidString)")
        let run = try await ExternalTool.run("pdftoppm", ["-gray", "-r", "20", "-f", "1", "-l", "1", "-singlefile", file.path, prefix.path])
        try #require(run.status == 0, "\(run.output)")
        let pgm = Array(try Data(contentsOf: prefix.appendingPathExtension("pgm")))
        // P5 width height maxval, then the pixels.
        var fields = 0, index = 0
        while fields < 4, index < pgm.count {
            while index < pgm.count, pgm[index] == 0x20 || pgm[index] == 0x0A { index += 1 }
            while index < pgm.count, pgm[index] != 0x20 && pgm[index] != 0x0A { index += 1 }
            fields += 1
        }
        return Array(pgm[(index + 1)...])
    }

    /// Whether what poppler draws of page 1 differs between the signed file and the forgery.
    func looksDifferent(_ signed: URL, _ forged: URL) async throws -> Bool {
        let before = try await render(signed), after = try await render(forged)
        guard before.count == after.count else { return true }
        return zip(before, after).filter { abs(Int($0) - Int($1)) > 64 }.count > before.count / 100
    }

    func expectForgeryFails(_ forged: URL, _ signed: URL, _ what: String, visible: Bool = true) async throws {
        let verdict = try await verify(forged)
        #expect(verdict.status == 1, "\(what): \(verdict)")
        #expect(verdict.signatures.first?.indication == "TOTAL_FAILED" && verdict.signatures.first?.sub == "FORMAT_FAILURE", "\(what): \(verdict)")
        if visible { #expect(try await looksDifferent(signed, forged), "\(what): the forgery does not change what is seen") }
        #expect(try await verify(signed).status == 0, "\(what): the untouched signed file still passes")
    }

    /// An overlay: a white sheet over the page with a black block, as a forged decision would paint.
    static let overlay = "q 1 1 1 rg 0 0 2000 2000 re f 0 0 0 rg 60 300 400 120 re f Q"

    // MARK: Forgeries that rewrite the page

    @Test func aRewrittenPage_passesAsNothing_whateverItCallsItself() async throws {
        let inputs = try await writers()
        var signedFiles: [(String, URL)] = []
        for input in inputs { signedFiles.append((input.name, try await sign(input.file, input.name))) }
        signedFiles.append(("pyhanko", try await pyhanko(inputs[0].file, "by-pyhanko", [])))
        for (name, signed) in signedFiles {
            let layout = try PDFSurgery.layout(of: signed)
            let overlay = layout.nextNumber
            let page = layout.pageText.replacingOccurrences(of: #"/Contents (\d+) 0 R"#, with: "/Contents [$1 0 R \(overlay) 0 R]", options: .regularExpression)
            try #require(page != layout.pageText, "\(name): \(layout.pageText)")

            // The trailer's /Info pointed at the rewritten page: "only document information changed".
            let info = work.appendingPathComponent("\(name)-info.pdf")
            try PDFSurgery.appendUpdate(to: signed, writing: info, objects: [layout.page: page, overlay: PDFSurgery.stream(Self.overlay)],
                                        trailer: ["Info": "\(layout.page) 0 R"])
            try await expectForgeryFails(info, signed, "\(name): /Info at the page")

            // The page's content stream replaced by one labelled /Type /Metadata.
            let content = try #require(layout.content)
            let labelled = work.appendingPathComponent("\(name)-metadata.pdf")
            try PDFSurgery.appendUpdate(to: signed, writing: labelled,
                                        objects: [content: PDFSurgery.stream(Self.overlay, dictionary: "/Type /Metadata /Subtype /XML")])
            try await expectForgeryFails(labelled, signed, "\(name): content labelled /Metadata")

            // A page added: hidden behind an unknown CA, it still fails, and fails as a change.
            let added = work.appendingPathComponent("\(name)-hidden.pdf")
            try PDFSurgery.appendUpdate(to: signed, writing: added, objects: [layout.page: page, overlay: PDFSurgery.stream(Self.overlay)])
            let untrusted = try await verify(added, trusted: false)
            #expect(untrusted.status == 1 && untrusted.signatures.first?.sub == "FORMAT_FAILURE", "\(name): \(untrusted)")
            #expect(try await verify(signed, trusted: false).status == 2, "\(name): unsigned by a known CA, the untouched file is INDETERMINATE")
        }
    }

    @Test func aSneakySignatureField_andAnXFAForm_areNotSignatures() async throws {
        for (name, input) in try await writers() {
            let signed = try await sign(input, name)
            let layout = try PDFSurgery.layout(of: signed)
            let (widget, appearance) = (layout.nextNumber, layout.nextNumber + 1)
            let form = try #require(layout.acroForm, "\(name): hoso sign writes a form")
            var objects = [
                widget: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sneaky) /F 4 /Rect [0 0 595 842] /P \(layout.page) 0 R /AP << /N \(appearance) 0 R >> >>",
                appearance: PDFSurgery.stream(Self.overlay, dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 595 842]"),
                layout.page: layout.pageText.replacingOccurrences(of: #"/Annots \[([^\]]*)\]"#, with: "/Annots [$1 \(widget) 0 R]", options: .regularExpression),
            ]
            let fields = form.text.replacingOccurrences(of: #"/Fields \[([^\]]*)\]"#, with: "/Fields [$1 \(widget) 0 R]", options: .regularExpression)
            if let number = form.number { objects[number] = fields } else {
                objects[layout.root] = layout.catalog.replacingOccurrences(of: form.text, with: fields)
            }
            let sneaky = work.appendingPathComponent("\(name)-sneaky.pdf")
            try PDFSurgery.appendUpdate(to: signed, writing: sneaky, objects: objects)
            try await expectForgeryFails(sneaky, signed, "\(name): an unsigned signature field painting over the page")

            // The form (stored in the catalog, as hoso sign writes it into a form-less file) turned XFA.
            let xfaForm = form.text.replacingOccurrences(of: "/SigFlags 3", with: "/SigFlags 3 /NeedAppearances true /XFA \(widget) 0 R")
            let xfa = work.appendingPathComponent("\(name)-xfa.pdf")
            let xfaObjects = form.number.map { [$0: xfaForm, widget: PDFSurgery.stream("<xdp:xdp/>")] }
                ?? [layout.root: layout.catalog.replacingOccurrences(of: form.text, with: xfaForm), widget: PDFSurgery.stream("<xdp:xdp/>")]
            try PDFSurgery.appendUpdate(to: signed, writing: xfa, objects: xfaObjects)
            try await expectForgeryFails(xfa, signed, "\(name): XFA and NeedAppearances added", visible: false)
        }
    }

    @Test func preparedFields_andDanglingReferences_cannotBeFilledAfterSigning() async throws {
        let (_, input) = try await writers()[0]
        let layout = try PDFSurgery.layout(of: input)
        let (prepared, blank, dangling) = (layout.nextNumber, layout.nextNumber + 1, layout.nextNumber + 50)
        // Before signing: an empty signature field with a blank appearance, and a reference to nothing.
        let page = layout.pageText.replacingOccurrences(of: ">>", with: "/Annots [\(prepared) 0 R \(dangling) 0 R] >>", options: .backwards,
                                                        range: layout.pageText.range(of: ">>", options: .backwards))
        let catalog = layout.catalog.replacingOccurrences(of: ">>", with: "/AcroForm << /Fields [\(prepared) 0 R] >> >>", options: .backwards,
                                                          range: layout.catalog.range(of: ">>", options: .backwards))
        let prepare = work.appendingPathComponent("prepared.pdf")
        try PDFSurgery.appendUpdate(to: input, writing: prepare, objects: [
            layout.page: page, layout.root: catalog,
            prepared: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Prepared) /F 4 /Rect [300 700 500 760] /P \(layout.page) 0 R /AP << /N \(blank) 0 R >> >>",
            blank: PDFSurgery.stream("", dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 200 60]"),
        ])
        let signed = try await sign(prepare, "prepared")
        let after = try PDFSurgery.layout(of: signed)
        let overlay = after.nextNumber
        let repointed = work.appendingPathComponent("repointed.pdf")
        try PDFSurgery.appendUpdate(to: signed, writing: repointed, objects: [
            prepared: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Prepared) /F 4 /Rect [0 0 595 842] /P \(layout.page) 0 R /AP << /N \(overlay) 0 R >> >>",
            overlay: PDFSurgery.stream(Self.overlay, dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 595 842]"),
        ])
        try await expectForgeryFails(repointed, signed, "an unsigned signature field's appearance repointed")

        let filled = work.appendingPathComponent("dangling.pdf")
        try PDFSurgery.appendUpdate(to: signed, writing: filled, objects: [
            dangling: "<< /Type /Annot /Subtype /Square /F 4 /Rect [0 0 595 842] /P \(layout.page) 0 R /AP << /N \(overlay) 0 R >> >>",
            overlay: PDFSurgery.stream(Self.overlay, dictionary: "/Type /XObject /Subtype /Form /BBox [0 0 595 842]"),
        ])
        try await expectForgeryFails(filled, signed, "a reference prepared before signing, filled after")
        #expect(try await verify(filled).signatures.first?.reason.contains("filling a reference") == true)
    }

    @Test func bytesNoRevisionListsAfterTheLastOne_failTheSignature() async throws {
        let (name, input) = try await writers()[1]
        let signed = try await sign(input, name)
        let layout = try PDFSurgery.layout(of: signed)
        let overlay = layout.nextNumber
        let page = layout.pageText.replacingOccurrences(of: #"/Contents (\d+) 0 R"#, with: "/Contents [$1 0 R \(overlay) 0 R]", options: .regularExpression)
        // A complete forged revision whose startxref is a comment, so the signed revision stays the last.
        let full = work.appendingPathComponent("forged-revision.pdf")
        try PDFSurgery.appendUpdate(to: signed, writing: full, objects: [layout.page: page, overlay: PDFSurgery.stream(Self.overlay)])
        var bytes = try Data(contentsOf: full)
        let marker = Data("\nstartxref\n".utf8)
        let at = try #require(bytes.range(of: marker, options: .backwards))
        bytes.replaceSubrange(at, with: Data("\n% startxref\n".utf8))
        let commented = work.appendingPathComponent("commented-startxref.pdf")
        try bytes.write(to: commented)
        let verdict = try await verify(commented)
        #expect(verdict.status == 1 && verdict.signatures.first?.reason.contains("unsigned data after the last revision") == true, "\(verdict)")
        // Objects after the last %%EOF, listed by nothing.
        var tail = try Data(contentsOf: signed)
        tail += Data("\(overlay) 0 obj\n<< /Type /Annot /Subtype /Square /Rect [0 0 595 842] >>\nendobj\n".utf8)
        let trailing = work.appendingPathComponent("trailing.pdf")
        try tail.write(to: trailing)
        #expect(try await verify(trailing).signatures.first?.sub == "FORMAT_FAILURE")
    }

    @Test func aForgedResult_isRefusedOverHTTP_andTheGateStaysShut() async throws {
        let (_, input) = try await writers()[0]
        let caseID = "000.00.14.H27-240815-0007"
        let data = work.appendingPathComponent("data")
        #expect(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
        #expect(try await HoSoProcess.run(["signers", "add", "--agency", "000.00.14.H27", "--cert", pki.appendingPathComponent("signer.pem").path,
                                     "--data", data.path], in: work).status == 0)
        let token = try await HoSoProcess.run(["token", "create", "--role", "workflow", "--name", "wf", "--data", data.path], in: work)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = work.appendingPathComponent("for-case")
        let signedRun = try await HoSoProcess.run(["sign", "--p12", work.appendingPathComponent("signer.p12").path, "--pass-env", "P", "--out", folder.path,
                                             "--case", caseID, input.path], in: work, environment: ["P": "x"])
        try #require(signedRun.status == 0, "\(signedRun.stderr)")
        let signed = folder.appendingPathComponent(input.lastPathComponent)
        let layout = try PDFSurgery.layout(of: signed)
        let forged = work.appendingPathComponent("forged-result.pdf")
        try PDFSurgery.appendUpdate(to: signed, writing: forged, objects: [
            layout.page: layout.pageText.replacingOccurrences(of: #"/Contents (\d+) 0 R"#, with: "/Contents [$1 0 R \(layout.nextNumber) 0 R]",
                                                               options: .regularExpression),
            layout.nextNumber: PDFSurgery.stream(Self.overlay),
        ], trailer: ["Info": "\(layout.page) 0 R"])

        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_TRUST_ANCHORS": pki.appendingPathComponent("anchors").path])
        let registered = try await server.json("POST", "/v1/cases", token: token, [
            "caseId": caseID, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
            "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00",
        ])
        #expect(registered.status == 201)
        let attempt = try await server.call("POST", "/v1/cases/\(caseID)/results", token: token, body: try Data(contentsOf: forged), type: "application/pdf")
        #expect(attempt.status == 422 && attempt.json["code"] as? String == "signature_failed", "\(attempt.text)")
        #expect(try await server.call("POST", "/v1/cases/\(caseID)/return", token: token).status == 409)
        let genuine = try await server.call("POST", "/v1/cases/\(caseID)/results", token: token, body: try Data(contentsOf: signed), type: "application/pdf")
        #expect(genuine.status == 201, "\(genuine.text)")
    }

    // MARK: Certification and field locks (pyHanko signs)

    @Test func certificationLevels_andFieldLocks_areEnforced() async throws {
        let (_, input) = try await writers()[0]
        // Certified with no changes allowed: pyHanko refuses to sign after it, so the field is added by hand.
        let noChanges = try await pyhanko(input, "certified-p1", ["--certify", "--docmdp", "1", "--field", "Cert"])
        #expect(try await verify(noChanges).status == 0)
        let layout = try PDFSurgery.layout(of: noChanges)
        let form = try #require(layout.acroForm?.number, "pyHanko stores its form apart")
        let field = layout.nextNumber
        let addedField = work.appendingPathComponent("certified-p1-field.pdf")
        try PDFSurgery.appendUpdate(to: noChanges, writing: addedField, objects: [
            form: try #require(layout.acroForm?.text).replacingOccurrences(of: #"/Fields \[([^\]]*)\]"#, with: "/Fields [$1 \(field) 0 R]",
                                                                           options: .regularExpression),
            field: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Later) /F 2 /Rect [0 0 0 0] /P \(layout.page) 0 R >>",
        ])
        let p1 = try await verify(addedField)
        #expect(p1.status == 1 && p1.signatures.first?.reason.contains("DocMDP /P 1") == true, "\(p1)")

        let formsAllowed = try await pyhanko(input, "certified-p2", ["--certify", "--docmdp", "2", "--field", "Cert"])
        let signedAfterP2 = try await pyhanko(formsAllowed, "certified-p2-signed", ["--field", "Approval"])
        #expect(try await verify(signedAfterP2).status == 0, "signing is allowed under /P 2")

        // A prepared field locked by the first signature cannot be signed after it; one not locked can.
        let withField = try await pyhanko(input, "empty-field", ["--add-empty-field", "--field", "Later"])
        let locked = try await pyhanko(try pyhanko(withField, "locking", ["--field", "First", "--lock", "include:Later"]), "locked-signed", ["--field", "Later"])
        let lockedVerdict = try await verify(locked)
        #expect(lockedVerdict.status == 1 && lockedVerdict.signatures.contains { $0.reason.contains("signature First locked it") }, "\(lockedVerdict)")
        let free = try await pyhanko(try pyhanko(withField, "not-locking", ["--field", "First", "--lock", "include:Other"]), "free-signed", ["--field", "Later"])
        #expect(try await verify(free).status == 0)

        // A certification made after an approval signature (iText's certificationSignatureAfterApproval):
        // it would govern changes the approval never agreed to, so it is refused as misplaced; and the
        // catalog's /Perms it adds is a change the approval did not sign.
        let approved = try await pyhanko(input, "approved", ["--field", "Approval"])
        let certifiedLater = try await pyhanko(approved, "certified-after-approval",
                                         ["--certify", "--docmdp", "2", "--field", "Cert", "--certify-after-approval"])
        let misplaced = try await verify(certifiedLater)
        #expect(misplaced.status == 1, "\(misplaced)")
        #expect(misplaced.signatures.count == 2)
        #expect(misplaced.signatures.contains { $0.indication == "TOTAL_FAILED" && $0.reason.contains("certification signature must be the document's first") },
                "\(misplaced)")
        #expect(misplaced.signatures.contains { $0.indication == "TOTAL_FAILED" && $0.reason.contains("the catalog changed (/Perms)") },
                "\(misplaced)")
    }

    // MARK: What the signer writes

    @Test func anObjectOfAnotherGeneration_keepsItInTheSignersUpdate() async throws {
        // A one-page PDF whose page is object 3 generation 1, as files edited in place by some tools are.
        let content = "BT /F1 14 Tf 72 760 Td (GENERATION) Tj ET"
        let text = PDFSurgery.handWritten([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 1 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            PDFSurgery.stream(content), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ], generations: [3: 1])
        let input = work.appendingPathComponent("generation.pdf")
        try text.write(to: input, atomically: true, encoding: .ascii)
        let signed = try await sign(input, "generation")
        let tail = String(decoding: try Data(contentsOf: signed).suffix(600), as: UTF8.self)
        #expect(tail.contains(" 00001 n"), "the page's entry keeps generation 1: \(tail)")
        #expect(try await ExternalTool.run("qpdf", ["--check", signed.path]).status == 0)
        #expect(try await ExternalTool.run("pdfsig", [signed.path]).output.contains("Signature is Valid."))
        #expect(try await verify(signed).status == 0)
    }
}
