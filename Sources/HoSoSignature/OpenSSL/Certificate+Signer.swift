import COpenSSL
import Foundation
import HoSoCore

extension Certificate {
    /// SHA-256 of the SubjectPublicKeyInfo's DER: the same for every certificate on this key.
    public var keyFingerprintHex: String {
        let der = Self.encode(X509_get_X509_PUBKEY(x509), i2d_X509_PUBKEY)
        guard !der.isEmpty, let digest = der.withUnsafeBytes({ Digest.digest(nid: NID_sha256, of: $0, ranges: [0..<der.count]) }) else {
            return ""
        }
        return SHA256Digest(bytes: digest).hex
    }

    /// Each subject attribute by OpenSSL's short name (`CN`, `O`, `OU`, `UID`, `serialNumber`), in order.
    public var subjectAttributes: [SubjectAttribute] {
        guard let name = X509_get_subject_name(x509) else { return [] }
        var attributes: [SubjectAttribute] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index), let object = X509_NAME_ENTRY_get_object(entry) else { continue }
            let nid = OBJ_obj2nid(object)
            var type: String
            if nid != NID_undef, let short = OBJ_nid2sn(nid) {
                type = String(cString: short)
            } else {
                var buffer = [CChar](repeating: 0, count: 128)
                OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
                type = String(cString: buffer)
            }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            guard length >= 0, let utf8 else { continue }
            defer { CRYPTO_free(utf8, #file, #line) }
            attributes.append(SubjectAttribute(type: type, value: String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)))
        }
        ERR_clear_error()
        return attributes
    }

    /// Whether basicConstraints makes it a CA.
    public var isCA: Bool { X509_get_extension_flags(x509) & UInt32(EXFLAG_CA) != 0 }

    /// Its subject and the two SHA-256 a signer registry entry matches on.
    public var fingerprints: CertificateFingerprints {
        // Both are 64 hex digits by construction.
        CertificateFingerprints(subject: subject, certificateSHA256: try! SHA256Digest(hex: fingerprintHex),
                                keySHA256: try! SHA256Digest(hex: keyFingerprintHex))
    }

    /// The facts the signer rule reads, with the issuer's certificate when the path found it.
    func signerFacts(issuer: Certificate?) -> SignerCertificate {
        if let known = signerFactsMemo.withLock({ $0 }), known.issuer === issuer { return known.own }
        let prints = fingerprints
        let facts = SignerCertificate(subject: prints.subject, certificateSHA256: prints.certificateSHA256, keySHA256: prints.keySHA256,
                                      subjectAttributes: subjectAttributes, issuerSHA256: issuer.map { try! SHA256Digest(hex: $0.fingerprintHex) },
                                      isCA: isCA)
        signerFactsMemo.withLock { $0 = (facts, issuer) }
        return facts
    }
}
