import COpenSSL
import HoSoCore

/// The three digests signing one file needs, from one pass over its original bytes: the input's
/// SHA-256, the signed bytes' digest (the original, then the update around the `/Contents` gap) and the
/// output's SHA-256 (the original, then the whole update once `/Contents` is filled). With SHA-256 as
/// the signing digest all three continue one context; another digest costs one more pass.
final class FileHashes {
    let input: String
    let signed: [UInt8]
    /// SHA-256 after the original bytes, waiting for the filled update.
    private let pending: OpaquePointer

    init?(original: UnsafeRawBufferPointer, parts: [ArraySlice<UInt8>], update: [UInt8], signing: SigningDigest) {
        guard let base = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(base) }
        guard EVP_DigestInit_ex(base, EVP_sha256(), nil) == 1, EVP_DigestUpdate(base, original.baseAddress, original.count) == 1,
              let pending = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(pending, base) == 1 else { return nil }
        self.pending = pending
        guard let inputDigest = Self.finish(copying: base, adding: []) else { return nil }
        input = SHA256Digest(bytes: inputDigest).hex
        if signing == .sha256 {
            guard let digest = Self.finish(copying: base, adding: parts) else { return nil }
            signed = digest
        } else {
            guard let context = EVP_MD_CTX_new() else { return nil }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestInit_ex(context, signing.md, nil) == 1, EVP_DigestUpdate(context, original.baseAddress, original.count) == 1,
                  let digest = Self.finish(copying: context, adding: parts) else { return nil }
            signed = digest
        }
    }

    deinit { EVP_MD_CTX_free(pending) }

    /// The output's SHA-256, hex, once the update is final.
    func output(finishing update: [UInt8]) -> String? {
        Self.finish(copying: pending, adding: [update[...]]).map { SHA256Digest(bytes: $0).hex }
    }

    /// The digest of what `context` has seen plus `parts`, leaving `context` as it was.
    private static func finish(copying context: OpaquePointer, adding parts: [ArraySlice<UInt8>]) -> [UInt8]? {
        guard let copy = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(copy) }
        guard EVP_MD_CTX_copy_ex(copy, context) == 1 else { return nil }
        for part in parts {
            guard part.withUnsafeBytes({ EVP_DigestUpdate(copy, $0.baseAddress, $0.count) }) == 1 else { return nil }
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(copy, &out, &length) == 1 else { return nil }
        return Array(out.prefix(Int(length)))
    }
}
