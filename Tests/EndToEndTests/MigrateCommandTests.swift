import Foundation
import HoSoTestSupport
import Testing

/// `hoso migrate` with the real binary: an office's embedded catalog and blob folder moved to PostgreSQL
/// and S3 (servers `make test` starts), run twice (the second copies nothing), used there, and moved back.
@Suite struct MigrateCommandTests {
    let work: URL
    let shared: [String: String]

    init() async throws {
        work = try makeTemporaryDirectory("e2e-migrate")
        for (index, name) in ["don.tif", "ban-ve.tif", "giay-to.tif"].enumerated() {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"),
                                             to: work.appendingPathComponent(name))
            // Different bytes for each: a different last byte of padding.
            let handle = try FileHandle(forWritingTo: work.appendingPathComponent(name))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([UInt8(index)]))
            try handle.close()
        }
        let catalog = try await TestPostgres.freshDatabaseURL()
        shared = [
            "HOSO_CATALOG_URL": catalog,
            // A bucket of its own: the copy must find it empty, and the sample scans are the same every run.
            "HOSO_BLOBS_URL": "s3://hoso-migrate-\(UUID().uuidString.prefix(8).lowercased())?endpoint=\(try TestS3.endpoint())",
            "HOSO_S3_ACCESS_KEY_ID": TestS3.credentials.accessKeyID, "HOSO_S3_SECRET_ACCESS_KEY": TestS3.credentials.secretAccessKey,
        ]
    }

    func hoso(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(arguments, in: work, environment: environment)
    }

    func cases(_ environment: [String: String] = [:]) async throws -> [String] {
        let list = try await hoso(["cases", "list", "--all", "--json"], environment)
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list.stderr)")
        return cases.map { "\($0["id"] ?? "?") \($0["documentCount"] ?? "?")" }.sorted()
    }

    @Test func theEmbeddedDefault_movesToPostgreSQLAndS3_andBack() async throws {
        #expect(try await hoso(["init"]).status == 0)
        #expect(try await hoso(["ingest", "don.tif", "ban-ve.tif", "--case", "000.00.14.H27-240815-0007"]).status == 0)
        #expect(try await hoso(["ingest", "giay-to.tif", "--case", "000.00.14.H27-240816-0008"]).status == 0)
        let token = try await HoSoProcess.token("workflow", data: work.appendingPathComponent("var"), in: work)
        let before = try await cases()
        #expect(before.count == 2)

        let keys = ["HOSO_TO_S3_ACCESS_KEY_ID": TestS3.credentials.accessKeyID, "HOSO_TO_S3_SECRET_ACCESS_KEY": TestS3.credentials.secretAccessKey]
        let moved = try await hoso(["migrate", "--to-catalog", shared["HOSO_CATALOG_URL"]!, "--to-blobs", shared["HOSO_BLOBS_URL"]!], keys)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains(", 0 already there") && moved.stdout.contains("done"), "\(moved.stdout)")
        let copiedLine = try #require(moved.stdout.split(separator: "\n").first { $0.hasPrefix("blobs: ") })
        let copied = try #require(Int(copiedLine.dropFirst("blobs: ".count).prefix { $0.isNumber }))
        #expect(copied >= 5, "originals, PDFs and thumbnails (equal ones are one blob): \(copiedLine)")
        #expect(try await cases(shared) == before, "the same cases and documents in PostgreSQL")

        // Run again (as after an interruption): nothing is copied twice.
        let again = try await hoso(["migrate", "--to-catalog", shared["HOSO_CATALOG_URL"]!, "--to-blobs", shared["HOSO_BLOBS_URL"]!], keys)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("blobs: 0 copied, \(copied) already there") && again.stdout.contains("events: 0 rows copied"), "\(again.stdout)")

        // The moved office works: its token, its files, and new rows numbered after the copied ones.
        let server = try await ServerProcess(in: work, data: work.appendingPathComponent("var"), environment: shared)
        let documents = try await server.call("GET", "/v1/cases/000.00.14.H27-240815-0007/documents", token: token)
        #expect(documents.status == 200, "the token came along: \(documents.text)")
        let first = try #require((documents.json["documents"] as? [[String: Any]])?.first?["sha256"] as? String)
        #expect(try await server.call("GET", "/v1/documents/\(first)", token: token).status == 200)
        server.kill()
        try FileManager.default.copyItem(at: work.appendingPathComponent("don.tif"), to: work.appendingPathComponent("moi.tif"))
        let handle = try FileHandle(forWritingTo: work.appendingPathComponent("moi.tif"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([9]))
        try handle.close()
        let added = try await hoso(["ingest", "moi.tif", "--case", "000.00.14.H27-240816-0008"], shared)
        #expect(added.status == 0, "a new document after the copied ones: \(added.stderr)")
        // The trails came as they were: every chain holds in PostgreSQL, the new events chained after the copied ones.
        let audited = try await hoso(["audit", "verify"], shared)
        #expect(audited.status == 0 && audited.stdout.contains("2 case(s)") && audited.stdout.contains("0 broken chain(s)"), "\(audited.stdout)\(audited.stderr)")

        // And back to files: SQLite and a folder, from PostgreSQL and S3.
        let back = work.appendingPathComponent("back", isDirectory: true)
        let returned = try await hoso(["migrate", "--to-catalog", "sqlite:\(back.path)/catalog.sqlite", "--to-blobs", "file:\(back.path)/blobs"], shared)
        #expect(returned.status == 0, "\(returned.stderr)")
        #expect(try await cases(["HOSO_DATA": back.path]) == (try cases(shared)))
        #expect(try await hoso(["audit", "verify"], ["HOSO_DATA": back.path]).status == 0, "and back in SQLite")
    }

    @Test func aTargetThatDoesNotAnswer_exits78_andCopiesNothing() async throws {
        #expect(try await hoso(["init"]).status == 0)
        let refused = try await hoso(["migrate", "--to-catalog", "postgres://hoso:pa55@127.0.0.1:1/hoso?sslmode=disable",
                                "--to-blobs", "file:elsewhere"])
        #expect(refused.status == 78, "\(refused.stderr)")
        #expect(refused.stderr.contains("127.0.0.1:1") && !refused.stderr.contains("pa55"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("var/elsewhere").path))
    }

    @Test func aBlobDamagedAtTheSource_stopsTheMigration_namingIt() async throws {
        #expect(try await hoso(["init"]).status == 0)
        #expect(try await hoso(["ingest", "don.tif", "--case", "000.00.14.H27-240815-0007"]).status == 0)
        // The original's stored copy rots on disk.
        let blobs = work.appendingPathComponent("var/blobs")
        let digest = try #require(await ExternalTool.run("sha256sum", [work.appendingPathComponent("don.tif").path]).output.split(separator: " ").first)
        let stored = blobs.appendingPathComponent("\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest)")
        var bytes = try Data(contentsOf: stored)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: stored)

        let target = work.appendingPathComponent("target", isDirectory: true)
        let stopped = try await hoso(["migrate", "--to-catalog", "sqlite:\(target.path)/catalog.sqlite", "--to-blobs", "file:\(target.path)/blobs"])
        #expect(stopped.status == 74, "\(stopped.stderr)")
        #expect(stopped.stderr.contains(String(digest)) && stopped.stderr.contains("corrupted"), "\(stopped.stderr)")
        #expect(!stopped.stdout.contains("done"))
        // No row was copied: the catalog comes after the blobs.
        #expect(try await cases(["HOSO_DATA": target.path]).isEmpty)
    }
}
