import COpenSSL
import Foundation
import HoSoCore

/// Asks an OCSP responder (RFC 6960, HTTP POST) for one certificate's status, with a nonce, and checks
/// the response's signature against the trust store. A thin wrapper; it decides nothing about the
/// signature whose signer it asks about.
struct OCSPClient {
    /// `http://host:port/path`.
    let url: URL

    enum Answer: Equatable {
        case good(evidence: String)
        case revoked(evidence: String, at: Date?)
        /// No usable answer: the responder is unreachable, says "unknown", or its answer does not verify.
        case unknown(String)
    }

    func status(of certificate: Certificate, issuer: Certificate, store: OpaquePointer, untrusted: [Certificate]) -> Answer {
        defer { ERR_clear_error() }
        guard let host = url.host, url.scheme == "http" else { return .unknown("only http:// OCSP responders are supported: \(url)") }
        let port = url.port ?? 80
        guard let id = OCSP_cert_to_id(nil, certificate.x509, issuer.x509), let request = OCSP_REQUEST_new() else {
            return .unknown("OpenSSL cannot build an OCSP request")
        }
        defer { OCSP_REQUEST_free(request) }
        guard let queried = OCSP_CERTID_dup(id) else { OCSP_CERTID_free(id); return .unknown("OpenSSL cannot copy a certificate id") }
        defer { OCSP_CERTID_free(queried) }
        OCSP_request_add0_id(request, id)
        OCSP_request_add1_nonce(request, nil, -1)

        guard let bio = BIO_new_connect("\(host):\(port)") else { return .unknown("cannot connect to \(url)") }
        defer { BIO_free_all(bio) }
        guard hoso_bio_do_connect(bio) > 0 else { return .unknown("cannot connect to the OCSP responder \(url)") }
        let path = url.path.isEmpty ? "/" : url.path
        guard let response = OCSP_sendreq_bio(bio, path, request) else { return .unknown("no OCSP response from \(url)") }
        defer { OCSP_RESPONSE_free(response) }
        guard OCSP_response_status(response) == OCSP_RESPONSE_STATUS_SUCCESSFUL, let basic = OCSP_response_get1_basic(response) else {
            return .unknown("the OCSP responder \(url) answered with status \(OCSP_response_status(response))")
        }
        defer { OCSP_BASICRESP_free(basic) }
        guard OCSP_check_nonce(request, basic) > 0 else { return .unknown("the OCSP response from \(url) does not carry our nonce") }
        let helpers = OPENSSL_sk_new_null()
        defer { OPENSSL_sk_free(helpers) }
        for helper in untrusted + [issuer] { OPENSSL_sk_push(helpers, UnsafeRawPointer(helper.x509)) }
        guard OCSP_basic_verify(basic, helpers, store, 0) > 0 else {
            return .unknown("the OCSP response from \(url) is not signed by a trusted responder")
        }
        var status: Int32 = -1, reason: Int32 = -1
        var revoked: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?, thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
        var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
        guard OCSP_resp_find_status(basic, queried, &status, &reason, &revoked, &thisUpdate, &nextUpdate) == 1 else {
            return .unknown("the OCSP response from \(url) does not speak of this certificate")
        }
        guard OCSP_check_validity(thisUpdate, nextUpdate, 300, -1) == 1 else {
            return .unknown("the OCSP response from \(url) is not current")
        }
        let produced = ASN1.date(thisUpdate).map(RFC3339.format) ?? "unknown time"
        switch status {
        case V_OCSP_CERTSTATUS_GOOD: return .good(evidence: "OCSP \(url): good (this update \(produced))")
        case V_OCSP_CERTSTATUS_REVOKED:
            let date = ASN1.date(revoked)
            let when = date.map(RFC3339.format) ?? "unknown time"
            return .revoked(evidence: "OCSP \(url): revoked at \(when) (this update \(produced))", at: date)
        default: return .unknown("the OCSP responder \(url) does not know this certificate")
        }
    }
}
