import Foundation

/// A stretch of time `[from, to)`.
public struct TimeSpan: Hashable, Sendable, Codable {
    public let from: Date
    public let to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// The part of this span inside `other`, if any.
    public func clipped(to other: TimeSpan) -> TimeSpan? {
        let start = max(from, other.from), end = min(to, other.to)
        return start < end ? TimeSpan(from: start, to: end) : nil
    }

    /// The spans merged where they overlap or touch, in order: time covered by any of them, counted once.
    public static func merged(_ spans: [TimeSpan]) -> [TimeSpan] {
        var merged: [TimeSpan] = []
        for span in spans.filter({ $0.from < $0.to }).sorted(by: { $0.from < $1.from }) {
            if let last = merged.last, span.from <= last.to {
                merged[merged.count - 1] = TimeSpan(from: last.from, to: max(last.to, span.to))
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// The time both lists cover (each merged first), in order.
    public static func intersection(_ a: [TimeSpan], _ b: [TimeSpan]) -> [TimeSpan] {
        let left = merged(a), right = merged(b)
        return left.flatMap { span in right.compactMap { span.clipped(to: $0) } }
    }
}

extension WorkCalendar {
    /// Working seconds the spans cover (overlaps counted once).
    public func workingSeconds(of spans: [TimeSpan]) -> Double {
        TimeSpan.merged(spans).reduce(0) { $0 + workingSeconds(from: $1.from, to: $1.to) }
    }
}
