import Dispatch
import Foundation
import Glibc
import HoSoCore
import Synchronization

/// Long-lived `hoso parse-worker` child processes that parse untrusted files (normalize a scan, verify a
/// result) for a daemon, so a file that crashes a decoder, loops or allocates past the limit costs that
/// one file or request, never the server or the watcher.
///
/// Workers start when first needed and stay for the next request (a start costs the binary's load; a
/// request, one line of JSON each way). One that dies is replaced by a new one on the next request. At
/// most `count` requests run at once; each waits on a thread of its own, off the concurrency pool.
public final class ParserWorkers: Sendable {
    public let executable: String
    public let setup: WorkerSetup
    /// How many workers may run at once.
    public let count: Int
    /// How long one request may take before its worker is killed.
    public let timeout: Duration
    private let setupLine: [UInt8]
    private let idle = Mutex<[SpawnedChild]>([])
    private let slots: DispatchSemaphore

    /// - Parameter executable: the `hoso` binary whose `parse-worker` command answers requests.
    public init(executable: URL, setup: WorkerSetup, count: Int, timeout: Duration = .seconds(600)) {
        self.executable = executable.path
        self.setup = setup
        self.count = max(1, count)
        self.timeout = timeout
        setupLine = Array((try? JSONEncoder().encode(setup)) ?? Data()) + [UInt8(ascii: "\n")]
        slots = DispatchSemaphore(value: self.count)
        // A worker that died leaves a pipe with no reader: writing to it must fail, not kill the daemon.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        // Idle workers read the end of their input and exit.
        for child in idle.withLock({ $0 }) { _ = child.wait() }
    }

    /// Sends `request` to a worker and returns its reply. A worker that dies on the request is replaced and
    /// the request tried once more, so one lost to an unrelated death (the OOM killer, an operator's kill)
    /// still succeeds; a file that kills two workers is reported as `crashed`.
    func perform(_ request: WorkerRequest) async -> Result<WorkerReply, WorkerFailure> {
        await offThread { self.performWaiting(request) }
    }

    private func performWaiting(_ request: WorkerRequest) -> Result<WorkerReply, WorkerFailure> {
        guard let encoded = try? JSONEncoder().encode(request) else { return .failure(.badReply("the request cannot be encoded")) }
        let line = Array(encoded) + [UInt8(ascii: "\n")]
        slots.wait()
        defer { slots.signal() }
        let first = attempt(line)
        guard case .failure(.crashed(let reason)) = first else { return first }
        let second = attempt(line)
        if case .failure(.crashed(let again)) = second {
            return .failure(.crashed(reason == again ? "\(again), twice" : "\(reason), then \(again)"))
        }
        return second
    }

    /// One request on one worker: an idle one, else a new one.
    private func attempt(_ line: [UInt8]) -> Result<WorkerReply, WorkerFailure> {
        let child: SpawnedChild
        if let waiting = idle.withLock({ $0.popLast() }) {
            child = waiting
        } else {
            do { child = try SpawnedChild.spawn(executable, arguments: ["parse-worker"]) } catch { return .failure(error) }
            guard writeAll(setupLine, to: child.input) else { return .failure(.crashed(Self.describe(child.wait()))) }
        }
        guard writeAll(line, to: child.input) else { return .failure(.crashed(Self.describe(child.wait()))) }
        var replies = LineReader(child.output)
        switch replies.next(until: .now + timeout) {
        case .line(let bytes):
            guard let reply = try? JSONDecoder().decode(WorkerReply.self, from: Data(bytes)) else {
                _ = child.stop()
                return .failure(.badReply("the parser worker answered something that is not a reply"))
            }
            idle.withLock { $0.append(child) }
            return .success(reply)
        case .closed:
            let ending = child.wait()
            if ending == .signalled(SIGXCPU) {
                return .failure(.overLimit("used more than \(setup.cpuSeconds) s of CPU time (isolation.cpu_seconds)"))
            }
            return .failure(.crashed(Self.describe(ending)))
        case .timedOut:
            _ = child.stop()
            return .failure(.overLimit("took longer than \(timeout.components.seconds) s (isolation.timeout_seconds)"))
        }
    }

    private static func describe(_ ending: SpawnedChild.Ending) -> String {
        switch ending {
        case .signalled(let signal): "the parser worker died of signal \(signal) (\(String(cString: strsignal(signal))))"
        case .exited(let status): "the parser worker exited with status \(status)"
        }
    }
}
