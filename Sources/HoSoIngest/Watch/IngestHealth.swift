import Foundation
import Synchronization

/// Whether ingestion is running or waiting out a fault, for `/readyz` and the logs.
///
/// A full disk or a failing device is not the scan's fault: the file stays in its inbox and its job goes
/// back to the queue, and ingestion pauses until the retry time rather than sending good scans to
/// `failed/` or spinning on an error.
public final class IngestHealth: Sendable {
    public struct Pause: Sendable, Equatable {
        /// The station whose file met the fault.
        public let station: String
        /// What failed, naming the file or the catalog, and the system's reason (`No space left on device`).
        public let reason: String
        public let since: Date
        public let retryAt: Date
    }

    private let state = Mutex<Pause?>(nil)

    public init() {}

    /// The pause in force, if any.
    public var pause: Pause? { state.withLock { $0 } }

    /// Records a fault; a pause already in force keeps its start.
    func pause(station: String, reason: String, retryAt: Date, at time: Date = Date()) {
        state.withLock { current in
            current = Pause(station: station, reason: reason, since: current?.since ?? time, retryAt: retryAt)
        }
    }

    /// Ingestion works again.
    func resume() {
        state.withLock { $0 = nil }
    }
}
