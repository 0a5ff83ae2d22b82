/// A catalog that can tell every node at once that an ingest job was queued (PostgreSQL's LISTEN/NOTIFY),
/// so workers on other nodes than the one whose watcher queued it start without waiting for their next
/// look at the queue. A hint only: a missed one costs that wait, never a job.
public protocol JobWakeUps: Sendable {
    /// Calls `wake` each time a job is queued by any node, until cancelled or the connection it listens on
    /// fails (then it throws, and the caller listens again after a pause).
    func listenForJobs(_ wake: @escaping @Sendable () -> Void) async throws
}
