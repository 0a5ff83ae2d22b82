import Foundation

/// What the workflow server reports about a case's way through the offices: a hand-over between units,
/// or a change the case goes through in real life. Each is stored as one event, with its reason and
/// actor, in the case's trail.
public enum ProgressEntry: Hashable, Sendable {
    case handOver(HandOver)
    /// The due date moved later, with the apology letter (phiếu xin lỗi và hẹn lại ngày trả kết quả)
    /// sent to the applicant: the case is judged against its first due date still; the new one is what
    /// the applicant was promised.
    case extended(newDueAt: Date, apologyLetter: String, reason: String)
    /// More documents were asked of the applicant (yêu cầu bổ sung): the clock stops until they come.
    case supplementRequested(reason: String)
    /// The documents asked for came: the clock runs again.
    case supplementReceived(note: String)
    /// The applicant withdrew the case (rút hồ sơ).
    case withdrawn(reason: String)
    /// The case was refused (từ chối giải quyết), with the reason given to the applicant.
    case refused(reason: String)

    public var kind: EventKind {
        switch self {
        case .handOver: .handedOver
        case .extended: .dueExtended
        case .supplementRequested: .supplementRequested
        case .supplementReceived: .supplementReceived
        case .withdrawn: .withdrawn
        case .refused: .refused
        }
    }

    /// The event's details: every fact, under names the JSON and the slip read back.
    public var details: [String: String] {
        switch self {
        case .handOver(let step):
            var details = ["fromName": step.from.name, "fromPerson": step.from.person, "toName": step.to.name, "toPerson": step.to.person]
            details["fromAgency"] = step.from.agency?.rawValue
            details["toAgency"] = step.to.agency?.rawValue
            details["dueAt"] = step.dueAt.map(RFC3339.format)
            details["note"] = step.note
            return details
        case .extended(let due, let letter, let reason):
            return ["newDueAt": RFC3339.format(due), "apologyLetter": letter, "reason": reason]
        case .supplementRequested(let reason), .withdrawn(let reason), .refused(let reason):
            return ["reason": reason]
        case .supplementReceived(let note):
            return ["note": note]
        }
    }

    /// The entry an event of one of these kinds records; nil for any other event, or one whose details
    /// lack a fact (a row written by hand).
    public init?(_ event: Event) {
        let details = event.details
        switch event.kind {
        case .handedOver:
            guard let fromName = details["fromName"], let fromPerson = details["fromPerson"],
                  let toName = details["toName"], let toPerson = details["toPerson"] else { return nil }
            let from = Party(agency: details["fromAgency"].flatMap { try? AgencyCode(parsing: $0) }, name: fromName, person: fromPerson)
            let to = Party(agency: details["toAgency"].flatMap { try? AgencyCode(parsing: $0) }, name: toName, person: toPerson)
            self = .handOver(HandOver(from: from, to: to, dueAt: details["dueAt"].flatMap(RFC3339.parse), note: details["note"]))
        case .dueExtended:
            guard let due = details["newDueAt"].flatMap(RFC3339.parse), let letter = details["apologyLetter"] else { return nil }
            self = .extended(newDueAt: due, apologyLetter: letter, reason: details["reason"] ?? "")
        case .supplementRequested: self = .supplementRequested(reason: details["reason"] ?? "")
        case .supplementReceived: self = .supplementReceived(note: details["note"] ?? "")
        case .withdrawn: self = .withdrawn(reason: details["reason"] ?? "")
        case .refused: self = .refused(reason: details["reason"] ?? "")
        default: return nil
        }
    }
}
