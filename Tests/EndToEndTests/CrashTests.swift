import Foundation
import HoSoTestSupport
import Testing

/// kill -9 in the middle of storing a file must leave nothing the catalog points to, and the next start
/// must clean up what the dead process left.
@Suite struct CrashTests {
    @Test func killedMidWrite_leavesNoReference_andTheNextStartRemovesTheTemporaryFile() async throws {
        signal(SIGPIPE, SIG_IGN)
        let work = try makeTemporaryDirectory("crash")
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
        let tmp = work.appendingPathComponent("var/blobs/tmp")

        // The scanner writes into a pipe, so the test decides when the bytes stop: mid-file. The child
        // stores it with HoSo's LocalBlobStore, as ingest does.
        let fifo = work.appendingPathComponent("scan.tif")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let child = Process()
        child.executableURL = HoSoProcess.binary.deletingLastPathComponent().appendingPathComponent("hoso-test-blob-writer")
        child.arguments = [work.appendingPathComponent("var/blobs").path, fifo.path]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let writer = try #require(FileHandle(forWritingAtPath: fifo.path))
        try writer.write(contentsOf: Data(repeating: 0x49, count: 3 << 20))

        // Wait until the child has written most of it to its temporary file, then kill it.
        var partial: URL?
        for _ in 0..<200 {
            if let name = try FileManager.default.contentsOfDirectory(atPath: tmp.path).first {
                let url = tmp.appendingPathComponent(name)
                let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                if size >= 2 << 20 { partial = url; break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let leftover = try #require(partial, "the child never wrote its temporary file")
        kill(child.processIdentifier, SIGKILL)
        await child.exited()
        try writer.close()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(FileManager.default.fileExists(atPath: leftover.path), "the half-written file is still there")

        // Nothing references it: no case, no document, no blob outside tmp/.
        let list = try await HoSoProcess.run(["cases", "list", "--all", "--json"], in: work)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("var/blobs").path)
        #expect(blobs == ["tmp"])

        #expect(FileManager.default.fileExists(atPath: leftover.path), "a command that does not store files leaves tmp/ alone")

        // The next start of a command that opens the blob store removes the dead writer's file.
        #expect(try await HoSoProcess.run(["init"], in: work).status == 0)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }
}
