import COpenSSL

/// scrypt (RFC 7914) with OpenSSL: the memory-hard key derivation that stores people's passwords.
public enum Scrypt {
    /// The cost: `n` (a power of two above 1) × `r` × 128 bytes of memory, `p` times.
    public struct Cost: Hashable, Sendable {
        public let n: UInt64
        public let r: UInt64
        public let p: UInt64

        public init(n: UInt64, r: UInt64, p: UInt64) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// 2^15 × 8 × 128 bytes = 32 MiB, one pass: OWASP's recommended minimum for password storage.
        public static let passwords = Cost(n: 1 << 15, r: 8, p: 1)

        /// The memory one derivation needs, which OpenSSL must be allowed.
        var memory: UInt64 { 128 * n * r * p + 128 * r * (n + 2) + (1 << 20) }
    }

    /// Why a derivation was refused: a cost OpenSSL does not accept (n not a power of two, too much memory).
    public struct Refused: Error, CustomStringConvertible {
        public let cost: Cost
        public var description: String { "scrypt refused n=\(cost.n) r=\(cost.r) p=\(cost.p)" }
    }

    /// `length` bytes derived from `password` and `salt` at `cost`.
    public static func derive(password: some ContiguousBytes, salt: some ContiguousBytes, cost: Cost, length: Int) throws(Refused) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let done = password.withUnsafeBytes { password in
            salt.withUnsafeBytes { salt in
                out.withUnsafeMutableBufferPointer { out in
                    EVP_PBE_scrypt(password.baseAddress?.assumingMemoryBound(to: CChar.self), password.count,
                                   salt.baseAddress?.assumingMemoryBound(to: UInt8.self), salt.count,
                                   cost.n, cost.r, cost.p, cost.memory, out.baseAddress, length)
                }
            }
        }
        guard done == 1 else { throw Refused(cost: cost) }
        return out
    }
}
