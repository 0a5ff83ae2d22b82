import COpenSSL
import Foundation
import HoSoCore

/// A password as HoSo keeps it: scrypt at a cost, a random salt and the derived key, never the password.
/// Its text form is `scrypt$N$r$p$<salt>$<key>` (salt and key in base64url), so a stronger cost later
/// still reads the hashes made before it. Deriving costs ~32 MiB and tens of milliseconds of CPU: callers
/// on the concurrency pool run it off it (`offThread`).
public struct PasswordHash: Hashable, Sendable, CustomStringConvertible {
    public let cost: Scrypt.Cost
    public let salt: [UInt8]
    public let key: [UInt8]

    /// Hashes `password` with a new random salt.
    public static func make(_ password: String, cost: Scrypt.Cost = .passwords) throws(Scrypt.Refused) -> PasswordHash {
        var generator = SystemRandomNumberGenerator()  // the kernel's getrandom
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return PasswordHash(cost: cost, salt: salt, key: try Scrypt.derive(password: Array(password.utf8), salt: salt, cost: cost, length: 32))
    }

    init(cost: Scrypt.Cost, salt: [UInt8], key: [UInt8]) {
        self.cost = cost
        self.salt = salt
        self.key = key
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func matches(_ password: String) -> Bool {
        guard let derived = try? Scrypt.derive(password: Array(password.utf8), salt: salt, cost: cost, length: key.count) else { return false }
        return ConstantTime.equal(derived, key)
    }

    public var encoded: String {
        "scrypt$\(cost.n)$\(cost.r)$\(cost.p)$\(Base64URL.encode(Data(salt)))$\(Base64URL.encode(Data(key)))"
    }

    /// Never the key: what a log or an error may show.
    public var description: String { "scrypt(n=\(cost.n), r=\(cost.r), p=\(cost.p))" }

    /// Text that is not a password hash HoSo wrote.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String { "not a password hash HoSo wrote (scrypt$N$r$p$salt$key)" }
    }

    public init(encoded text: String) throws(Invalid) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let n = UInt64(parts[1]), let r = UInt64(parts[2]), let p = UInt64(parts[3]),
              let salt = Base64URL.decode(parts[4]), let key = Base64URL.decode(parts[5]), !salt.isEmpty, key.count >= 16 else { throw Invalid() }
        self.init(cost: Scrypt.Cost(n: n, r: r, p: p), salt: Array(salt), key: Array(key))
    }
}
