import Foundation
import Synchronization

/// The overview's totals, kept for `lifetime` per kind of viewer (role and agency scope): they sum over
/// every case, and a page many people keep open must not recount 100,000 cases on every view. The page
/// says how old its numbers may be; the reports page and the CSV always count afresh.
final class OverviewCache: Sendable {
    let lifetime: TimeInterval
    private let entries = Mutex<[String: (values: [String: SendableValue], until: Date)]>([:])

    /// The page's values that can be kept: numbers and text.
    enum SendableValue: Sendable {
        case number(Int)
        case text(String)

        var any: Any {
            switch self {
            case .number(let value): value
            case .text(let value): value
            }
        }
    }

    init(lifetime: TimeInterval = 30) {
        self.lifetime = lifetime
    }

    func values(for key: String, now: Date = Date(), compute: () async throws -> [String: SendableValue]) async rethrows -> [String: Any] {
        if let kept = entries.withLock({ $0[key] }), kept.until > now { return kept.values.mapValues(\.any) }
        let fresh = try await compute()
        entries.withLock { $0[key] = (fresh, now.addingTimeInterval(lifetime)) }
        return fresh.mapValues(\.any)
    }
}
