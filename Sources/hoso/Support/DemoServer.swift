import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HoSoBlobs
import HoSoCatalog
import HoSoIngest
import HoSoServer
import Hummingbird
import Logging
import ServiceLifecycle

/// HoSo's own server for the demo: the real API on a free loopback port, in this process.
struct DemoServer {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static func start(catalog: SQLiteCatalog, blobs: any BlobStore, intake: DocumentIntake, uploads: URL, anchors: URL) async throws -> DemoServer {
        var settings = ServerSettings()
        settings.port = 0
        settings.trustAnchors = anchors
        guard let openAPI = OpenAPIDocument.text else { throw CommandFailure(.software, "the OpenAPI document is missing from the build") }
        let api = HoSoAPI(catalog: catalog, blobs: blobs, intake: intake, settings: settings, uploads: uploads.appendingPathComponent("uploads"),
                          openAPI: openAPI, metrics: MetricsExport())
        var logger = Logger(label: "hoso.demo.server")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CommandFailure(.software, "the demo server did not start") }
        return DemoServer(port: port, group: group, task: task)
    }

    /// Lets requests in flight finish, then stops.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The workflow server's side of the demo: JSON and PDFs over HTTP with its bearer token.
struct DemoClient {
    let port: Int
    let token: String

    struct Answer {
        let status: Int
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: String, _ path: String, json: [String: Any]) async throws -> Answer {
        try await send(method, path, body: try JSONSerialization.data(withJSONObject: json), type: "application/json")
    }

    func send(_ method: String, _ path: String, body: Data? = nil, type: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let type { request.setValue(type, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}
