import Foundation

/// A case file (hồ sơ) as HoSo knows it: who applied for which procedure, when, and where it stands.
public struct Case: Hashable, Sendable, Codable {
    public let id: CaseID
    /// The procedure applied for; unknown until the workflow server registers the case.
    public var procedureCode: ProcedureCode?
    public var applicant: Applicant?
    /// When the desk received the case; the case ID carries only the day.
    public var receivedAt: Date?
    /// When the result is due.
    public var dueAt: Date?
    /// Components (thành phần hồ sơ) the procedure requires, by code or name.
    public var requiredComponents: [String]
    /// The agency that decides the case (cơ quan giải quyết) when it is not the one that received it.
    public var resolvingAgency: AgencyCode?
    public var status: CaseStatus
    /// When HoSo first heard of the case.
    public let createdAt: Date

    public init(
        id: CaseID, procedureCode: ProcedureCode? = nil, applicant: Applicant? = nil, receivedAt: Date? = nil,
        dueAt: Date? = nil, requiredComponents: [String] = [], resolvingAgency: AgencyCode? = nil, status: CaseStatus = .open,
        createdAt: Date
    ) {
        self.id = id
        self.procedureCode = procedureCode
        self.applicant = applicant
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.requiredComponents = requiredComponents
        self.resolvingAgency = resolvingAgency
        self.status = status
        self.createdAt = createdAt
    }

    /// The agency whose registered signers may sign the result: the resolving agency when the workflow
    /// server named one, else the receiving agency in the case ID.
    public var decidingAgency: AgencyCode { resolvingAgency ?? id.agency }
}

/// The person or organization a case is for.
public struct Applicant: Hashable, Sendable, Codable {
    public var name: String
    /// Citizen ID or tax number, as the desk recorded it.
    public var idNumber: String

    public init(name: String, idNumber: String) {
        self.name = name
        self.idNumber = idNumber
    }
}

/// Where a case stands in HoSo.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    /// Documents are arriving; no valid signed result yet.
    case open
    /// A signed result passed verification; the desk may return it.
    case resultAttached = "result_attached"
    /// The result went back to the applicant.
    case returned
    /// The applicant withdrew the case.
    case withdrawn
    /// The case was refused (từ chối), with the reason given to the applicant.
    case refused

    /// Whether nothing more can happen to the case.
    public var isClosed: Bool { self == .returned || self == .withdrawn || self == .refused }
}
