import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoIngest
import HoSoWorkers

/// `--data` and `--config`, shared by every command that touches data.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (default ./var, or $HOSO_DATA).", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default Config/hoso.yaml when present, or $HOSO_CONFIG).", valueName: "file"))
    var config: String?

    /// The configuration file to read, if any.
    var configFile: URL? {
        if let config { return URL(fileURLWithPath: config) }
        if let path = ProcessInfo.processInfo.environment["HOSO_CONFIG"] { return URL(fileURLWithPath: path) }
        let fallback = URL(fileURLWithPath: "Config/hoso.yaml")
        return FileManager.default.fileExists(atPath: fallback.path) ? fallback : nil
    }

    /// The effective configuration.
    func loadConfiguration() throws -> Configuration {
        try Configuration.load(file: configFile)
    }

    /// The data directory: `--data`, else `$HOSO_DATA` or the file's `data`, else `./var`.
    func dataDirectory(_ configuration: Configuration) -> DataDirectory {
        let path = data ?? configuration.string(ConfigKeys.data) ?? "./var"
        return DataDirectory(root: URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL)
    }

    /// Opens an existing data directory, or says how to make one.
    func openData(_ configuration: Configuration) throws -> (SQLiteCatalog, BlobStore) {
        let directory = dataDirectory(configuration)
        guard directory.exists else {
            throw CommandFailure(.noInput, "\(directory.root.path): no HoSo data here; run `hoso init --data \(directory.root.path)` first")
        }
        return try directory.open()
    }

    /// The intake for a data directory, with the configured normalizer: in this process, or in `workers`
    /// (the daemons).
    func intake(_ directory: DataDirectory, _ catalog: SQLiteCatalog, _ blobs: BlobStore, _ configuration: Configuration,
                workers: ParserWorkers? = nil) -> DocumentIntake {
        guard let workers else {
            return DocumentIntake(catalog: catalog, blobs: blobs, normalizer: configuration.normalizer, workRoot: directory.workRoot)
        }
        return DocumentIntake(catalog: catalog, blobs: blobs, normalizing: IsolatedNormalizer(workers: workers), workRoot: directory.workRoot)
    }

    /// Who this command acts as, for the event trail.
    func actor(_ configuration: Configuration) -> String {
        if let actor = configuration.string(ConfigKeys.actor) { return actor }
        let login = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        return "cli:\(login.isEmpty ? "unknown" : login)"
    }
}
