import Foundation
import HoSoTestSupport

/// Runs the built `hoso` binary, as an operator or a script would.
struct HoSoProcess {
    static var binary: URL { hosoBinary }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `hoso arguments` in `directory` and waits for it; with a `launcher` (`/usr/bin/time -f %M …`),
    /// through it.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], launcher: [String] = []) throws -> Result {
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
}
