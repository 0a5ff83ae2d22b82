import Foundation
import HoSoCore
import HoSoS3

/// Where `blobs.url` says blobs are kept: `file:PATH` (a folder of this node; a relative path is taken
/// from the data directory) or `s3://BUCKET?endpoint=…&region=…` (a bucket the nodes share).
public enum BlobsLocation: Sendable, Equatable, CustomStringConvertible {
    case folder(URL)
    case bucket(S3Location)

    public typealias Invalid = InvalidURL

    /// Reads `text`; a relative `file:` path is resolved against `dataDirectory`.
    public init(parsing text: String, dataDirectory: URL) throws(Invalid) {
        if text.hasPrefix("s3:") {
            do { self = .bucket(try S3Location(parsing: text)) } catch { throw error.of("blobs.url") }
            return
        }
        guard text.hasPrefix("file:") else {
            throw Invalid(text, "give file:PATH or s3://BUCKET?endpoint=http://HOST:PORT&region=REGION", setting: "blobs.url")
        }
        var path = String(text.dropFirst("file:".count))
        if path.hasPrefix("//") {
            // file:///srv/hoso/blobs: an empty or local host, then an absolute path.
            let rest = path.dropFirst(2)
            guard rest.hasPrefix("/") || rest.hasPrefix("localhost/") else {
                throw Invalid(text, "a file: URL names a folder of this node, not of another host", setting: "blobs.url")
            }
            path = String(rest.drop { $0 != "/" })
        }
        guard !path.isEmpty, let decoded = path.removingPercentEncoding else { throw Invalid(text, "no folder given", setting: "blobs.url") }
        let folder = decoded.hasPrefix("/") ? URL(fileURLWithPath: decoded, isDirectory: true)
            : dataDirectory.appendingPathComponent(decoded, isDirectory: true)
        self = .folder(folder.standardizedFileURL)
    }

    public var description: String {
        switch self {
        case .folder(let url): "file:\(url.path)"
        case .bucket(let location): location.description
        }
    }
}
