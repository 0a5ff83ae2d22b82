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
            Each file is normalized to an archival PDF (see `hoso normalize`), and the original, the PDF and \
            its thumbnail are stored. Every file is checked before any is stored: a bad case ID or a bad \
            scan exits 65, a missing or unreadable file exits 66, and then nothing is stored. The original \
            files are read, never changed.

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
            let (catalog, blobs) = try await global.openData(configuration)
            let intake = global.intake(global.dataDirectory(configuration), catalog, blobs, configuration)
            // Every file is normalized before any is stored: one bad scan stores nothing.
            var prepared: [PreparedFile] = []
            let progress = ProgressLine()
            defer { progress.finish() }
            for (index, file) in files.enumerated() {
                let name = (file as NSString).lastPathComponent, started = ContinuousClock.now
                progress.doing("normalizing \(name)", step: index + 1, of: files.count)
                prepared.append(try await intake.prepare(URL(fileURLWithPath: file), title: DocumentIntake.title(id, component)))
                progress.done("\(name): normalized in \(ProgressLine.seconds(since: started))", step: index + 1, of: files.count)
            }
            let actor = global.actor(configuration)
            let stationName = station ?? configuration.string(ConfigKeys.ingestStation) ?? "cli"
            var results: [IntakeResult] = []
            for file in prepared {
                let result = try await intake.store(file, caseID: id, component: component, station: stationName, actor: actor, at: Date())
                results.append(result)
                if !json { print(Self.line(for: result, file: file.source)) }
            }
            if json { try Output.json(results.map(\.document)) }
        }
    }

    private static func line(for result: IntakeResult, file: URL) -> String {
        switch result {
        case .stored(let document):
            "stored     \(file.path) → \(document.caseID)  sha256 \(document.sha256)  \(Output.bytes(document.byteCount))"
                + (document.normalized.map { "\n           archival PDF \($0.pdf)  \($0.metadata.pageCount) page(s)  \(Output.bytes($0.pdfByteCount))" } ?? "")
        case .duplicate(let earlier, _):
            "duplicate  \(file.path) → \(earlier.caseID)  same bytes as document \(earlier.id ?? 0) (\(earlier.sourceFileName))"
        }
    }
}
