/// An agency's identification code (mã định danh, QCVN 102:2016), e.g. `000.00.14.H27`.
///
/// Four dot-separated levels `V1V2V3.Z1Z2.Y1Y2.MX1X2`, most specific first: the last level names the
/// ministry or province (`H27`), the ones before it the units below. Codes are data — provinces merge and
/// renumber — so HoSo checks the shape, never a list of known agencies.
public struct AgencyCode: TextIdentifier {
    /// The code exactly as written, e.g. `000.00.14.H27`.
    public let rawValue: String

    /// The top level (`H27`): one letter for the kind of body (H province, G ministry, K council, ...)
    /// and two digits.
    public var topLevel: Substring { rawValue.split(separator: ".").last! }

    /// Lengths of the four levels, most specific first.
    static let levelLengths = [3, 2, 2, 3]

    /// The longest code the catalog and the national portal accept.
    public static let maximumLength = 35

    /// Parses an agency code, saying which part is wrong when it is not one.
    public init(parsing text: String) throws(AgencyCodeError) {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= Self.maximumLength else { throw .tooLong(text.count) }
        for (offset, char) in text.enumerated() where !(char.isUppercaseASCIILetter || char.isASCIIDigit || char == ".") {
            throw .strayCharacter(char, position: offset + 1)
        }
        let levels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard levels.count == Self.levelLengths.count else { throw .levelCount(levels.count) }
        for (index, (level, expected)) in zip(levels, Self.levelLengths).enumerated() where level.count != expected {
            throw .levelLength(level: index + 1, found: String(level), expected: expected)
        }
        let top = levels[3]
        guard top.first!.isUppercaseASCIILetter, top.dropFirst().allSatisfy(\.isASCIIDigit) else {
            throw .topLevel(String(top))
        }
        rawValue = text
    }

    public var description: String { rawValue }
}

/// Why a text is not an agency code.
public enum AgencyCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case strayCharacter(Character, position: Int)
    case levelCount(Int)
    case levelLength(level: Int, found: String, expected: Int)
    case topLevel(String)

    public var description: String {
        switch self {
        case .empty:
            "agency code is empty"
        case .tooLong(let count):
            "agency code is \(count) characters, at most \(AgencyCode.maximumLength) allowed"
        case .strayCharacter(let char, let position):
            "agency code has stray character '\(char)' at position \(position) (only 0-9, A-Z and '.' allowed)"
        case .levelCount(let count):
            "agency code has \(count) dot-separated levels, expected 4 (e.g. 000.00.14.H27)"
        case .levelLength(let level, let found, let expected):
            "agency code level \(level) '\(found)' has \(found.count) characters, expected \(expected)"
        case .topLevel(let found):
            "agency code top level '\(found)' must be a letter and two digits (e.g. H27)"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isUppercaseASCIILetter: Bool { isASCII && isUppercase }
}
