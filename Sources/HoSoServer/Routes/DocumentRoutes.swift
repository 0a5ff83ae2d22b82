import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoIngest
import NIOPosix
import Hummingbird

extension HoSoAPI {
    /// What an upload stored.
    struct Uploaded: Encodable {
        let duplicate: Bool
        let document: DocumentView
    }

    /// `POST /v1/cases/{id}/documents`: a station's scan, through the same intake as the watcher.
    /// Query: `fileName` (kept for people), `component`.
    @Sendable func uploadDocument(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let id = try Self.caseID(context.parameters.get("id") ?? "", field: "id")
        let parameters = request.uri.queryParameters
        let fileName = parameters["fileName"].map(String.init) ?? "upload"
        guard !fileName.isEmpty, fileName.utf8.count <= 255, fileName != ".", fileName != "..", !fileName.contains("/"),
              !fileName.contains("\0") else {
            throw Problem(.badRequest, "invalid_query", "fileName: a plain file name of at most 255 bytes")
        }
        let component = parameters["component"].map(String.init)
        try await requireKnownCase(id, unless: try QueryChoice.flag(request, "createCase") ?? false, asking: "createCase=true", for: context.caller)
        let upload = try await receive(request, limit: settings.maxScanBytes).file
        // The intake keeps the file's name as the document's source name: the upload gets a folder
        // of its own and the caller's name inside it.
        let folder = upload.deletingPathExtension()
        let named = folder.appendingPathComponent(fileName)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try FileManager.default.moveItem(at: upload, to: named)
        } catch {
            try? FileManager.default.removeItem(at: upload)
            try? FileManager.default.removeItem(at: folder)
            throw Problem(.internalServerError, "storage_unavailable", "the upload cannot be kept under \(uploads.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let station = context.caller?.name ?? "api"
        let result: IntakeResult
        do {
            result = try await intake.ingest(named, caseID: id, component: component, station: station, actor: context.actor, at: Date())
        } catch let error as IntakeError {
            let detail = error.description.replacingOccurrences(of: named.path, with: fileName)
            switch error {
            case .badScan(.crashed): throw Problem(.unprocessableContent, "input_crashed_parser", detail)
            case .badScan(.overLimit): throw Problem(.contentTooLarge, "input_over_limit", detail)
            case .badScan: throw Problem(.unprocessableContent, "unreadable_scan", detail)
            case .tooLarge: throw Problem(.contentTooLarge, "body_too_large", detail)
            case .changedWhileReading: throw Problem(.conflict, "changed_while_reading", detail)
            case .missing: throw Problem(.internalServerError, "storage_failed", detail)
            // A full disk, a blob store that does not answer: not the file's fault, and it passes.
            case .io: throw Problem.unavailable("storage_unavailable", detail)
            }
        }
        switch result {
        case .stored(let document): return try JSON.response(Uploaded(duplicate: false, document: DocumentView(document)), status: .created)
        case .duplicate(let document, _): return try JSON.response(Uploaded(duplicate: true, document: DocumentView(document)))
        }
    }

    @Sendable func listDocuments(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let found = try await knownCase(context)
        return try JSON.response(["documents": try await catalog.documents(of: found.id).map(DocumentView.init)])
    }

    /// `GET /v1/documents/{sha}`: an original or its archival PDF, read back with its hash checked.
    @Sendable func getDocument(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let (digest, document) = try await storedDocument(context)
        let type = digest == document.normalized?.pdf ? "application/pdf"
            : digest == document.normalized?.thumbnail ? "image/png" : Self.mediaType(of: document.sourceFileName)
        return try await blobResponse(digest, type: type, context: context)
    }

    /// `GET /v1/documents/{sha}/thumbnail`: the document's thumbnail (PNG).
    @Sendable func getThumbnail(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let (_, document) = try await storedDocument(context)
        guard let thumbnail = document.normalized?.thumbnail else {
            throw Problem(.notFound, "no_thumbnail", "document \(document.sha256) has no thumbnail")
        }
        return try await blobResponse(thumbnail, type: "image/png", context: context)
    }

    private func storedDocument(_ context: HoSoRequestContext) async throws -> (SHA256Digest, Document) {
        let text = context.parameters.get("sha") ?? ""
        let digest: SHA256Digest
        do { digest = try SHA256Digest(hex: text) } catch {
            throw Problem(.badRequest, "invalid_sha256", "sha: \(error.description)")
        }
        let unknown = Problem(.notFound, "unknown_document", "no document has SHA-256 \(digest)")
        guard let document = try await catalog.document(containing: digest) else { throw unknown }
        // A document of a case outside the caller's agency scope is as unknown as one that is not there.
        if let caller = context.caller, caller.agency != nil {
            guard let owner = try await catalog.fetchCase(document.caseID), caller.maySee(owner) else { throw unknown }
        }
        return (digest, document)
    }

    /// The blob, its hash checked first, then streamed from the file that was checked: memory stays one
    /// chunk whatever the size of the map, and a damaged copy is a 500, never a 200 with the wrong bytes.
    /// The store hashes on a thread of its own; the chunks are read on NIO's thread pool.
    func blobResponse(_ digest: SHA256Digest, type: String, context: HoSoRequestContext) async throws -> Response {
        let blob: CheckedBlob
        do { blob = try await blobs.open(digest) } catch BlobStoreError.io(let path, let reason) {
            throw Problem.unavailable("blobs_unavailable", "the stored copy of \(digest) cannot be read now: \(path): \(reason)")
        } catch {
            throw Problem(.internalServerError, "blob_damaged", "the stored copy of \(digest) cannot be served: \(error)")
        }
        let body = ResponseBody(contentLength: Int(blob.byteCount)) { writer in
            var offset: Int64 = 0
            while offset < blob.byteCount {
                let start = offset
                let chunk = try await NIOThreadPool.singleton.runIfActive { try blob.read(1 << 20, at: start) }
                guard !chunk.isEmpty else { break }
                try await writer.write(ByteBuffer(bytes: chunk))
                offset += Int64(chunk.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: type, .eTag: "\"\(digest.hex)\""], body: body)
    }

    static func mediaType(of fileName: String) -> String {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "tif", "tiff": "image/tiff"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
