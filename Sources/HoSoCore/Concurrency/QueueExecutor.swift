import Dispatch

/// A task executor of its own: a serial dispatch queue instead of the Swift concurrency pool, for the
/// few small tasks that must run on time however busy that pool is (a job's lease renewal: a pool whose
/// threads are all working, two on a two-core machine, would let the lease lapse and another node take
/// over a job that is still being worked on).
///
/// A task given it as its executor preference runs its nonisolated code here; `sleep` waits on the
/// queue's own timer, so waking needs no pool thread either.
public final class QueueExecutor: TaskExecutor {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Waits `duration` on the queue's timer; ends early, throwing `CancellationError`, when the task is
    /// cancelled.
    public func sleep(for duration: Duration) async throws {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let woken = FirstAnswer<Void>()
        try await withTaskCancellationHandler {
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { woken.give(.success(())) }
            try await woken.value()
        } onCancel: {
            woken.give(.failure(CancellationError()))
        }
    }
}
