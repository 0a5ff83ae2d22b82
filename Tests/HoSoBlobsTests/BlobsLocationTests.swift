import Foundation
import HoSoBlobs
import Testing

/// `blobs.url` as an operator writes it.
@Suite struct BlobsLocationTests {
    let data = URL(fileURLWithPath: "/srv/hoso", isDirectory: true)

    @Test(arguments: [
        ("file:blobs", "/srv/hoso/blobs"),
        ("file:../shared/blobs", "/srv/shared/blobs"),
        ("file:/mnt/archive/blobs", "/mnt/archive/blobs"),
        ("file:///mnt/archive/blobs", "/mnt/archive/blobs"),
        ("file://localhost/mnt/l%C6%B0u%20tr%E1%BB%AF", "/mnt/lưu trữ"),
    ])
    func aFileURL_isAFolder_relativeToTheDataDirectory(_ text: String, _ path: String) throws {
        #expect(try BlobsLocation(parsing: text, dataDirectory: data) == .folder(URL(fileURLWithPath: path, isDirectory: true)))
    }

    @Test func anS3URL_isABucket() throws {
        let location = try BlobsLocation(parsing: "s3://hoso-blobs?endpoint=http://10.0.0.5:8333", dataDirectory: data)
        guard case .bucket(let bucket) = location else { Issue.record("not a bucket: \(location)"); return }
        #expect(bucket.bucket == "hoso-blobs" && bucket.endpoint == "http://10.0.0.5:8333" && bucket.region == "us-east-1")
        #expect(location.description == "s3://hoso-blobs?endpoint=http://10.0.0.5:8333&region=us-east-1")
    }

    @Test(arguments: [
        ("/srv/hoso/blobs", "give file:PATH or s3://"),
        ("file:", "no folder given"),
        ("file://nas01/blobs", "not of another host"),
        ("s3://hoso?endpoint=ftp://h", "endpoint"),
        ("s3://AK:pa55word@hoso?endpoint=http://h:1", "keys do not belong in the URL"),
    ])
    func aWrongURL_isRefused_sayingWhy(_ text: String, _ reason: String) {
        let error = #expect(throws: BlobsLocation.Invalid.self) { try BlobsLocation(parsing: text, dataDirectory: data) }
        #expect(error?.description.hasPrefix("blobs.url") == true)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("pa55word") == false)
    }
}
