/// A person's login name (`lan.nguyen`, `vanthu01`): 1 to 64 lowercase ASCII letters, digits, `.`, `-` or
/// `_`, starting with a letter or digit. ASCII and one case only, so two names a person would read as the
/// same (`Lan` and `lan`, or a Vietnamese `đ` and `d`) cannot both exist.
public struct UserName: TextIdentifier, Comparable {
    public let rawValue: String
    public static let maximumLength = 64

    public init(parsing text: String) throws(UserNameError) {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= Self.maximumLength else { throw .tooLong(text.count) }
        for (offset, char) in text.enumerated() {
            let allowed = char.isASCII && (char.isLowercase || char.isNumber || (offset > 0 && ".-_".contains(char)))
            guard allowed else { throw .strayCharacter(char, position: offset + 1) }
        }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (lhs: UserName, rhs: UserName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a text is not a user name.
public enum UserNameError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case strayCharacter(Character, position: Int)

    public var description: String {
        switch self {
        case .empty: "user name is empty"
        case .tooLong(let count): "user name is \(count) characters, at most \(UserName.maximumLength) allowed"
        case .strayCharacter(let char, let position):
            "user name has '\(char)' at position \(position) (only a-z, 0-9 and, after the first, '.', '-' or '_')"
        }
    }
}
