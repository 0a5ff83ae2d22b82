import COpenSSL
import Foundation
import HoSoCore
import HoSoPDF

/// Verifies every signature of a PDF: byte range, CMS over exactly those bytes, signer's key and
/// algorithms, path to the trust anchors with revocation, and what changed after each signature.
/// Returns a report with the evidence; never throws for a bad PDF (an unreadable one is a report too).
public struct SignatureVerifier: Sendable {
    public let trust: TrustStore
    /// When the verification happens (the chain is checked at the signing time when one is known).
    public let now: @Sendable () -> Date
    /// The certificates signatures carry, parsed once for the whole run.
    private let certificateCache = CertificateCache()

    public init(trust: TrustStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.trust = trust
        self.now = now
    }

    /// The report for `file`; throws only when the file cannot be read as a PDF at all.
    public func verify(_ file: URL) throws(PDFReadError) -> DocumentReport {
        let reader = try PDFReader(path: file.path)
        if let encrypt = reader.trailer["Encrypt"], encrypt != .null {
            throw PDFReadError(at: 0, "encrypted PDFs are not supported: its strings and streams cannot be read without decrypting them")
        }
        let fields = try SignatureField.all(in: reader).filter { $0.signature != nil || $0.dictionary != nil }
        let analyzer = ModificationAnalyzer(reader: reader, permissions: DocumentPermissions.read(reader, fields: fields))
        let reports = fields.map { verify($0, in: reader, analyzer: analyzer) }
        return DocumentReport.summarize(file: file.path, signatures: reports, at: now())
    }

    /// One signature's verdict: its value, signer and path, then what changed after it. A change that
    /// is not allowed fails the signature whatever its chain says: an unknown CA must not hide a page
    /// rewritten after signing.
    func verify(_ field: SignatureField, in reader: PDFReader, analyzer: ModificationAnalyzer) -> SignatureReport {
        var report = verifyValue(field, in: reader)
        guard report.indication != .totalFailed else { return report }
        if let duplicates = field.dictionary?.duplicateKeys, !duplicates.isEmpty {
            return report.failing(.totalFailed, .formatFailure,
                                  "the signature dictionary gives \(duplicates.map(\.description).joined(separator: ", ")) twice: its meaning is ambiguous")
        }
        if analyzer.permissions.misplacedCertification == field.name {
            return report.failing(.totalFailed, .formatFailure, "a certification signature must be the document's first signature")
        }
        if let tail = reader.unsignedTail {
            return report.failing(.totalFailed, .formatFailure,
                                  "unsigned data after the last revision (bytes \(tail.lowerBound)–\(tail.upperBound)): no signature covers it")
        }
        guard let revision = field.signedRevision(in: reader) else { return report }
        do {
            let changes = try analyzer.changes(after: revision)
            report.modifications = changes.map { ($0.allowed ? "allowed (\($0.rule.rawValue)): " : "not allowed: ") + $0.description }
            if let bad = changes.first(where: { !$0.allowed }) {
                return report.failing(.totalFailed, .formatFailure, "the document was changed after signing: \(bad.description)")
            }
            return report
        } catch {
            return report.indication == .totalPassed
                ? report.failing(.indeterminate, .formatFailure, "the updates after signing cannot be read: \(error)") : report
        }
    }

