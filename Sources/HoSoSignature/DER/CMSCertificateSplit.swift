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
        guard let (contentInfo, certificates) = Self.split(der, keepingOthers: false) else { return nil }
        self.contentInfo = contentInfo
        self.certificates = certificates
    }

    /// The ContentInfo with only the plain X.509 members of its `certificates` field: attribute and
    /// other certificate choices, which OpenSSL's PKCS#7 parser refuses, are dropped. Nil when `der` is
    /// not a definite-length ContentInfo(SignedData) with a certificates field.
    static func keepingOnlyX509(_ der: [UInt8]) -> [UInt8]? {
        guard let (contentInfo, _) = split(der, keepingOthers: true) else { return nil }
        return contentInfo
    }

    /// `der` re-encoded without its certificates (or, with `keepingOthers`, with only its X.509 ones),
    /// and the X.509 certificates' DER.
    private static func split(_ der: [UInt8], keepingOthers: Bool) -> ([UInt8], [ArraySlice<UInt8>])? {
        // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
        let contentType: DER.Element, signedData: DER.Element
        if let info = DER.element(in: der, at: 0, limit: der.count), info.tag == 0x30,
           let infoFields = DER.children(of: der, in: info.value), infoFields.count == 2,
           infoFields[0].tag == 0x06, infoFields[1].tag == 0xA0,
           let explicit = DER.children(of: der, in: infoFields[1].value), explicit.count == 1, explicit[0].tag == 0x30 {
            (contentType, signedData) = (infoFields[0], explicit[0])
        } else if keepingOthers, der.count > 4, der[0] == 0x30, der[1] == 0x80,
                  let oid = DER.element(in: der, at: 2, limit: der.count), oid.tag == 0x06,
                  oid.end + 2 < der.count, der[oid.end] == 0xA0, der[oid.end + 1] == 0x80,
                  let inner = DER.element(in: der, at: oid.end + 2, limit: der.count), inner.tag == 0x30 {
            // BER's indefinite lengths around a definite SignedData, as some TSAs send: re-encoded definite.
            (contentType, signedData) = (oid, inner)
        } else {
            return nil
        }
        guard let signedFields = DER.children(of: der, in: signedData.value) else { return nil }
        // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
        //                           certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos }
        guard signedFields.count >= 4, let certificateSet = signedFields.first(where: { $0.tag == 0xA0 }),
              signedFields.firstIndex(where: { $0.tag == 0xA0 }) == 3,
              let members = DER.children(of: der, in: certificateSet.value),
              keepingOthers || members.allSatisfy({ $0.tag == 0x30 }) else { return nil }
        let x509 = members.filter { $0.tag == 0x30 }
        var rebuilt: [UInt8] = []
        for field in signedFields {
            if field.tag == 0xA0 && field.start == certificateSet.start {
                if keepingOthers { rebuilt += DER.wrap(0xA0, x509.flatMap { der[$0.whole] }) }
            } else {
                rebuilt += der[field.whole]
            }
        }
        let content = DER.wrap(0xA0, DER.wrap(0x30, rebuilt))
        return (DER.wrap(0x30, Array(der[contentType.whole]) + content), x509.map { der[$0.whole] })
    }
}
