import COpenSSL
import Foundation

/// An RFC 3161 timestamp token (a CMS SignedData over a TSTInfo), as PAdES B-T carries in the signer's
/// unsigned attributes. A thin wrapper over OpenSSL's TS functions; `deinit` frees the token.
final class TimestampToken {
    private let token: UnsafeMutablePointer<PKCS7>

    /// Parses a token; one whose certificates include other kinds than X.509 (attribute certificates,
    /// which OpenSSL's PKCS#7 parser refuses) is read with its X.509 certificates only.
    init?(der: [UInt8]) {
        func parse(_ bytes: [UInt8]) -> UnsafeMutablePointer<PKCS7>? {
            bytes.withUnsafeBufferPointer { buffer in
                var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_PKCS7(nil, &pointer, buffer.count)
            }
        }
        guard let parsed = parse(der) ?? CMSCertificateSplit.keepingOnlyX509(der).flatMap(parse) else { ERR_clear_error(); return nil }
        ERR_clear_error()
        token = parsed
    }

    deinit { PKCS7_free(token) }

    /// What checking a token found.
    enum Check {
        /// The imprint is the digest of the bytes and the signature verifies to a trust anchor.
        case valid(time: Date, authority: Certificate?)
        /// The token is over other bytes.
        case otherBytes
        /// The token cannot be used, and why.
        case unusable(String)
    }

    /// Checks the token's imprint against `digest` (the digest of the stamped bytes, given the token's
    /// digest algorithm's NID; nil for an unknown algorithm), then its signature and the TSA's path.
    func check(digest: (Int32) -> [UInt8]?, trust: TrustStore) -> Check {
        defer { ERR_clear_error() }
        guard let info = PKCS7_to_TS_TST_INFO(token) else { return .unusable("the token holds no TSTInfo") }
        defer { TS_TST_INFO_free(info) }
        guard let imprint = TS_TST_INFO_get_msg_imprint(info), let algorithm = TS_MSG_IMPRINT_get_algo(imprint),
              let message = TS_MSG_IMPRINT_get_msg(imprint) else { return .unusable("the token has no message imprint") }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        guard let expected = digest(OBJ_obj2nid(object)) else { return .unusable("the token's digest algorithm is unknown") }
        guard expected == ASN1.bytes(message) else { return .otherBytes }
        guard let store = trust.sharedStore else { return .unusable("OpenSSL cannot make a certificate store") }
        let helpers = OPENSSL_sk_new_null()
        defer { OPENSSL_sk_free(helpers) }
        for certificate in trust.intermediates { OPENSSL_sk_push(helpers, UnsafeRawPointer(certificate.x509)) }
        var tsa: OpaquePointer?
        guard TS_RESP_verify_signature(token, helpers, store, &tsa) == 1 else {
            let code = ERR_peek_last_error()
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? "unknown"
            return .unusable("the timestamp's signature or its TSA's path does not verify (\(reason))")
        }
        guard let time = ASN1.date(TS_TST_INFO_get_time(info)) else { return .unusable("the timestamp's time cannot be read") }
        return .valid(time: time, authority: tsa.map { Certificate(owning: $0) })
    }
}
