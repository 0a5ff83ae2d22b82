/// An administrative procedure's code (mã TTHC), e.g. `1.001193`.
///
/// The national database assigns these; HoSo treats them as opaque and checks only that the text is a
/// plausible code (digits, letters and dots, 1...32 characters), so a typo does not become a key.
public struct ProcedureCode: TextIdentifier {
    public let rawValue: String

    public init(parsing text: String) throws(IdentifierError) {
        guard !text.isEmpty, text.count <= 32 else {
            throw .invalid(kind: "procedure code", value: text, reason: "must be 1 to 32 characters")
        }
        guard text.allSatisfy({ $0.isASCIIDigit || ($0.isASCII && $0.isLetter) || $0 == "." }) else {
            throw .invalid(kind: "procedure code", value: text, reason: "only digits, letters and '.' allowed")
        }
        rawValue = text
    }

    public var description: String { rawValue }
}

/// Why a text is not a valid identifier of the named kind.
public enum IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(kind: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let kind, let value, let reason): "\(kind) '\(value)' is invalid: \(reason)"
        }
    }
}
