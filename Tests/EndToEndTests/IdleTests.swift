import Foundation
import HoSoTestSupport
import Testing

/// An idle daemon uses no CPU: `hoso watch` and `hoso serve`, each with an empty station, measured from
/// `/proc` over a few seconds.
@Suite struct IdleTests {
    let work: URL

    init() async throws {
        work = try makeTemporaryDirectory("idle")
        let inbox = work.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try """
            data: ./var
            stations:
              - id: scan-01
                inbox: \(inbox.path)
                mode: inotify
            """.write(to: work.appendingPathComponent("hoso.yaml"), atomically: true, encoding: .utf8)
        #expect(try await HoSoProcess.run(["init", "--config", "hoso.yaml"], in: work).status == 0)
    }

    /// User + system CPU seconds `pid` has used so far.
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th overall.
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        return (Double(fields[11])! + Double(fields[12])!) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The waits are awaits: a `sleep` here held one of the test pool's two threads for 9 s, and with both
    /// arguments at once, every other test's tasks (a lease renewal among them) for as long.
    func idleCPU(_ arguments: [String]) async throws -> Double {
        let process = HoSoProcess.start(arguments + ["--config", "hoso.yaml"], in: work, environment: ["HOSO_SERVER_PORT": "0"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            try await Task.sleep(for: .seconds(3))  // started, its first scan done
            let before = try Self.cpuSeconds(process.processIdentifier)
            try await Task.sleep(for: .seconds(6))
            #expect(process.isRunning)
            let used = try Self.cpuSeconds(process.processIdentifier) - before
            process.terminate()
            await process.exited()
            return used
        } catch {
            process.terminate()
            await process.exited()
            throw error
        }
    }

    @Test(arguments: [["watch"], ["serve"]])
    func anIdleDaemon_usesAlmostNoCPU(_ command: [String]) async throws {
        let used = try await idleCPU(command)
        // 6 seconds of waiting: a spinning worker used ~6 s here; a doorbell and a 2 s check use milliseconds.
        #expect(used < 0.3, "hoso \(command[0]) used \(used) CPU seconds in 6 idle seconds")
    }
}
