import Foundation
import HoSoCore
import HoSoDigest

/// An access key pair for an S3-compatible store. Its description never shows the secret.
public struct S3Credentials: Sendable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    public var description: String { "access key \(accessKeyID)" }
}

/// AWS Signature Version 4 for S3 requests (the `Authorization` header form), as a pure value: the same
/// request, time and key always give the same signature. Steps and names follow AWS's "Signature Version
/// 4 signing process": canonical request, string to sign, signing key, signature.
public struct SigV4Signer: Sendable {
    public let credentials: S3Credentials
    public let region: String
    public let service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request to sign: its method, path (not yet encoded), query items (not yet encoded) and headers.
    /// `Host` must be among the headers; `x-amz-date` and `x-amz-content-sha256` are added by ``sign``.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(name: String, value: String)]
        public var headers: [(name: String, value: String)]

        public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }

        /// The path as it is sent and signed: each segment encoded once (S3 does not encode it twice),
        /// slashes kept. A client must send exactly this: the server signs what it receives.
        public var encodedPath: String { SigV4Signer.encode(path: path) }

        /// The query as it is sent and signed: names and values encoded, sorted by name, then value.
        public var encodedQuery: String {
            let pairs: [(name: String, value: String)] = query.map { (SigV4Signer.encode($0.name), SigV4Signer.encode($0.value)) }
            let sorted = pairs.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
            return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        }
    }

    /// The payload's SHA-256 as S3 wants it in `x-amz-content-sha256`: lowercase hex, or this word when
    /// the body is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The headers to send: the request's own, then `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    public func sign(_ request: Request, payloadSHA256 payload: String, at time: Date) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(time)
        let headers = request.headers + [("x-amz-date", stamp), ("x-amz-content-sha256", payload)]
        let (canonical, signedHeaders) = Self.canonicalRequest(request, headers: headers, payloadSHA256: payload)
        let scope = "\(stamp.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(stamp)\n\(scope)\n\(SHA256Hasher.digest(of: Array(canonical.utf8)).hex)"
        let signature = Hex.encode(HMACSHA256.code(for: Array(stringToSign.utf8), key: signingKey(day: String(stamp.prefix(8)))))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return headers + [("Authorization", authorization)]
    }

    /// The key of one day, region and service, derived from the secret.
    func signingKey(day: String) -> [UInt8] {
        var key = HMACSHA256.code(for: Array(day.utf8), key: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [region, service, "aws4_request"] { key = HMACSHA256.code(for: Array(part.utf8), key: key) }
        return key
    }

    /// The canonical request and its signed header names (lowercase, sorted, joined by `;`).
    static func canonicalRequest(_ request: Request, headers: [(name: String, value: String)], payloadSHA256: String) -> (String, String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            // Values trimmed, inner runs of spaces made one; repeated headers joined with commas.
            let folded = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[name.lowercased(), default: []].append(folded)
        }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        return ([request.method, request.encodedPath, request.encodedQuery, canonicalHeaders, signed, payloadSHA256].joined(separator: "\n"), signed)
    }

    /// A path encoded a segment at a time, slashes kept; "/" for an empty one.
    public static func encode(path: String) -> String {
        let segments: [String] = path.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }
        return path.isEmpty ? "/" : segments.joined(separator: "/")
    }

    /// RFC 3986 percent-encoding: everything but unreserved characters, as uppercase hex of UTF-8 bytes.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:  // A-Z a-z 0-9 - . _ ~
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ time: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
