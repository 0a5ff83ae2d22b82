import Foundation

/// Why a progress entry may not be recorded.
public enum ProgressRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The entry's time comes before the case's latest entry's.
    case beforePrevious(time: Date, previous: Date)
    /// The case was returned, withdrawn or refused already.
    case caseClosed(CaseStatus)
    /// The documents came, but none were asked for (or they came already).
    case notPaused
    /// More documents are asked for already.
    case alreadyPaused
    /// An extension must move a registered due date later.
    case dueNotLater(current: Date?, asked: Date)

    public var code: String {
        switch self {
        case .beforePrevious: "out_of_order"
        case .caseClosed: "case_closed"
        case .notPaused: "not_paused"
        case .alreadyPaused: "already_paused"
        case .dueNotLater: "due_not_later"
        }
    }

    public var description: String {
        switch self {
        case .beforePrevious(let time, let previous):
            "at: \(RFC3339.format(time)) comes before the case's previous step or change at \(RFC3339.format(previous))"
        case .caseClosed(let status): "the case is \(status.rawValue) already: nothing more can happen to it"
        case .notPaused: "no request for more documents is open"
        case .alreadyPaused: "a request for more documents is open already"
        case .dueNotLater(nil, _): "the case has no due date to extend (register it first)"
        case .dueNotLater(let current?, let asked):
            "newDueAt: \(RFC3339.format(asked)) is not after the current due date \(RFC3339.format(current))"
        }
    }
}

/// The rule every catalog asks, in the transaction that records an entry, with the case and its earlier
/// entries as read there: entries come in time order, none after the case closed, pauses open and
/// close in turn, an extension moves the due date later.
public struct ProgressRule: Sendable {
    public let current: Case
    /// The case's earlier entries, oldest first.
    public let earlier: [Event]

    public init(current: Case, earlier: [Event]) {
        self.current = current
        self.earlier = earlier
    }

    public func refusal(of entry: ProgressEntry, at time: Date) -> ProgressRefusal? {
        if current.status.isClosed { return .caseClosed(current.status) }
        if let previous = earlier.last?.time, RFC3339.truncated(time) < previous {
            return .beforePrevious(time: time, previous: previous)
        }
        let paused = earlier.last { $0.kind == .supplementRequested || $0.kind == .supplementReceived }?.kind == .supplementRequested
        switch entry {
        case .supplementRequested: return paused ? .alreadyPaused : nil
        case .supplementReceived: return paused ? nil : .notPaused
        case .extended(let due, _, _):
            guard let current = current.dueAt, due > current else { return .dueNotLater(current: current.dueAt, asked: due) }
            return nil
        case .handOver, .withdrawn, .refused: return nil
        }
    }

    /// The status the case takes when `entry` is recorded, if it changes.
    public static func status(after entry: ProgressEntry) -> CaseStatus? {
        switch entry {
        case .withdrawn: .withdrawn
        case .refused: .refused
        default: nil
        }
    }
}
