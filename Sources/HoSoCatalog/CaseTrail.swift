import Foundation
import HoSoCore

/// The case's way through the offices as the workflow server reports it, and the trail's chain.
public protocol CaseTrailCatalog: Sendable {
    /// Records `entry` as an event of the case in one transaction, if ``ProgressRule`` admits it with the
    /// case and its earlier entries as read there; an extension moves the case's due date (its event
    /// keeps the one before), a withdrawal or refusal closes the case.
    func recordProgress(_ entry: ProgressEntry, caseID: CaseID, actor: String, at time: Date) async throws -> ProgressOutcome

    /// The events' chain links in (case, row number) order, after `cursor` (nil: from the first), of one
    /// case or every case, at most `limit`.
    func chainLinks(of caseID: CaseID?, after cursor: ChainCursor?, limit: Int) async throws -> [EventChain.Link]
}

/// Where a walk of the chains stopped.
public struct ChainCursor: Hashable, Sendable {
    public let caseID: String
    public let id: Int64

    public init(caseID: String, id: Int64) {
        self.caseID = caseID
        self.id = id
    }
}

/// What recording a progress entry did.
public enum ProgressOutcome: Hashable, Sendable {
    /// The entry's event, and the case as it stands after it.
    case recorded(Event, Case)
    case refused(ProgressRefusal)
}

extension ProgressEntry {
    /// The event recording this entry on `current`: an extension's keeps the due date it replaced.
    func event(on current: Case, actor: String, at time: Date) -> Event {
        var details = details
        if case .extended = self { details["previousDueAt"] = current.dueAt.map(RFC3339.format) }
        return Event(caseID: current.id, time: time, actor: actor, kind: kind, details: details)
    }

    /// The due date the case has after this entry, when it changes.
    var newDueAt: Date? {
        if case .extended(let due, _, _) = self { return due }
        return nil
    }
}

extension CaseStatus {
    /// The closed statuses' names, for SQL: a case in one of them is never late.
    static let closed = allCases.filter(\.isClosed).map(\.rawValue)
}
