import ArgumentParser
import Dispatch
import Foundation
import HoSoCatalog
import HoSoIngest
import Logging
import ServiceLifecycle

/// `hoso watch`: takes files from the stations' inboxes into the catalog until stopped.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the stations' inboxes and ingest every file that has stopped changing.",
        discussion: """
            Stations come from the `stations` list of the configuration file (see Config/hoso.yaml). Each \
            file is indexed to its case by the station's rules (sidecar manifest, folder, file name) or \
            put in quarantine (`hoso quarantine list`); files that are not scans go to <inbox>/failed/ \
            with a note. Stops cleanly on SIGTERM or Ctrl-C; a restart picks up where it stopped.

            Example:
              hoso watch --config Config/hoso.yaml --data /srv/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Take what is in the inboxes now, ingest it, and exit.")
    var once = false

    @Option(help: "Files processed at the same time (each also uses both cores for compression).")
    var workers = 1

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            try Preflight.require(Preflight.stations(configuration))
            let stations = try configuration.stations()
            guard !stations.isEmpty else {
                throw CommandFailure(.configError, "stations: no station is configured; add one to the configuration file")
            }
            let directory = global.dataDirectory(configuration)
            let (catalog, blobs) = try await global.openData(configuration)
            let logger = Logger(label: "hoso.watch")  // at `log.level`: a line per file taken (notice)
            let service = IngestService(stations: stations, catalog: catalog,
                                        intake: global.intake(directory, catalog, blobs, configuration,
                                                              workers: configuration.parserWorkers()),
                                        barcodes: configuration.barcodeReader, workers: workers,
                                        retryDelay: configuration.ingestRetryDelay, locks: catalog as? any NodeLocks,
                                        lockInterval: configuration.lockInterval, logger: logger)
            if once {
                let outcomes = try await service.runOnce()
                print(Self.summary(outcomes))
                return
            }
            for station in stations {
                print("watching \(station.id): \(station.inbox.path) (\(station.mode.rawValue), stable after \(station.stabilityWindow) s)")
            }
            let group = ServiceGroup(configuration: .init(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
            SystemdNotify.send("READY=1\nSTATUS=watching \(stations.count) station(s)")
            do {
                try await group.run()
            } catch is CancellationError {}
            SystemdNotify.send("STOPPING=1")
            print("stopped")
        }
    }

    static func summary(_ outcomes: [IngestWorker.Outcome]) -> String {
        let counts = Dictionary(grouping: outcomes, by: \.name).mapValues(\.count)
        return "\(outcomes.count) file(s): " + IngestWorker.Outcome.names.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }
}
