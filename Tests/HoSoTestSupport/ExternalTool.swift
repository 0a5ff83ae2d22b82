import Foundation
import HoSoCore

/// Runs an outside program (qpdf, pdfinfo, tiffinfo, sha256sum, ...) to check HoSo's output with a tool
/// HoSo did not write.
public enum ExternalTool {
    public struct Result: Sendable {
        public let status: Int32
        /// Standard output and standard error together, as a person would see them.
        public let output: String
    }

    /// Runs `tool` (a name in /usr/bin or a path) with `arguments` and waits for it, on a thread of its own
    /// (`offThread`): tests run at once, and a wait that held one of the Swift concurrency pool's threads (two
    /// on a two-core machine) would stall every other test's awaits, their HTTP clients timing out.
    public static func run(_ tool: String, _ arguments: [String]) async throws -> Result {
        try await offThread(throwing: { try runBlocking(tool, arguments) })
    }

    /// `run` on the calling thread: only for what is made once, where no test awaits (a static fixture).
    public static func runBlocking(_ tool: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}

/// A fresh directory under the system's temporary directory, for one test.
public func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The package's root folder, for committed files such as `Samples/` and `Config/`.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `hoso` executable built beside this test bundle (or `$HOSO_BINARY`): for end-to-end tests, and
/// for library tests of code that runs `hoso` as a child process (the barcode reader).
public let hosoBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["HOSO_BINARY"] { return URL(fileURLWithPath: path) }
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent()]
        .map { $0.appendingPathComponent("hoso") } + [packageRoot.appendingPathComponent(".build/debug/hoso")]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
}()

extension Process {
    /// Waits for the process to end on a thread of its own (see `ExternalTool.run`).
    public func exited() async {
        await offThread { self.waitUntilExit() }
    }
}
