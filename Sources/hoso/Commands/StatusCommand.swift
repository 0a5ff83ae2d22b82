import ArgumentParser
import HoSoCatalog

/// `hoso status`: what each station's queue holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each station's files: queued, running, done, quarantined, failed, last activity.",
        discussion: "Example:\n  hoso status --json"
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let catalog = try await global.openCatalog(configuration)
            let activity = try await catalog.stationActivity()
            if json { return try Output.json(activity) }
            if activity.isEmpty { return print("no station has handed in a file yet") }
            Output.table(
                ["STATION", "QUEUED", "RUNNING", "DONE", "QUARANTINED", "FAILED", "LAST ACTIVITY"],
                activity.map {
                    [$0.station, String($0.queued), String($0.running), String($0.done), String($0.quarantined), String($0.failed),
                     $0.lastActivity.map(Output.time) ?? "-"]
                }
            )
        }
    }
}
