import COpenSSL

/// HMAC-SHA256 (RFC 2104) with OpenSSL, for request signatures (AWS Signature Version 4).
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func code(for message: some ContiguousBytes, key: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        let done = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                out.withUnsafeMutableBufferPointer { out in
                    EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, key.baseAddress, key.count,
                              message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, out.baseAddress, 32, &length)
                }
            }
        }
        // Only an allocation failure gets here (HMAC-SHA256 is always in OpenSSL's default provider).
        guard done != nil, length == 32 else { fatalError("OpenSSL could not compute an HMAC-SHA256") }
        return out
    }
}
