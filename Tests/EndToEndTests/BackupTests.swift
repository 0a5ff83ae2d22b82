import Foundation
import HoSoTestSupport
import Testing

/// `hoso backup` while `hoso serve` ingests, `hoso restore` into a new directory, `hoso fsck` on it: the
/// real binary over a real data directory.
@Suite struct BackupTests {
    let work: URL
    let data: URL

    init() async throws {
        work = try makeTemporaryDirectory("backup")
        data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    func hoso(_ arguments: [String], data: URL? = nil) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(arguments + ["--data", (data ?? self.data).path], in: work)
    }

    /// `blobs: N copied, M already in the backup` as (N, M).
    func counts(_ output: String) -> (copied: Int, present: Int)? {
        guard let match = output.firstMatch(of: /blobs: ([0-9]+) copied, ([0-9]+) already in the backup/) else { return nil }
        return (Int(match.1)!, Int(match.2)!)
    }

    @Test func aBackupTakenWhileIngesting_restoresEveryCase_andFsckFindsDamage() async throws {
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: ["HOSO_CONFIG": config.path])
        let count = 40
        try dropTinyScans(0..<count, into: inbox, scratch: work)
        let backup = work.appendingPathComponent("backup")
        // Taken while the server's watcher stores the scans: a consistent catalog, and every file it names.
        let first = try await hoso(["backup", backup.path])
        #expect(first.status == 0, "\(first.stderr)")
        let firstCounts = try #require(counts(first.stdout), "\(first.stdout)")
        var stored = 0
        for _ in 0..<600 where stored < count {
            try await Task.sleep(for: .milliseconds(100))
            let list = try await hoso(["cases", "list", "--all", "--json"])
            stored = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count ?? 0
        }
        try #require(stored == count, "the watcher stored every scan")
        server.kill()

        // Again into the same folder: only what is new is copied; a third time, nothing.
        let second = try await hoso(["backup", backup.path])
        let secondCounts = try #require(counts(second.stdout), "\(second.stdout) \(second.stderr)")
        #expect(secondCounts.present >= firstCounts.copied && secondCounts.copied + secondCounts.present == count * 3,
                "original, archival PDF and thumbnail per scan: \(firstCounts) then \(secondCounts)")
        #expect(try #require(counts(try await hoso(["backup", backup.path]).stdout)) == (0, count * 3))

        let restored = work.appendingPathComponent("restored")
        let restore = try await hoso(["restore", backup.path], data: restored)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try await hoso(["restore", backup.path], data: restored).status == 73, "never over an existing catalog")
        let cases = try await hoso(["cases", "list", "--all", "--json"])
        let ids = ((try JSONSerialization.jsonObject(with: Data(cases.stdout.utf8)) as? [[String: Any]]) ?? [])
            .compactMap { ($0["case"] as? [String: Any])?["id"] as? String }
        #expect(ids.count == count)
        for id in ids {
            let here = try await hoso(["cases", "show", id, "--json"]), there = try await hoso(["cases", "show", id, "--json"], data: restored)
            #expect(here.status == 0 && here.stdout == there.stdout, "\(id)")
        }
        let clean = try await hoso(["fsck"], data: restored)
        #expect(clean.status == 0 && clean.stdout.contains("fsck: \(count * 3) file(s) checked, 0 missing or damaged, 0 orphan(s)"), "\(clean.stdout)")

        // A blob cut short by hand, another deleted: both named, exit 1.
        let blobs = restored.appendingPathComponent("blobs")
        let files = (FileManager.default.enumerator(at: blobs, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.lastPathComponent.count == 64 }.sorted { $0.path < $1.path }
        try #require(files.count == count * 3)
        let cut = try FileHandle(forWritingTo: files[0])
        try cut.truncate(atOffset: 10)
        try cut.close()
        try FileManager.default.removeItem(at: files[1])
        let damaged = try await hoso(["fsck"], data: restored)
        #expect(damaged.status == 1, "\(damaged.stdout) \(damaged.stderr)")
        #expect(damaged.stdout.contains("DAMAGED \(files[0].lastPathComponent)") && damaged.stdout.contains("DAMAGED \(files[1].lastPathComponent)"),
                "\(damaged.stdout)")
        #expect(damaged.stdout.contains("2 missing or damaged"), "\(damaged.stdout)")
    }
}
