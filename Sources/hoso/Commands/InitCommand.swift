import ArgumentParser
import Foundation
import HoSoBlobs
import HoSoCatalog

/// `hoso init`: creates a data directory with its catalog, and the blob store `blobs.url` names.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data directory (catalog.sqlite, work area) and the blob store: blobs/, or blobs.url's bucket.",
        discussion: """
            Safe to run again: an existing directory is opened and its schema brought up to date; a bucket \
            that exists and answers to these keys is used as it is.

            Examples:
              hoso init --data /srv/hoso
              HOSO_BLOBS_URL='s3://hoso?endpoint=http://10.0.0.5:8333' HOSO_S3_ACCESS_KEY_ID=… \\
                HOSO_S3_SECRET_ACCESS_KEY=… hoso init --data /srv/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let location = try global.catalogLocation(configuration)
            let existed: Bool
            switch location {
            case .sqlite(let path): existed = FileManager.default.fileExists(atPath: path)
            case .postgres: existed = true
            }
            _ = try await global.openCatalog(configuration, create: true)
            print("catalog: \(existed ? "opened" : "created") \(location) (schema up to date)")
            let blobs = try global.blobStore(configuration)
            if let bucket = blobs as? S3BlobStore {
                do { try await bucket.client.createBucket() } catch {
                    throw CommandFailure(.configError, "blobs.url \(bucket.address): \(error)")
                }
            }
            _ = try await global.openBlobs(configuration)
            print("blobs: \(blobs.address) takes files")
        }
    }
}
