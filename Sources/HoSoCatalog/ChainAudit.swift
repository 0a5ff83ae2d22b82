import Foundation
import HoSoCore

/// Walks the events' chains, a page at a time, and names where each case's chain first breaks.
public struct ChainAudit: Sendable {
    public let catalog: any CaseTrailCatalog
    public var pageSize = 5000

    public init(catalog: any CaseTrailCatalog) {
        self.catalog = catalog
    }

    public struct Report: Sendable {
        public var cases = 0
        public var events = 0
        /// The first break of each broken case, in case order.
        public var breaks: [EventChain.Break] = []
    }

    /// Every case's chain (or one case's), checked from its first event; `progress` hears the events
    /// checked so far.
    public func verify(caseID: CaseID? = nil, progress: (Int) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        var cursor: ChainCursor?
        var current: (caseID: String, rows: [EventChain.Link])?
        func close() {
            guard let done = current else { return }
            report.cases += 1
            if let found = EventChain.firstBreak(in: done.rows) { report.breaks.append(found) }
        }
        while true {
            let page = try await catalog.chainLinks(of: caseID, after: cursor, limit: pageSize)
            for link in page {
                if current?.caseID != link.caseID {
                    close()
                    current = (link.caseID, [])
                }
                current?.rows.append(link)
            }
            report.events += page.count
            progress(report.events)
            guard page.count == pageSize, let last = page.last else { break }
            cursor = ChainCursor(caseID: last.caseID, id: last.id)
        }
        close()
        return report
    }
}
