import Foundation
import HoSoS3

/// The S3 server the tests use: SeaweedFS, which `make test` starts on 127.0.0.1 (scripts/test-servers)
/// with AWS's example key pair and names in `HOSO_TEST_S3_ENDPOINT`. A test that needs it fails without it.
public enum TestS3 {
    public static let credentials = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// One bucket for every suite: keys are digests of random bytes, so tests never meet.
    public static let bucket = "hoso-tests"

    public struct NoServer: Error, CustomStringConvertible {
        public var description: String { "HOSO_TEST_S3_ENDPOINT is not set: run make test, or scripts/test-servers start and set it" }
    }

    /// `http://127.0.0.1:PORT`.
    public static func endpoint() throws -> String {
        guard let endpoint = ProcessInfo.processInfo.environment["HOSO_TEST_S3_ENDPOINT"] else { throw NoServer() }
        return endpoint
    }

    /// A client of the test bucket (created if missing).
    public static func client(multipartThreshold: Int64 = 64 << 20, partSize: Int = 16 << 20) async throws -> S3Client {
        let client = S3Client(location: try S3Location(parsing: "s3://\(bucket)?endpoint=\(try endpoint())"), credentials: credentials,
                              multipartThreshold: multipartThreshold, partSize: partSize)
        try await client.createBucket()
        return client
    }
}
