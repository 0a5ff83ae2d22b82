import COpenSSL

/// Comparisons of secrets (password hashes, CSRF tokens) whose time does not tell how many leading bytes
/// matched: OpenSSL's `CRYPTO_memcmp`. Different lengths are simply unequal (lengths are not secret here).
public enum ConstantTime {
    public static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let (left, right) = (Array(a), Array(b))
        guard left.count == right.count else { return false }
        return left.withUnsafeBytes { x in right.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, left.count) == 0 } }
    }
}