    /// The signature itself: format, byte range, CMS, signer, algorithms, path to an anchor, revocation.
    func verifyValue(_ field: SignatureField, in reader: PDFReader) -> SignatureReport {
        var report = SignatureReport(field: field.name, subFilter: "", indication: .totalPassed, subIndication: nil, reasons: [],
                                     coverage: nil, byteRange: [], modifications: [], signer: nil, serial: nil, signingTime: nil,
                                     signingTimeSource: nil, chain: [], revocation: [], digestAlgorithm: nil)
        func fail(_ indication: Indication, _ sub: SubIndication, _ reason: String) -> SignatureReport {
            report.failing(indication, sub, reason)
        }
        guard let dictionary = field.dictionary else { return fail(.totalFailed, .formatFailure, "the signature value is not a dictionary") }
        if case .name(let subFilter)? = dictionary["SubFilter"] { report.subFilter = String(decoding: subFilter.bytes, as: UTF8.self) }
        if case .string(let reason)? = dictionary["Reason"] { report.reason = reason.text }
        if case .string(let caseID)? = dictionary[PDFSigner.caseIDKey] { report.caseID = caseID.text }
        guard let signature = field.signature else {
            return fail(.totalFailed, .formatFailure, "the signature dictionary is not an indirect object, so its bytes cannot be located")
        }
        guard signature.objectStream == nil else {
            return fail(.totalFailed, .formatFailure, "the signature dictionary is inside an object stream; its /Contents has no place in the file")
        }
        switch report.subFilter {
        case "ETSI.CAdES.detached", "adbe.pkcs7.detached": break
        case "adbe.pkcs7.sha1", "adbe.x509.rsa_sha1":
            return fail(.totalFailed, .cryptoConstraintsFailure, "SubFilter \(report.subFilter) is unsupported: it rests on SHA-1 (TT 15/2025 refuses it)")
        case "ETSI.RFC3161": break
        default:
            return fail(.totalFailed, .formatFailure, "SubFilter '\(report.subFilter)' is not a PDF signature format HoSo knows")
        }

        // The byte range: [0, a) and [c, c + d), with the gap exactly this dictionary's /Contents string.
        guard case .array(let items)? = dictionary["ByteRange"], items.count == 4 else {
            return fail(.totalFailed, .formatFailure, "/ByteRange is missing or not four numbers")
        }
        let range = items.compactMap { if case .integer(let value) = $0 { value } else { nil } }
        report.byteRange = range
        guard range.count == 4, range.allSatisfy({ $0 >= 0 }) else { return fail(.totalFailed, .formatFailure, "/ByteRange holds something other than non-negative integers") }
        guard case .string(let contents)? = dictionary["Contents"], !contents.bytes.isEmpty, let gap = field.valueRanges["Contents"] else {
            return fail(.totalFailed, .formatFailure, "/Contents is missing or empty")
        }
        guard range[0] == 0 else { return fail(.totalFailed, .formatFailure, "/ByteRange does not start at byte 0") }
        guard range[1] == gap.lowerBound, range[2] == gap.upperBound else {
            return fail(.totalFailed, .formatFailure,
                        "/ByteRange leaves bytes \(range[1])–\(range[2]) unsigned, but this signature's /Contents is at \(gap.lowerBound)–\(gap.upperBound)")
        }
        let end = range[2] + range[3]
        guard end <= reader.byteCount else { return fail(.totalFailed, .formatFailure, "/ByteRange runs past the end of the file") }
        guard reader.revisions.contains(where: { $0.end == end }) else {
            report.coverage = .partial
            return fail(.totalFailed, .formatFailure, "/ByteRange ends at byte \(end), which is not the end of any revision")
        }
        report.coverage = end == reader.byteCount ? .entireFile : .entireRevision
        let signedRanges = [0..<range[1], range[2]..<end]
        if report.subFilter == "ETSI.RFC3161" {
            return verifyDocumentTimestamp(contents.bytes, over: signedRanges, in: reader, report: report)
        }

        // CMS over exactly those bytes.
        guard let cms = CMSSignedData(der: contents.bytes, cache: certificateCache) else {
            return fail(.totalFailed, .formatFailure, "/Contents is not a CMS SignedData")
        }
        guard cms.signerCount == 1 else { return fail(.totalFailed, .formatFailure, "the CMS has \(cms.signerCount) signers; a PDF signature has one") }
        guard cms.isDetached else { return fail(.totalFailed, .formatFailure, "the CMS carries its content; a PDF signature's must be detached") }
        let digestNID = cms.digestNID
        report.digestAlgorithm = Digest.name(digestNID)
        // The algorithms are judged first (TT 15/2025: RSA or ECDSA, with SHA-2 or SHA-3): a refused
        // algorithm is refused, never mistaken for changed bytes.
        if let refused = Self.refusedAlgorithm(digest: digestNID, signature: cms.signatureAlgorithm) {
            return fail(.totalFailed, .cryptoConstraintsFailure, refused)
        }
        let signedAttributes = cms.hasSignedAttributes
        if signedAttributes {
            guard let claimed = cms.messageDigest else {
                return fail(.totalFailed, .formatFailure, "the CMS's signed attributes hold no message digest")
            }
            guard let actual = reader.withBytes({ Digest.digest(nid: digestNID, of: $0, ranges: signedRanges, length: claimed.count) }) else {
                return fail(.totalFailed, .cryptoConstraintsFailure, "the digest algorithm \(report.digestAlgorithm ?? "?") is unknown")
            }
            guard actual == claimed else {
                return fail(.totalFailed, .hashFailure, "the signed bytes have changed: their \(report.digestAlgorithm ?? "") digest is not the one signed")
            }
        } else if report.subFilter != "adbe.pkcs7.detached" {
            return fail(.totalFailed, .formatFailure, "a PAdES signature must have signed attributes (only adbe.pkcs7.detached may go without)")
        }
        let certificates = cms.certificates
        guard let signer = cms.signerCertificate(among: certificates + trust.intermediates + trust.anchors) else {
            return fail(.indeterminate, .noCertificateChainFound, "the signer's certificate is neither in the signature nor configured")
        }
        report.signer = signer.subject
        report.serial = signer.serial
        if signedAttributes {
            guard cms.verifySignature(with: signer) else {
                return fail(.totalFailed, .sigCryptoFailure, "the signature value does not verify with the signer's public key")
            }
        } else {
            // Without signed attributes the signature value is over the signed bytes' digest itself.
            guard reader.withBytes({ cms.verifyContentSignature(with: signer, digest: digestNID, of: $0, ranges: signedRanges) }) else {
                return fail(.totalFailed, .sigCryptoFailure,
                            "the signature value does not verify over the signed bytes with the signer's public key (no signed attributes)")
            }
        }
        switch cms.signingCertificateAttributeNames(signer) {
        case false?:
            return fail(.totalFailed, .formatFailure, "the ESS signing-certificate attribute names another certificate than the signer's")
        case nil where report.subFilter == "ETSI.CAdES.detached":
            return fail(.totalFailed, .formatFailure, "a PAdES signature without an ESS signing-certificate(-v2) attribute")
        default: break
        }

        let key = signer.key
        if (key.algorithm == "RSA" && key.bits < 2048) || (key.algorithm == "EC" && key.bits < 256) {
            return fail(.totalFailed, .cryptoConstraintsFailure, "the signer's \(key.algorithm) key of \(key.bits) bits is too weak (RSA ≥ 2048, ECDSA ≥ 256)")
        }
        guard signer.allowsSigning else {
            return fail(.indeterminate, .chainConstraintsFailure, "the signer's key usage allows neither digitalSignature nor nonRepudiation")
        }

        // The time the chain must be valid at: a signature timestamp's when it verifies (PAdES B-T),
        // else what the signer claimed, else now.
        if case .string(let claimedTime)? = dictionary["M"], let time = PDFDate.parse(claimedTime.bytes) {
            (report.signingTime, report.signingTimeSource) = (time, .claimed)
        } else if let time = cms.signingTime {
            (report.signingTime, report.signingTimeSource) = (time, .claimed)
        } else {
            (report.signingTime, report.signingTimeSource) = (now(), .verificationTime)
        }
        if let der = cms.timestampToken {
            let value = cms.signatureValue
            let stamp = TimestampToken(der: der)?.check(digest: { nid in
                value.withUnsafeBytes { Digest.digest(nid: nid, of: $0, ranges: [0..<value.count]) }
            }, trust: trust)
            switch stamp {
            case .valid(let time, _)?: (report.signingTime, report.signingTimeSource) = (time, .timestamp)
            case .otherBytes?: report.reasons.append("the signature timestamp is not used: it is over other bytes than this signature's value")
            case .unusable(let why)?: report.reasons.append("the signature timestamp is not used: \(why)")
            case nil: report.reasons.append("the signature timestamp is not used: it is not an RFC 3161 token")
            }
        }
        let path = trust.check(signer, untrusted: certificates, at: report.signingTime ?? now(), now: now())
        report.chain = path.chain
        report.revocation = path.crlsUsed
        report.signerCertificate = signer.signerFacts(issuer: path.members.dropFirst().first)
        if !trust.checksRevocation { report.reasons.append("revocation not checked: no CRLs or OCSP responder configured") }
        switch path.status {
        case X509_V_OK: break
        case X509_V_ERR_UNABLE_TO_GET_CRL, X509_V_ERR_CRL_HAS_EXPIRED, X509_V_ERR_CRL_NOT_YET_VALID:
            return fail(.indeterminate, .tryLater, "revocation status unknown: \(path.message)")
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
            return fail(.indeterminate, .outOfBoundsNoPOE, "a certificate on the path was not valid at the signing time (\(path.message))")
        default:
            return fail(.indeterminate, .noCertificateChainFound, "no path to a trust anchor: \(path.message)")
        }

        if let revocation = path.revocations.first {
            let time = report.signingTime ?? now()
            let when = revocation.date.map(RFC3339.format) ?? "an unknown time"
            switch (report.signingTimeSource, revocation.date) {
            case (.timestamp?, let date?) where time < date:
                report.reasons.append("\(revocation.subject) was revoked at \(when), after the timestamp proves the signature existed (\(RFC3339.format(time)))")
            case (.claimed?, let date?) where time < date:
                return fail(.indeterminate, .revokedNoPOE,
                            "\(revocation.subject) was revoked at \(when); the claimed signing time is before that, but no timestamp proves it (\(revocation.source))")
            default:
                return fail(.totalFailed, .revoked, "\(revocation.subject) was revoked at \(when), before the signing time (\(revocation.source))")
            }
        }

        return report
    }

