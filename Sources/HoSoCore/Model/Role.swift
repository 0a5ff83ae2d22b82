/// What a caller may do; every API endpoint and CLI action names the roles it admits.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// A scanning station: uploads scans.
    case station
    /// The document office (văn thư): signs results, reads what it needs for that.
    case office
    /// The province's workflow server: registers cases, attaches results, asks for the return step.
    case workflow
    /// Reads everything, changes nothing.
    case auditor
    /// Manages tokens and configuration.
    case admin
}
