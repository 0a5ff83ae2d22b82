import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoSignature

/// `hoso audit`: the case trails' tamper evidence.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the case trails' hash chains.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk every case's chain of events (or one case's) and name where it breaks; exit 1 if any does.",
            discussion: """
                Each event carries the SHA-256 of the case's previous event and its own, over the row as \
                stored. An event edited in the database no longer gives its hash; one removed, or moved, \
                leaves the next event naming a predecessor that is not there; one removed at the end is \
                found by the chain heads an RFC 3161 timestamp server stamped (audit.tsa_url): each case \
                must still reach its last stamped head. For each broken case the first such event is \
                named; each stamp's list of heads is checked against its token, and the token against \
                the trust anchors (trust.anchors, where the TSA's root goes). Any problem: exit 1.

                Example:
                  hoso audit verify --case 000.00.14.H27-240815-0007
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("case"), help: "Only this case's chain.")
        var caseID: String?

        func run() async throws {
            try await reportingFailures {
                let only = try caseID.map { try parseCaseID($0, for: "--case") }
                let configuration = try global.loadConfiguration()
                let catalog = try await global.openCatalog(configuration)
                if let only, try await catalog.fetchCase(only) == nil {
                    throw CommandFailure(.unknownCase, "case \(only) is not in the catalog")
                }
                let progress = ProgressLine()
                let report = try await ChainAudit(catalog: catalog).verify(caseID: only) { checked in
                    progress.doing("\(checked) events checked")
                }
                progress.finish()
                for found in report.breaks { print("BROKEN \(found)") }
                let trust = TrustStore(anchors: configuration.string(ConfigKeys.trustAnchors).map { URL(fileURLWithPath: $0, isDirectory: true) })
                var stamps = 0, badStamps = 0
                for stamp in try await catalog.stamps() {
                    guard let id = stamp.id else { continue }
                    stamps += 1
                    if let problem = try await Self.problem(with: stamp, heads: try await catalog.stampHeads(of: id), trust: trust) {
                        badStamps += 1
                        print("BAD STAMP \(id) of \(Output.time(stamp.stampedAt)): \(problem)")
                    }
                }
                print("audit: \(report.cases) case(s), \(report.events) event(s) checked, \(report.breaks.count) broken chain(s); "
                      + "\(stamps) stamp(s) checked, \(badStamps) bad")
                if !report.breaks.isEmpty || badStamps > 0 { throw ExitCode(1) }
            }
        }

        /// What is wrong with a stamp, if anything: its heads changed since, or its token is not over them
        /// or not from a trusted timestamp server.
        static func problem(with stamp: ChainStamp, heads: [ChainHead], trust: TrustStore) async throws -> String? {
            guard ChainStamp.digest(of: heads).hex == stamp.digest else { return "its list of heads was changed after it was stamped" }
            guard let token = Data(base64Encoded: stamp.token) else { return "its token is not base64" }
            let text = ChainStamp.text(of: heads)
            switch await offThread({ BytesTimestamp.check(Array(token), over: text, trust: trust) }) {
            case .valid: return nil
            case .otherBytes: return "its token is over other heads"
            case .unusable(let why): return "its token cannot be relied on: \(why)"
            }
        }
    }
}
