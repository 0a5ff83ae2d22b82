import Foundation
import HoSoPDF
@testable import HoSoSignature
import HoSoTestSupport
import Testing

/// Signatures made by pyHanko on a PKI made by openssl, verified by HoSo, and tampered with: each case
/// asserts the exact ETSI indication, and where poppler's pdfsig can judge, that HoSo agrees with it.
@Suite struct SignatureVerifierTests {
    let trusted = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, crls: SignedFixtures.crls))

    func verdict(_ file: URL, with verifier: SignatureVerifier? = nil) throws -> [SignatureReport] {
        try (verifier ?? trusted).verify(file).signatures
    }

    /// What pdfsig says of each signature: (crypto valid, whole document signed).
    func pdfsig(_ file: URL) async throws -> [(valid: Bool, total: Bool)] {
        let output = try await ExternalTool.run("pdfsig", [file.path]).output
        return output.components(separatedBy: "Signature #").dropFirst().map {
            ($0.contains("Signature is Valid."), $0.contains("Total document signed"))
        }
    }

    @Test(arguments: ["pades", "pkcs7"])
    func aPyHankoSignature_passes_andPdfsigAgrees(subfilter: String) async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("plain"), subfilter: subfilter)
        let reports = try verdict(signed)
        #expect(reports.count == 1)
        #expect(reports[0].indication == .totalPassed, "\(reports[0].reasons)")
        #expect(reports[0].coverage == .entireFile)
        #expect(reports[0].signer?.contains("CN=signer") == true && reports[0].chain.count == 3)
        #expect(reports[0].revocation.contains { $0.hasPrefix("issuing.crl") })
        #expect(reports[0].signingTimeSource == .claimed)
        let seen = try await pdfsig(signed)
        #expect(seen.map(\.valid) == [true] && seen.map(\.total) == [true])
    }

    @Test func aTimestampedSignature_isCheckedAtTheTimestampsTime() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("stamped"), timestamp: true)
        let reports = try verdict(signed)
        #expect(reports.map(\.indication) == [.totalPassed], "\(reports.map(\.reasons))")
        #expect(reports.first?.signingTimeSource == .timestamp)
        #expect(abs(reports.first?.signingTime?.timeIntervalSinceNow ?? 1e9) < 300)
        // Without the TSA's anchor the timestamp cannot be trusted: the claimed time is used, and said.
        let untrustedTSA = SignatureVerifier(trust: TrustStore(anchors: nil, intermediates: SignedFixtures.anchors))
        let fallback = try verdict(signed, with: untrustedTSA)
        #expect(fallback.first?.signingTimeSource == .claimed)
        #expect(fallback.first?.reasons.contains { $0.contains("timestamp is not used") } == true)
    }

    @Test func aSecondSignature_keepsTheFirstValid_asAnAllowedChange() async throws {
        let once = try await SignedFixtures.sign(try SignedFixtures.unsigned("twice"))
        let twice = try await SignedFixtures.sign(once, as: "ec", field: "Signature2")
        let reports = try verdict(twice)
        #expect(reports.map(\.indication) == [.totalPassed, .totalPassed], "\(reports.map(\.reasons))")
        #expect(reports.map(\.coverage) == [.entireRevision, .entireFile])
        #expect(!reports[0].modifications.isEmpty && reports[0].modifications.allSatisfy { $0.hasPrefix("allowed (") })
        #expect(try await pdfsig(twice).map(\.valid) == [true, true])
    }

    @Test func aCertificationSignature_passes() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("certified"), certify: true)
        #expect(try verdict(signed).map(\.indication) == [.totalPassed])
    }

    @Test func aByteChangedInsideTheSignedRange_isAHashFailure_andPdfsigAgrees() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("flip"))
        let tampered = try SignedFixtures.tampered(signed, "flipped") { bytes in
            let text = Array("KET QUA".utf8)
            let at = bytes.indices.first { bytes[$0..<min(bytes.count, $0 + text.count)].elementsEqual(text) }!
            bytes[at] = UInt8(ascii: "C")  // KET → CET in the page content
        }
        let reports = try verdict(tampered)
        #expect(reports.map(\.indication) == [.totalFailed] && reports.map(\.subIndication) == [.hashFailure])
        #expect(try await pdfsig(tampered).map(\.valid) == [false])
    }

    @Test func aByteChangedInTheSignatureValue_isASignatureCryptoFailure_andPdfsigAgrees() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("value"))
        let reader = try PDFReader(path: signed.path)
        let field = try #require(try SignatureField.all(in: reader).first)
        let gap = try #require(field.valueRanges["Contents"])
        guard case .string(let contents)? = field.dictionary?["Contents"] else { Issue.record("no /Contents"); return }
        // The signature value is the DER's last bytes before the zero padding: flip one of them.
        let length = contents.bytes.lastIndex { $0 != 0 }! + 1
        let hexOffset = gap.lowerBound + 1 + (length - 3) * 2
        let tampered = try SignedFixtures.tampered(signed, "sigvalue") { bytes in
            bytes[hexOffset] = bytes[hexOffset] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        }
        let reports = try verdict(tampered)
        #expect(reports.map(\.subIndication) == [.sigCryptoFailure], "\(reports.map(\.reasons))")
        #expect(try await pdfsig(tampered).map(\.valid) == [false])
    }

    @Test func byteRangesThatSkip_orRunShort_orMissTheContents_areFormatFailures() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("ranges"))
        // Found in the bytes, not in a decoded string: binary streams before it would shift the offsets.
        let bytes = Array(try Data(contentsOf: signed))
        let key = Array("/ByteRange [".utf8)
        let found = try #require(bytes.indices.first { bytes[$0..<min(bytes.count, $0 + key.count)].elementsEqual(key) })
        let start = found + key.count
        let close = try #require(bytes[start...].firstIndex(of: UInt8(ascii: "]")))
        let original = String(decoding: bytes[start..<close], as: UTF8.self)
        let numbers = original.split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 4)
        func withRange(_ values: [Int], _ name: String) throws -> URL {
            var replacement = Array(values.map(String.init).joined(separator: " ").utf8)
            replacement += [UInt8](repeating: UInt8(ascii: " "), count: original.utf8.count - replacement.count)
            return try SignedFixtures.tampered(signed, name) { $0.replaceSubrange(start..<(start + original.utf8.count), with: replacement) }
        }
        let short = try withRange([numbers[0], numbers[1], numbers[2], numbers[3] - 1], "short")
        let skips = try withRange([numbers[0], numbers[1] - 10, numbers[2], numbers[3]], "skips")
        let late = try withRange([5, numbers[1] - 5, numbers[2], numbers[3]], "late")
        for file in [short, skips, late] {
            #expect(try verdict(file).map(\.subIndication) == [.formatFailure])
        }
        #expect(try verdict(short).first?.coverage == .partial)
    }

    @Test func contentsThatIsNotACMS_isAFormatFailure() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("zeros"))
        let field = try #require(try SignatureField.all(in: try PDFReader(path: signed.path)).first)
        let gap = try #require(field.valueRanges["Contents"])
        let zeroed = try SignedFixtures.tampered(signed, "zeroed") { bytes in
            for i in (gap.lowerBound + 1)..<(gap.upperBound - 1) { bytes[i] = UInt8(ascii: "0") }
        }
        #expect(try verdict(zeroed).map(\.subIndication) == [.formatFailure])
    }

    @Test(arguments: [
        ("revoked", Indication.totalFailed, SubIndication.revoked),
        ("expired", .indeterminate, .outOfBoundsNoPOE),
        ("weak", .totalFailed, .cryptoConstraintsFailure),
        ("nousage", .indeterminate, .chainConstraintsFailure),
    ])
    func aSignerTheRulesRefuse_getsTheRightIndication(signer: String, indication: Indication, sub: SubIndication) async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned(signer), as: signer)
        let reports = try verdict(signed)
        #expect(reports.map(\.indication) == [indication] && reports.map(\.subIndication) == [sub], "\(reports.map(\.reasons))")
    }

    @Test func anUntrustedRoot_orAMissingCRL_isIndeterminate() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("untrusted"))
        let noAnchors = SignatureVerifier(trust: TrustStore(anchors: nil))
        #expect(try verdict(signed, with: noAnchors).map(\.subIndication) == [.noCertificateChainFound])
        // Only the root's CRL: the issuing CA's status is unknown.
        let partial = try makeTemporaryDirectory("crls")
        try FileManager.default.copyItem(at: SignedFixtures.crls.appendingPathComponent("root.crl"), to: partial.appendingPathComponent("root.crl"))
        let unknown = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, crls: partial))
        #expect(try verdict(signed, with: unknown).map(\.subIndication) == [.tryLater])
        // Forty days on, the CRLs (valid for thirty) are out of date: the status is unknown again.
        let later = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, crls: SignedFixtures.crls),
                                      now: { Date(timeIntervalSinceNow: 40 * 86_400) })
        let stale = try verdict(signed, with: later)
        #expect(stale.map(\.subIndication) == [.tryLater] && stale.first?.reasons.last?.contains("out of date") == true)
    }

    /// Runs `openssl ocsp` as the issuing CA's responder on 127.0.0.1 until `body` returns.
    func withOCSPResponder<T>(_ body: (URL) throws -> T) throws -> T {
        let port = try freeLocalPort()
        let pki = SignedFixtures.pki
        let responder = Process()
        responder.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        responder.arguments = ["ocsp", "-index", pki.appendingPathComponent("ca/index.txt").path, "-port", String(port),
                               "-rsigner", pki.appendingPathComponent("inter.pem").path, "-rkey", pki.appendingPathComponent("inter.key").path,
                               "-CA", pki.appendingPathComponent("inter.pem").path]
        responder.standardOutput = FileHandle.nullDevice
        responder.standardError = FileHandle.nullDevice
        try responder.run()
        // SIGKILL: the test runner's children inherit an ignored SIGTERM.
        defer { kill(responder.processIdentifier, SIGKILL); responder.waitUntilExit() }
        // Give it time to listen (a probing connection that sends nothing makes `openssl ocsp` spin).
        usleep(700_000)
        return try body(URL(string: "http://127.0.0.1:\(port)/")!)
    }

    @Test func anOCSPResponder_vouchesForAGoodSigner_andRefusesARevokedOne() async throws {
        let good = try await SignedFixtures.sign(try SignedFixtures.unsigned("ocsp-good"))
        let revoked = try await SignedFixtures.sign(try SignedFixtures.unsigned("ocsp-revoked"), as: "revoked")
        try withOCSPResponder { url in
            // OCSP alone, no CRLs: the responder is the only revocation source.
            let verifier = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, ocspResponder: url))
            let passed = try verdict(good, with: verifier)
            #expect(passed.map(\.indication) == [.totalPassed], "\(passed.map(\.reasons))")
            #expect(passed.first?.revocation.contains { $0.contains("OCSP") && $0.contains("good") } == true)
            let refused = try verdict(revoked, with: verifier)
            #expect(refused.map(\.subIndication) == [.revoked], "\(refused.map(\.reasons))")
        }
        // The responder gone: the status is unknown, so the verdict waits.
        let gone = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, ocspResponder: URL(string: "http://127.0.0.1:9/")!))
        #expect(try verdict(good, with: gone).map(\.subIndication) == [.tryLater])
    }

    /// The page object and its content stream's numbers in `file`.
    func pageAndContent(_ file: URL) throws -> (page: Int, content: Int, pageText: String) {
        let reader = try PDFReader(path: file.path)
        guard case .dictionary(let catalog)? = try reader.resolve(reader.trailer["Root"]),
              case .dictionary(let pages)? = try reader.resolve(catalog["Pages"]),
              case .array(let kids)? = pages["Kids"], case .reference(let page)? = kids.first,
              case .dictionary(let pageDictionary)? = try reader.resolve(.reference(page)),
              case .reference(let content)? = pageDictionary["Contents"] else { throw SignedFixtures.FixtureError(message: "no page") }
        return (page.number, content.number, String(decoding: PDFObject.dictionary(pageDictionary).bytes, as: UTF8.self))
    }

    @Test func anUpdateThatChangesThePage_orAddsAnAnnotation_isNotAllowed() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("later"))
        let (page, content, pageText) = try pageAndContent(signed)
        let text = "BT /F1 14 Tf 72 760 Td (KET QUA DA SUA) Tj ET"
        let rewritten = try SignedFixtures.appendUpdate(to: signed, "rewritten", objects: [content: "<< /Length \(text.utf8.count) >>\nstream\n\(text)\nendstream"])
        let rewrittenReport = try verdict(rewritten)
        #expect(rewrittenReport.map(\.subIndication) == [.formatFailure])
        #expect(rewrittenReport.first?.modifications.contains { $0.hasPrefix("not allowed:") } == true)
        #expect(try await pdfsig(rewritten).map(\.total) == [false], "pdfsig sees the signature no longer covers the file")

        let annotation = 900
        // The page already lists the signature's widget: the note is added beside it.
        let annotated = pageText.replacingOccurrences(of: #"/Annots \[([^\]]*)\]"#, with: "/Annots [$1 \(annotation) 0 R]", options: .regularExpression)
        #expect(annotated != pageText)
        let twice = pageText.replacingOccurrences(of: ">>", with: "/Annots [\(annotation) 0 R] >>", options: .backwards,
                                                  range: pageText.range(of: ">>", options: .backwards))
        let withNote = try SignedFixtures.appendUpdate(to: signed, "annotated", objects: [
            page: annotated,
            annotation: "<< /Type /Annot /Subtype /FreeText /Rect [72 700 400 740] /Contents (DA DUYET) /DA (/Helv 12 Tf 0 g) >>",
        ])
        let annotatedReport = try verdict(withNote)
        #expect(annotatedReport.map(\.subIndication) == [.formatFailure], "\(annotatedReport.map(\.modifications))")
        #expect(annotatedReport.first?.reasons.last?.contains("FreeText") == true, "\(annotatedReport.map(\.reasons))")
        // The same note as a second /Annots key: readers disagree on which one counts.
        let ambiguous = try SignedFixtures.appendUpdate(to: signed, "ambiguous", objects: [
            page: twice, annotation: "<< /Type /Annot /Subtype /FreeText /Rect [72 700 400 740] /Contents (DA DUYET) >>",
        ])
        let ambiguousReport = try verdict(ambiguous)
        #expect(ambiguousReport.map(\.subIndication) == [.formatFailure], "\(ambiguousReport.map(\.modifications))")
        #expect(ambiguousReport.first?.reasons.last?.contains("twice") == true, "\(ambiguousReport.map(\.reasons))")
    }

    @Test func aSignatureDictionaryMovedByALaterRevision_orStrippedOfItsContents_isAFormatFailure() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("moved"))
        let reader = try PDFReader(path: signed.path)
        let signature = try #require(try SignatureField.all(in: reader).first?.signature)
        let text = String(decoding: reader.bytes(signature.range), as: UTF8.self)
        let body = String(text[text.range(of: "<<")!.lowerBound..<text.range(of: "endobj", options: .backwards)!.lowerBound])
        // The same dictionary again, later in the file: its /Contents is no longer the byte range's gap.
        let moved = try SignedFixtures.appendUpdate(to: signed, "moved", objects: [signature.reference.number: body])
        #expect(try verdict(moved).map(\.subIndication) == [.formatFailure])
        let stripped = body.replacingOccurrences(of: "/Contents", with: "/Xontents")
        let missing = try SignedFixtures.appendUpdate(to: signed, "missing", objects: [signature.reference.number: stripped])
        let reports = try verdict(missing)
        #expect(reports.map(\.subIndication) == [.formatFailure] && reports.first?.reasons.first?.contains("/Contents") == true)
    }

    @Test func anOrphanSignatureDictionary_orAnEmptyContents_changesNothing_orFails() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("orphan"))
        let reader = try PDFReader(path: signed.path)
        let signature = try #require(try SignatureField.all(in: reader).first?.signature)
        let text = String(decoding: reader.bytes(signature.range), as: UTF8.self)
        let body = String(text[text.range(of: "<<")!.lowerBound..<text.range(of: "endobj", options: .backwards)!.lowerBound])
        // A second /Sig object no field refers to: not a signature of the document, and not shown.
        let orphan = try SignedFixtures.appendUpdate(to: signed, "orphan", objects: [950: body])
        let orphanReports = try verdict(orphan)
        #expect(orphanReports.map(\.indication) == [.totalPassed], "\(orphanReports.map(\.reasons))")
        #expect(orphanReports.first?.coverage == .entireRevision)
        // The signature's own dictionary with /Contents <>: nothing to verify.
        let empty = body.replacingOccurrences(of: #"/Contents\s*<[0-9A-Fa-f\s]*>"#, with: "/Contents <>", options: .regularExpression)
        #expect(empty != body)
        let emptied = try SignedFixtures.appendUpdate(to: signed, "empty", objects: [signature.reference.number: empty])
        let emptyReports = try verdict(emptied)
        #expect(emptyReports.map(\.subIndication) == [.formatFailure] && emptyReports.first?.reasons.first?.contains("/Contents") == true)
    }

    @Test func aDocumentTimestamp_passes_andATamperedOne_isAHashFailure() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("archived"))
        let stamped = try await SignedFixtures.sign(signed, field: "Timestamp1", documentTimestamp: true)
        let reports = try verdict(stamped)
        #expect(reports.map(\.indication) == [.totalPassed, .totalPassed], "\(reports.map(\.reasons))")
        #expect(reports.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.RFC3161"])
        #expect(reports.map(\.coverage) == [.entireRevision, .entireFile])
        #expect(reports.last?.signingTimeSource == .timestamp && reports.last?.signer?.contains("CN=tsa") == true)
        #expect(reports.first?.modifications.allSatisfy { $0.hasPrefix("allowed (") } == true)

        // A document timestamp alone, then one byte of the stamped page changed.
        let alone = try await SignedFixtures.sign(try SignedFixtures.unsigned("stamp-only"), field: "Timestamp1", documentTimestamp: true)
        #expect(try verdict(alone).map(\.indication) == [.totalPassed])
        let flipped = try SignedFixtures.tampered(alone, "stamp-flipped") { bytes in
            let at = bytes.firstRange(of: Array("KET QUA".utf8))!.lowerBound
            bytes[at] = UInt8(ascii: "X")
        }
        #expect(try verdict(flipped).map(\.subIndication) == [.hashFailure])
        // The TSA not trusted: the stamp cannot be relied on.
        let noAnchors = SignatureVerifier(trust: TrustStore(anchors: nil))
        #expect(try verdict(alone, with: noAnchors).map(\.indication) == [.indeterminate])
    }

    /// A copy of the issuing CA that revokes `name` now, and the CRL folder it makes.
    func revokingNow(_ name: String) async throws -> URL {
        let pki = SignedFixtures.pki
        let work = try makeTemporaryDirectory("revoke-later")
        let ca = work.appendingPathComponent("ca"), crls = work.appendingPathComponent("crls")
        try FileManager.default.copyItem(at: pki.appendingPathComponent("ca"), to: ca)
        try FileManager.default.createDirectory(at: crls, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SignedFixtures.crls.appendingPathComponent("root.crl"), to: crls.appendingPathComponent("root.crl"))
        let config = try String(contentsOf: pki.appendingPathComponent("ca.cnf"), encoding: .utf8)
            .replacingOccurrences(of: "dir = \(pki.path)/ca", with: "dir = \(ca.path)")
        let configFile = work.appendingPathComponent("ca.cnf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let revoke = try await ExternalTool.run("openssl", ["ca", "-config", configFile.path, "-revoke", pki.appendingPathComponent("\(name).pem").path])
        #expect(revoke.status == 0, "\(revoke.output)")
        let crl = try await ExternalTool.run("openssl", ["ca", "-config", configFile.path, "-gencrl", "-out", crls.appendingPathComponent("issuing.crl").path])
        #expect(crl.status == 0, "\(crl.output)")
        return crls
    }

    @Test func aRevocationAfterTheTimestamp_keepsTheSignature_butAClaimedTimeProvesNothing() async throws {
        let stamped = try await SignedFixtures.sign(try SignedFixtures.unsigned("revoked-later-bt"), as: "ec", timestamp: true)
        let claimed = try await SignedFixtures.sign(try SignedFixtures.unsigned("revoked-later-bb"), as: "ec")
        sleep(2)  // the revocation's date must fall after the signatures' seconds
        let crls = try await revokingNow("ec")
        let verifier = SignatureVerifier(trust: TrustStore(anchors: SignedFixtures.anchors, crls: crls))
        let proven = try verdict(stamped, with: verifier)
        #expect(proven.map(\.indication) == [.totalPassed], "\(proven.map(\.reasons))")
        #expect(proven.first?.reasons.contains { $0.contains("revoked at") && $0.contains("after the timestamp") } == true)
        let unproven = try verdict(claimed, with: verifier)
        #expect(unproven.map(\.subIndication) == [.revokedNoPOE], "\(unproven.map(\.reasons)) \(unproven.map(\.revocation))")
        // Revoked before it signed: failed, whatever the time source.
        #expect(try await verdict(try SignedFixtures.sign(try SignedFixtures.unsigned("revoked-before"), as: "revoked", timestamp: true)).map(\.subIndication) == [.revoked])
    }

    @Test func pathVerdicts_rememberedForABatch_stillFollowTheTime() throws {
        let pki = SignedFixtures.pki
        let store = TrustStore(anchors: SignedFixtures.anchors, intermediates: pki.appendingPathComponent("intermediates"))
        let signer = try #require(Certificate.load(pki.appendingPathComponent("signer.pem")).first)
        let (notYetValid, expired): (Int32, Int32) = (9, 10)  // X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_HAS_EXPIRED
        // The same certificate before, inside and after its validity, asked in turns: each answer follows the time.
        for _ in 0..<2 {
            #expect(store.check(signer, untrusted: [], at: Date()).status == 0)
            #expect(store.check(signer, untrusted: [], at: Date(timeIntervalSinceNow: -86_400 * 2)).status == notYetValid)
            #expect(store.check(signer, untrusted: [], at: Date(timeIntervalSinceNow: 86_400 * 3_000)).status == expired)
        }
    }

    @Test func theCMSCertificates_areParsedApart_andTheRestIsTheSameCMS() async throws {
        let signed = try await SignedFixtures.sign(try SignedFixtures.unsigned("split"))
        let field = try #require(try SignatureField.all(in: try PDFReader(path: signed.path)).first)
        guard case .string(let contents)? = field.dictionary?["Contents"] else { Issue.record("no /Contents"); return }
        let split = try #require(CMSCertificateSplit(contents.bytes))
        #expect(split.certificates.count == 2)  // the signer's and the issuing CA's, as pyHanko embeds them
        let whole = try #require(CMSSignedData(der: contents.bytes))
        let apart = try #require(CMSSignedData(der: contents.bytes, cache: CertificateCache()))
        #expect(whole.certificates.map(\.fingerprint) == apart.certificates.map(\.fingerprint))
        #expect(whole.signatureValue == apart.signatureValue && whole.messageDigest == apart.messageDigest)
        // Not a ContentInfo, or one whose length runs past the bytes: left to OpenSSL.
        #expect(CMSCertificateSplit([0x30, 0x03, 0x02, 0x01, 0x01]) == nil)
        #expect(CMSCertificateSplit(Array(contents.bytes.prefix(100))) == nil)
    }

    @Test func aFileWithoutSignatures_hasNoVerdict() throws {
        let report = try trusted.verify(try SignedFixtures.unsigned("none"))
        #expect(report.signatures.isEmpty && report.indication == nil)
    }
}
