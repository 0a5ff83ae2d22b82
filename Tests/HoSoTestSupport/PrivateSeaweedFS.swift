import Foundation
import Glibc
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A SeaweedFS of one test's own (`weed mini` from the test venv, every port a free one, S3 with
/// `TestS3.credentials`), for tests that kill the object store under a running HoSo and start it again
/// on the same data, which the suite's shared server must never be.
public final class PrivateSeaweedFS: Sendable {
    /// `http://127.0.0.1:PORT`, the S3 gateway.
    public let endpoint: String
    let folder: URL
    let arguments: [String]
    private let running = Mutex<Process?>(nil)
    static let weed = packageRoot.appendingPathComponent(".build/python/bin/weed")

    public init() async throws {
        folder = try makeTemporaryDirectory("private-seaweedfs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let identities = """
            {"identities": [{"name": "tests", "actions": ["Admin", "Read", "Write", "List", "Tagging"],
              "credentials": [{"accessKey": "\(TestS3.credentials.accessKeyID)", "secretKey": "\(TestS3.credentials.secretAccessKey)"}]}]}
            """
        try identities.write(to: folder.appendingPathComponent("s3.json"), atomically: true, encoding: .utf8)
        var ports: [Int] = []
        while ports.count < 8 {
            let port = try freeLocalPort()
            if !ports.contains(port) { ports.append(port) }
        }
        // The built-in worker finds the admin server's gRPC only at its HTTP port + 10000.
        var admin = 0
        while admin == 0 {
            let port = try freeLocalPort()
            if port + 10000 < 65536, !ports.contains(port), !ports.contains(port + 10000), (try? freeLocalPort(port + 10000)) != nil { admin = port }
        }
        endpoint = "http://127.0.0.1:\(ports[6])"
        arguments = [
            "mini", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir=\(folder.appendingPathComponent("data").path)", "-master.telemetry=false",
            "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])", "-volume.port.grpc=\(ports[3])",
            "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])", "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])",
            "-admin.port=\(admin)", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-s3.config=\(folder.appendingPathComponent("s3.json").path)",
        ]
        try await start()
    }

    /// Starts `weed mini` on its data and waits (up to 120 s: a loaded machine) until the S3 gateway answers.
    public func start() async throws {
        let process = Process()
        process.executableURL = Self.weed
        process.arguments = arguments
        let log = folder.appendingPathComponent("weed.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        running.withLock { $0 = process }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if await answers() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        // Not left running behind a test that failed to start it.
        await kill()
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(description: "SeaweedFS did not answer on \(endpoint) within 120 s; it logged: \(said.suffix(2000))")
    }

    /// Kills it at once (-9), as a crash or a pulled cable would.
    public func kill() async {
        guard let process = running.withLock({ current -> Process? in defer { current = nil }; return current }) else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        await process.exited()
    }

    /// Kills it if it runs, and removes its files.
    public func remove() async {
        await kill()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether the S3 gateway answers an unsigned request (with its 403).
    private func answers() async -> Bool {
        guard let url = URL(string: endpoint + "/") else { return false }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 403
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
