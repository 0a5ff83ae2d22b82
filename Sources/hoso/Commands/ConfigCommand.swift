import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoCore

/// `hoso config`: shows the effective configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration and where each value comes from, and check it before a start; exit 78 on errors.",
            discussion: """
                The catalog and the blob store are looked at, never created: a bucket must answer to the keys \
                given (exit 78 with its URL and the server's answer otherwise), a folder must be writable. \
                Each station's inbox must be a folder this user can write in (or create), trust.anchors must \
                hold a certificate, signing.seal_image must be a PNG with transparency, and server.tls_key must \
                be server.tls_certificate's key; every problem is named before the exit.


                Every key in the file can be overridden by an environment variable: HOSO_ and the key in \
                upper case with dots as underscores (data → HOSO_DATA, ingest.station → HOSO_INGEST_STATION).

                Example:
                  HOSO_INGEST_STATION=scan-02 hoso config check --config Config/hoso.yaml
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                print("configuration file: \(global.configFile?.path ?? "(none)")")
                Output.table(
                    ["KEY", "VALUE", "FROM", "ENVIRONMENT", "MEANING"],
                    configuration.entries.map { entry in
                        [entry.key.path, entry.value.map(entry.key.shown) ?? "(unset)",
                         entry.source.description, entry.key.environmentName, entry.key.summary]
                    }
                )
                if let data = global.data { print("--data \(data) overrides data for this command") }
                try await checkCatalog(configuration)
                try await checkBlobs(configuration)
                for warning in Self.warnings(configuration) {
                    FileHandle.standardError.write(Data("hoso: WARNING: \(warning)\n".utf8))
                }
                // This year's lunar holidays are data an office adds when they are decided.
                if let calendar = try? Preflight.workCalendar(configuration) {
                    let year = CivilDate(vietnam: Date()).parts.year
                    if !calendar.listed.daysOff.keys.contains(where: { $0.parts.year == year }) {
                        FileHandle.standardError.write(Data(("hoso: WARNING: calendar.holidays lists no day off in \(year): add this year's decision "
                                                             + "(Tết, Giỗ Tổ Hùng Vương), or working days will count them\n").utf8))
                    }
                }
                // Every problem named, then one exit status for all of them.
                let problems = Preflight.problems(configuration)
                for problem in problems {
                    FileHandle.standardError.write(Data("hoso: \(problem)\n".utf8))
                }
                if !problems.isEmpty { throw CommandFailure(.configError, "\(problems.count) problem(s) in the configuration") }
                print("configuration: no problems found")
            }
        }

        /// Says where the catalog is and what schema it has, without creating or migrating anything.
        func checkCatalog(_ configuration: Configuration) async throws {
            switch try global.catalogLocation(configuration) {
            case .sqlite(let path):
                print("catalog: sqlite:\(path) " + (FileManager.default.fileExists(atPath: path) ? "(created)" : "(not created yet: run hoso init)"))
            case .postgres(let url):
                let migrations: [String]
                do { migrations = try await PostgresCatalog.appliedMigrations(at: url) } catch {
                    guard case .unavailable(let path, let reason) = error else { throw error }
                    throw CommandFailure(.configError, "catalog.url \(path): \(reason)")
                }
                print("catalog: \(url) " + (migrations.isEmpty ? "(answers; no HoSo schema yet: run hoso init)"
                                            : "(answers; schema \(migrations.last!), \(migrations.count) migrations)"))
            }
        }

        /// Says where blobs go and whether the store takes files, without creating anything.
        func checkBlobs(_ configuration: Configuration) async throws {
            switch try global.blobsLocation(configuration) {
            case .folder(let root):
                guard FileManager.default.fileExists(atPath: root.path) else {
                    print("blobs: file:\(root.path) (not created yet: run hoso init)")
                    return
                }
                guard FileManager.default.isWritableFile(atPath: root.path) else {
                    throw CommandFailure(.configError, "blobs.url file:\(root.path): not writable")
                }
            case .bucket:
                _ = try await global.openBlobs(configuration)
            }
            print("blobs: \(try global.blobsLocation(configuration)) takes files")
        }

        /// Settings that weaken the return gate, said loudly.
        static func warnings(_ configuration: Configuration) -> [String] {
            var warnings: [String] = []
            if configuration.boolean(ConfigKeys.resultsRequireRegisteredSigner) == false {
                warnings.append("results.require_registered_signer is false: for an agency with no registered signer, ANY certificate "
                                + "that chains to trust.anchors (every citizen's and company's) opens the return gate")
            }
            if configuration.boolean(ConfigKeys.resultsRequireCaseBinding) == false {
                warnings.append("results.require_case_binding is false: a signed result of one case can be attached to, and return, another case")
            }
            return warnings
        }
    }
}
