import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoConfig
import HoSoIngest
import HoSoS3
import HoSoWorkers

/// `--data` and `--config`, shared by every command that touches data.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (default ./var, or $HOSO_DATA).", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default $HOSO_CONFIG, else ./Config/hoso.yaml or /etc/hoso/hoso.yaml, the first present).", valueName: "file"))
    var config: String?

    /// Where the configuration is looked for when neither `--config` nor `$HOSO_CONFIG` names it: a
    /// checkout's own, then the installed one.
    static let configSearch = ["Config/hoso.yaml", "/etc/hoso/hoso.yaml"]

    /// The configuration file to read, if any: `--config`, `$HOSO_CONFIG`, then the first of
    /// `configSearch` that exists. A file named by the first two must exist (reading it says so).
    var configFile: URL? {
        if let config { return URL(fileURLWithPath: config) }
        if let path = ProcessInfo.processInfo.environment["HOSO_CONFIG"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return Self.configSearch.map { URL(fileURLWithPath: $0) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The effective configuration; the process's log lines are set up as it says (`log.format`,
    /// `log.level`) the first time.
    func loadConfiguration() throws -> Configuration {
        let configuration = try Configuration.load(file: configFile)
        let (format, level) = try LogOutput.choices(configuration)
        LogOutput.bootstrap(format, level: level)
        return configuration
    }

    /// The data directory: `--data`, else `$HOSO_DATA` or the file's `data` (a relative one from the file's
    /// folder), else `./var`.
    func dataDirectory(_ configuration: Configuration) -> DataDirectory {
        let path = data ?? configuration.string(ConfigKeys.data) ?? "./var"
        return DataDirectory(root: URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL)
    }

    /// Where `catalog.url` says the catalog is (default: `catalog.sqlite` in the data directory).
    func catalogLocation(_ configuration: Configuration) throws -> CatalogLocation {
        let directory = dataDirectory(configuration)
        guard let text = configuration.string(ConfigKeys.catalogURL) else { return .sqlite(path: directory.catalogPath) }
        do { return try CatalogLocation(parsing: text, dataDirectory: directory.root) } catch {
            throw CommandFailure(.configError, error.description)
        }
    }

    /// Opens the catalog, bringing its schema up to date; with `create`, a missing SQLite file is made,
    /// else it is an error saying how to make one. A PostgreSQL server that does not answer, refuses the
    /// login or lacks the database is a configuration error naming the URL (never its password) and the
    /// server's answer.
    func openCatalog(_ configuration: Configuration, create: Bool = false) async throws -> any ServerCatalog {
        let directory = dataDirectory(configuration)
        switch try catalogLocation(configuration) {
        case .sqlite(let path):
            if path == directory.catalogPath {
                if create { return try directory.create() }
                guard directory.exists else {
                    throw CommandFailure(.noInput, "\(directory.root.path): no HoSo data here; run `hoso init --data \(directory.root.path)` first")
                }
                return try directory.open()
            }
            guard create || FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure(.noInput, "catalog.url sqlite:\(path): no catalog there; run `hoso init` first")
            }
            return try SQLiteCatalog(path: path)
        case .postgres(let url):
            return try await openPostgres(url, named: "catalog.url", connectionWait: configuration.catalogConnectionWait)
        }
    }

    /// Opens a PostgreSQL catalog; one that does not answer, refuses the login or lacks the database is a
    /// configuration error named by `setting` (`catalog.url`, `--to-catalog`).
    func openPostgres(_ url: PostgresURL, named setting: String, connectionWait: Duration) async throws -> PostgresCatalog {
        let opened: Result<PostgresCatalog, CatalogError>
        do { opened = .success(try await PostgresCatalog.open(url, connectionWait: connectionWait)) } catch { opened = .failure(error) }
        switch opened {
        case .success(let catalog): return catalog
        case .failure(.unavailable(let path, let reason)): throw CommandFailure(.configError, "\(setting) \(path): \(reason)")
        case .failure(let error): throw error
        }
    }

    /// Opens the catalog and the blob store `blobs.url` names, checked.
    func openData(_ configuration: Configuration) async throws -> (any ServerCatalog, any BlobStore) {
        let catalog = try await openCatalog(configuration)
        return (catalog, try await openBlobs(configuration))
    }

    /// The blob store `blobs.url` names (default: `blobs/` in the data directory), once it has answered
    /// that it can take files. A bucket that does not answer, or refuses these keys, is a configuration
    /// error naming the bucket's URL and the server's answer, never the secret.
    func openBlobs(_ configuration: Configuration) async throws -> any BlobStore {
        try await checked(try blobStore(configuration), named: "blobs.url")
    }

    /// `store`, once it has answered that it can take files; else a configuration error named by `setting`.
    func checked(_ store: any BlobStore, named setting: String) async throws -> any BlobStore {
        do { try await store.checkAvailable() } catch {
            throw CommandFailure(.configError, "\(setting) \(error)")
        }
        return store
    }

    /// Where `blobs.url` says blobs are (default: `blobs/` in the data directory).
    func blobsLocation(_ configuration: Configuration) throws -> BlobsLocation {
        do {
            return try BlobsLocation(parsing: configuration.string(ConfigKeys.blobsURL) ?? "file:blobs", dataDirectory: dataDirectory(configuration).root)
        } catch {
            throw CommandFailure(.configError, error.description)
        }
    }

    /// The blob store `blobs.url` names, not yet asked anything (a local folder is created).
    func blobStore(_ configuration: Configuration) throws -> any BlobStore {
        try blobStore(at: try blobsLocation(configuration), configuration,
                      keys: configuration.string(ConfigKeys.s3AccessKeyID), configuration.string(ConfigKeys.s3SecretAccessKey),
                      named: "blobs.url", keysFrom: "s3.access_key_id and s3.secret_access_key (or HOSO_S3_ACCESS_KEY_ID and HOSO_S3_SECRET_ACCESS_KEY)")
    }

    /// The blob store at `location`, not yet asked anything: a folder (created), or a bucket opened with the
    /// key pair given, which must be there (`keysFrom` says where it is looked for).
    func blobStore(at location: BlobsLocation, _ configuration: Configuration, keys accessKeyID: String?, _ secretAccessKey: String?,
                   named setting: String, keysFrom: String) throws -> any BlobStore {
        switch location {
        case .folder(let root):
            return try LocalBlobStore(root: root)
        case .bucket(let bucket):
            guard let accessKeyID, let secretAccessKey else {
                throw CommandFailure(.configError, "\(setting) \(bucket) needs \(keysFrom)")
            }
            let client = S3Client(location: bucket, credentials: S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
            return S3BlobStore(client: client, scratch: dataDirectory(configuration).workRoot.appendingPathComponent("blobs", isDirectory: true))
        }
    }

    /// The intake for a data directory, with the configured normalizer: in this process, or in `workers`
    /// (the daemons).
    func intake(_ directory: DataDirectory, _ catalog: any Catalog, _ blobs: any BlobStore, _ configuration: Configuration,
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
