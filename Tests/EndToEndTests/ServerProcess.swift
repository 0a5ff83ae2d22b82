import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HoSoCore
import HoSoTestSupport
import Testing

/// `hoso serve` on a free loopback port, for tests that talk to it over real HTTP.
final class ServerProcess {
    let process: Process
    let port: Int
    let output: Pipe
    /// What it writes on standard error: its log.
    let log: URL

    /// Starts the server in `directory` with `environment` and waits for its "listening on" line (on a thread
    /// of its own: see `ExternalTool.run`).
    init(in directory: URL, data: URL, environment: [String: String] = [:]) async throws {
        let process = HoSoProcess.start(["serve", "--data", data.path], in: directory,
                                        environment: ["HOSO_SERVER_PORT": "0"].merging(environment) { $1 })
        let output = Pipe()
        process.standardOutput = output
        // What it logs, beside its data directory, for a failing test to be read.
        let log = directory.appendingPathComponent("\(data.lastPathComponent).serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let (found, seen) = await offThread { Self.listeningPort(of: process, in: output) }
        guard let found else {
            process.terminate()
            throw ServerStartFailure(output: seen)
        }
        self.process = process
        self.output = output
        self.log = log
        port = found
    }

    /// The port of the server's "listening on" line, once it is written (within 30 s), and what it wrote.
    private static func listeningPort(of process: Process, in output: Pipe) -> (Int?, String) {
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { usleep(20_000); continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"listening on https?://127\.0\.0\.1:([0-9]+)"#, options: .regularExpression) {
                return (Int(seen[range].split(separator: ":").last ?? ""), seen)
            }
        }
        return (nil, seen)
    }

    struct ServerStartFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "hoso serve did not start: \(output)" }
    }

    /// Stops it at once, as a crash or a power cut would.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill() } }

    /// One HTTP exchange.
    struct Answer {
        let status: Int
        let body: Data
        let headers: [String: String]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: Data? = nil, type: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let type { request.setValue(type, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return Answer(status: http.statusCode, body: data, headers: headers)
    }

    func json(_ method: String, _ path: String, token: String?, _ object: [String: Any]) async throws -> Answer {
        try await call(method, path, token: token, body: try JSONSerialization.data(withJSONObject: object), type: "application/json")
    }
}