    /// Why TT 15/2025 refuses a signature's algorithms, or nil when it admits them: SHA-2 or SHA-3
    /// digests, RSA (PKCS#1 v1.5 or PSS) or ECDSA signatures in their DER form.
    static func refusedAlgorithm(digest: Int32, signature: (nid: Int32, oid: String)) -> String? {
        let digestName = Digest.name(digest) ?? "unknown"
        if [NID_sha1, NID_md5, NID_md2, NID_md4].contains(digest) {
            return "the digest \(digestName) is too weak (SHA-2 or SHA-3 required)"
        }
        if [NID_shake128, NID_shake256].contains(digest) {
            return "the digest \(digestName) is not among TT 15/2025's (SHA-2 or SHA-3 with a fixed length)"
        }
        switch signature.nid {
        case NID_ED25519, NID_ED448:
            return "the signature algorithm \(Digest.name(signature.nid) ?? "EdDSA") is not among TT 15/2025's (RSA or ECDSA)"
        case NID_sha1WithRSAEncryption, NID_md5WithRSAEncryption, NID_ecdsa_with_SHA1, NID_dsaWithSHA1, NID_dsa:
            return "the signature algorithm \(Digest.name(signature.nid) ?? "?") is not among TT 15/2025's"
        default:
            break
        }
        // BSI TR-03111's plain (r‖s) ECDSA: the same curves, a form OpenSSL and TT 15/2025 do not take.
        if signature.oid.hasPrefix("0.4.0.127.0.7.1.1.4.1.") {
            return "plain ECDSA (BSI TR-03111, OID \(signature.oid)) is not a signature form TT 15/2025 or HoSo admits (DER ECDSA is)"
        }
        if signature.nid == NID_undef {
            return "the signature algorithm \(signature.oid) is unknown"
        }
        return nil
    }

