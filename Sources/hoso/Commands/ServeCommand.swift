import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoIngest
import HoSoWorkers
import HoSoServer
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// `hoso serve`: the HTTP API, the station watchers and the fixity scrub, as one service group.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (docs/openapi.yaml) with the station watchers and a periodic fixity scrub.",
        discussion: """
            Listens on server.host:server.port (default 127.0.0.1:8080; $HOSO_SERVER_PORT), over HTTPS \
            only when server.tls_certificate and server.tls_key are set. Every /v1 \
            endpoint needs a bearer token (hoso token create); /healthz, /readyz, /metrics and \
            /v1/openapi.yaml do not. Results are verified against trust.anchors and trust.crls. The \
            configured stations are watched as `hoso watch` does. SIGTERM or SIGINT stops it gracefully. \
            Logs go to stderr as log.format says (text or json), from log.level on (default info: a line \
            per request with its status, time, caller and request ID, and a line per file taken).

            Example:
              HOSO_TRUST_ANCHORS=/etc/hoso/anchors hoso serve --data /srv/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            // Before anything is opened or recorded: the stations, the trust folders, the TLS pair.
            try Preflight.require(Preflight.serving(configuration))
            let directory = global.dataDirectory(configuration)
            let catalog = try await global.openCatalog(configuration, create: true)
            let blobs = try await global.openBlobs(configuration)
            var settings = ServerSettings()
            settings.host = configuration.string(ConfigKeys.serverHost) ?? settings.host
            settings.port = configuration.integer(ConfigKeys.serverPort) ?? settings.port
            settings.maxResultBytes = configuration.integer(ConfigKeys.serverMaxResultBytes) ?? settings.maxResultBytes
            settings.maxScanBytes = configuration.integer(ConfigKeys.ingestMaxInputBytes) ?? settings.maxScanBytes
            settings.heartbeatSeconds = configuration.integer(ConfigKeys.serverHeartbeatSeconds) ?? settings.heartbeatSeconds
            settings.sessionIdle = TimeInterval((configuration.integer(ConfigKeys.uiSessionIdleMinutes) ?? 30) * 60)
            settings.secureCookies = configuration.string(ConfigKeys.serverTLSCertificate) != nil
            settings.allowPendingResults = configuration.boolean(ConfigKeys.resultsAllowPending) ?? false
            settings.requireRegisteredSigner = configuration.boolean(ConfigKeys.resultsRequireRegisteredSigner) ?? true
            settings.requireCaseBinding = configuration.boolean(ConfigKeys.resultsRequireCaseBinding) ?? true
            settings.calendar = try Preflight.workCalendar(configuration)
            for warning in ConfigCommand.Check.warnings(configuration) {
                FileHandle.standardError.write(Data("hoso: WARNING: \(warning)\n".utf8))
            }
            settings.trustAnchors = configuration.string(ConfigKeys.trustAnchors).map { URL(fileURLWithPath: $0, isDirectory: true) }
            settings.trustCRLs = configuration.string(ConfigKeys.trustCRLs).map { URL(fileURLWithPath: $0, isDirectory: true) }
            settings.version = HoSoVersion.current
            settings.watchedFolders["work"] = directory.workRoot
            if case .folder(let root) = try global.blobsLocation(configuration) { settings.watchedFolders["blobs"] = root }
            guard let openAPI = OpenAPIDocument.text else {
                throw CommandFailure(.software, "the OpenAPI document is missing from the build (HoSoServer's resources)")
            }

            // At `log.level` (the process's log, set up with the configuration): at info, a line per request.
            let logger = Logger(label: "hoso.serve")
            let metrics = MetricsExport()
            metrics.bootstrap()
            let node = configuration.string(ConfigKeys.nodeID) ?? ProcessInfo.processInfo.hostName
            let run = try await catalog.startRun(node: node, at: Date())
            // Scans and results are parsed in child processes: a file that crashes a decoder costs one request.
            let workers = configuration.parserWorkers(trustAnchors: settings.trustAnchors, trustCRLs: settings.trustCRLs)
            let intake = global.intake(directory, catalog, blobs, configuration, workers: workers)
            let stations = try configuration.stations()
            let ingest = stations.isEmpty ? nil : IngestService(
                stations: stations, catalog: catalog, intake: intake, barcodes: configuration.barcodeReader, workers: 1,
                retryDelay: configuration.ingestRetryDelay, locks: catalog as? any NodeLocks, lockInterval: configuration.lockInterval,
                logger: logger)
            let api = HoSoAPI(catalog: catalog, blobs: blobs, intake: intake, settings: settings,
                              uploads: directory.workRoot.appendingPathComponent("uploads"), openAPI: openAPI, metrics: metrics,
                              barcodes: configuration.barcodeReader, ingestHealth: ingest?.health,
                              verifier: IsolatedVerifier(workers: workers))
            var services: [any Service] = [
                HeartbeatService(ledger: catalog, run: run, every: settings.heartbeatSeconds, logger: logger),
                FixityScrubService(catalog: catalog, blobs: blobs, every: configuration.integer(ConfigKeys.scrubIntervalHours) ?? 24,
                                   node: node, locks: catalog as? any NodeLocks, logger: logger),
            ]
            if let ingest { services.append(ingest) }
            let locks = catalog as? any NodeLocks
            let targets = try MonitorTarget.all(in: configuration)
            if !targets.isEmpty { services.append(MonitorService(targets: targets, ledger: catalog, locks: locks, logger: logger)) }
            if let tsa = configuration.string(ConfigKeys.auditTSAURL).flatMap(Preflight.tsaURL) {
                services.append(ChainStampService(tsa: tsa, ledger: catalog, every: configuration.integer(ConfigKeys.auditStampIntervalMinutes) ?? 60,
                                                  locks: locks, logger: logger))
            }
            let host = settings.host
            let (server, scheme) = try httpServer(configuration)
            let app = Application(
                router: api.router(),
                server: server,
                configuration: .init(address: .hostname(host, port: settings.port), serverName: "HoSo/\(HoSoVersion.current)"),
                services: services,
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    print("listening on \(scheme)://\(host):\(port) — data \(directory.root.path), \(stations.count) station(s) watched")
                    fflush(nil)
                    SystemdNotify.send("READY=1\nSTATUS=listening on \(scheme)://\(host):\(port)")
                },
                logger: logger
            )
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            SystemdNotify.send("STOPPING=1")
            print("stopped")
        }
    }

    /// HTTP/1.1, wrapped in TLS when a certificate and key are configured (`Preflight` has checked that both
    /// or neither are, and that they belong together).
    private func httpServer(_ configuration: Configuration) throws -> (HTTPServerBuilder, String) {
        let certificate = configuration.string(ConfigKeys.serverTLSCertificate), key = configuration.string(ConfigKeys.serverTLSKey)
        // A connection that sends no complete head or body piece for this long is closed: a client sending
        // its headers a byte at a time (or a body that never comes) cannot hold the server's connections.
        let idle = configuration.integer(ConfigKeys.serverIdleTimeoutSeconds) ?? 30
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(idle))))
        guard let certificate, let key else { return (http1, "http") }
        do {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            return (try .tls(http1, tlsConfiguration: tls), "https")
        } catch {
            throw CommandFailure(.configError, "server.tls_certificate/server.tls_key (\(certificate), \(key)): \(error)")
        }
    }
}
