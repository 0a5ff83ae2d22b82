import COpenSSL
import Foundation

/// Asks an RFC 3161 time-stamping server (HTTP POST, `application/timestamp-query`) for a token over a
/// signature value, with a nonce, and checks the answer is granted, carries our nonce and is over our
/// imprint. A thin wrapper over OpenSSL's TS and HTTP functions.
struct TimestampClient {
    let url: URL
    var timeout: Int32 = 30

    /// The TimeStampToken's DER.
    func token(over signatureValue: [UInt8], digest: SigningDigest) throws(SigningError) -> [UInt8] {
        defer { ERR_clear_error() }
        let imprint = signatureValue.withUnsafeBytes { Digest.digest(nid: digest.nid, of: $0, ranges: [0..<$0.count]) } ?? []
        guard let request = TS_REQ_new(), let message = TS_MSG_IMPRINT_new(), let algorithm = X509_ALGOR_new(),
              let nonce = ASN1_INTEGER_new() else { throw .signing("OpenSSL cannot build a timestamp request") }
        defer { TS_REQ_free(request); TS_MSG_IMPRINT_free(message); X509_ALGOR_free(algorithm); ASN1_INTEGER_free(nonce) }
        X509_ALGOR_set0(algorithm, OBJ_nid2obj(digest.nid), V_ASN1_NULL, nil)
        var bytes = imprint
        TS_MSG_IMPRINT_set_algo(message, algorithm)
        TS_MSG_IMPRINT_set_msg(message, &bytes, Int32(bytes.count))
        TS_REQ_set_version(request, 1)
        TS_REQ_set_msg_imprint(request, message)
        TS_REQ_set_cert_req(request, 1)
        ASN1_INTEGER_set_uint64(nonce, UInt64.random(in: 1..<UInt64.max))
        TS_REQ_set_nonce(request, nonce)

        let length = i2d_TS_REQ(request, nil)
        var der = [UInt8](repeating: 0, count: Int(max(length, 0)))
        der.withUnsafeMutableBufferPointer { buffer in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_TS_REQ(request, &pointer)
        }
        guard let body = BIO_new_mem_buf(der, Int32(der.count)) else { throw .signing("OpenSSL cannot allocate") }
        defer { BIO_free(body) }
        guard let host = url.host, url.scheme == "http" else { throw .signing("only http:// timestamp servers are supported: \(url)") }
        let port = String(url.port ?? 80), path = url.path.isEmpty ? "/" : url.path
        guard let answer = OSSL_HTTP_transfer(nil, host, port, path, 0, nil, nil, nil, nil, nil, nil, 0, nil,
                                              "application/timestamp-query", body, "application/timestamp-reply", 1,
                                              1 << 20, timeout, 0) else {
            throw .signing("the timestamp server \(url) did not answer (\(SigningKey.lastError()))")
        }
        defer { BIO_free_all(answer) }
        guard let response = d2i_TS_RESP_bio(answer, nil) else { throw .signing("the timestamp server \(url) sent no RFC 3161 response") }
        defer { TS_RESP_free(response) }
        guard let context = TS_REQ_to_TS_VERIFY_CTX(request, nil) else { throw .signing("OpenSSL cannot check the timestamp") }
        defer { TS_VERIFY_CTX_free(context) }
        // Status, imprint and nonce; the TSA's path is the verifier's business.
        TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE))
        guard TS_RESP_verify_response(context, response) == 1 else {
            throw .signing("the timestamp server \(url) refused, or answered for other bytes (\(SigningKey.lastError()))")
        }
        guard let token = TS_RESP_get_token(response) else { throw .signing("the timestamp response from \(url) has no token") }
        let tokenLength = i2d_PKCS7(token, nil)
        var out = [UInt8](repeating: 0, count: Int(max(tokenLength, 0)))
        out.withUnsafeMutableBufferPointer { buffer in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_PKCS7(token, &pointer)
        }
        return out
    }
}
