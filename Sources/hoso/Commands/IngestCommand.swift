import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoConfig
import HoSoCore
import HoSoIngest

/// `hoso ingest`: stores files as documents of one case.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store scanned files as documents of a case.",
        discussion: """
            Every file is checked before any is stored: a bad case ID exits 65, a missing or unreadable \
            file exits 66, and then nothing is stored. The original files are read, never changed.

            Example:
              hoso ingest don.tif --case 000.00.14.H27-240815-0007 --component "Đơn đăng ký"
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Files to store.", valueName: "file"))
    var files: [String]

    @Option(name: .customLong("case"), help: ArgumentHelp("Case ID, e.g. 000.00.14.H27-240815-0007.", valueName: "id"))
    var caseID: String

    @Option(help: ArgumentHelp("Input component (thành phần hồ sơ) the files are.", valueName: "name"))
    var component: String?

    @Option(help: ArgumentHelp("Station the files come from (default: ingest.station, `cli`).", valueName: "name"))
    var station: String?

    @Flag(help: "Print the stored documents as JSON.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let id = try parseCaseID(caseID, for: files.joined(separator: ", "))
            let (catalog, blobs) = try global.openData(configuration)
            let intake = DocumentIntake(
                catalog: catalog, blobs: blobs,
                maximumInputBytes: Int64(configuration.integer(ConfigKeys.ingestMaxInputBytes) ?? Int.max)
            )
            let urls = files.map { URL(fileURLWithPath: $0) }
            for url in urls { try intake.check(url) }

            let actor = global.actor(configuration)
            let stationName = station ?? configuration.string(ConfigKeys.ingestStation) ?? "cli"
            var results: [IntakeResult] = []
            for url in urls {
                let result = try await intake.ingest(
                    url, caseID: id, component: component, station: stationName, actor: actor, at: Date()
                )
                results.append(result)
                if !json { print(Self.line(for: result, file: url)) }
            }
            if json { try Output.json(results.map(\.document)) }
        }
    }

    private static func line(for result: IntakeResult, file: URL) -> String {
        switch result {
        case .stored(let document):
            "stored     \(file.path) → \(document.caseID)  sha256 \(document.sha256)  \(Output.bytes(document.byteCount))"
        case .duplicate(let earlier, _):
            "duplicate  \(file.path) → \(earlier.caseID)  same bytes as document \(earlier.id ?? 0) (\(earlier.sourceFileName))"
        }
    }
}
