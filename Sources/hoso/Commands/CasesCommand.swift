import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore

/// `hoso cases`: lists cases and shows one with its documents.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "List cases, or show one with its documents.",
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases, newest first, a page at a time.",
            discussion: """
                A page holds --limit cases; when there are more, the command for the next page is printed on
                standard error (standard output holds only the cases). --all lists every page.

                Example:
                  hoso cases list --status open --json
                  hoso cases list --limit 50 --cursor <the previous page's cursor>
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only cases in this status: open, result_attached, returned.", valueName: "status"))
        var status: String?

        @Option(help: ArgumentHelp("Cases on a page, \(PageLimit.allowed.lowerBound) to \(PageLimit.allowed.upperBound).", valueName: "n"))
        var limit = PageLimit.standard

        @Option(help: ArgumentHelp("Go on after the page that gave this cursor.", valueName: "cursor"))
        var cursor: String?

        @Flag(help: "List every page.")
        var all = false

        @Flag(help: "Print as JSON.")
        var json = false

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                guard PageLimit.allowed.contains(limit) else {
                    throw CommandFailure(.usage, "--limit \(limit) is not from \(PageLimit.allowed.lowerBound) to \(PageLimit.allowed.upperBound)")
                }
                var query = CaseQuery(limit: limit)
                if let cursor {
                    do { query.after = try CaseCursor(encoded: cursor) } catch { throw CommandFailure(.usage, "--cursor: \(error)") }
                }
                if let status {
                    guard let parsed = CaseStatus(rawValue: status) else {
                        throw CommandFailure(.usage, "--status '\(status)' is not one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    query.status = parsed
                }
                let catalog = try await global.openCatalog(configuration)
                let page = all ? CasePage(cases: try await catalog.allCases(query), next: nil) : try await catalog.casePage(query)
                let summaries = page.cases
                if let next = page.next {
                    let status = self.status.map { " --status \($0)" } ?? ""
                    FileHandle.standardError.write(Data("more: hoso cases list\(status) --limit \(limit) --cursor \(next.encoded)\n".utf8))
                }
                if json { return try Output.json(summaries) }
                if summaries.isEmpty { return print("no cases") }
                Output.table(
                    ["CASE ID", "STATUS", "DOCS", "PROCEDURE", "FIRST SEEN"],
                    summaries.map {
                        [$0.case.id.description, $0.case.status.rawValue, String($0.documentCount),
                         $0.case.procedureCode?.rawValue ?? "-", Output.time($0.case.createdAt)]
                    }
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a case and its documents.",
            discussion: """
                Example:
                  hoso cases show 000.00.14.H27-240815-0007 --json
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Case ID.", valueName: "id"))
        var caseID: String

        @Flag(help: "Print as JSON.")
        var json = false

        /// What `--json` prints.
        struct Details: Encodable {
            let `case`: Case
            let documents: [Document]
        }

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let id = try parseCaseID(caseID)
                let catalog = try await global.openCatalog(configuration)
                guard let found = try await catalog.fetchCase(id) else { throw CatalogError.unknownCase(id) }
                let documents = try await catalog.documents(of: id)
                if json { return try Output.json(Details(case: found, documents: documents)) }
                print("case       \(found.id)  (received \(found.id.receivedOn), agency \(found.id.agency))")
                print("decided by \(found.decidingAgency)\(found.resolvingAgency == nil ? " (the receiving agency)" : " (resolving agency)")")
                print("status     \(found.status.rawValue)")
                print("procedure  \(found.procedureCode?.rawValue ?? "- (not registered)")")
                if let applicant = found.applicant { print("applicant  \(applicant.name) (\(applicant.idNumber))") }
                if let due = found.dueAt { print("due        \(Output.time(due))") }
                print("first seen \(Output.time(found.createdAt))")
                print("")
                if documents.isEmpty { return print("no documents") }
                Output.table(
                    ["#", "FILE", "COMPONENT", "SIZE", "PAGES", "PAPER", "STATION", "STORED", "SHA-256"],
                    documents.map {
                        [String($0.id ?? 0), $0.sourceFileName, $0.component ?? "-", Output.bytes($0.byteCount),
                         $0.pageCount.map(String.init) ?? "?",
                         $0.normalized.map { Set($0.metadata.pages.map(\.paper.rawValue)).sorted().joined(separator: ",") } ?? "-",
                         $0.station, Output.time($0.storedAt), $0.sha256.hex]
                    }
                )
            }
        }
    }
}
