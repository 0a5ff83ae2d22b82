import COpenSSL
import Foundation

/// Builds the CMS SignedData of a PDF signature (RFC 5652, ETSI EN 319 122 for PAdES) in DER by hand,
/// so its signed attributes are exactly what PAdES asks: content-type, message-digest and ESS
/// signing-certificate-v2 — and no signing-time, which OpenSSL 3.0's `CMS_SignerInfo_sign` always adds.
/// In `adbe.pkcs7.detached` mode a signing-time attribute is added, as Adobe's signers do.
struct CMSBuilder {
    let key: SigningKey
    let digest: SigningDigest
    let pss: Bool
    let pades: Bool

    /// The signer info's signed attributes (as a SET, the encoding that is signed) for `messageDigest`.
    func signedAttributes(messageDigest: [UInt8], time: Date) -> [[UInt8]] {
        var attributes = [
            DER.sequence(DER.oid("1.2.840.113549.1.9.3"), DER.set(of: [DER.oid("1.2.840.113549.1.7.1")])),
            DER.sequence(DER.oid("1.2.840.113549.1.9.4"), DER.set(of: [DER.octetString(messageDigest)])),
            DER.sequence(DER.oid("1.2.840.113549.1.9.16.2.47"), DER.set(of: [signingCertificateV2])),
        ]
        if !pades { attributes.append(DER.sequence(DER.oid("1.2.840.113549.1.9.5"), DER.set(of: [DER.utcTime(Int(time.timeIntervalSince1970))]))) }
        return attributes
    }

    /// ESS signing-certificate-v2: the signer certificate's SHA-256 with its issuer and serial.
    private var signingCertificateV2: [UInt8] {
        let hash = key.certificatesDER[0].withUnsafeBytes { Digest.digest(nid: NID_sha256, of: $0, ranges: [0..<$0.count]) } ?? []
        let issuerSerial = DER.sequence(DER.sequence(DER.wrap(0xA4, key.certificate.issuerDER)), key.certificate.serialDER)
        return DER.sequence(DER.sequence(DER.sequence(DER.octetString(hash), issuerSerial)))
    }

    private var signatureAlgorithm: [UInt8] {
        if !key.isRSA { return DER.sequence(DER.oid(digest.ecdsaOID)) }
        guard pss else { return DER.sequence(DER.oid("1.2.840.113549.1.1.1"), DER.null) }
        let hash = DER.sequence(DER.oid(digest.oid))
        let parameters = DER.sequence(
            DER.wrap(0xA0, hash),
            DER.wrap(0xA1, DER.sequence(DER.oid("1.2.840.113549.1.1.8"), hash)),
            DER.wrap(0xA2, DER.integer(digest.byteCount)))
        return DER.sequence(DER.oid("1.2.840.113549.1.1.10"), parameters)
    }

    /// Signs the attributes; returns the signature value (what a signature timestamp is taken over).
    func sign(_ attributes: [[UInt8]]) throws(SigningError) -> [UInt8] {
        try key.sign(DER.set(of: attributes), digest: digest, pss: pss)
    }

    /// The whole ContentInfo, with `timestampToken` (a TimeStampToken's DER) as an unsigned attribute.
    func contentInfo(attributes: [[UInt8]], signature: [UInt8], timestampToken: [UInt8]?) -> [UInt8] {
        let digestAlgorithm = DER.sequence(DER.oid(digest.oid))
        var signerInfo = DER.integer(1)
            + DER.sequence(key.certificate.issuerDER, key.certificate.serialDER)
            + digestAlgorithm
            + DER.set(of: attributes, tag: 0xA0)
            + signatureAlgorithm
            + DER.octetString(signature)
        if let timestampToken {
            signerInfo += DER.set(of: [DER.sequence(DER.oid("1.2.840.113549.1.9.16.2.14"), DER.set(of: [timestampToken]))], tag: 0xA1)
        }
        let signedData = DER.sequence(
            DER.integer(1),
            DER.set(of: [digestAlgorithm]),
            DER.sequence(DER.oid("1.2.840.113549.1.7.1")),
            DER.wrap(0xA0, key.certificatesDER.flatMap { $0 }),
            DER.set(of: [DER.wrap(0x30, signerInfo)]))
        return DER.sequence(DER.oid("1.2.840.113549.1.7.2"), DER.wrap(0xA0, signedData))
    }
}