    /// A document timestamp (PAdES B-LTA's `ETSI.RFC3161`): an RFC 3161 token whose imprint is the
    /// digest of the byte range, signed by a TSA that chains to the anchors.
    private func verifyDocumentTimestamp(_ der: [UInt8], over ranges: [Range<Int>], in reader: PDFReader,
                                         report: SignatureReport) -> SignatureReport {
        var report = report
        guard let token = TimestampToken(der: der) else {
            return report.failing(.totalFailed, .formatFailure, "/Contents is not an RFC 3161 timestamp token")
        }
        let check = token.check(digest: { nid in
            report.digestAlgorithm = Digest.name(nid)
            return reader.withBytes { Digest.digest(nid: nid, of: $0, ranges: ranges) }
        }, trust: trust)
        switch check {
        case .otherBytes:
            return report.failing(.totalFailed, .hashFailure, "the stamped bytes have changed: their digest is not the one the timestamp holds")
        case .unusable(let why):
            return report.failing(.indeterminate, .noCertificateChainFound, "the document timestamp cannot be trusted: \(why)")
        case .valid(let time, let authority):
            (report.signingTime, report.signingTimeSource) = (time, .timestamp)
            (report.signer, report.serial) = (authority?.subject, authority?.serial)
            return report
        }
    }

}

extension SignatureReport {
    /// This report with `indication`, `sub` and one more reason.
    func failing(_ indication: Indication, _ sub: SubIndication, _ reason: String) -> SignatureReport {
        var report = self
        report.indication = indication
        report.subIndication = sub
        report.reasons.append(reason)
        return report
    }
}

extension DocumentReport {
    static func summarize(file: String, signatures: [SignatureReport], at time: Date) -> DocumentReport {
        let indication: Indication?
        if signatures.isEmpty {
            indication = nil
        } else if signatures.contains(where: { $0.indication == .totalFailed }) {
            indication = .totalFailed
        } else if signatures.contains(where: { $0.indication == .indeterminate }) {
            indication = .indeterminate
        } else {
            indication = .totalPassed
        }
        let summary = switch indication {
        case nil: "no signature"
        case .totalPassed?: "every signature passed"
        case .totalFailed?: "a signature failed"
        case .indeterminate?: "a signature could not be decided"
        }
        return DocumentReport(file: file, signatures: signatures, indication: indication, summary: summary, verifiedAt: time)
    }
}
