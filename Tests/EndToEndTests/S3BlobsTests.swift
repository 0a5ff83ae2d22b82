import Foundation
import HoSoDigest
import HoSoS3
import HoSoTestSupport
import Testing

/// The `hoso` binary with its blobs in a bucket (`blobs.url` = `s3://…`) on a real S3 server (SeaweedFS,
/// started by `make test`): created by `hoso init`, filled by `hoso ingest`, served by `hoso serve`, and
/// refused with exit 78 naming the bucket, never the secret, when the keys or the server are wrong.
@Suite struct S3BlobsTests {
    let work: URL
    let endpoint: String
    /// A bucket of its own for each test, so `hoso init` really creates it.
    let bucket = "hoso-e2e-" + UUID().uuidString.prefix(8).lowercased()
    let caseID = "000.00.14.H27-240815-0007"

    init() throws {
        endpoint = try TestS3.endpoint()
        work = try makeTemporaryDirectory("e2e-s3")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/receipt-a4-bilevel.tif"),
                                         to: work.appendingPathComponent("x.tif"))
    }

    var environment: [String: String] {
        ["HOSO_BLOBS_URL": "s3://\(bucket)?endpoint=\(endpoint)", "HOSO_S3_ACCESS_KEY_ID": TestS3.credentials.accessKeyID,
         "HOSO_S3_SECRET_ACCESS_KEY": TestS3.credentials.secretAccessKey]
    }

    func hoso(_ arguments: [String], _ environment: [String: String]) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(arguments, in: work, environment: environment)
    }

    @Test func init_createsTheBucket_ingestStoresInIt_andServeReadsItBack() async throws {
        let initialized = try await hoso(["init"], environment)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stdout.contains("blobs: s3://\(bucket)?endpoint=\(endpoint)"), "\(initialized.stdout)")
        let checked = try await hoso(["config", "check"], environment)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("takes files") && !checked.stdout.contains(TestS3.credentials.secretAccessKey))

        let ingested = try await hoso(["ingest", "x.tif", "--case", caseID], environment)
        #expect(ingested.status == 0, "\(ingested.stderr)")
        let original = try Array(Data(contentsOf: work.appendingPathComponent("x.tif")))
        let digest = SHA256Hasher.digest(of: original)
        // The original is in the bucket under its hash, and nothing was stored on this node's disk.
        let client = S3Client(location: try S3Location(parsing: "s3://\(bucket)?endpoint=\(endpoint)"), credentials: TestS3.credentials)
        #expect(try await client.sha256(of: "\(digest.hex.prefix(2))/\(digest.hex.dropFirst(2).prefix(2))/\(digest.hex)") == digest)
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("var/blobs").path))
        let show = try await hoso(["cases", "show", caseID, "--json"], environment)
        let documents = try #require((try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["documents"] as? [[String: Any]])
        #expect(documents.first?["sha256"] as? String == digest.hex)

        let server = try await ServerProcess(in: work, data: work.appendingPathComponent("var"), environment: environment)
        let token = try await HoSoProcess.token("workflow", data: work.appendingPathComponent("var"), in: work)
        let served = try await server.call("GET", "/v1/documents/\(digest.hex)", token: token)
        #expect(served.status == 200)
        #expect(Array(served.body) == original)
        let normalized = try #require(documents.first?["normalized"] as? [String: Any])
        let pdf = try #require(normalized["pdf"] as? String)
        let archival = try await server.call("GET", "/v1/documents/\(pdf)", token: token)
        #expect(archival.status == 200 && SHA256Hasher.digest(of: Array(archival.body)).hex == pdf)
        #expect(try await server.call("GET", "/readyz").status == 200)
    }

    @Test func wrongKeys_exit78_namingTheBucketAndTheAnswer_butNotTheSecret() async throws {
        #expect(try await hoso(["init"], environment).status == 0)
        var wrong = environment
        wrong["HOSO_S3_SECRET_ACCESS_KEY"] = "not-the-secret-0f9a"
        for command in [["config", "check"], ["init"], ["ingest", "x.tif", "--case", caseID]] {
            let refused = try await hoso(command, wrong)
            #expect(refused.status == 78, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("s3://\(bucket)") && refused.stderr.contains("403"), "\(command): \(refused.stderr)")
            #expect(!refused.stderr.contains("not-the-secret-0f9a") && !refused.stdout.contains("not-the-secret-0f9a"))
            #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
        }
    }

    @Test func aServerThatDoesNotAnswer_exits78_namingIt() async throws {
        var unreachable = environment
        unreachable["HOSO_BLOBS_URL"] = "s3://\(bucket)?endpoint=http://127.0.0.1:1"
        let refused = try await hoso(["config", "check"], unreachable)
        #expect(refused.status == 78, "\(refused.stderr)")
        #expect(refused.stderr.contains("http://127.0.0.1:1"), "\(refused.stderr)")
    }

    @Test func aBucketWithoutKeys_exits78_sayingWhichAreMissing() async throws {
        var keyless = environment
        keyless["HOSO_S3_SECRET_ACCESS_KEY"] = nil
        let refused = try await hoso(["init"], keyless)
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("HOSO_S3_SECRET_ACCESS_KEY"), "\(refused.stderr)")
    }
}
