import ArgumentParser
import Foundation
import HoSoConfig

/// `hoso config`: shows the effective configuration.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration and where each value comes from; exit 78 on errors.",
            discussion: """
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
                    configuration.entries.map {
                        [$0.key.path, $0.value?.description ?? "(unset)", $0.source.description,
                         $0.key.environmentName, $0.key.summary]
                    }
                )
                if let data = global.data { print("--data \(data) overrides data for this command") }
                for warning in Self.warnings(configuration) {
                    FileHandle.standardError.write(Data("hoso: WARNING: \(warning)\n".utf8))
                }
            }
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
