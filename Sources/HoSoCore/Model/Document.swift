import Foundation

/// One stored input document (a digitized component) of a case, with the facts kept per document.
public struct Document: Hashable, Sendable, Codable {
    /// Catalog row number; nil until stored.
    public var id: Int64?
    public let caseID: CaseID
    /// The component (thành phần hồ sơ) this document is, when known.
    public var component: String?
    /// SHA-256 of the file as received: the blob it is stored under.
    public let sha256: SHA256Digest
    public let byteCount: Int64
    /// Page count, once the normalizer has read the file.
    public var pageCount: Int?
    /// The file's name at the station, kept for people; never used as a key.
    public let sourceFileName: String
    /// The pages of the file this document is, when a batch scan was split at separator sheets; nil
    /// when it is the whole file.
    public var sourcePages: PageRanges?
    /// The scanning station or channel it came from (`scan-01`, `cli`, `api`).
    public let station: String
    /// Who digitized it.
    public let digitizedBy: String
    /// When HoSo stored it.
    public var storedAt: Date
    public var status: DocumentStatus
    /// The archival PDF and thumbnail made from the original, once normalized.
    public var normalized: NormalizedCopy?

    public init(
        id: Int64? = nil, caseID: CaseID, component: String?, sha256: SHA256Digest, byteCount: Int64,
        pageCount: Int? = nil, sourceFileName: String, sourcePages: PageRanges? = nil, station: String, digitizedBy: String,
        storedAt: Date, status: DocumentStatus = .stored, normalized: NormalizedCopy? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.component = component
        self.sha256 = sha256
        self.byteCount = byteCount
        self.pageCount = pageCount
        self.sourceFileName = sourceFileName
        self.sourcePages = sourcePages
        self.station = station
        self.digitizedBy = digitizedBy
        self.storedAt = storedAt
        self.status = status
        self.normalized = normalized
    }
}

/// The archival PDF made from a document's original, its thumbnail, and what normalizing found.
public struct NormalizedCopy: Hashable, Sendable, Codable {
    /// The PDF/A file (or the original PDF, kept as it is), stored as a blob.
    public let pdf: SHA256Digest
    public let pdfByteCount: Int64
    /// The PNG thumbnail of page 1, stored as a blob.
    public let thumbnail: SHA256Digest
    public let metadata: DocumentMetadata

    public init(pdf: SHA256Digest, pdfByteCount: Int64, thumbnail: SHA256Digest, metadata: DocumentMetadata) {
        self.pdf = pdf
        self.pdfByteCount = pdfByteCount
        self.thumbnail = thumbnail
        self.metadata = metadata
    }
}

/// Where a stored document stands.
public enum DocumentStatus: String, Sendable, Codable, CaseIterable {
    /// Kept as received; not yet normalized.
    case stored
    /// An archival PDF was made from it.
    case normalized
    /// It failed a check; the reason is in its events.
    case failed
}
