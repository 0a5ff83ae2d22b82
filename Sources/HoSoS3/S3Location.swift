import Foundation
import HoSoCore

/// Where a bucket is, written as `s3://BUCKET?endpoint=http://HOST:PORT&region=REGION` (`blobs.url`):
/// the endpoint of an S3-compatible server (SeaweedFS, MinIO, AWS) and the bucket on it, path-style.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    /// `scheme://host[:port]`, no path.
    public let endpoint: String
    public let bucket: String
    public let region: String

    public typealias Invalid = InvalidURL

    public init(parsing text: String) throws(Invalid) {
        func invalid(_ reason: String) -> Invalid { Invalid(text, reason) }
        guard let url = URLComponents(string: text), url.scheme == "s3" else {
            throw invalid("not an s3:// URL (s3://BUCKET?endpoint=http://HOST:PORT&region=REGION)")
        }
        guard url.user == nil, url.password == nil else {
            throw invalid("keys do not belong in the URL; give them in HOSO_S3_ACCESS_KEY_ID and HOSO_S3_SECRET_ACCESS_KEY")
        }
        let bucket = url.host ?? ""
        guard Self.isBucketName(bucket) else {
            throw invalid("bucket \"\(bucket)\": 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit")
        }
        guard url.path.isEmpty || url.path == "/" else { throw invalid("a bucket has no path; HoSo names its keys itself") }
        var endpoint: String?, region = "us-east-1"
        for item in url.queryItems ?? [] {
            switch item.name {
            case "endpoint": endpoint = item.value
            case "region": region = item.value ?? ""
            default: throw invalid("unknown parameter \"\(item.name)\" (endpoint, region)")
            }
        }
        guard let endpoint, let server = URLComponents(string: endpoint), ["http", "https"].contains(server.scheme ?? ""),
              let host = server.host, !host.isEmpty, server.path.isEmpty || server.path == "/", server.query == nil else {
            throw invalid("endpoint: give the server as http://HOST:PORT or https://HOST")
        }
        guard !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { throw invalid("region \"\(region)\" is not a region name") }
        self.endpoint = "\(server.scheme!)://\(host)" + (server.port.map { ":\($0)" } ?? "")
        self.bucket = bucket
        self.region = region
    }

    /// The `Host` header requests carry (and sign).
    public var host: String { String(endpoint.drop { $0 != "/" }.dropFirst(2)) }

    public var description: String { "s3://\(bucket)?endpoint=\(endpoint)&region=\(region)" }

    /// S3's rules for bucket names (path-style requests).
    static func isBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        return alphanumeric(bytes.first!) && alphanumeric(bytes.last!) && bytes.allSatisfy { alphanumeric($0) || $0 == 0x2E || $0 == 0x2D }
    }
}
