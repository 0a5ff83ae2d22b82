import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore

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
                leaves the next event naming a predecessor that is not there. For each broken case the \
                first such event is named; the exit status is then 1.

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
                print("audit: \(report.cases) case(s), \(report.events) event(s) checked, \(report.breaks.count) broken chain(s)")
                if !report.breaks.isEmpty { throw ExitCode(1) }
            }
        }
    }
}
