import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoIngest
import HoSoServer

/// The exit codes of `hoso`, from BSD's sysexits.h so scripts can tell failures apart.
enum ExitStatus: Int32 {
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unknownCase = 69
    case software = 70
    case cantCreate = 73
    case ioError = 74
    case tryAgain = 75
    case configError = 78
}

/// A failure to report as one line on standard error, with its exit status.
struct CommandFailure: Error {
    let status: ExitStatus
    let message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Runs a command body, turning every error into one line on stderr and its exit status.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = classify(error)
        FileHandle.standardError.write(Data("hoso: \(failure.message)\n".utf8))
        throw ExitCode(failure.status.rawValue)
    }
}

private func classify(_ error: any Error) -> CommandFailure {
    switch error {
    case let failure as CommandFailure: failure
    case let error as IntakeError:
        switch error {
        case .missing: CommandFailure(.noInput, error.description)
        case .tooLarge: CommandFailure(.dataError, error.description)
        case .badScan(let scanError): CommandFailure(NormalizeCommand.status(of: scanError), error.description)
        case .changedWhileReading: CommandFailure(.tryAgain, error.description)
        case .io: CommandFailure(.ioError, error.description)
        }
    case let error as ConfigError:
        CommandFailure(.configError, error.problems.map(\.description).joined(separator: "; "))
    case let error as CatalogError:
        switch error {
        case .unknownCase, .unknownQuarantineEntry, .unknownSigner: CommandFailure(.unknownCase, error.description)
        case .alreadyResolved, .signerAlreadyRemoved: CommandFailure(.dataError, error.description)
        case .newerSchema: CommandFailure(.software, error.description)
        default: CommandFailure(.ioError, error.description)
        }
    case let error as BlobStoreError: CommandFailure(.ioError, error.description)
    case let error as SignerEnrolmentError: CommandFailure(.dataError, "\(error.field): \(error.description)")
    default: CommandFailure(.software, "\(error)")
    }
}
