import Foundation
import HoSoCore
import HoSoImaging

/// Normalizes scans for intake: in this process (`Normalizer`, for the CLI and tests) or in parser
/// workers (`IsolatedNormalizer`, for the daemons). Either way the caller's task waits off the
/// concurrency pool.
public protocol DocumentNormalizing: Sendable {
    var limits: NormalizeLimits { get }
    func normalize(_ job: NormalizeJob) async throws(NormalizeError) -> DocumentMetadata
}

extension Normalizer: DocumentNormalizing {
    public func normalize(_ job: NormalizeJob) async throws(NormalizeError) -> DocumentMetadata {
        try await offThread {
            Result { () throws(NormalizeError) in
                try self.normalize(URL(fileURLWithPath: job.input), pdf: URL(fileURLWithPath: job.pdf),
                                   thumbnail: URL(fileURLWithPath: job.thumbnail), title: job.title, selection: job.selection)
            }
        }.get()
    }
}

/// Normalizes in a parser worker: a crash is `NormalizeError.crashed`, a worker's limit `overLimit`, a
/// worker that cannot start `io` (not the file's fault, so ingestion pauses and retries).
public struct IsolatedNormalizer: DocumentNormalizing {
    public let workers: ParserWorkers

    public init(workers: ParserWorkers) { self.workers = workers }

    public var limits: NormalizeLimits { workers.setup.limits }

    public func normalize(_ job: NormalizeJob) async throws(NormalizeError) -> DocumentMetadata {
        switch await workers.perform(.normalize(job)) {
        case .success(.normalized(let metadata)): return metadata
        case .success(.refused(let error)): throw error
        case .success: throw .io(file: job.input, reason: "the parser worker answered a normalize request with another reply")
        case .failure(.crashed(let reason)): throw .crashed(file: job.input, reason: reason)
        case .failure(.overLimit(let reason)): throw .overLimit(file: job.input, reason: reason)
        case .failure(.unavailable(let reason)), .failure(.badReply(let reason)): throw .io(file: job.input, reason: reason)
        }
    }
}
