/// A SHA-256 digest as 64 lower-case hex digits: how HoSo names every stored file.
public struct SHA256Digest: TextIdentifier, Comparable {
    public let hex: String

    /// Accepts 64 hex digits in either case and keeps them lower-case.
    public init(hex text: String) throws(IdentifierError) {
        let lower = text.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .invalid(kind: "SHA-256", value: text, reason: "expected 64 hex digits")
        }
        hex = lower
    }

    public init(parsing text: String) throws(IdentifierError) {
        try self.init(hex: text)
    }

    /// Makes a digest from its 32 bytes.
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
        hex = Hex.encode(bytes)
    }

    /// Its 32 bytes.
    public var bytes: [UInt8] { Hex.decode(hex)! }

    public var description: String { hex }

    public static func < (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool { lhs.hex < rhs.hex }
}
