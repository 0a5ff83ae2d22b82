import ArgumentParser
import HoSoCatalog

/// `hoso init`: creates a data directory with its catalog and blob store.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data directory: catalog.sqlite and blobs/.",
        discussion: """
            Safe to run again: an existing directory is opened and its schema brought up to date.

            Example:
              hoso init --data /srv/hoso
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let directory = global.dataDirectory(configuration)
            let existed = directory.exists
            _ = try directory.create()
            print("\(existed ? "opened" : "created") \(directory.root.path) (catalog.sqlite, blobs/)")
        }
    }
}
