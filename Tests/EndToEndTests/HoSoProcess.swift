import Foundation
import HoSoCore
import HoSoTestSupport
import Testing

/// Runs the built `hoso` binary, as an operator or a script would.
struct HoSoProcess {
    static var binary: URL { hosoBinary }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `hoso arguments` in `directory` and waits for it, on a thread of its own (see `ExternalTool.run`);
    /// with a `launcher` (`/usr/bin/time -f %M …`), through it.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], launcher: [String] = []) async throws -> Result {
        try await offThread(throwing: { try runWaiting(arguments, in: directory, environment: environment, launcher: launcher) })
    }

    private static func runWaiting(_ arguments: [String], in directory: URL, environment: [String: String], launcher: [String]) throws -> Result {
        let process = start(arguments, in: directory, environment: environment)
        if let tool = launcher.first {
            process.arguments = Array(launcher.dropFirst()) + [binary.path] + arguments
            process.executableURL = URL(fileURLWithPath: tool)
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drain at once: a child that fills one while the other is read would wait forever.
        nonisolated(unsafe) var stderr = Data()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { stderr = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A configured, not yet started `hoso` process.
    static func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HOSO_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        return process
    }

    /// A new API token of `role` (named `name`, else the role) in the data directory `data`, from
    /// `hoso token create`.
    static func token(_ role: String, name: String? = nil, data: URL, in directory: URL) async throws -> String {
        let made = try await run(["token", "create", "--role", role, "--name", name ?? role, "--data", data.path], in: directory)
        try #require(made.status == 0, "\(made.stderr)")
        return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
