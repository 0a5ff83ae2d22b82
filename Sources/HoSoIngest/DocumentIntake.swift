import Foundation
import HoSoCatalog
import HoSoCore
import Glibc

/// Takes one file into HoSo for a known case: blob first, then the catalog row and its event.
///
/// The order is the durability rule: the catalog never names a blob that is not yet on disk, and a
/// crash between the two leaves an unreferenced blob, which costs space but loses nothing.
public struct DocumentIntake: Sendable {
    public let catalog: any Catalog
    public let blobs: BlobStore
    /// Files larger than this are refused before a byte is copied.
    public let maximumInputBytes: Int64

    public init(catalog: any Catalog, blobs: BlobStore, maximumInputBytes: Int64) {
        self.catalog = catalog
        self.blobs = blobs
        self.maximumInputBytes = maximumInputBytes
    }

    /// Checks that `file` can be taken in: it exists, is readable, is not a directory and not too large.
    public func check(_ file: URL) throws(IntakeError) {
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw .missing(file: file.path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .missing(file: file.path, reason: "is a directory") }
        guard access(file.path, R_OK) == 0 else { throw .missing(file: file.path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) > maximumInputBytes {
            throw .tooLarge(file: file.path, byteCount: Int64(info.st_size), limit: maximumInputBytes)
        }
    }

    /// Stores `file` as a document of `caseID`.
    ///
    /// - Parameters:
    ///   - file: what the station produced; read once, streaming, never changed.
    ///   - component: the input component it is, when known.
    ///   - station: where it came from (`cli`, `scan-01`).
    ///   - actor: who is doing this, for the event trail.
    ///   - time: when it happens.
    public func ingest(
        _ file: URL, caseID: CaseID, component: String?, station: String, actor: String, at time: Date
    ) async throws -> IntakeResult {
        try check(file)
        let blob: StoredBlob
        do { blob = try blobs.store(contentsOf: file) } catch let error as BlobStoreError {
            throw IntakeError.io(file: file.path, reason: error.description)
        }
        // A pipe or device has no size up front: check what was actually read.
        guard blob.byteCount <= maximumInputBytes else {
            throw IntakeError.tooLarge(file: file.path, byteCount: blob.byteCount, limit: maximumInputBytes)
        }
        let document = Document(
            caseID: caseID, component: component, sha256: blob.digest, byteCount: blob.byteCount,
            sourceFileName: file.lastPathComponent, station: station, digitizedBy: actor, storedAt: time
        )
        switch try await catalog.recordDocument(document, actor: actor) {
        case .stored(let stored): return .stored(stored)
        case .duplicate(let earlier): return .duplicate(of: earlier, file: file.lastPathComponent)
        }
    }
}

/// What taking in one file did.
public enum IntakeResult: Hashable, Sendable {
    case stored(Document)
    /// The same bytes were already stored for the case.
    case duplicate(of: Document, file: String)

    /// The document now on record for the file.
    public var document: Document {
        switch self {
        case .stored(let document), .duplicate(let document, _): document
        }
    }
}

/// Why a file could not be taken in.
public enum IntakeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case missing(file: String, reason: String)
    case tooLarge(file: String, byteCount: Int64, limit: Int64)
    case io(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file, let reason): "\(file): cannot read input: \(reason)"
        case .tooLarge(let file, let count, let limit):
            "\(file): is \(count) bytes, larger than the limit of \(limit) (ingest.max_input_bytes)"
        case .io(let file, let reason): "\(file): \(reason)"
        }
    }
}
