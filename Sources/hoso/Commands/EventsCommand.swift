import ArgumentParser
import HoSoCatalog
import HoSoCore

/// `hoso events`: a case's trail, in the order things happened.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Show a case's events in time order, with their real times and actors.",
        discussion: """
            Example:
              hoso events 000.00.14.H27-240815-0007
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Case ID.", valueName: "id"))
    var caseID: String

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let id = try parseCaseID(caseID)
            let catalog = try await global.openCatalog(configuration)
            guard try await catalog.fetchCase(id) != nil else { throw CatalogError.unknownCase(id) }
            let events = try await catalog.events(of: id)
            if json { return try Output.json(events) }
            Output.table(
                ["TIME", "EVENT", "ACTOR", "DETAILS"],
                events.map { event in
                    [Output.time(event.time), event.kind.rawValue, event.actor,
                     event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")]
                }
            )
        }
    }
}
