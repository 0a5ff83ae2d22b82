import AsyncHTTPClient
import Foundation
import HoSoCore
import HoSoDigest
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What an S3 server answered that was not what was asked for: the operation, the URL (never a key or
/// secret), the status and S3's error code and message.
public struct S3Error: Error, CustomStringConvertible {
    public let operation: String
    public let url: String
    public let status: UInt
    public let code: String?
    public let message: String?

    public var description: String {
        "\(operation) \(url): HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
    }
}

/// The requests HoSo's blob store makes of an S3-compatible server, signed with SigV4: objects are put
/// from files and read into files, streamed both ways (memory stays a chunk), their SHA-256 checked.
public struct S3Client: Sendable {
    public let location: S3Location
    let signer: SigV4Signer
    let http: HTTPClient
    /// How much of a file is read, or written, at a time.
    static let chunk = 1 << 20

    /// Files larger than this are put in parts of `partSize` bytes (S3 wants at least 5 MiB a part).
    public let multipartThreshold: Int64
    public let partSize: Int

    /// The process's HTTP client for S3: connections pooled and reused; a server that refuses or does not
    /// take a connection within 10 s fails the request at once (AsyncHTTPClient's default would retry until
    /// the request's deadline, minutes), and the caller's own retry takes over.
    public static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = .seconds(60)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(location: S3Location, credentials: S3Credentials, http: HTTPClient = S3Client.http,
                multipartThreshold: Int64 = 64 << 20, partSize: Int = 16 << 20) {
        self.location = location
        self.signer = SigV4Signer(credentials: credentials, region: location.region)
        self.http = http
        self.multipartThreshold = multipartThreshold
        self.partSize = max(partSize, 5 << 20)
    }

    /// Whether a put stored the object or found it there already (`If-None-Match: *` answered 412).
    public enum Stored: Sendable, Equatable { case created, alreadyPresent }

    /// Creates the bucket; one that this identity already owns is fine.
    public func createBucket() async throws {
        let response = try await send(.PUT, path: "/\(location.bucket)", operation: "create bucket")
        guard response.status == .ok else {
            let error = try await Self.error(response, operation: "create bucket", url: url(path: "/\(location.bucket)"))
            if error.code == "BucketAlreadyOwnedByYou" { return }
            throw error
        }
    }

    /// The object's size, or nil when there is none.
    public func size(of key: String) async throws -> Int64? {
        let response = try await send(.HEAD, path: path(key), operation: "head")
        switch response.status {
        case .ok: return response.headers.first(name: "content-length").flatMap { Int64($0) }
        case .notFound: return nil
        default: throw S3Error(operation: "head", url: url(path: path(key)), status: response.status.code, code: nil, message: nil)
        }
    }

    /// Puts `file` under `key` unless an object is there already. The file's SHA-256 (HoSo's content
    /// address) is the signed payload hash and S3's own checksum, so the server refuses a body that
    /// changed on the way. The body is streamed from the file.
    public func put(_ key: String, contentsOf file: URL, sha256: SHA256Digest, byteCount: Int64) async throws -> Stored {
        if byteCount > multipartThreshold { return try await putInParts(key, contentsOf: file, sha256: sha256, byteCount: byteCount) }
        let reader = try FileChunks(path: file.path, chunk: Self.chunk)
        let checksum = Data(sha256.bytes).base64EncodedString()
        let response = try await send(.PUT, path: path(key), operation: "put", payloadSHA256: sha256.hex,
                                      headers: [("If-None-Match", "*"), ("x-amz-checksum-sha256", checksum),
                                                ("Content-Type", "application/octet-stream")],
                                      body: .stream(reader, length: .known(byteCount)))
        switch response.status {
        case .ok: return .created
        case .preconditionFailed: return .alreadyPresent
        default: throw try await Self.error(response, operation: "put", url: url(path: path(key)))
        }
    }

    /// Reads the object under `key` into `file` (created, or replaced), hashing it as it arrives; a body
    /// whose SHA-256 is not `sha256` is removed and refused.
    public func get(_ key: String, to file: URL, expecting sha256: SHA256Digest) async throws {
        let actual = try await get(key, to: file)
        guard actual == sha256 else {
            unlink(file.path)
            throw S3Error(operation: "get", url: objectURL(key), status: 200, code: "DigestMismatch",
                          message: "the body's SHA-256 is \(actual), not \(sha256)")
        }
    }

    /// Reads the object under `key` into `file` (created, or replaced) and returns the SHA-256 of what
    /// came; on a failure the file is removed.
    public func get(_ key: String, to file: URL) async throws -> SHA256Digest {
        let writer = try FileWriter(path: file.path)
        do { return try await read(key) { try await writer.write($0) } } catch {
            unlink(file.path)
            throw error
        }
    }

    /// The SHA-256 of the object under `key`, read through (nothing kept).
    public func sha256(of key: String) async throws -> SHA256Digest {
        try await read(key) { _ in }
    }

    /// Streams the object under `key` to `each`, a buffer at a time, and returns the SHA-256 of what came.
    /// No object is an `S3Error` with status 404.
    func read(_ key: String, each: (ByteBuffer) async throws -> Void) async throws -> SHA256Digest {
        let response = try await send(.GET, path: path(key), operation: "get")
        guard response.status == .ok else { throw try await Self.error(response, operation: "get", url: url(path: path(key))) }
        let hasher = SHA256Hasher()
        for try await buffer in response.body {
            buffer.withUnsafeReadableBytes { hasher.update($0) }
            try await each(buffer)
        }
        return hasher.finalize()
    }

    /// Removes the object under `key` (none there is fine).
    public func delete(_ key: String) async throws {
        let response = try await send(.DELETE, path: path(key), operation: "delete")
        guard [.noContent, .ok, .notFound].contains(response.status) else {
            throw try await Self.error(response, operation: "delete", url: objectURL(key))
        }
    }

    /// Throws unless the bucket exists and these credentials may use it (a HEAD of the bucket).
    public func checkBucket() async throws {
        let response = try await send(.HEAD, path: "/\(location.bucket)", operation: "head bucket")
        guard response.status == .ok else {
            throw S3Error(operation: "head bucket", url: url(path: "/\(location.bucket)"), status: response.status.code,
                          code: response.status == .notFound ? "NoSuchBucket" : response.status == .forbidden ? "AccessDenied" : nil,
                          message: response.status.reasonPhrase)
        }
    }

    /// A multipart upload: each part read from the file (one part in memory at a time), signed under its
    /// own SHA-256 (which the server checks), the whole hashed on the way and compared with `sha256`
    /// before the upload is completed; on any failure the upload is aborted. An object already under
    /// the key is found first (`alreadyPresent`).
    func putInParts(_ key: String, contentsOf file: URL, sha256: SHA256Digest, byteCount: Int64) async throws -> Stored {
        if try await size(of: key) != nil { return .alreadyPresent }
        let started = try await send(.POST, path: path(key), query: [("uploads", "")], operation: "start multipart upload")
        guard started.status == .ok else { throw try await Self.error(started, operation: "start multipart upload", url: url(path: path(key))) }
        let answer = String(buffer: try await started.body.collect(upTo: 1 << 16))
        guard let uploadID = Self.element("UploadId", in: answer) else {
            throw S3Error(operation: "start multipart upload", url: url(path: path(key)), status: 200, code: nil, message: "no UploadId in the answer")
        }
        do {
            let source = try OpenFile(path: file.path, flags: O_RDONLY)
            // Reading and hashing a part (16 MiB) is blocking work: on the thread pool, never the concurrency
            // pool. The whole file's hasher is only ever used by one part's job at a time.
            let whole = Mutex(SHA256Hasher())
            var etags: [String] = []
            var offset: Int64 = 0
            while offset < byteCount {
                let (size, start) = (partSize, offset)
                let (part, partSHA256) = try await NIOThreadPool.singleton.runIfActive {
                    let part = try source.read(size, at: start)
                    whole.withLock { $0.update(part) }
                    return (part, SHA256Hasher.digest(of: part))
                }
                guard !part.isEmpty else { break }
                let number = etags.count + 1
                let sent = try await send(.PUT, path: path(key), query: [("partNumber", String(number)), ("uploadId", uploadID)],
                                          operation: "put part \(number)", payloadSHA256: partSHA256.hex,
                                          body: .bytes(ByteBuffer(bytes: part)))
                guard sent.status == .ok, let etag = sent.headers.first(name: "etag") else {
                    throw try await Self.error(sent, operation: "put part \(number)", url: url(path: path(key)))
                }
                etags.append(etag)
                offset += Int64(part.count)
            }
            let actual = whole.withLock { $0.finalize() }
            guard offset == byteCount, actual == sha256 else {
                throw S3Error(operation: "put", url: url(path: path(key)), status: 0, code: "DigestMismatch",
                              message: "the file read \(offset) bytes of SHA-256 \(actual), not \(byteCount) of \(sha256): it changed")
            }
            let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>" }.joined()
            let body = Array("<CompleteMultipartUpload>\(parts)</CompleteMultipartUpload>".utf8)
            let completed = try await send(.POST, path: path(key), query: [("uploadId", uploadID)], operation: "complete multipart upload",
                                           payloadSHA256: SHA256Hasher.digest(of: body).hex, body: .bytes(ByteBuffer(bytes: body)))
            // S3 may answer 200 with an error in the body when completing.
            let text = String(buffer: try await completed.body.collect(upTo: 1 << 16))
            guard completed.status == .ok, !text.contains("<Error>") else {
                throw S3Error(operation: "complete multipart upload", url: url(path: path(key)), status: completed.status.code,
                              code: Self.element("Code", in: text), message: Self.element("Message", in: text))
            }
            return .created
        } catch {
            _ = try? await send(.DELETE, path: path(key), query: [("uploadId", uploadID)], operation: "abort multipart upload")
            throw error
        }
    }

    // MARK: Requests

    func path(_ key: String) -> String { "/\(location.bucket)/\(key)" }

    /// The URL of the object under `key`, for messages.
    public func objectURL(_ key: String) -> String { url(path: path(key)) }

    func url(path: String, query: String = "") -> String {
        location.endpoint + SigV4Signer.encode(path: path) + (query.isEmpty ? "" : "?" + query)
    }

    /// Signs and sends one request. An empty body's hash is SHA-256 of nothing. A request without a body
    /// (GET, HEAD, DELETE, creating the bucket: all idempotent) that gets no answer — a dropped or stalled
    /// connection — is sent again, twice at most, as S3's own SDKs do; one with a body is not (its body
    /// stream is spent), the caller's retry covers it.
    func send(_ method: HTTPMethod, path: String, query: [(name: String, value: String)] = [], operation: String,
              payloadSHA256: String = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              headers: [(name: String, value: String)] = [], body: HTTPClientRequest.Body? = nil) async throws -> HTTPClientResponse {
        let unsigned = SigV4Signer.Request(method: method.rawValue, path: path, query: query, headers: [("Host", location.host)] + headers)
        var attempt = 0
        while true {
            var request = HTTPClientRequest(url: url(path: path, query: unsigned.encodedQuery))
            request.method = method
            for (name, value) in signer.sign(unsigned, payloadSHA256: payloadSHA256, at: Date()) { request.headers.replaceOrAdd(name: name, value: value) }
            if let body { request.body = body }
            do {
                return try await http.execute(request, timeout: .seconds(300))
            } catch let error as HTTPClientError where body == nil && attempt < 2 && Self.isTransient(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(250 * attempt))
            }
        }
    }

    /// A failure another try may not meet: the connection dropped or stalled (not a refused connection,
    /// which another try would meet at once, nor a request HoSo got wrong).
    static func isTransient(_ error: HTTPClientError) -> Bool {
        [HTTPClientError.readTimeout, .remoteConnectionClosed, .writeTimeout].contains(error)
    }

    /// The S3 error a response carries (its XML `Code` and `Message`).
    static func error(_ response: HTTPClientResponse, operation: String, url: String) async throws -> S3Error {
        let text = String(buffer: try await response.body.collect(upTo: 1 << 16))
        return S3Error(operation: operation, url: url, status: response.status.code, code: element("Code", in: text),
                       message: element("Message", in: text))
    }

    /// The text of the first `<name>` element of an S3 XML answer.
    static func element(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}

/// A file read a chunk at a time on NIO's thread pool, as an async sequence of buffers (pulled: nothing
/// is read before it is asked for).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let file: OpenFile
    let chunk: Int

    init(path: String, chunk: Int) throws {
        file = try OpenFile(path: path, flags: O_RDONLY)
        self.chunk = chunk
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: OpenFile
        let chunk: Int
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            let (file, chunk, offset) = (file, chunk, offset)
            let bytes = try await NIOThreadPool.singleton.runIfActive { try file.read(chunk, at: offset) }
            guard !bytes.isEmpty else { return nil }
            self.offset += Int64(bytes.count)
            return ByteBuffer(bytes: bytes)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(file: file, chunk: chunk) }
}

/// A file written a buffer at a time on NIO's thread pool.
struct FileWriter: Sendable {
    let file: OpenFile

    init(path: String) throws {
        file = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    func write(_ buffer: ByteBuffer) async throws {
        let file = file
        try await NIOThreadPool.singleton.runIfActive { try buffer.withUnsafeReadableBytes { try file.write($0) } }
    }
}
