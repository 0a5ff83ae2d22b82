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

    /// The signer's signature algorithm: its NID (NID_undef when OpenSSL does not know it) and OID.
    var signatureAlgorithm: (nid: Int32, oid: String) {
        var algorithm: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signer, nil, nil, nil, &algorithm)
        guard let algorithm else { return (NID_undef, "") }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        var text = [CChar](repeating: 0, count: 128)
        OBJ_obj2txt(&text, Int32(text.count), object, 1)
        return (OBJ_obj2nid(object), String(cString: text))
    }

    /// Checks a signature made without signed attributes: the value is over the digest of the signed
    /// bytes themselves (RSA PKCS#1 v1.5 or ECDSA, as `adbe.pkcs7.detached` allows).
    func verifyContentSignature(with certificate: Certificate, digest nid: Int32, of bytes: UnsafeRawBufferPointer,
                                ranges: [Range<Int>]) -> Bool {
        defer { ERR_clear_error() }
        guard let key = X509_get0_pubkey(certificate.x509), let md = EVP_get_digestbyname(OBJ_nid2sn(nid)),
              let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, md, nil, key) == 1 else { return false }
        for range in ranges {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
            guard EVP_DigestUpdate(context, slice.baseAddress, slice.count) == 1 else { return false }
        }
        let value = signatureValue
        return EVP_DigestVerifyFinal(context, value, value.count) == 1
    }

    /// A signed attribute's single value as raw bytes of the given ASN.1 type.
    private func signedAttribute(_ nid: Int32, type: Int32) -> [UInt8]? {
        guard let object = OBJ_nid2obj(nid),
              let value = CMS_signed_get0_data_by_OBJ(signer, object, -3, type) else { return nil }
        return ASN1.bytes(value.assumingMemoryBound(to: ASN1_STRING.self))
    }

    /// The message-digest attribute: the digest of the signed bytes, as the signer computed it.
    var messageDigest: [UInt8]? { signedAttribute(NID_pkcs9_messageDigest, type: V_ASN1_OCTET_STRING) }

    /// Whether the ESS signing-certificate(-v2) attribute names `certificate` (by hash, and serial when
    /// given); nil when the signature has no such attribute. Only the first id is the signer's (RFC 5035
    /// §3): the rest may name its CAs, which need not be at hand.
    func signingCertificateAttributeNames(_ certificate: Certificate) -> Bool? {
        let v2 = signedAttribute(NID_id_smime_aa_signingCertificateV2, type: V_ASN1_SEQUENCE)
        let v1 = signedAttribute(NID_id_smime_aa_signingCertificate, type: V_ASN1_SEQUENCE)
        guard v1 != nil || v2 != nil else { return nil }
        if let v2, !Self.firstCertificateID(in: v2, version2: true, names: certificate) { return false }
        if let v1, !Self.firstCertificateID(in: v1, version2: false, names: certificate) { return false }
        return true
    }

    /// Whether the first ESSCertID(v2) of a SigningCertificate(V2) names `certificate`.
    static func firstCertificateID(in der: [UInt8], version2: Bool, names certificate: Certificate) -> Bool {
        guard let outer = DER.element(in: der, at: 0, limit: der.count), outer.tag == 0x30,
              let certs = DER.children(of: der, in: outer.value)?.first, certs.tag == 0x30,
              let first = DER.children(of: der, in: certs.value)?.first, first.tag == 0x30,
              var parts = DER.children(of: der, in: first.value), !parts.isEmpty else { return false }
        var nid = version2 ? NID_sha256 : NID_sha1
        if version2, parts[0].tag == 0x30 {
            guard let oid = DER.children(of: der, in: parts[0].value)?.first, oid.tag == 0x06 else { return false }
            let encoded = Array(der[oid.whole])
            nid = encoded.withUnsafeBufferPointer { buffer -> Int32 in
                var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
                guard let object = d2i_ASN1_OBJECT(nil, &pointer, buffer.count) else { return NID_undef }
                defer { ASN1_OBJECT_free(object) }
                return OBJ_obj2nid(object)
            }
            parts.removeFirst()
        }
        guard let hash = parts.first, hash.tag == 0x04 else { return false }
        let certificateDER = certificate.der
        guard let expected = certificateDER.withUnsafeBytes({ Digest.digest(nid: nid, of: $0, ranges: [0..<certificateDER.count]) }),
              Array(der[hash.value]) == expected else { return false }
        // issuerSerial, when given: its serial number must be the certificate's.
        if parts.count > 1, parts[1].tag == 0x30, let serial = DER.children(of: der, in: parts[1].value)?.last, serial.tag == 0x02 {
            return Array(der[serial.whole]) == certificate.serialDER
        }
        return true
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
