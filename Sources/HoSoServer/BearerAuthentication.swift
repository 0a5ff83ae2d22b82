import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest
import Hummingbird

/// Bearer tokens: random, shown once, stored as their SHA-256.
public enum BearerToken {
    /// A new token: `hoso_` and 32 random bytes in base64url.
    public static func make() -> String {
        "hoso_" + randomText()
    }

    /// 32 random bytes from the kernel, base64url: tokens, session ids, CSRF tokens.
    static func randomText() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// What the catalog keeps: the token's (or session id's) SHA-256, hex.
    public static func hash(_ token: String) -> String {
        SHA256Hasher.digest(of: Array(token.utf8)).hex
    }

    /// The caller of `request`, checked against `operation`'s roles: 401 without a live token, 403
    /// when its role is not admitted.
    static func authorize(_ request: Request, for operation: Operation, tokens: TokenCache) async throws -> Caller {
        guard let header = request.headers[.authorization], header.utf8.count > 7,
              String(decoding: header.utf8.prefix(7), as: UTF8.self).lowercased() == "bearer " else {
            throw Problem(.unauthorized, "unauthenticated", "send Authorization: Bearer <token> (hoso token create)")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let caller = try await tokens.liveToken(hash: hash(token)) else {
            throw Problem(.unauthorized, "unauthenticated", "the bearer token is unknown or revoked")
        }
        guard operation.roles.contains(caller.role) else {
            throw Problem(.forbidden, "forbidden", "role \(caller.role.rawValue) may not \(operation.id); allowed: "
                          + operation.roles.map(\.rawValue).sorted().joined(separator: ", "))
        }
        return Caller(caller)
    }
}
