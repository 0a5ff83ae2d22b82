import Foundation
import HoSoCore

/// Walks the events' chains, a page at a time, and names where each case's chain first breaks: an event
/// edited, removed or moved, or the last stamped head gone or changed (rows removed at the end).
public struct ChainAudit: Sendable {
    public let catalog: any CaseTrailCatalog & ChainStampLedger
    public var pageSize = 5000

    public init(catalog: any CaseTrailCatalog & ChainStampLedger) {
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
        var stamped = Dictionary(try await catalog.latestStampedHeads(of: caseID).map { ($0.caseID, $0) }, uniquingKeysWith: { $1 })
        func close() {
            guard let done = current else { return }
            report.cases += 1
            if let found = EventChain.firstBreak(in: done.rows) {
                report.breaks.append(found)
            } else if let head = stamped[done.caseID], !done.rows.contains(where: { $0.id == head.eventID && $0.hash == head.hash }) {
                report.breaks.append(.headChanged(id: head.eventID, caseID: done.caseID))
            }
            stamped[done.caseID] = nil
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
        // A stamped case with no events left at all.
        for head in stamped.values.sorted(by: { $0.caseID < $1.caseID }) {
            report.breaks.append(.headChanged(id: head.eventID, caseID: head.caseID))
        }
        return report
    }
}
