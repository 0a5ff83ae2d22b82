import ArgumentParser
import HoSoWorkers

/// `hoso parse-worker`: one of the child processes `hoso serve` and `hoso watch` parse untrusted files
/// in. Not for people: it reads its setup and requests as lines of JSON on standard input.
struct ParseWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-worker",
        abstract: "Parse scans and results for a daemon, in a child process with memory and CPU limits (internal).",
        shouldDisplay: false
    )

    func run() throws {
        let status = ParserWorker.run()
        if status != 0 { throw ExitCode(status) }
    }
}
