import Foundation

/// A result's code (ND 45/2020 art. 14): `<case ID>-KQ<n>` for the n-th result of a case.
public struct ResultCode: TextIdentifier {
    public let caseID: CaseID
    /// The result's number within its case, from 1.
    public let number: Int

    /// Makes the code of the `number`-th result of a case.
    public init(caseID: CaseID, number: Int) throws(IdentifierError) {
        guard number >= 1 else {
            throw .invalid(kind: "result code", value: "\(caseID)-KQ\(number)", reason: "result numbers start at 1")
        }
        self.caseID = caseID
        self.number = number
    }

    public init(parsing text: String) throws(IdentifierError) {
        guard let marker = text.range(of: "-KQ", options: .backwards) else {
            throw .invalid(kind: "result code", value: text, reason: "expected <case ID>-KQ<n>")
        }
        let digits = text[marker.upperBound...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.first != "0", let number = Int(digits) else {
            throw .invalid(kind: "result code", value: text, reason: "'KQ' must be followed by a number from 1")
        }
        let caseID: CaseID
        do { caseID = try CaseID(parsing: String(text[..<marker.lowerBound])) } catch {
            throw .invalid(kind: "result code", value: text, reason: error.description)
        }
        try self.init(caseID: caseID, number: number)
    }

    public var description: String { "\(caseID)-KQ\(number)" }
}
