import COpenSSL
import Foundation
import HoSoCore

/// The trust anchors, intermediates and CRLs a verifier checks signers against, loaded from folders of
/// PEM or DER files.
public final class TrustStore: @unchecked Sendable {
    public let anchors: [Certificate]
    public let intermediates: [Certificate]
    /// Each CRL with the file it came from, for the report.
    private let crls: [(crl: OpaquePointer, file: String)]

    /// The anchors and CRLs in one OpenSSL store, made once and shared by every check (OpenSSL's store
    /// is safe for concurrent verification; making one per signature cost a fifth of `hoso verify`).
    private let store: OpaquePointer?

    /// Path verdicts already reached (see `PathMemo` for why that is exact).
    private let memo = PathMemo()

    /// The OCSP responder asked about each signer's certificate, when configured.
    public let ocspResponder: URL?

    /// `fetchedCRLs` is a second CRL folder: the cache `CRLFetcher` fills from distribution points.
    public init(anchors: URL?, intermediates: URL? = nil, crls: URL? = nil, fetchedCRLs: URL? = nil, ocspResponder: URL? = nil) {
        self.ocspResponder = ocspResponder
        fetchesCRLs = fetchedCRLs != nil
        self.anchors = Self.certificates(in: anchors)
        self.intermediates = Self.certificates(in: intermediates)
        self.crls = (Self.files(in: crls) + Self.files(in: fetchedCRLs)).flatMap(Self.loadCRLs)
        store = X509_STORE_new()
        if let store {
            for anchor in self.anchors { X509_STORE_add_cert(store, anchor.x509) }
            for (crl, _) in self.crls { X509_STORE_add_crl(store, crl) }
        }
    }

    deinit {
        if let store { X509_STORE_free(store) }
        for (crl, _) in crls { X509_CRL_free(crl) }
    }

    /// Whether paths are checked against CRLs: some are configured, or fetching them was asked for (then
    /// a CRL that could not be fetched leaves the status unknown rather than unchecked).
    public var hasCRLs: Bool { !crls.isEmpty || fetchesCRLs }
    private let fetchesCRLs: Bool

    /// Whether any revocation source is configured.
    public var checksRevocation: Bool { hasCRLs || ocspResponder != nil }

    /// What checking a signer's certificate path found.
    struct PathResult {
        /// OpenSSL's verdict (X509_V_OK when the path is good).
        let status: Int32
        let message: String
        /// Subjects from the signer to the anchor.
        let chain: [String]
        /// The certificates themselves, signer first.
        let members: [Certificate]
        /// The revocation evidence used: CRL files whose issuer is on the path, with their thisUpdate,
        /// and the OCSP answer.
        let crlsUsed: [String]
        /// The certificates on the path that are revoked, earliest first. The path is otherwise judged
        /// as if they were not: whether a revocation defeats the signature depends on when it happened.
        let revocations: [Revocation]
    }

    /// A revoked certificate on the path: whose, when (as the CRL or OCSP response says), and the source.
    struct Revocation: Sendable {
        let subject: String
        let date: Date?
        let source: String
    }

    /// What `X509_verify_cert` found, before any OCSP question.
    struct BuiltPath: Sendable {
        let status: Int32
        let message: String
        let members: [Certificate]
        let crlsUsed: [String]
        let revocations: [Revocation]
        /// The used CRL that stops being current first, and when.
        let firstExpiring: (file: String, nextUpdate: Date)?
    }

    /// Builds and checks a path from `certificate` to an anchor at `time`, with `untrusted` (the CMS's
    /// certificates) and the configured intermediates to help; CRLs, when configured, are required for
    /// every certificate on the path. A CRL issued after `time` is welcome (it knows more), but every CRL
    /// used must still be current at `now`. The OCSP responder, when configured, is asked every time.
    func check(_ certificate: Certificate, untrusted: [Certificate], at time: Date, now: Date = Date()) -> PathResult {
        let helpers = untrusted + intermediates
        let moment = time_t(time.timeIntervalSince1970)
        let key = PathMemo.Key(certificates: ([certificate] + helpers).map(\.fingerprint),
                               moments: PathMemo.moments(of: moment, certificates: [certificate] + helpers + anchors, crls: crls.map(\.crl)))
        let built = memo.path(for: key) { build(certificate, helpers: helpers, at: moment) }
        var status = built.status
        var message = built.message
        var used = built.crlsUsed
        var revocations = built.revocations
        let members = built.members
        if status == X509_V_OK, let expiring = built.firstExpiring, expiring.nextUpdate < now {
            status = X509_V_ERR_CRL_HAS_EXPIRED
            message = "the CRL \(expiring.file) is out of date since \(RFC3339.format(expiring.nextUpdate)); a newer one is needed"
        }
        if status == X509_V_OK, let ocspResponder, members.count >= 2, let store {
            switch OCSPClient(url: ocspResponder).status(of: members[0], issuer: members[1], store: store, untrusted: helpers) {
            case .good(let evidence): used.append(evidence)
            case .revoked(let evidence, let date):
                used.append(evidence)
                revocations.append(Revocation(subject: members[0].subject, date: date, source: evidence))
                revocations.sort { ($0.date ?? .distantPast) < ($1.date ?? .distantPast) }
            case .unknown(let reason):
                status = X509_V_ERR_UNABLE_TO_GET_CRL
                message = reason
            }
        }
        return PathResult(status: status, message: message, chain: members.map(\.subject), members: members, crlsUsed: used,
                          revocations: revocations)
    }

