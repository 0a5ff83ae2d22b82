import Foundation

/// RFC 3161 timestamps over bytes of HoSo's own (the case trails' chain heads): asked of a timestamp
/// server, and checked later against the TSA's trust anchors.
public enum BytesTimestamp {
    /// A token over the SHA-256 of `bytes` from the server at `url` (http://). Blocks on the network:
    /// call it off the concurrency pool.
    public static func token(over bytes: [UInt8], from url: URL, timeout: Int32 = 30) throws(SigningError) -> [UInt8] {
        try TimestampClient(url: url, timeout: timeout).token(over: bytes, digest: .sha256)
    }

    /// What checking a token found.
    public enum Check: Sendable, Equatable {
        /// Over these bytes, signed by a TSA whose path reaches a trust anchor, at this time.
        case valid(time: Date, authority: String?)
        /// Over other bytes.
        case otherBytes
        /// Not a usable token, and why.
        case unusable(String)
    }

    /// Checks `token` against `bytes` and the TSA's path against `trust`. Verifies signatures: call it
    /// off the concurrency pool.
    public static func check(_ token: [UInt8], over bytes: [UInt8], trust: TrustStore) -> Check {
        guard let parsed = TimestampToken(der: token) else { return .unusable("not an RFC 3161 timestamp token") }
        let digest = { (nid: Int32) in bytes.withUnsafeBytes { Digest.digest(nid: nid, of: $0, ranges: [0..<$0.count]) } }
        switch parsed.check(digest: digest, trust: trust) {
        case .valid(let time, let authority): return .valid(time: time, authority: authority?.subject)
        case .otherBytes: return .otherBytes
        case .unusable(let why): return .unusable(why)
        }
    }
}
