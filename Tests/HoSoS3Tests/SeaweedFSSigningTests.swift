import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HoSoDigest
import HoSoS3
import HoSoTestSupport
import Testing

/// HoSo's SigV4 signatures as a real S3 server checks them: SeaweedFS, which `make test` starts on
/// 127.0.0.1 (scripts/test-servers) with AWS's example key pair. The server computes the canonical request
/// from what it receives, so this also holds the encoding of what HoSo sends to the server's rules.
@Suite struct SeaweedFSSigningTests {
    let endpoint: String
    let bucket = TestS3.bucket
    static let credentials = TestS3.credentials

    init() throws {
        endpoint = try TestS3.endpoint()
    }

    /// Sends one request signed with `credentials`; its status and body.
    func send(_ method: String, _ path: String, query: [(name: String, value: String)] = [], body: [UInt8] = [],
              headers: [(name: String, value: String)] = [], credentials: S3Credentials = Self.credentials) async throws -> (Int, String) {
        let host = try #require(URL(string: endpoint)).host.map { "\($0):\(URL(string: endpoint)?.port ?? 80)" } ?? ""
        let request = SigV4Signer.Request(method: method, path: path, query: query, headers: [("Host", host)] + headers)
        let signed = SigV4Signer(credentials: credentials, region: "us-east-1")
            .sign(request, payloadSHA256: SHA256Hasher.digest(of: body).hex, at: Date())
        let query = request.encodedQuery
        var http = URLRequest(url: try #require(URL(string: endpoint + request.encodedPath + (query.isEmpty ? "" : "?" + query))))
        http.httpMethod = method
        for (name, value) in signed where name.lowercased() != "host" { http.setValue(value, forHTTPHeaderField: name) }
        if !body.isEmpty { http.httpBody = Data(body) }
        let (data, response) = try await URLSession.shared.data(for: http)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func signedRequests_areAccepted_andAWrongSecretIsRefused() async throws {
        let created = try await send("PUT", "/\(bucket)")
        #expect(created.0 == 200 || created.1.contains("BucketAlreadyOwnedByYou"), "\(created.1)")
        // A key with Vietnamese letters, a space and characters S3 wants encoded.
        let key = "/\(bucket)/hồ sơ/kết quả $1+(2).pdf"
        let bytes = Array("%PDF-1.7 kết quả \(UUID())".utf8)
        let put = try await send("PUT", key, body: bytes, headers: [("Content-Type", "application/pdf")])
        #expect(put.0 == 200, "\(put.1)")
        let get = try await send("GET", key)
        #expect(get.0 == 200 && Array(get.1.utf8) == bytes, "\(get.0) \(get.1)")
        // A listing whose prefix holds a slash and letters outside ASCII.
        let list = try await send("GET", "/\(bucket)", query: [("list-type", "2"), ("prefix", "hồ sơ/")])
        #expect(list.0 == 200 && list.1.contains("kết quả $1+(2).pdf"), "\(list.1)")
        // The same request under a wrong secret: the server's signature differs.
        let forged = try await send("GET", key, credentials: S3Credentials(accessKeyID: Self.credentials.accessKeyID, secretAccessKey: "not-the-secret"))
        #expect(forged.0 == 403 && forged.1.contains("SignatureDoesNotMatch"), "\(forged.0) \(forged.1)")
    }
}
