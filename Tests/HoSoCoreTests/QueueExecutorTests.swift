import Foundation
import HoSoCore
import Testing

@Suite struct QueueExecutorTests {
    /// The lease renewal's premise: a task on a `QueueExecutor` keeps its beat while every thread of the
    /// concurrency pool is held, and the same beat on the pool does not (so the pool really was held).
    /// It holds the pool for 1.5 s: short, since every other test of this process waits as long.
    @Test func aTaskOnItsOwnQueue_keepsItsBeat_whileThePoolIsHeld() async throws {
        let executor = QueueExecutor(label: "test.beat")
        let start = ContinuousClock.now
        let beat = Task(executorPreference: executor) {
            for _ in 0..<5 { try await executor.sleep(for: .milliseconds(100)) }
            return ContinuousClock.now - start
        }
        let onThePool = Task.detached {
            try await Task.sleep(for: .milliseconds(100))
            return ContinuousClock.now - start
        }
        let holders = (0..<(ProcessInfo.processInfo.activeProcessorCount * 2)).map { _ in
            Task.detached { usleep(1_500_000) }
        }
        for holder in holders { await holder.value }
        let (kept, late) = (try await beat.value, try await onThePool.value)
        #expect(late >= .milliseconds(1_400), "the pool was not held (a pool beat came after \(late))")
        #expect(kept < .milliseconds(1_200), "five beats of 100 ms took \(kept) on the executor's own queue")
    }

    /// Measured from the cancel to the sleeper's end, both on the sleeper's side of the pool: the test's own
    /// steps may wait for a busy pool, the sleeper's wake-up must not.
    @Test func sleeping_endsAtOnce_whenItsTaskIsCancelled() async throws {
        let executor = QueueExecutor(label: "test.cancel")
        let sleeper = Task(executorPreference: executor) { () -> ContinuousClock.Instant? in
            do { try await executor.sleep(for: .seconds(120)) } catch is CancellationError { return ContinuousClock.now }
            return nil
        }
        try await Task.sleep(for: .milliseconds(50))
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        let ended = try #require(await sleeper.value, "slept through the cancel")
        #expect(ended - cancelled < .seconds(2))
    }
}
