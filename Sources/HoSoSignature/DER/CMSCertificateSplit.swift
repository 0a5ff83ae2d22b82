/// A CMS ContentInfo with its SignedData's `certificates` field taken out, and those certificates'
/// DER on their own. OpenSSL 3.0 spends most of a CMS parse decoding the public keys of the
/// certificates it carries; a batch of results from one office carries the same few certificates in
/// every signature, so `CertificateCache` parses each once and the CMS is parsed without them.
struct CMSCertificateSplit {
    /// The ContentInfo, re-encoded without `certificates`.
    let contentInfo: [UInt8]
    /// Each certificate's DER, in the order the CMS lists them.
    let certificates: [ArraySlice<UInt8>]

    /// Nil when `der` is not a definite-length ContentInfo(SignedData) whose certificates are all
    /// plain X.509 certificates (other CertificateChoices, BER): then OpenSSL parses it whole.
    init?(_ der: [UInt8]) {
        // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
        guard let info = DER.element(in: der, at: 0, limit: der.count), info.tag == 0x30,
              let infoFields = DER.children(of: der, in: info.value), infoFields.count == 2,
              infoFields[0].tag == 0x06, infoFields[1].tag == 0xA0,
              let explicit = DER.children(of: der, in: infoFields[1].value), explicit.count == 1,
              explicit[0].tag == 0x30,
              let signedFields = DER.children(of: der, in: explicit[0].value) else { return nil }
        // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
        //                           certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos }
        guard signedFields.count >= 4, let certificateSet = signedFields.first(where: { $0.tag == 0xA0 }),
              signedFields.firstIndex(where: { $0.tag == 0xA0 }) == 3,
              let members = DER.children(of: der, in: certificateSet.value),
              members.allSatisfy({ $0.tag == 0x30 }) else { return nil }
        var signedData: [UInt8] = []
        for field in signedFields where field.tag != 0xA0 || field.start != certificateSet.start {
            signedData += der[field.whole]
        }
        let content = DER.wrap(0xA0, DER.wrap(0x30, signedData))
        contentInfo = DER.wrap(0x30, Array(der[infoFields[0].whole]) + content)
        certificates = members.map { der[$0.whole] }
    }
}
