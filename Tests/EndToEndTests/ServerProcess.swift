import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HoSoTestSupport
import Testing

/// `hoso serve` on a free loopback port, for tests that talk to it over real HTTP.
final class ServerProcess {
    let process: Process
    let port: Int
    let output: Pipe

    /// Starts the server in `directory` with `environment` and waits for its "listening on" line.
    init(in directory: URL, data: URL, environment: [String: String] = [:]) throws {
        process = HoSoProcess.start(["serve", "--data", data.path], in: directory,
                                    environment: ["HOSO_SERVER_PORT": "0"].merging(environment) { $1 })
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        var found: Int?
        let deadline = Date().addingTimeInterval(30)
        while found == nil, Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { usleep(20_000); continue }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"listening on https?://127\.0\.0\.1:([0-9]+)"#, options: .regularExpression) {
                found = Int(seen[range].split(separator: ":").last ?? "")
            }
        }
        guard let found else {
            process.terminate()
            throw ServerStartFailure(output: seen)
        }
        port = found
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
