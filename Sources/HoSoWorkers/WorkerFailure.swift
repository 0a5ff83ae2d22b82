/// Why a worker gave no answer to a request.
public enum WorkerFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No worker could be started (the binary is gone, no pipes left): not the file's fault.
    case unavailable(String)
    /// The worker died while on the request: killed by a signal or exited (a decoder crashed or aborted,
    /// an allocation failed under its memory limit).
    case crashed(String)
    /// The request used up its CPU time (`isolation.cpu_seconds`) or its wall-clock time
    /// (`isolation.timeout_seconds`) and the worker was stopped.
    case overLimit(String)
    /// The worker answered something that is not a reply.
    case badReply(String)

    public var description: String {
        switch self {
        case .unavailable(let reason), .crashed(let reason), .overLimit(let reason), .badReply(let reason): reason
        }
    }
}
