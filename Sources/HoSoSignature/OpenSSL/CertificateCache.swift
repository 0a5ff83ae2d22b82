import COpenSSL

/// Certificates parsed once per DER encoding and shared by every signature that carries them (a
/// batch's signatures carry the same signer and CA certificates). Safe across threads; bounded.
final class CertificateCache: Sendable {
    private let entries: BoundedCache<[UInt8], Certificate>

    init(capacity: Int = 512) { entries = BoundedCache(capacity: capacity) }

    /// The certificate encoded by `der`, parsed now or earlier; nil when OpenSSL cannot read it.
    func certificate(_ der: ArraySlice<UInt8>) -> Certificate? {
        entries.value(for: Array(der)) {
            let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
                var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_X509(nil, &pointer, buffer.count)
            }
            guard let parsed else { ERR_clear_error(); return nil }
            return Certificate(owning: parsed)
        }
    }
}
