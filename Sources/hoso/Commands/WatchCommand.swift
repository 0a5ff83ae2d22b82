import ArgumentParser
import Dispatch
import Foundation
import HoSoCatalog
import HoSoIngest

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
            let stations = try configuration.stations()
            guard !stations.isEmpty else {
                throw CommandFailure(.configError, "stations: no station is configured; add one to the configuration file")
            }
            let directory = global.dataDirectory(configuration)
            let (catalog, blobs) = try global.openData(configuration)
            let service = IngestService(stations: stations, catalog: catalog,
                                        intake: global.intake(directory, catalog, blobs, configuration),
                                        barcodes: configuration.barcodeReader, workers: workers)
            if once {
                let outcomes = try await service.runOnce()
                print(Self.summary(outcomes))
                return
            }
            for station in stations {
                print("watching \(station.id): \(station.inbox.path) (\(station.mode.rawValue), stable after \(station.stabilityWindow) s)")
            }
            let task = Task { try await service.run() }
            let stop = Self.onTermination { task.cancel() }
            defer { stop.forEach { $0.cancel() } }
            do {
                try await task.value
            } catch is CancellationError {}
            print("stopped")
        }
    }

    static func summary(_ outcomes: [IngestWorker.Outcome]) -> String {
        var counts: [String: Int] = [:]
        for outcome in outcomes {
            let key = switch outcome {
            case .stored: "stored"
            case .duplicate: "duplicate"
            case .split: "split"
            case .quarantined: "quarantined"
            case .failed: "failed"
            case .superseded: "superseded"
            }
            counts[key, default: 0] += 1
        }
        return "\(outcomes.count) file(s): " + ["stored", "duplicate", "split", "quarantined", "failed", "superseded"]
            .map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }

    /// Calls `handler` on SIGTERM or SIGINT instead of dying, so the job in hand can end cleanly.
    static func onTermination(_ handler: @escaping @Sendable () -> Void) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
