import Foundation
import HoSoCore
import HoSoSignature

/// Verifies a result's signatures: in this process (`SignatureVerifier`) or in a parser worker
/// (`IsolatedVerifier`), the caller's task waiting off the concurrency pool.
public protocol ResultVerifying: Sendable {
    func report(on file: URL) async throws(VerifyFailure) -> DocumentReport
}

/// Why a file's signatures could not be reported on.
public enum VerifyFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a PDF the verifier can read.
    case unreadable(String)
    /// The file crashed the parser worker, twice.
    case crashed(String)
    /// The file used up a worker's CPU or time limit.
    case overLimit(String)
    /// No worker could run it: not the file's fault.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unreadable(let reason), .crashed(let reason), .overLimit(let reason), .unavailable(let reason): reason
        }
    }
}

extension SignatureVerifier: ResultVerifying {
    public func report(on file: URL) async throws(VerifyFailure) -> DocumentReport {
        try await offThread {
            Result { () throws(VerifyFailure) in
                do { return try self.verify(file) } catch { throw .unreadable("\(error)") }
            }
        }.get()
    }
}

/// Verifies in a parser worker.
public struct IsolatedVerifier: ResultVerifying {
    public let workers: ParserWorkers

    public init(workers: ParserWorkers) { self.workers = workers }

    public func report(on file: URL) async throws(VerifyFailure) -> DocumentReport {
        switch await workers.perform(.verify(file: file.path)) {
        case .success(.verified(let report)): return report
        case .success(.unreadable(let reason)): throw .unreadable(reason)
        case .success: throw .unavailable("the parser worker answered a verify request with another reply")
        case .failure(.crashed(let reason)): throw .crashed(reason)
        case .failure(.overLimit(let reason)): throw .overLimit(reason)
        case .failure(.unavailable(let reason)), .failure(.badReply(let reason)): throw .unavailable(reason)
        }
    }
}