    private func build(_ certificate: Certificate, helpers: [Certificate], at moment: time_t) -> BuiltPath {
        guard let store, let context = X509_STORE_CTX_new(), let pool = OPENSSL_sk_new_null() else {
            return BuiltPath(status: -1, message: "OpenSSL cannot allocate a certificate store", members: [], crlsUsed: [], revocations: [], firstExpiring: nil)
        }
        defer {
            X509_STORE_CTX_free(context)
            OPENSSL_sk_free(pool)
        }
        for helper in helpers { OPENSSL_sk_push(pool, UnsafeRawPointer(helper.x509)) }
        guard X509_STORE_CTX_init(context, store, certificate.x509, pool) == 1 else {
            return BuiltPath(status: -1, message: "OpenSSL cannot start path building", members: [], crlsUsed: [], revocations: [], firstExpiring: nil)
        }
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, moment)
        if hasCRLs { X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL)) }
        // Document-signing certificates carry various extended key usages; purpose is not enforced here.
        // A revoked certificate does not stop the path: the revocation is reported with its date below.
        // A CRL issued after the signing time is not "not yet valid" evidence but fresher evidence.
        X509_STORE_CTX_set_verify_cb(context) { ok, context in
            guard ok == 0 else { return ok }
            let error = X509_STORE_CTX_get_error(context)
            return error == X509_V_ERR_CERT_REVOKED || error == X509_V_ERR_CRL_NOT_YET_VALID ? 1 : 0
        }
        let ok = X509_verify_cert(context) == 1
        let status = ok ? X509_V_OK : X509_STORE_CTX_get_error(context)
        var members: [Certificate] = []
        if let built = X509_STORE_CTX_get0_chain(context) {
            for index in 0..<OPENSSL_sk_num(built) {
                guard let raw = OPENSSL_sk_value(built, index) else { continue }
                members.append(Certificate(sharing: OpaquePointer(raw)))
            }
        }
        ERR_clear_error()
        let issuers = Set(members.map(\.subject))
        let onPath = crls.filter { issuers.contains(Self.issuer(of: $0.crl)) }
        let used = onPath.map { "\($0.file) (issued \(Self.thisUpdate(of: $0.crl)))" }
        let expiring = onPath.compactMap { crl in ASN1.date(X509_CRL_get0_nextUpdate(crl.crl)).map { (file: crl.file, nextUpdate: $0) } }
            .min { $0.nextUpdate < $1.nextUpdate }
        let message = String(cString: X509_verify_cert_error_string(Int(status)))
        return BuiltPath(status: status, message: message, members: members, crlsUsed: used, revocations: revocations(of: members),
                         firstExpiring: expiring)
    }

    /// The CRL entries naming certificates of `members`, earliest first.
    private func revocations(of members: [Certificate]) -> [Revocation] {
        var found: [Revocation] = []
        for member in members {
            for (crl, file) in crls where Self.issuer(of: crl) == member.issuer {
                var entry: OpaquePointer?
                guard X509_CRL_get0_by_cert(crl, &entry, member.x509) == 1, let entry else { continue }
                let date = ASN1.date(X509_REVOKED_get0_revocationDate(entry))
                found.append(Revocation(subject: member.subject, date: date,
                                        source: "\(file): revoked at \(date.map(RFC3339.format) ?? "an unknown time")"))
            }
        }
        return found.sorted { ($0.date ?? .distantPast) < ($1.date ?? .distantPast) }
    }

    /// The shared store of anchors and CRLs, for OpenSSL calls that take one.
    var sharedStore: OpaquePointer? { store }

    /// Every certificate in the PEM or DER files of `folder`.
    public static func certificates(in folder: URL?) -> [Certificate] { files(in: folder).flatMap(Certificate.load) }

    private static func files(in folder: URL?) -> [URL] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }
    }

    private static func loadCRLs(_ url: URL) -> [(OpaquePointer, String)] {
        guard let bytes = try? Array(Data(contentsOf: url)) else { return [] }
        defer { ERR_clear_error() }
        return bytes.withUnsafeBytes { raw -> [(OpaquePointer, String)] in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            if let crl = PEM_read_bio_X509_CRL(bio, nil, nil, nil) { return [(crl, url.lastPathComponent)] }
            var pointer: UnsafePointer<UInt8>? = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            if let crl = d2i_X509_CRL(nil, &pointer, raw.count) { return [(crl, url.lastPathComponent)] }
            return []
        }
    }

    private static func issuer(of crl: OpaquePointer) -> String { Certificate.name(X509_CRL_get_issuer(crl)) }

    private static func thisUpdate(of crl: OpaquePointer) -> String {
        ASN1.date(X509_CRL_get0_lastUpdate(crl)).map(RFC3339.format) ?? "unknown"
    }
}
