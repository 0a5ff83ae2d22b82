import ArgumentParser
import Foundation
import HoSoCore
import HoSoImaging

/// `hoso normalize`: turns scans into archival PDFs and thumbnails, without touching any data directory.
struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Turn scans (TIFF, JPEG, PNG, PDF) into archival PDFs (PDF/A-2b) and PNG thumbnails.",
        discussion: """
            Writes OUTDIR/<name>.pdf and OUTDIR/<name>.thumb.png for each input; a failed input leaves \
            neither. JPEG data is copied, never re-encoded; G4 pages are coded again by libtiff; everything \
            else is compressed losslessly. Several inputs are normalized at once (--jobs), reported in \
            the order given. Each failure is one line naming the file; the exit code is the first \
            failure's: 65 bad or unsupported input, 66 missing input, 74 I/O error.

            Example:
              hoso normalize ban-do-a0.tif don.jpg -o out/ --json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Scans to normalize.", valueName: "file"))
    var inputs: [String]

    @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var outputDirectory: String

    @Flag(help: "Print each document's metadata as JSON.")
    var json = false

    @Option(help: ArgumentHelp("How many inputs to normalize at once (default: one per processor).", valueName: "n"))
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs: \(jobs) is not a number of inputs; give 1 or more") }
    }

    /// What `--json` prints per input.
    struct Report: Encodable {
        let input: String
        let pdf: String
        let thumbnail: String
        let metadata: DocumentMetadata
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            let normalizer = configuration.normalizer
            let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
            let names = inputs.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
            if let clash = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 }) {
                throw CommandFailure(.usage, "two inputs would both write \(clash.key).pdf; normalize them into different folders")
            }
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(.ioError, "\(directory.path): \(error.localizedDescription)")
            }
            var reports: [Report] = []
            var firstFailure: ExitStatus?
            // Each input is normalized on a thread of its own (blocking work, never on the concurrency pool),
            // `jobs` at a time; outcomes are reported in the order the inputs were given.
            let width = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, inputs.count)
            let work = zip(inputs, names).map { input, name in
                (input: input, pdf: directory.appendingPathComponent("\(name).pdf"), thumbnail: directory.appendingPathComponent("\(name).thumb.png"))
            }
            let progress = ProgressLine()
            defer { progress.finish() }
            await withTaskGroup(of: (Int, Result<DocumentMetadata, NormalizeError>).self) { group in
                var started = 0
                func startNext() {
                    let (index, job) = (started, work[started])
                    started += 1
                    progress.doing("normalizing \((job.input as NSString).lastPathComponent)", step: index + 1, of: work.count)
                    group.addTask {
                        await (index, offThread {
                            Result { () throws(NormalizeError) in
                                try normalizer.normalize(URL(fileURLWithPath: job.input), pdf: job.pdf, thumbnail: job.thumbnail)
                            }
                        })
                    }
                }
                while started < width { startNext() }
                var finished: [Int: Result<DocumentMetadata, NormalizeError>] = [:]
                var reported = 0
                for await (index, outcome) in group {
                    finished[index] = outcome
                    while let outcome = finished.removeValue(forKey: reported) {
                        let job = work[reported]
                        reported += 1
                        // Its result line is the step's line (standard output, or the error's).
                        progress.clear()
                        switch outcome {
                        case .success(let metadata):
                            reports.append(Report(input: job.input, pdf: job.pdf.path, thumbnail: job.thumbnail.path, metadata: metadata))
                            if !json { print(Self.summary(input: job.input, pdf: job.pdf, metadata: metadata)) }
                        case .failure(let error):
                            firstFailure = firstFailure ?? Self.status(of: error)
                            FileHandle.standardError.write(Data("hoso: \(error)\n".utf8))
                        }
                    }
                    if started < work.count { startNext() }
                }
            }
            if json { try Output.json(reports) }
            if let firstFailure { throw ExitCode(firstFailure.rawValue) }
        }
    }

    static func status(of error: NormalizeError) -> ExitStatus {
        switch error {
        case .missing: .noInput
        case .io: .ioError
        case .unsupported, .corrupt, .overLimit, .encrypted, .crashed: .dataError
        }
    }

    private static func summary(input: String, pdf: URL, metadata: DocumentMetadata) -> String {
        let pages = metadata.pages
        let kinds = Set(pages.map(\.encoding)).sorted().joined(separator: "+")
        let papers = Set(pages.map(\.paper.rawValue)).sorted().joined(separator: ",")
        var line = "\(input) → \(pdf.path)  \(pages.count) page(s) \(papers) [\(kinds)]  \(Output.bytes(metadata.outputByteCount))"
        let warnings = Set(metadata.warnings + pages.flatMap(\.warnings))
        if !warnings.isEmpty { line += "\n  warning: " + warnings.sorted().joined(separator: "\n  warning: ") }
        return line
    }
}
