import COpenSSL
import Foundation
import HoSoPDF

/// Signs PDFs by incremental update: PAdES B-B (`ETSI.CAdES.detached`) by default, `adbe.pkcs7.detached`
/// when asked, B-T with a timestamp from an RFC 3161 server. One key for any number of files, on any
/// number of threads (OpenSSL keys sign concurrently).
public struct PDFSigner: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case pades, pkcs7
        var subFilter: String { self == .pades ? "ETSI.CAdES.detached" : "adbe.pkcs7.detached" }
    }

    public let key: SigningKey
    public var format: Format = .pades
    public var digest: SigningDigest = .sha256
    /// RSA-PSS rather than PKCS#1 v1.5 (RSA keys only).
    public var pss = false
    public var reason: String?
    public var location: String?
    /// An RFC 3161 server asked for a signature timestamp (PAdES B-T).
    public var timestampServer: URL?
    /// A visible appearance; nil signs invisibly.
    public var appearance: Appearance?

    /// A visible signature: a box on the first or last page showing what `render` draws.
    public struct Appearance: Sendable {
        public enum Page: String, Sendable, CaseIterable { case first, last }
        public var page: Page
        /// x, y, width, height in points from the page's lower-left corner.
        public var box: [Double]
        /// A one-page PDF of the box's size showing the signer's name and the signing time.
        public var render: @Sendable (_ signer: String, _ time: Date) throws -> [UInt8]

        public init(page: Page, box: [Double], render: @escaping @Sendable (_ signer: String, _ time: Date) throws -> [UInt8]) {
            precondition(box.count == 4, "x, y, width, height")
            self.page = page
            self.box = box
            self.render = render
        }
    }

    public init(key: SigningKey) { self.key = key }

    /// The signature dictionary key naming the case a result was signed for; inside the signed bytes.
    public static let caseIDKey: PDFName = "HoSo.CaseID"

    /// The `/Reason` of a result signed for a case: the words the case binding and a person both read.
    public static func reason(for caseID: String, adding reason: String?) -> String {
        let words = "Kết quả giải quyết hồ sơ \(caseID)"
        guard let reason, !reason.isEmpty else { return words }
        return "\(reason); \(words)"
    }

    /// What signing one file produced.
    public struct Signed: Sendable {
        public let inputSHA256: String
        public let outputSHA256: String
        public let bytes: Int
    }

    /// Signs `input` into `output` (written under a temporary name and renamed: it appears whole or not
    /// at all; not fsynced — the batch syncs its folder once before writing its manifest). With `caseID`,
    /// the signature names the case in `/HoSo.CaseID` and in `/Reason`.
    public func sign(_ input: URL, to output: URL, at time: Date = Date(), caseID: String? = nil) throws(SigningError) -> Signed {
        let reader: PDFReader
        do { reader = try PDFReader(path: input.path) } catch { throw .input("not a readable PDF: \(error)") }
        let builder = CMSBuilder(key: key, digest: digest, pss: pss && key.isRSA, pades: format == .pades)
        let certificates = key.certificatesDER.reduce(0) { $0 + $1.count }
        let capacity = certificates + 2 * 1024 + (timestampServer == nil ? 0 : 8 * 1024)
        var placed: SignaturePlaceholder.Placed?
        if let appearance {
            do {
                let pdf = try appearance.render(key.certificate.commonName ?? key.certificate.subject, time)
                placed = .init(page: appearance.page, box: appearance.box, pdf: pdf)
            } catch {
                throw .signing("the appearance cannot be drawn: \(error)")
            }
        }
        var placeholder = try SignaturePlaceholder(reader: reader, details: .init(
            subFilter: format.subFilter, time: time, reason: caseID.map { Self.reason(for: $0, adding: reason) } ?? reason,
            location: location, name: key.certificate.commonName, caseID: caseID, capacity: capacity, appearance: placed))

        // One pass over the original bytes serves three digests: the input's, the signed bytes' and
        // the output's all start with them.
        let hashes = reader.withBytes { original in
            FileHashes(original: original, parts: placeholder.signedUpdateParts, update: placeholder.update, signing: digest)
        }
        guard let hashes else { throw .signing("OpenSSL cannot hash") }
        let attributes = builder.signedAttributes(messageDigest: hashes.signed, time: time)
        let signature = try builder.sign(attributes)
        var token: [UInt8]?
        if let timestampServer {
            token = try TimestampClient(url: timestampServer).token(over: signature, digest: digest)
        }
        try placeholder.fill(signature: builder.contentInfo(attributes: attributes, signature: signature, timestampToken: token))
        // The output's digest covers the filled /Contents too.
        guard let outputDigest = hashes.output(finishing: placeholder.update) else { throw .signing("OpenSSL cannot hash") }
        do {
            try reader.withBytes { original in
                try placeholder.update.withUnsafeBytes { update in try AtomicFile.write(parts: [original, update], to: output, durable: false) }
            }
        } catch {
            throw .signing("\(output.path): cannot write: \(error)")
        }
        return Signed(inputSHA256: hashes.input, outputSHA256: outputDigest, bytes: placeholder.base + placeholder.update.count)
    }
}
