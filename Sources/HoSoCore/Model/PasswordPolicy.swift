/// What a new password must be: long enough to resist guessing once the login throttle has slowed a
/// guesser down (NIST SP 800-63B asks at least 8; HoSo asks 10), not the user's own name, and short
/// enough that nobody pastes a file by mistake. Length in characters, so Vietnamese passphrases count as
/// people type them.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 256

    public static func check(_ password: String, for user: UserName) throws(PasswordRefused) {
        guard password.count >= minimumLength else { throw .tooShort(password.count) }
        guard password.count <= maximumLength else { throw .tooLong(password.count) }
        guard password.lowercased() != user.rawValue else { throw .isTheUserName }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacter }
    }
}

public enum PasswordRefused: Error, Equatable, Sendable, CustomStringConvertible {
    case tooShort(Int)
    case tooLong(Int)
    case isTheUserName
    case controlCharacter

    public var description: String {
        switch self {
        case .tooShort(let count): "password is \(count) characters; at least \(PasswordPolicy.minimumLength) are needed"
        case .tooLong(let count): "password is \(count) characters; at most \(PasswordPolicy.maximumLength) are allowed"
        case .isTheUserName: "password is the user's own name"
        case .controlCharacter: "password has a control character (a tab, or a line break inside it)"
        }
    }
}
