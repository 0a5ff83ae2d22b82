import Foundation
import Glibc
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoImaging
import HoSoWorkers

/// Takes one file into HoSo for a known case: normalize it, store the original, the archival PDF and the
/// thumbnail as blobs, then record the document and its event.
///
/// The order is the durability rule: the catalog never names a blob that is not yet durable in its store,
/// and a crash between the two leaves unreferenced blobs, which cost space but lose nothing. The original is
/// only read, never changed or moved.
public struct DocumentIntake: Sendable {
    public let catalog: any Catalog
    public let blobs: any BlobStore
    /// In this process, or in parser workers (the daemons) so a file that crashes a decoder costs only itself.
    public let normalizer: any DocumentNormalizing
    /// Where normalized files wait until they are stored (inside the data directory, on this node's disk:
    /// a local blob store renames them into place).
    public let workRoot: URL

    /// Normalizes in this process.
    public init(catalog: any Catalog, blobs: any BlobStore, normalizer: Normalizer, workRoot: URL) {
        // What it writes is scratch: the blob store copies it and fsyncs the copy.
        var scratch = normalizer
        scratch.durable = false
        self.init(catalog: catalog, blobs: blobs, normalizing: scratch, workRoot: workRoot)
    }

    /// Normalizes with `normalizing`, e.g. an `IsolatedNormalizer` whose workers' setup is not durable.
    public init(catalog: any Catalog, blobs: any BlobStore, normalizing: any DocumentNormalizing, workRoot: URL) {
        self.catalog = catalog
        self.blobs = blobs
        normalizer = normalizing
        self.workRoot = workRoot
    }

    public var maximumInputBytes: Int64 { normalizer.limits.maximumInputBytes }

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

    /// Checks and normalizes `file` (or only the `selection` of its pages) into the work area; nothing is
    /// stored yet.
    public func prepare(_ file: URL, title: String? = nil, selection: PageRanges? = nil) async throws(IntakeError) -> PreparedFile {
        try check(file)
        let directory = workRoot.appendingPathComponent(UUID().uuidString, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(file: directory.path, reason: error.localizedDescription)
        }
        let prepared = PreparedFile(source: file, directory: directory)
        do {
            prepared.metadata = try await normalizer.normalize(
                NormalizeJob(input: file, pdf: prepared.pdf, thumbnail: prepared.thumbnail, title: title, selection: selection))
            return prepared
        } catch .missing(let path, let reason) {
            throw .missing(file: path, reason: reason)
        } catch .io(let path, let reason) {
            // Writing the output or reading the input failed (a full disk, a failing device), or no parser
            // worker could start: not the scan's fault.
            throw .io(file: path, reason: reason)
        } catch {
            throw .badScan(error)
        }
    }

    /// Stores a prepared file as a document of `caseID`.
    ///
    /// - Parameters:
    ///   - component: the input component it is, when known.
    ///   - station: where it came from (`cli`, `scan-01`).
    ///   - actor: who is doing this, for the event trail.
    ///   - time: when it happens.
    public func store(
        _ prepared: PreparedFile, caseID: CaseID, component: String?, station: String, actor: String, at time: Date
    ) async throws -> IntakeResult {
        let file = prepared.source
        let stored = try await storeBlobs(prepared)
        let (original, pdf, thumbnail, metadata) = (stored.original, stored.pdf, stored.thumbnail, stored.metadata)
        let document = Document(
            caseID: caseID, component: component, sha256: original.digest, byteCount: original.byteCount,
            pageCount: metadata.pageCount, sourceFileName: file.lastPathComponent, station: station, digitizedBy: actor,
            storedAt: time, status: .normalized,
            normalized: NormalizedCopy(pdf: pdf.digest, pdfByteCount: pdf.byteCount, thumbnail: thumbnail.digest, metadata: metadata)
        )
        switch try await catalog.recordDocument(document, actor: actor) {
        case .stored(let stored): return .stored(stored)
        case .duplicate(let earlier): return .duplicate(of: earlier, file: file.lastPathComponent)
        }
    }

    /// Stores a prepared file's original, PDF and thumbnail as blobs; refuses if the original changed
    /// since it was normalized.
    ///
    /// The original is copied (it stays in the inbox until the commit); the PDF and thumbnail are scratch
    /// files in the work area, taken in by the store. The three are stored at once: each waits on its own
    /// fsyncs or upload, and waiting for them one after another was most of what a file cost a station worker.
    public func storeBlobs(_ prepared: PreparedFile) async throws -> StoredBlobs {
        guard let metadata = prepared.metadata else { preconditionFailure("store a file only after prepare succeeded") }
        let file = prepared.source
        async let original = blobs.store(contentsOf: file)
        async let pdf = blobs.adopt(prepared.pdf)
        async let thumbnail = blobs.adopt(prepared.thumbnail)
        let stored: StoredBlobs
        do {
            stored = StoredBlobs(original: try await original, pdf: try await pdf, thumbnail: try await thumbnail, metadata: metadata)
        } catch {
            throw IntakeError.io(file: file.path, reason: "\(error)")
        }
        // The station may still have been writing: what was stored must be what was normalized.
        guard stored.original.digest == metadata.inputSHA256 else {
            throw IntakeError.changedWhileReading(file: file.path)
        }
        return stored
    }

    /// The title a document's PDF carries: its case ID and component, `000.00.14.H27-240815-0007 — Đơn`.
    public static func title(_ caseID: CaseID, _ component: String?) -> String {
        [caseID.description, component].compactMap { $0 }.joined(separator: " — ")
    }

    /// Prepares and stores one file.
    public func ingest(
        _ file: URL, caseID: CaseID, component: String?, station: String, actor: String, at time: Date
    ) async throws -> IntakeResult {
        let prepared = try await prepare(file, title: Self.title(caseID, component))
        return try await store(prepared, caseID: caseID, component: component, station: station, actor: actor, at: time)
    }
}

/// A file's original, archival PDF and thumbnail, stored, with what normalizing found.
public struct StoredBlobs: Sendable {
    public let original: StoredBlob
    public let pdf: StoredBlob
    public let thumbnail: StoredBlob
    public let metadata: DocumentMetadata
}

/// A file checked and normalized, waiting to be stored. Its work folder goes when it does.
public final class PreparedFile: @unchecked Sendable {
    public let source: URL
    let directory: URL
    /// The normalized PDF, in the work area until stored.
    public var pdf: URL { directory.appendingPathComponent("normalized.pdf") }
    var thumbnail: URL { directory.appendingPathComponent("thumbnail.png") }
    /// What normalizing found; set once prepare succeeds.
    public internal(set) var metadata: DocumentMetadata?

    init(source: URL, directory: URL) {
        self.source = source
        self.directory = directory
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
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
    /// The file is not a scan HoSo can archive: damaged, unsupported, over a limit, encrypted.
    case badScan(NormalizeError)
    /// The file's bytes changed between normalizing and storing it (still being written?).
    case changedWhileReading(file: String)
    case io(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file, let reason): "\(file): cannot read input: \(reason)"
        case .tooLarge(let file, let count, let limit):
            "\(file): is \(count) bytes, larger than the limit of \(limit) bytes (ingest.max_input_bytes)"
        case .badScan(let error): error.description
        case .changedWhileReading(let file): "\(file): changed while it was being read; try again once the scanner has finished"
        case .io(let file, let reason): "\(file): \(reason)"
        }
    }
}
