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

    /// Results of `cases` signed by the office's seal for their case, by `hoso sign` (the PKI made at run time).
    func signedResults(for cases: [String], pki: URL) async throws -> [String: URL] {
        let normalized = try await HoSoProcess.run(["normalize", packageRoot.appendingPathComponent("Samples/result-a4-bilevel.tif").path,
                                                    "-o", work.path], in: work)
        try #require(normalized.status == 0, "\(normalized.stderr)")
        let p12 = work.appendingPathComponent("office.p12")
        let export = try await ExternalTool.run("openssl", ["pkcs12", "-export", "-inkey", pki.appendingPathComponent("signer.key").path,
                                                            "-in", pki.appendingPathComponent("signer.pem").path, "-certfile",
                                                            pki.appendingPathComponent("inter.pem").path, "-passout", "pass:x", "-out", p12.path])
        try #require(export.status == 0, "\(export.output)")
        var signed: [String: URL] = [:]
        for id in cases {
            let folder = work.appendingPathComponent("signed-\(id)")
            let sign = try await HoSoProcess.run(["sign", "--p12", p12.path, "--pass-env", "P", "--out", folder.path, "--case", id,
                                                  work.appendingPathComponent("result-a4-bilevel.pdf").path], in: work, environment: ["P": "x"])
            try #require(sign.status == 0, "\(sign.stderr)")
            signed[id] = folder.appendingPathComponent("result-a4-bilevel.pdf")
        }
        return signed
    }

    @Test func aBackupTakenWhileIngestingAndAttaching_restoresEveryCase_andFsckFindsDamage() async throws {
        let pki = work.appendingPathComponent("pki")
        let made = try await ExternalTool.run("/bin/bash", [packageRoot.appendingPathComponent("Tests/HoSoSignatureTests/Fixtures/make-pki.sh").path, pki.path])
        try #require(made.status == 0, "\(made.output)")
        try #require(try await hoso(["signers", "add", "--agency", "000.00.14.H27", "--cert", pki.appendingPathComponent("signer.pem").path]).status == 0)
        let attaching = (1...3).map { String(format: "000.00.14.H27-240815-%04d", $0) }
        let results = try await signedResults(for: attaching, pki: pki)
        let workflow = try await HoSoProcess.token("workflow", data: data, in: work)
        let (config, inbox) = try stationConfig(in: work)
        let server = try await ServerProcess(in: work, data: data, environment: [
            "HOSO_CONFIG": config.path, "HOSO_TRUST_ANCHORS": pki.appendingPathComponent("anchors").path,
            "HOSO_TRUST_CRLS": pki.appendingPathComponent("crls").path,
        ])
        for id in attaching {
            let registered = try await server.json("POST", "/v1/cases", token: workflow, [
                "caseId": id, "procedureCode": "1.001193", "applicant": ["name": "Nguyễn Văn An", "idNumber": "001085012345"],
                "receivedAt": "2024-08-15T08:30:00+07:00", "dueAt": "2024-08-29T17:00:00+07:00", "requiredComponents": ["Đơn"],
            ])
            try #require(registered.status == 201, "\(registered.text)")
        }
        let count = 40
        try dropTinyScans(0..<count, into: inbox, scratch: work)
        let backup = work.appendingPathComponent("backup")
        // Taken while the server's watcher stores the scans and the workflow server attaches results: a
        // consistent catalog, and every file it names.
        async let backingUp = hoso(["backup", backup.path])
        var attached: [Int] = []
        for id in attaching {
            attached.append(try await server.call("POST", "/v1/cases/\(id)/results", token: workflow,
                                                  body: try Data(contentsOf: results[id]!), type: "application/pdf").status)
        }
        let first = try await backingUp
        #expect(first.status == 0, "\(first.stderr)")
        #expect(attached == [201, 201, 201])
        let firstCounts = try #require(counts(first.stdout), "\(first.stdout)")
        var storedCases = 0
        for _ in 0..<600 where storedCases < count {
            try await Task.sleep(for: .milliseconds(100))
            let list = try await hoso(["cases", "list", "--all", "--json"])
            storedCases = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count ?? 0
        }
        try #require(storedCases == count, "the watcher stored every scan")
        server.kill()

        // Again into the same folder: only what is new is copied; a third time, nothing.
        let second = try await hoso(["backup", backup.path])
        let secondCounts = try #require(counts(second.stdout), "\(second.stdout) \(second.stderr)")
        // Original, archival PDF and thumbnail per scan, and the signed results (one file: the same result
        // signed for three cases is three different files).
        let files = count * 3 + attaching.count
        #expect(secondCounts.present >= firstCounts.copied && secondCounts.copied + secondCounts.present == files,
                "\(firstCounts) then \(secondCounts)")
        #expect(try #require(counts(try await hoso(["backup", backup.path]).stdout)) == (0, files))

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
        for id in attaching {
            let here = try await hoso(["events", id, "--json"]), there = try await hoso(["events", id, "--json"], data: restored)
            #expect(here.stdout == there.stdout && here.stdout.contains("result_attached"), "\(id): the attached result is in the restore")
        }
        let clean = try await hoso(["fsck"], data: restored)
        #expect(clean.status == 0 && clean.stdout.contains("fsck: \(files) file(s) checked, 0 missing or damaged, 0 orphan(s)"), "\(clean.stdout)")

        // A blob cut short by hand, another deleted: both named, exit 1.
        let blobs = restored.appendingPathComponent("blobs")
        let stored = (FileManager.default.enumerator(at: blobs, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.lastPathComponent.count == 64 }.sorted { $0.path < $1.path }
        try #require(stored.count == files)
        let cut = try FileHandle(forWritingTo: stored[0])
        try cut.truncate(atOffset: 10)
        try cut.close()
        try FileManager.default.removeItem(at: stored[1])
        let damaged = try await hoso(["fsck"], data: restored)
        #expect(damaged.status == 1, "\(damaged.stdout) \(damaged.stderr)")
        #expect(damaged.stdout.contains("DAMAGED \(stored[0].lastPathComponent)") && damaged.stdout.contains("DAMAGED \(stored[1].lastPathComponent)"),
                "\(damaged.stdout)")
        #expect(damaged.stdout.contains("2 missing or damaged"), "\(damaged.stdout)")
    }

    /// A PostgreSQL catalog is copied by pg_dump (its custom format, which pg_restore reads back) and the
    /// files it names beside it; a restore says how to load such a dump instead of guessing.
    @Test func aPostgreSQLCatalog_isDumped_andItsFilesCopied() async throws {
        let environment = ["HOSO_CATALOG_URL": try await TestPostgres.freshDatabaseURL()]
        let run = { (arguments: [String]) in try await HoSoProcess.run(arguments + ["--data", self.data.path], in: self.work, environment: environment) }
        try #require(try await run(["init"]).status == 0)
        let ingested = try await run(["ingest", packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif").path, "--case", "000.00.14.H27-240815-0007"])
        try #require(ingested.status == 0, "\(ingested.stderr)")
        let backup = work.appendingPathComponent("pg-backup")
        let made = try await run(["backup", backup.path])
        #expect(made.status == 0 && counts(made.stdout).map { $0 == (3, 0) } == true, "\(made.stdout) \(made.stderr)")
        let listed = try await ExternalTool.run("pg_restore", ["--list", backup.appendingPathComponent("catalog.pgdump").path])
        #expect(listed.status == 0 && listed.output.contains("TABLE public cases") && listed.output.contains("TABLE DATA public documents"), "\(listed.output)")
        let restore = try await HoSoProcess.run(["restore", backup.path, "--data", work.appendingPathComponent("new").path], in: work)
        #expect(restore.status == 65 && restore.stderr.contains("pg_restore --dbname"), "\(restore.stderr)")
    }
}
