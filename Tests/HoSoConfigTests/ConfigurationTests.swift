import Foundation
import HoSoConfig
import HoSoTestSupport
import Testing

@Suite struct ConfigurationTests {
    private func file(_ yaml: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hoso-\(UUID()).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func defaults_applyWithoutFileOrEnvironment() throws {
        let configuration = try Configuration.load(file: nil, environment: [:])
        #expect(configuration.string(ConfigKeys.data) == "./var")
        #expect(configuration.string(ConfigKeys.ingestStation) == "cli")
        #expect(configuration.string(ConfigKeys.actor) == nil)
        #expect(configuration.entries.allSatisfy { $0.source == .defaultValue })
    }

    @Test func environment_overridesFile_overridesDefault() throws {
        let url = try file("""
            data: /srv/hoso
            ingest:
              station: scan-01
              max_input_bytes: 1000
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let configuration = try Configuration.load(
            file: url, environment: ["HOSO_INGEST_STATION": "scan-09", "HOSO_UNRELATED": "x"]
        )
        #expect(configuration.string(ConfigKeys.data) == "/srv/hoso")
        #expect(configuration.string(ConfigKeys.ingestStation) == "scan-09")
        #expect(configuration.integer(ConfigKeys.ingestMaxInputBytes) == 1000)
        let station = try #require(configuration.entries.first { $0.key == ConfigKeys.ingestStation })
        #expect(station.source == .environment("HOSO_INGEST_STATION"))
    }

    @Test func everyProblem_isReported_namingItsKey() throws {
        let url = try file("""
            data: /srv/hoso
            ingest:
              statoin: scan-01
              max_input_bytes: lots
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) {
            try Configuration.load(file: url, environment: ["HOSO_DATA": ""])
        }
        let keys = Set(error.problems.map(\.key))
        #expect(keys == ["ingest.statoin", "ingest.max_input_bytes", "HOSO_DATA"])
        #expect(error.description.contains("ingest.statoin: is not a known setting; did you mean ingest.station?"))
        #expect(error.description.contains("'lots' is not an integer"))
    }

    @Test func anUnknownKey_suggestsTheNearestKnownOne_onlyWhenNear() throws {
        let url = try file("server:\n  prot: 8080\nsevrer:\n  host: x\nfrobnicate: 1\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(file: url, environment: [:]) }
        let reasons = Dictionary(uniqueKeysWithValues: error.problems.map { ($0.key, $0.reason) })
        #expect(reasons["server.prot"] == "is not a known setting; did you mean server.port?")
        #expect(reasons["sevrer.host"] == "is not a known setting; did you mean server.host?")
        #expect(reasons["frobnicate"] == "is not a known setting (see `hoso config check`)", "nothing near enough")
    }

    @Test func outOfRangeNumbers_areRefused() throws {
        let error = try #require(throws: ConfigError.self) {
            try Configuration.load(file: nil, environment: ["HOSO_NORMALIZE_FLATE_LEVEL": "12"])
        }
        #expect(error.description == "HOSO_NORMALIZE_FLATE_LEVEL: 12 is out of range (1 to 9)")
    }

    @Test func brokenYAML_isOneProblemNamingTheFile() throws {
        let url = try file("data: [unclosed\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(file: url, environment: [:]) }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].key == url.path)
    }

    /// Found by fuzzing (`make fuzz`, target config): a key that is a mapping or a list crashed Yams'
    /// dictionary construction, and with it every command that reads the configuration (SIGILL).
    @Test(arguments: ["? {isolation: 1}\n: true\n", "results:\n  ? [allow_pending]\n  : true\n", "stations:\n  - ? {id: a}\n    : b\n"])
    func keysThatAreMappingsOrLists_areRefusedNamingTheLine(_ yaml: String) throws {
        let url = try file(yaml)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(file: url, environment: [:]) }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].key == url.path && error.problems[0].reason.contains("a key must be a plain name"), "\(error)")
    }

    /// Found by fuzzing too: YAML 1.1 reads `1:30` as a base-60 integer, and Yams multiplies its digits
    /// without overflow checks: the fuzzer's file, that number alone, crashed the loader (SIGILL).
    @Test func aBase60NumberThatOverflows_isNotAConfiguration() throws {
        let url = try file("+5044422222222222199:5")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(file: url, environment: [:]) }
        #expect(error.problems.count == 1 && error.problems[0].reason == "top level must be a mapping of keys", "\(error)")
    }

    /// A number that does not fit an integer setting is refused as not an integer.
    @Test func numbersTooLargeForAnInteger_areRefusedNamingTheKey() throws {
        let url = try file("server:\n  port: +5044422222222222199:5\nnormalize:\n  max_pages: 99999999999999999999999\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(file: url, environment: [:]) }
        #expect(error.problems.map(\.key).sorted() == ["normalize.max_pages", "server.port"], "\(error)")
        #expect(error.problems.allSatisfy { $0.reason.contains("is not an integer") }, "\(error)")
    }

    /// Relative paths in the file are the file's folder's, whatever folder the process started in; those
    /// from the environment and absolute ones are kept as given.
    @Test func relativePathsInTheFile_areTakenFromItsFolder() throws {
        let folder = try makeTemporaryDirectory("config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("hoso.yaml")
        try """
            data: ../lib/hoso
            trust:
              anchors: trust/anchors
              crls: /etc/hoso/crls
            stations:
              - id: scan-01
                inbox: inbox/scan-01
                ignore: ["*.tmp"]
              - id: scan-02
                inbox: /srv/scan-02
            """.write(to: url, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(file: url, environment: ["HOSO_SERVER_TLS_KEY": "relative/key.pem"])
        #expect(configuration.string(ConfigKeys.data) == folder.deletingLastPathComponent().appendingPathComponent("lib/hoso").path)
        #expect(configuration.string(ConfigKeys.trustAnchors) == folder.appendingPathComponent("trust/anchors").path)
        #expect(configuration.string(ConfigKeys.trustCRLs) == "/etc/hoso/crls")
        #expect(configuration.string(ConfigKeys.serverTLSKey) == "relative/key.pem", "the environment's, as given")
        let stations = try #require(configuration.list(ConfigKeys.stations))
        #expect(stations.map { $0["inbox"] ?? [] } == [[folder.appendingPathComponent("inbox/scan-01").path], ["/srv/scan-02"]])
        #expect(stations[0]["ignore"] == ["*.tmp"], "only path fields change")
    }

    @Test func environmentNames_followTheKeyPath() {
        #expect(ConfigKeys.ingestMaxInputBytes.environmentName == "HOSO_INGEST_MAX_INPUT_BYTES")
        #expect(ConfigKeys.data.environmentName == "HOSO_DATA")
    }

    @Test func theShippedConfigFile_passesTheCheck() throws {
        let shipped = packageRoot.appendingPathComponent("Config/hoso.yaml")
        let configuration = try Configuration.load(file: shipped, environment: [:])
        #expect(configuration.entries.contains { if case .file = $0.source { true } else { false } })
        #expect(configuration.string(ConfigKeys.data) == packageRoot.appendingPathComponent("var").path, "the checkout's var/")
    }
}
