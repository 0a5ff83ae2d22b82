import Foundation

/// One thing that happened to a case, with the real time it happened and who did it.
///
/// Events are append-only: the process control slip and every audit are built from them, so an event
/// is never edited or deleted once written.
public struct Event: Hashable, Sendable, Codable {
    /// Catalog row number; nil until stored. Orders events written at the same instant.
    public var id: Int64?
    public let caseID: CaseID
    public let time: Date
    /// Who did it: a person (`cli:nguyenvana`), a station (`station:scan-01`), a token's name.
    public let actor: String
    public let kind: EventKind
    /// Facts about the event, e.g. the document's SHA-256 and file name.
    public let details: [String: String]

    public init(id: Int64? = nil, caseID: CaseID, time: Date, actor: String, kind: EventKind, details: [String: String] = [:]) {
        self.id = id
        self.caseID = caseID
        self.time = time
        self.actor = actor
        self.kind = kind
        self.details = details
    }
}

/// The kinds of things that happen to a case.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    /// HoSo first heard of the case (a document arrived for it, or it was registered).
    case caseOpened = "case_opened"
    /// The workflow server registered the case with its procedure, applicant and dates.
    case caseRegistered = "case_registered"
    /// A station's file was taken into the queue (the time it became stable in the inbox).
    case documentReceived = "document_received"
    /// The file was turned into an archival PDF.
    case documentNormalized = "document_normalized"
    /// An input document was stored.
    case documentStored = "document_stored"
    /// A quarantined scan was assigned to this case by a person.
    case assignedFromQuarantine = "assigned_from_quarantine"
    /// A file already stored for the case arrived again; nothing new was stored.
    case duplicate
    /// A result was attached, with its verification verdict.
    case resultAttached = "result_attached"
    /// The return step was refused; the details say why.
    case returnRefused = "return_refused"
    /// The result was returned to the applicant.
    case returned
    /// The file went from one unit to another (a row of Biểu 05).
    case handedOver = "handed_over"
    /// The due date moved later, with an apology letter to the applicant.
    case dueExtended = "due_extended"
    /// More documents were asked of the applicant: the clock stops.
    case supplementRequested = "supplement_requested"
    /// The documents asked for came: the clock runs again.
    case supplementReceived = "supplement_received"
    /// The applicant withdrew the case.
    case withdrawn
    /// The case was refused, with the reason.
    case refused

    /// The kinds the workflow server reports as the case goes through the offices (``ProgressEntry``).
    public static let progress: [EventKind] = [.handedOver, .dueExtended, .supplementRequested, .supplementReceived, .withdrawn, .refused]
}
