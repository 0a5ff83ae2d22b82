import Foundation
import Glibc
import HoSoImaging

/// Reads a scan's barcodes in a child process (`hoso barcodes --json`), so zbar, libtiff or poppler
/// aborting, looping or running out of memory on a hostile file takes down the child, never the daemon.
public struct BarcodeReader: Sendable {
    /// The `hoso` executable to run.
    public let executable: URL
    public let region: CornerRegion
    /// How long one file may take before the child is killed.
    public let timeout: TimeInterval

    public init(executable: URL, region: CornerRegion = CornerRegion(), timeout: TimeInterval = 60) {
        self.executable = executable
        self.region = region
        self.timeout = timeout
    }

    /// The running `hoso` binary, for a daemon that reads barcodes through itself.
    public static var currentExecutable: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    }

    /// Each page's codes, or why they could not be read.
    public func read(_ file: URL) -> Result<[PageBarcodes], BarcodeReadError> {
        report(file).map(\.pages)
    }

    /// The codes of the first `pages` pages (all when nil) and, when `text` is set, a PDF's text: what
    /// the case binding reads from a result, in the same child process isolation.
    public func report(_ file: URL, pages: Int? = nil, text: Bool = false) -> Result<BarcodeScanReport, BarcodeReadError> {
        let process = Process()
        process.executableURL = executable
        var arguments = [
            "barcodes", "--json", "--width-mm", String(region.widthMM), "--height-mm", String(region.heightMM),
            "--dpi", String(region.dpi),
        ]
        if let pages { arguments += ["--pages", String(pages)] }
        if text { arguments.append("--text") }
        process.arguments = arguments + [file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(.cannotStart(executable.path, reason: error.localizedDescription))
        }
        let pid = process.processIdentifier
        let expired = Flag()
        let killer = DispatchWorkItem {
            expired.set()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // Read both pipes to their ends before waiting, so a chatty child never blocks on a full pipe.
        let errorText = ErrorCollector(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let message = errorText.finish()

        switch process.terminationReason {
        case .uncaughtSignal where expired.isSet:
            return .failure(.timedOut(seconds: timeout))
        case .uncaughtSignal:
            return .failure(.crashed(signal: process.terminationStatus, message: message))
        case .exit where process.terminationStatus != 0:
            return .failure(.refused(status: process.terminationStatus, message: message))
        default:
            do {
                return .success(try JSONDecoder().decode(BarcodeScanReport.self, from: data))
            } catch {
                return .failure(.badOutput("\(error)"))
            }
        }
    }
}

/// Set once, read from another thread.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Collects a child's standard error on a thread of its own, keeping its last line.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> String {
        done.wait()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: "\n").last.map(String.init) ?? ""
    }
}

/// Why a file's barcodes could not be read.
public enum BarcodeReadError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotStart(String, reason: String)
    /// The child took longer than allowed and was killed.
    case timedOut(seconds: TimeInterval)
    /// The child died of a signal (a decoder aborted or crashed).
    case crashed(signal: Int32, message: String)
    /// The child refused the file (unreadable, unsupported) and said why.
    case refused(status: Int32, message: String)
    case badOutput(String)

    public var description: String {
        switch self {
        case .cannotStart(let path, let reason): "cannot run \(path) to read barcodes: \(reason)"
        case .timedOut(let seconds): "reading barcodes took longer than \(Int(seconds)) s and was stopped"
        case .crashed(let signal, let message):
            "the barcode reader died of signal \(signal)\(message.isEmpty ? "" : ": \(message)")"
        case .refused(let status, let message): "the barcode reader refused the file (exit \(status)): \(message)"
        case .badOutput(let reason): "the barcode reader's output is not a report: \(reason)"
        }
    }
}
