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

    /// The OCSP responder asked about each signer's certificate, when configured.
    public let ocspResponder: URL?

    public init(anchors: URL?, intermediates: URL? = nil, crls: URL? = nil, ocspResponder: URL? = nil) {
        self.ocspResponder = ocspResponder
        self.anchors = Self.files(in: anchors).flatMap(Certificate.load)
        self.intermediates = Self.files(in: intermediates).flatMap(Certificate.load)
        self.crls = Self.files(in: crls).flatMap(Self.loadCRLs)
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

    public var hasCRLs: Bool { !crls.isEmpty }

    /// Whether any revocation source is configured.
    public var checksRevocation: Bool { hasCRLs || ocspResponder != nil }

    /// What checking a signer's certificate path found.
    struct PathResult {
        /// OpenSSL's verdict (X509_V_OK when the path is good).
        let status: Int32
        let message: String
        /// Subjects from the signer to the anchor.
        let chain: [String]
        /// The revocation evidence used: CRL files whose issuer is on the path, with their thisUpdate,
        /// and the OCSP answer.
        let crlsUsed: [String]
    }

    /// Builds and checks a path from `certificate` to an anchor at `time`, with `untrusted` (the CMS's
    /// certificates) and the configured intermediates to help; CRLs, when configured, are required for
    /// every certificate on the path.
    func check(_ certificate: Certificate, untrusted: [Certificate], at time: Date) -> PathResult {
        guard let store, let context = X509_STORE_CTX_new(), let pool = OPENSSL_sk_new_null() else {
            return PathResult(status: -1, message: "OpenSSL cannot allocate a certificate store", chain: [], crlsUsed: [])
        }
        defer {
            X509_STORE_CTX_free(context)
            OPENSSL_sk_free(pool)
        }
        for helper in untrusted + intermediates { OPENSSL_sk_push(pool, UnsafeRawPointer(helper.x509)) }
        guard X509_STORE_CTX_init(context, store, certificate.x509, pool) == 1 else {
            return PathResult(status: -1, message: "OpenSSL cannot start path building", chain: [], crlsUsed: [])
        }
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970))
        if hasCRLs { X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL)) }
        // Document-signing certificates carry various extended key usages; purpose is not enforced here.
        let ok = X509_verify_cert(context) == 1
        var status = ok ? X509_V_OK : X509_STORE_CTX_get_error(context)
        var members: [Certificate] = []
        if let built = X509_STORE_CTX_get0_chain(context) {
            for index in 0..<OPENSSL_sk_num(built) {
                guard let raw = OPENSSL_sk_value(built, index) else { continue }
                members.append(Certificate(sharing: OpaquePointer(raw)))
            }
        }
        ERR_clear_error()
        let issuers = Set(members.map(\.subject))
        var used = crls.filter { issuers.contains(Self.issuer(of: $0.crl)) }.map { "\($0.file) (issued \(Self.thisUpdate(of: $0.crl)))" }
        var message = String(cString: X509_verify_cert_error_string(Int(status)))
        if status == X509_V_OK, let ocspResponder, members.count >= 2 {
            switch OCSPClient(url: ocspResponder).status(of: members[0], issuer: members[1], store: store, untrusted: untrusted + intermediates) {
            case .good(let evidence): used.append(evidence)
            case .revoked(let evidence):
                used.append(evidence)
                status = X509_V_ERR_CERT_REVOKED
            case .unknown(let reason):
                status = X509_V_ERR_UNABLE_TO_GET_CRL
                message = reason
            }
        }
        return PathResult(status: status, message: message, chain: members.map(\.subject), crlsUsed: used)
    }

    /// The shared store of anchors and CRLs, for OpenSSL calls that take one.
    var sharedStore: OpaquePointer? { store }

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
