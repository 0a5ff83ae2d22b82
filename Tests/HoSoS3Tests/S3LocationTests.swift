import HoSoS3
import Testing

/// `blobs.url` for an S3 store: what is taken and what is refused, with the reason.
@Suite struct S3LocationTests {
    @Test func aFullURL_isRead() throws {
        let location = try S3Location(parsing: "s3://hoso-blobs?endpoint=http://127.0.0.1:8333&region=ap-southeast-1")
        #expect(location.bucket == "hoso-blobs" && location.endpoint == "http://127.0.0.1:8333" && location.region == "ap-southeast-1")
        #expect(location.host == "127.0.0.1:8333")
        #expect(location.description == "s3://hoso-blobs?endpoint=http://127.0.0.1:8333&region=ap-southeast-1")
        #expect(try S3Location(parsing: "s3://a.b-c?endpoint=https://s3.example.vn").region == "us-east-1")
    }

    @Test(arguments: [
        ("http://hoso?endpoint=http://h:1", "not an s3:// URL"),
        ("s3://KEY:pa55word@hoso?endpoint=http://h:1", "keys do not belong in the URL"),
        ("s3://Ho_So?endpoint=http://h:1", "bucket \"Ho_So\""),
        ("s3://ab?endpoint=http://h:1", "bucket \"ab\""),
        ("s3://hoso/blobs?endpoint=http://h:1", "a bucket has no path"),
        ("s3://hoso", "endpoint: give the server"),
        ("s3://hoso?endpoint=ftp://h:1", "endpoint: give the server"),
        ("s3://hoso?endpoint=http://h:1&secret=x", "unknown parameter \"secret\""),
        ("s3://hoso?endpoint=http://h:1&region=a%20b", "region \"a b\""),
    ])
    func aWrongURL_isRefusedWithItsReason(_ text: String, _ reason: String) {
        let error = #expect(throws: S3Location.Invalid.self) { try S3Location(parsing: text) }
        #expect(error?.reason.contains(reason) == true, "\(error.map(String.init(describing:)) ?? "no error")")
        // The message repeats the URL, but never keys someone put in it.
        #expect(error.map { !"\($0)".contains("pa55word") } == true)
    }
}
