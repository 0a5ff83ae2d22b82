import COpenSSL
import Foundation
import HoSoCore
import HoSoDigest
import HoSoPDF

/// Downloads the CRLs that certificates name in their CRL distribution points (http only) into a cache
/// folder, which is then read as one more CRL folder. A CRL already cached is fetched again only once it
/// is out of date. Fetching happens before verification, so the trust store stays immutable.
public struct CRLFetcher: Sendable {
    /// Where fetched CRLs are kept: one file per URL, named by the URL's SHA-256.
    public let cache: URL
    /// Seconds a download may take.
    public let timeout: Int32
    /// Largest CRL accepted, in bytes.
    public let limit: Int

    public init(cache: URL, timeout: Int32 = 10, limit: Int = 32 << 20) {
        self.cache = cache
        self.timeout = timeout
        self.limit = limit
    }

    /// Fetches what the certificates carried by the signatures of `files`, and `intermediates`, name;
    /// returns one line per URL: fetched, still current, or why not. Unreadable files are skipped
    /// (verification reports them).
    public func fetch(for files: [URL], intermediates: [Certificate], now: Date = Date()) -> [String] {
        let cache = CertificateCache()
        var certificates = intermediates
        for file in files {
            guard let reader = try? PDFReader(path: file.path), let fields = try? SignatureField.all(in: reader) else { continue }
            for field in fields {
                guard case .string(let contents)? = field.dictionary?["Contents"],
                      let cms = CMSSignedData(der: contents.bytes, cache: cache) else { continue }
                certificates += cms.certificates
            }
        }
        var urls: [String] = []
        for certificate in certificates {
            for url in certificate.crlDistributionPoints where url.hasPrefix("http://") && !urls.contains(url) { urls.append(url) }
        }
        try? FileManager.default.createDirectory(at: self.cache, withIntermediateDirectories: true)
        return urls.map { fetch($0, now: now) }
    }

    /// Fetches one URL unless its cached CRL is still current.
    func fetch(_ url: String, now: Date) -> String {
        let file = cache.appendingPathComponent(SHA256Hasher.digest(of: Array(url.utf8)).hex + ".crl")
        if let cached = try? Data(contentsOf: file), let next = Self.nextUpdate(Array(cached)), next > now {
            return "\(url): cached, current until \(RFC3339.format(next))"
        }
        defer { ERR_clear_error() }
        guard let bio = OSSL_HTTP_get(url, nil, nil, nil, nil, nil, nil, 0, nil, nil, 0, limit, timeout) else {
            return "\(url): not fetched (\(Self.lastError()))"
        }
        defer { BIO_free_all(bio) }
        // The answer streams from the connection: a read may come back empty and ask to be retried
        // before the body is complete (a CRL with entries rarely arrives in one read).
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let deadline = Date(timeIntervalSinceNow: TimeInterval(timeout))
        while body.count <= limit {
            let read = BIO_read(bio, &chunk, Int32(chunk.count))
            if read > 0 {
                body += chunk.prefix(Int(read))
            } else if BIO_test_flags(bio, BIO_FLAGS_SHOULD_RETRY) != 0, Date() < deadline {
                usleep(1_000)
            } else {
                break
            }
        }
        guard body.count <= limit, Self.isCRL(body) else { return "\(url): not a CRL (DER or PEM)" }
        do {
            try Data(body).write(to: file, options: .atomic)  // a cache: a crash loses a download, never a CRL
        } catch {
            return "\(url): fetched but not stored in \(cache.path): \(error)"
        }
        return "\(url): fetched (\(body.count) bytes)"
    }

    /// `body` applied to the CRL in `bytes` (DER, as distribution points serve it, or PEM).
    private static func parse<T>(_ bytes: [UInt8], _ body: (OpaquePointer) -> T) -> T? {
        defer { ERR_clear_error() }
        return bytes.withUnsafeBufferPointer { buffer -> T? in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            var crl = d2i_X509_CRL(nil, &pointer, buffer.count)
            if crl == nil, let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) {
                crl = PEM_read_bio_X509_CRL(bio, nil, nil, nil)
                BIO_free(bio)
            }
            guard let crl else { return nil }
            defer { X509_CRL_free(crl) }
            return body(crl)
        }
    }

    static func isCRL(_ bytes: [UInt8]) -> Bool { parse(bytes) { _ in true } ?? false }

    static func nextUpdate(_ bytes: [UInt8]) -> Date? { parse(bytes) { ASN1.date(X509_CRL_get0_nextUpdate($0)) } ?? nil }

    static func lastError() -> String {
        let code = ERR_peek_last_error()
        return code == 0 ? "no answer" : ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
