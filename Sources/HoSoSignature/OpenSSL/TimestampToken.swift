import COpenSSL
import Foundation

/// An RFC 3161 timestamp token (a CMS SignedData over a TSTInfo), as PAdES B-T carries in the signer's
/// unsigned attributes. A thin wrapper over OpenSSL's TS functions; `deinit` frees the token.
final class TimestampToken {
    private let token: UnsafeMutablePointer<PKCS7>

    init?(der: [UInt8]) {
        let parsed: UnsafeMutablePointer<PKCS7>? = der.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS7(nil, &pointer, buffer.count)
        }
        guard let parsed else { ERR_clear_error(); return nil }
        token = parsed
    }

    deinit { PKCS7_free(token) }

    /// The time the TSA vouches for, once the token's imprint is the digest of `signatureValue` and its
    /// signature verifies to a trust anchor; else why not.
    func verify(over signatureValue: [UInt8], trust: TrustStore) -> Result<Date, TimestampError> {
        defer { ERR_clear_error() }
        guard let info = PKCS7_to_TS_TST_INFO(token) else { return .failure(.init("the token holds no TSTInfo")) }
        defer { TS_TST_INFO_free(info) }
        guard let imprint = TS_TST_INFO_get_msg_imprint(info), let algorithm = TS_MSG_IMPRINT_get_algo(imprint),
              let message = TS_MSG_IMPRINT_get_msg(imprint) else { return .failure(.init("the token has no message imprint")) }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        let nid = OBJ_obj2nid(object)
        let expected = signatureValue.withUnsafeBytes { Digest.digest(nid: nid, of: $0, ranges: [0..<signatureValue.count]) }
        guard let expected, expected == ASN1.bytes(message) else {
            return .failure(.init("the timestamp is over other bytes than this signature's value"))
        }
        guard let store = trust.sharedStore else { return .failure(.init("OpenSSL cannot make a certificate store")) }
        let helpers = OPENSSL_sk_new_null()
        defer { OPENSSL_sk_free(helpers) }
        for certificate in trust.intermediates { OPENSSL_sk_push(helpers, UnsafeRawPointer(certificate.x509)) }
        var tsa: OpaquePointer?
        guard TS_RESP_verify_signature(token, helpers, store, &tsa) == 1 else {
            let code = ERR_peek_last_error()
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? "unknown"
            return .failure(.init("the timestamp's signature or its TSA's path does not verify (\(reason))"))
        }
        if let tsa { X509_free(tsa) }
        guard let time = ASN1.date(TS_TST_INFO_get_time(info)) else { return .failure(.init("the timestamp's time cannot be read")) }
        return .success(time)
    }
}

struct TimestampError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
