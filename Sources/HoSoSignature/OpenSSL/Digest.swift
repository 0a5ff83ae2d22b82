import COpenSSL

/// Hashes byte ranges of a file with the digest algorithm a signer named (by NID), streaming.
enum Digest {
    /// The digest's name (`SHA256`), or nil when OpenSSL does not know the NID.
    static func name(_ nid: Int32) -> String? {
        guard let name = OBJ_nid2sn(nid) else { return nil }
        return String(cString: name)
    }

    /// The digest of `ranges` of `bytes`, or nil when the algorithm is unknown. An extendable-output
    /// function (SHAKE) gives `length` bytes, else twice its security strength.
    static func digest(nid: Int32, of bytes: UnsafeRawBufferPointer, ranges: [Range<Int>], length wanted: Int? = nil) -> [UInt8]? {
        guard let md = EVP_get_digestbyname(OBJ_nid2sn(nid)), let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, md, nil) == 1 else { return nil }
        for range in ranges {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
            guard EVP_DigestUpdate(context, slice.baseAddress, slice.count) == 1 else { return nil }
        }
        if EVP_MD_get_flags(md) & UInt(EVP_MD_FLAG_XOF) != 0 {
            let count = min(max(wanted ?? (nid == NID_shake128 ? 32 : 64), 1), 1024)
            var out = [UInt8](repeating: 0, count: count)
            guard EVP_DigestFinalXOF(context, &out, count) == 1 else { return nil }
            return out
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { return nil }
        return Array(out.prefix(Int(length)))
    }
}
