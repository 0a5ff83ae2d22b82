/// One line of the digitization report: an agency's procedure, its cases, the inputs they require and
/// how many of those have a stored document, how many cases have a passed result and how many were
/// returned.
public struct DigitizationCount: Hashable, Sendable, Codable {
    public let agency: String
    public let procedureCode: String?
    public var cases = 0
    public var inputsRequired = 0
    public var inputsDigitized = 0
    public var resultsSigned = 0
    public var returned = 0

    public init(agency: String, procedureCode: String?, cases: Int = 0, inputsRequired: Int = 0, inputsDigitized: Int = 0,
                resultsSigned: Int = 0, returned: Int = 0) {
        self.agency = agency
        self.procedureCode = procedureCode
        self.cases = cases
        self.inputsRequired = inputsRequired
        self.inputsDigitized = inputsDigitized
        self.resultsSigned = resultsSigned
        self.returned = returned
    }

    /// The report's order, and its pages' cursor: by agency, then procedure.
    public static let sortKey: @Sendable (DigitizationCount) -> [String] = { [$0.agency, $0.procedureCode ?? ""] }

    static func ordered(_ lines: [DigitizationCount]) -> [DigitizationCount] {
        lines.sorted { sortKey($0).lexicographicallyPrecedes(sortKey($1)) }
    }
}
