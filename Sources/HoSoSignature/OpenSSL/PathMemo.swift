import COpenSSL
import Foundation

/// OpenSSL's path verdicts, remembered. `X509_verify_cert` with one immutable store is a pure function
/// of the leaf, the helper certificates and the time — and the time enters only through comparisons
/// with the validity dates of the certificates and the update dates of the CRLs. Two checks whose leaf
/// and helpers have the same SHA-256 fingerprints and whose times fall on the same side of every one of
/// those dates get the same verdict, so the second is answered from memory: a batch signed by one office
/// costs four RSA verifications (two certificates, two CRLs) once, not per file.
final class PathMemo: Sendable {
    struct Key: Hashable {
        /// The leaf's and the helpers' fingerprints, in order.
        let certificates: [[UInt8]]
        /// The time compared with every validity and update date that can matter (-1, 0, 1 each).
        let moments: [Int8]
    }

    private let entries: BoundedCache<Key, TrustStore.BuiltPath>

    init(capacity: Int = 1024) { entries = BoundedCache(capacity: capacity) }

    /// The remembered verdict for `key`, or `build`'s, remembered.
    func path(for key: Key, build: () -> TrustStore.BuiltPath) -> TrustStore.BuiltPath {
        entries.value(for: key, make: build)!
    }

    /// How `time` compares with each of the dates.
    static func moments(of time: time_t, certificates: [Certificate], crls: [OpaquePointer]) -> [Int8] {
        var found: [Int8] = []
        found.reserveCapacity(2 * (certificates.count + crls.count))
        func compare(_ date: UnsafePointer<ASN1_TIME>?) {
            found.append(date.map { Int8(clamping: ASN1_TIME_cmp_time_t($0, time)) } ?? 2)
        }
        for certificate in certificates {
            compare(X509_get0_notBefore(certificate.x509))
            compare(X509_get0_notAfter(certificate.x509))
        }
        for crl in crls {
            compare(X509_CRL_get0_lastUpdate(crl))
            compare(X509_CRL_get0_nextUpdate(crl))
        }
        return found
    }
}
