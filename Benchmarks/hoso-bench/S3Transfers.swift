import ArgumentParser
import Foundation
import HoSoCore
import HoSoDigest
import HoSoS3

/// Puts a file into a bucket and gets it back through HoSo's S3 client (`S3Client.put`, which sends the
/// SHA-256 as the signed payload hash and checksum, multipart above 64 MB; `get`, streamed to disk and
/// hashed as it comes), several times under keys of their own: MB/s each way.
struct S3Transfers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3", abstract: "Put and get a file through HoSo's S3 client.")

    @Option(help: "The bucket: s3://bucket?endpoint=http://host:port&region=us-east-1 (created if missing).")
    var bucket: String

    @Option(help: "The file to put and get.")
    var file: String

    @Option(help: "Each object's key is this prefix and a number.")
    var prefix = "bench/hoso-"

    @Option(help: "How many times.")
    var times = 3

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let key = environment["HOSO_S3_ACCESS_KEY_ID"], let secret = environment["HOSO_S3_SECRET_ACCESS_KEY"] else {
            throw ValidationError("HOSO_S3_ACCESS_KEY_ID and HOSO_S3_SECRET_ACCESS_KEY must be set")
        }
        let client = S3Client(location: try S3Location(parsing: bucket), credentials: S3Credentials(accessKeyID: key, secretAccessKey: secret))
        try await client.createBucket()
        // A new bucket's first object makes the server allocate its volumes: not part of any measurement.
        let warmUp = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(".hoso-bench-warm-up")
        try Data("warm-up".utf8).write(to: warmUp)
        defer { try? FileManager.default.removeItem(at: warmUp) }
        let (warmDigest, warmCount) = try FileDigest.sha256(of: warmUp)
        _ = try await client.put("\(prefix)warm-up", contentsOf: warmUp, sha256: warmDigest, byteCount: warmCount)
        let source = URL(fileURLWithPath: file)
        let clock = ContinuousClock()
        var hashed: (digest: SHA256Digest, byteCount: Int64)?
        let hashing = try clock.measure { hashed = try FileDigest.sha256(of: source) }
        guard let (digest, byteCount) = hashed else { return }
        let megabytes = Double(byteCount) / 1_048_576
        print(Row.throughput("HoSo: SHA-256 of the file (before a put)", megabytes, hashing))
        let copy = source.deletingLastPathComponent().appendingPathComponent(".hoso-bench-get")
        defer { try? FileManager.default.removeItem(at: copy) }
        for index in 1...times {
            let name = "\(prefix)\(index)"
            try? await client.delete(name)
            let put = try await clock.measure { _ = try await client.put(name, contentsOf: source, sha256: digest, byteCount: byteCount) }
            var got: SHA256Digest?
            let get = try await clock.measure { got = try await client.get(name, to: copy) }
            guard got == digest else { throw ValidationError("\(name) came back as \(got?.hex ?? "nothing")") }
            print(Row.throughput("HoSo: PUT \(name)", megabytes, put))
            print(Row.throughput("HoSo: GET \(name) (hashed as it comes)", megabytes, get))
        }
    }
}
