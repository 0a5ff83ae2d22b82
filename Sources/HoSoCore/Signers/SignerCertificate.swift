/// What the signer rule needs to know of the certificate that made a signature.
public struct SignerCertificate: Hashable, Sendable, Codable {
    /// The subject as one RFC 2253 line, `CN=…,O=…`.
    public let subject: String
    /// SHA-256 of the certificate's DER.
    public let certificateSHA256: SHA256Digest
    /// SHA-256 of its SubjectPublicKeyInfo: the same for a certificate renewed on the same key.
    public let keySHA256: SHA256Digest
    /// Each attribute of the subject, in order (`O`, `OU`, `UID`, `serialNumber`, `CN`, …).
    public let subjectAttributes: [SubjectAttribute]
    /// SHA-256 of the certificate that issued it, when a path to a trust anchor was built.
    public let issuerSHA256: SHA256Digest?
    /// A CA certificate (basicConstraints cA): never a document signer.
    public let isCA: Bool

    public init(subject: String, certificateSHA256: SHA256Digest, keySHA256: SHA256Digest, subjectAttributes: [SubjectAttribute],
                issuerSHA256: SHA256Digest?, isCA: Bool) {
        self.subject = subject
        self.certificateSHA256 = certificateSHA256
        self.keySHA256 = keySHA256
        self.subjectAttributes = subjectAttributes
        self.issuerSHA256 = issuerSHA256
        self.isCA = isCA
    }
}

/// One attribute of a certificate's subject, e.g. `O=UBND tỉnh Thái Nguyên`.
public struct SubjectAttribute: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The short name OpenSSL prints: `CN`, `O`, `OU`, `UID`, `serialNumber`, `ST`, `L`, `C`, …
    public let type: String
    public let value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    public var description: String { "\(type)=\(value)" }

    /// Parses `O=Sở Tư pháp,OU=Văn thư,UID=MST:0101` (commas inside a value escaped as `\,`).
    public static func list(parsing text: String) throws(SubjectAttributeError) -> [SubjectAttribute] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        var attributes: [SubjectAttribute] = []
        for part in parts {
            let trimmed = part.trimmingWhitespace()
            guard let equals = trimmed.firstIndex(of: "=") else { throw .noEquals(trimmed) }
            let type = String(trimmed[..<equals]).trimmingWhitespace()
            let value = String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace()
            guard !type.isEmpty, type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }) else {
                throw .badType(trimmed)
            }
            guard !value.isEmpty else { throw .emptyValue(type) }
            attributes.append(SubjectAttribute(type: type, value: value))
        }
        return attributes
    }
}

/// Why a subject attribute list does not parse.
public enum SubjectAttributeError: Error, Hashable, Sendable, CustomStringConvertible {
    case noEquals(String)
    case badType(String)
    case emptyValue(String)

    public var description: String {
        switch self {
        case .noEquals(let part): "'\(part)' is not TYPE=value (e.g. O=Sở Tư pháp)"
        case .badType(let part): "'\(part)' does not start with an attribute type such as O, OU, UID or serialNumber"
        case .emptyValue(let type): "\(type)= has no value"
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
