import COpenSSL
import Synchronization

/// Certificates parsed once per DER encoding and shared by every signature that carries them (a
/// batch's signatures carry the same signer and CA certificates). Safe across threads; bounded.
final class CertificateCache: Sendable {
    private let entries = Mutex<[[UInt8]: Certificate]>([:])
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    /// The certificate encoded by `der`, parsed now or earlier; nil when OpenSSL cannot read it.
    func certificate(_ der: ArraySlice<UInt8>) -> Certificate? {
        let key = Array(der)
        if let known = entries.withLock({ $0[key] }) { return known }
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &pointer, buffer.count)
        }
        guard let parsed else { ERR_clear_error(); return nil }
        let certificate = Certificate(owning: parsed)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = certificate
        }
        return certificate
    }
}
