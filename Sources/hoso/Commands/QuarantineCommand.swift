import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore

/// `hoso quarantine`: scans no case could be found for, and what a person decides about them.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List quarantined scans; assign one to a case or reject it.",
        subcommands: [List.self, Assign.self, Reject.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List quarantined scans, oldest first.",
            discussion: "Example:\n  hoso quarantine list --json"
        )

        @OptionGroup var global: GlobalOptions

        // Not `--all`: in `hoso cases list` that means every page.
        @Flag(name: .customLong("include-resolved"), help: "Include entries already assigned or rejected.")
        var includeResolved = false

        @Flag(help: "Print as JSON.")
        var json = false

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let catalog = try await global.openCatalog(configuration)
                let entries = try await catalog.quarantine(includeResolved: includeResolved)
                if json { return try Output.json(entries) }
                if entries.isEmpty { return print("quarantine is empty") }
                Output.table(
                    ["QID", "STATION", "FILE", "REASON", "SINCE", "DETAIL"],
                    entries.map {
                        [String($0.id ?? 0), $0.station, $0.sourceFileName, $0.reason.rawValue, Output.time($0.quarantinedAt), $0.detail]
                    }
                )
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a quarantined scan to a case: it becomes that case's document.",
            discussion: "Example:\n  hoso quarantine assign 12 --case 000.00.14.H27-240815-0007 --component \"Đơn đăng ký\""
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Quarantine entry number (QID).", valueName: "qid"))
        var id: Int64

        @Option(name: .customLong("case"), help: ArgumentHelp("Case ID.", valueName: "id"))
        var caseID: String

        @Option(help: ArgumentHelp("Input component the scan is.", valueName: "name"))
        var component: String?

        @Flag(name: .customLong("create-case"), help: "Create the case when it is not in the catalog (else exit 69).")
        var createCase = false

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let caseID = try parseCaseID(self.caseID)
                let catalog = try await global.openCatalog(configuration)
                if !createCase, try await catalog.fetchCase(caseID) == nil {
                    throw CommandFailure(.unknownCase, "case \(caseID) is not in the catalog; check the ID, or assign with --create-case")
                }
                switch try await catalog.assignQuarantined(id, to: caseID, component: component, actor: global.actor(configuration), at: Date()) {
                case .stored(let document): print("assigned quarantine \(id) to \(caseID) as document \(document.id ?? 0)")
                case .duplicate(let earlier): print("assigned quarantine \(id) to \(caseID): same bytes as its document \(earlier.id ?? 0)")
                }
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a quarantined scan; it stays on record with the reason.",
            discussion: "Example:\n  hoso quarantine reject 12 --reason \"blank page scanned by mistake\""
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Quarantine entry number (QID).", valueName: "qid"))
        var id: Int64

        @Option(help: ArgumentHelp("Why it is rejected.", valueName: "text"))
        var reason: String

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CommandFailure(.usage, "--reason must not be empty") }
                let catalog = try await global.openCatalog(configuration)
                try await catalog.rejectQuarantined(id, reason: reason, actor: global.actor(configuration), at: Date())
                print("rejected quarantine \(id)")
            }
        }
    }
}
