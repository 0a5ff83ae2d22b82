import Foundation
import HoSoCore
import HoSoDigest
@testable import HoSoS3
import HoSoTestSupport
import Testing

/// HoSo's SigV4 signer against AWS's documented example and against botocore (AWS's own SDK core),
/// which signs the same requests at the same time with the same key.
@Suite struct SigV4Tests {
    /// AWS's documented example key pair.
    static let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                               secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                    region: "us-east-1")
    static let time = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    static func header(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func hmac_matchesRFC4231_andOpenSSLsOwnCommand() async throws {
        // RFC 4231, test case 2.
        let code = HMACSHA256.code(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let work = try makeTemporaryDirectory("hmac")
        let message = work.appendingPathComponent("message")
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: message)
        let openssl = try await ExternalTool.run("openssl", ["dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:000102ff", message.path])
        #expect(openssl.output.hasSuffix("= \(Hex.encode(HMACSHA256.code(for: bytes, key: [0, 1, 2, 0xFF])))\n"), "\(openssl.output)")
    }

    @Test func awsDocumentedGetObjectExample_givesItsSignature() {
        // The "GET Object" example of AWS's S3 API reference, "Signature Calculations for the Authorization
        // Header: Transferring Payload in a Single Chunk".
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt",
                                          headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")])
        let headers = Self.signer.sign(request, payloadSHA256: SHA256Hasher.digest(of: [UInt8]()).hex, at: Self.time)
        #expect(Self.header("x-amz-date", in: headers) == "20130524T000000Z")
        #expect(Self.header("Authorization", in: headers) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func theSecret_isNeverInTheHeadersOrTheDescription() {
        let request = SigV4Signer.Request(method: "GET", path: "/b/k", headers: [("Host", "127.0.0.1:8333")])
        let headers = Self.signer.sign(request, payloadSHA256: SigV4Signer.unsignedPayload, at: Self.time)
        #expect(!headers.contains { $0.value.contains("wJalrXUtnFEMI") })
        #expect(!"\(Self.signer.credentials)".contains("wJalrXUtnFEMI"))
    }

    /// One request as HoSo's S3 store will send it.
    struct Case: Sendable, CustomTestStringConvertible {
        let method: String
        let path: String
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        var region = "us-east-1"
        var testDescription: String { "\(method) \(path) \(query.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))" }
    }

    static let cases: [Case] = [
        // A blob put under its hash, only if absent, with S3's own checksum of it.
        Case(method: "PUT", path: "/hoso-blobs/ab/cd/abcd0123", headers: [("If-None-Match", "*"), ("Content-Type", "application/pdf"),
             ("x-amz-checksum-sha256", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=")], body: Array("%PDF-1.7 a result".utf8)),
        // A listing: query names and values are encoded and sorted; '/' in a value becomes %2F.
        Case(method: "GET", path: "/hoso-blobs", query: [("prefix", "ab/cd/"), ("list-type", "2"), ("max-keys", "2")]),
        // Starting a multipart upload: a query item with no value.
        Case(method: "POST", path: "/hoso-blobs/ab/cd/abcd0123", query: [("uploads", "")]),
        // A part of it, in another region, its upload ID with characters that must be encoded.
        Case(method: "PUT", path: "/hoso-blobs/ab/cd/abcd0123", query: [("uploadId", "2~x/y+z=="), ("partNumber", "2")],
             body: Array(repeating: 0x41, count: 70_000), region: "ap-southeast-1"),
        // A key with a space, Vietnamese letters and characters S3 wants encoded; a header with inner spaces.
        Case(method: "GET", path: "/hoso-blobs/hồ sơ/kết quả $1+(2).pdf", headers: [("x-amz-meta-note", "  a   b  ")]),
    ]

    @Test(arguments: cases) func signatures_matchBotocores(_ test: Case) async throws {
        let work = try makeTemporaryDirectory("sigv4")
        let bodyFile = work.appendingPathComponent("body")
        try Data(test.body).write(to: bodyFile)
        let payload = SHA256Hasher.digest(of: test.body).hex
        let python = packageRoot.appendingPathComponent(".build/python/bin/python3").path
        let script = packageRoot.appendingPathComponent("Tests/HoSoS3Tests/Fixtures/sign-with-botocore.py").path
        let botocore = try await ExternalTool.run(python, [script, test.method, "127.0.0.1:8333", test.path, "20130524T000000Z", test.region]
            + test.query.map { "?\($0.0)=\($0.1)" } + test.headers.map { "\($0.0):\($0.1)" } + ["--body-file", bodyFile.path])
        try #require(botocore.status == 0, "\(botocore.output)")
        let theirs = Dictionary(uniqueKeysWithValues: botocore.output.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        })
        let signer = SigV4Signer(credentials: Self.signer.credentials, region: test.region)
        let request = SigV4Signer.Request(method: test.method, path: test.path, query: test.query.map { (name: $0.0, value: $0.1) },
                                          headers: [("Host", "127.0.0.1:8333")] + test.headers.map { (name: $0.0, value: $0.1) })
        let ours = signer.sign(request, payloadSHA256: payload, at: Self.time)
        #expect(theirs["x-amz-content-sha256"] == payload)
        #expect(Self.header("Authorization", in: ours) == theirs["authorization"], "botocore signed \(theirs["url"] ?? "?")")
    }
}
