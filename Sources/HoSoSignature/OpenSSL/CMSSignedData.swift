import COpenSSL
import Foundation

/// A CMS SignedData (RFC 5652) with one signer, as a PDF signature's `/Contents` holds it. A thin
/// wrapper: it answers what OpenSSL finds and checks the signer's signature; it decides nothing.
final class CMSSignedData {
    private let cms: OpaquePointer
    let signer: OpaquePointer
    let signerCount: Int
    /// The certificates the CMS carries, when they were parsed apart from it (through a cache).
    private let carried: [Certificate]?

    /// Parses DER (trailing zero padding, which `/Contents` placeholders leave, is ignored by the parser).
    /// With a cache, the certificates the CMS carries are taken from it rather than parsed again.
    init?(der: [UInt8], cache: CertificateCache? = nil) {
        var input = der
        var carried: [Certificate]?
        if let cache, let split = CMSCertificateSplit(der) {
            var found: [Certificate] = []
            for certificate in split.certificates {
                guard let parsed = cache.certificate(certificate) else { return nil }
                found.append(parsed)
            }
            (input, carried) = (split.contentInfo, found)
        }
        let parsed: OpaquePointer? = input.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &pointer, buffer.count)
        }
        guard let parsed else { ERR_clear_error(); return nil }
        guard OBJ_obj2nid(CMS_get0_type(parsed)) == NID_pkcs7_signed, let infos = CMS_get0_SignerInfos(parsed),
              OPENSSL_sk_num(infos) >= 1,
              let first = OPENSSL_sk_value(infos, 0) else {
            CMS_ContentInfo_free(parsed)
            return nil
        }
        cms = parsed
        self.carried = carried
        signerCount = Int(OPENSSL_sk_num(infos))
        signer = OpaquePointer(first)
    }

    deinit { CMS_ContentInfo_free(cms) }

    /// Whether the content is detached (a PDF signature's must be).
    var isDetached: Bool { CMS_get0_content(cms)?.pointee == nil }

    /// The certificates the CMS carries.
    var certificates: [Certificate] {
        if let carried { return carried }
        guard let stack = CMS_get1_certs(cms) else { return [] }
        defer { OPENSSL_sk_pop_free(stack) { X509_free(OpaquePointer($0)) } }
        return (0..<OPENSSL_sk_num(stack)).compactMap { index in
            OPENSSL_sk_value(stack, index).map { Certificate(sharing: OpaquePointer($0)) }
        }
    }

    /// The certificate the signer info names, among `candidates`.
    func signerCertificate(among candidates: [Certificate]) -> Certificate? {
        candidates.first { CMS_SignerInfo_cert_cmp(signer, $0.x509) == 0 }
    }

    /// The NID of the signer's digest algorithm.
    var digestNID: Int32 {
        var digest: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signer, nil, nil, &digest, nil)
        guard let digest else { return NID_undef }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, digest)
        return OBJ_obj2nid(object)
    }

    var hasSignedAttributes: Bool { CMS_signed_get_attr_count(signer) > 0 }

    /// A signed attribute's single value as raw bytes of the given ASN.1 type.
    private func signedAttribute(_ nid: Int32, type: Int32) -> [UInt8]? {
        guard let object = OBJ_nid2obj(nid),
              let value = CMS_signed_get0_data_by_OBJ(signer, object, -3, type) else { return nil }
        return ASN1.bytes(value.assumingMemoryBound(to: ASN1_STRING.self))
    }

    /// The message-digest attribute: the digest of the signed bytes, as the signer computed it.
    var messageDigest: [UInt8]? { signedAttribute(NID_pkcs9_messageDigest, type: V_ASN1_OCTET_STRING) }

    /// Whether the ESS signing-certificate(-v2) attribute names `certificate` (by hash, and issuer and
    /// serial when given); nil when the signature has no such attribute.
    func signingCertificateAttributeNames(_ certificate: Certificate) -> Bool? {
        let v2 = signedAttribute(NID_id_smime_aa_signingCertificateV2, type: V_ASN1_SEQUENCE)
        let v1 = signedAttribute(NID_id_smime_aa_signingCertificate, type: V_ASN1_SEQUENCE)
        guard v1 != nil || v2 != nil else { return nil }
        defer { ERR_clear_error() }
        let decodedV2: OpaquePointer? = v2?.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ESS_SIGNING_CERT_V2(nil, &pointer, buffer.count)
        }
        let decodedV1: OpaquePointer? = v1?.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ESS_SIGNING_CERT(nil, &pointer, buffer.count)
        }
        defer {
            if let decodedV2 { ESS_SIGNING_CERT_V2_free(decodedV2) }
            if let decodedV1 { ESS_SIGNING_CERT_free(decodedV1) }
        }
        guard (v2 == nil || decodedV2 != nil), (v1 == nil || decodedV1 != nil), let chain = OPENSSL_sk_new_null() else { return false }
        defer { OPENSSL_sk_free(chain) }
        OPENSSL_sk_push(chain, UnsafeRawPointer(certificate.x509))
        return OSSL_ESS_check_signing_certs(decodedV1, decodedV2, chain, 1) > 0
    }

    /// The claimed signing-time attribute.
    var signingTime: Date? {
        guard let object = OBJ_nid2obj(NID_pkcs9_signingTime),
              let value = CMS_signed_get0_data_by_OBJ(signer, object, -3, V_ASN1_ANY) else { return nil }
        return ASN1.date(value.assumingMemoryBound(to: ASN1_TIME.self))
    }

    /// Checks the signer's signature over its signed attributes with `certificate`'s key.
    func verifySignature(with certificate: Certificate) -> Bool {
        CMS_SignerInfo_set1_signer_cert(signer, certificate.x509)
        defer { ERR_clear_error() }
        return CMS_SignerInfo_verify(signer) == 1
    }

    /// The signature value (what a signature timestamp is taken over).
    var signatureValue: [UInt8] {
        ASN1.bytes(CMS_SignerInfo_get0_signature(signer)) ?? []
    }

    /// The DER of the RFC 3161 timestamp token in the unsigned attributes, if any.
    var timestampToken: [UInt8]? {
        let index = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1)
        guard index >= 0, let attribute = CMS_unsigned_get_attr(signer, index),
              let type = X509_ATTRIBUTE_get0_type(attribute, 0) else { return nil }
        guard ASN1_TYPE_get(type) == V_ASN1_SEQUENCE else { return nil }
        return ASN1.bytes(type.pointee.value.sequence)
    }
}
