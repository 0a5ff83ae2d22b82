/// A case code (mã số hồ sơ, TT 01/2018/TT-VPCP art. 19), e.g. `000.00.14.H27-240815-0007`.
///
/// `<agency code>-<YYMMDD>-<NNNN>`: the receiving agency, the date the case was received, and its
/// sequence within that day. A `CaseID` can only be made by parsing, so holding one means it is valid.
public struct CaseID: TextIdentifier, Comparable {
    /// The receiving agency.
    public let agency: AgencyCode
    /// The day the case was received.
    public let receivedOn: CalendarDate
    /// The sequence number within that day, 1...9999.
    public let sequence: Int

    /// The longest possible case code: the longest agency code plus `-YYMMDD-NNNN`.
    public static let maximumLength = AgencyCode.maximumLength + 12

    /// Parses a case code, saying which part is wrong when it is not one.
    public init(parsing text: String) throws(CaseIDError) {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= Self.maximumLength else { throw .tooLong(text.count) }
        for (offset, char) in text.enumerated()
        where !(char.isUppercaseASCIILetter || char.isASCIIDigit || char == "." || char == "-") {
            throw .strayCharacter(char, position: offset + 1)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .shape(parts: parts.count) }
        do {
            agency = try AgencyCode(parsing: String(parts[0]))
        } catch {
            throw .agency(error)
        }
        let date = parts[1]
        guard date.count == 6, date.allSatisfy(\.isASCIIDigit) else { throw .dateFormat(String(date)) }
        let digits = date.map { $0.wholeNumberValue! }
        guard let day = CalendarDate(
            year: 2000 + digits[0] * 10 + digits[1],
            month: digits[2] * 10 + digits[3],
            day: digits[4] * 10 + digits[5]
        ) else { throw .notADate(String(date)) }
        receivedOn = day
        let number = parts[2]
        guard number.count == 4, number.allSatisfy(\.isASCIIDigit) else { throw .sequenceFormat(String(number)) }
        let value = Int(number)!
        guard value >= 1 else { throw .sequenceZero }
        sequence = value
    }

    /// The canonical text form, `000.00.14.H27-240815-0007`.
    public var description: String {
        let yy = receivedOn.year % 100
        return "\(agency)-\(Self.twoDigits(yy))\(Self.twoDigits(receivedOn.month))\(Self.twoDigits(receivedOn.day))-"
            + String(repeating: "0", count: 4 - String(sequence).count) + String(sequence)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.description < rhs.description }
}

/// Why a text is not a case code; each case names the part that is wrong.
public enum CaseIDError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case strayCharacter(Character, position: Int)
    case shape(parts: Int)
    case agency(AgencyCodeError)
    case dateFormat(String)
    case notADate(String)
    case sequenceFormat(String)
    case sequenceZero

    public var description: String {
        switch self {
        case .empty:
            "case ID is empty"
        case .tooLong(let count):
            "case ID is \(count) characters, at most \(CaseID.maximumLength) allowed"
        case .strayCharacter(let char, let position):
            "case ID has stray character '\(char.debugDescriptionEscaped)' at position \(position) (only 0-9, A-Z, '.' and '-' allowed)"
        case .shape(let parts):
            "case ID has \(parts) dash-separated parts, expected <agency code>-<YYMMDD>-<NNNN>"
        case .agency(let error):
            "case ID \(error)"
        case .dateFormat(let found):
            "case ID date '\(found)' must be six digits YYMMDD"
        case .notADate(let found):
            "case ID date '\(found)' is not a date"
        case .sequenceFormat(let found):
            "case ID sequence '\(found)' must be four digits 0001-9999"
        case .sequenceZero:
            "case ID sequence '0000' is not allowed, sequences start at 0001"
        }
    }
}

extension Character {
    /// The character, or its Unicode scalar escapes when it would not print visibly.
    var debugDescriptionEscaped: String {
        if isWhitespace || unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
        }
        return String(self)
    }
}
