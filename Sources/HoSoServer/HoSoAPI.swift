import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoIngest
import HoSoSignature
import HoSoWorkers
import Hummingbird
import Logging

/// The trust a verdict was reached with: each anchor's subject and SHA-256, each CRL file's name.
struct TrustEvidence: Sendable {
    let anchors: [String]
    let crls: [String]

    init(_ store: TrustStore, crls folder: URL?) {
        anchors = store.anchors.map { "\($0.subject) sha256:\($0.fingerprintHex)" }
        crls = folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) }?.sorted() ?? []
    }
}

/// The HTTP API: every ``Operation`` bound to its handler behind bearer authentication, errors as
/// problem+json.
public struct HoSoAPI: Sendable {
    let catalog: any ServerCatalog
    let blobs: any BlobStore
    let intake: DocumentIntake
    /// Verifies results: in this process, or in parser workers (`hoso serve`).
    let verifier: any ResultVerifying
    let settings: ServerSettings
    /// Where uploads are written while they are checked.
    let uploads: URL
    /// The OpenAPI document served at /v1/openapi.yaml.
    let openAPI: String
    let metrics: MetricsExport
    /// What results are verified against, recorded with each verdict.
    let trust: TrustEvidence
    /// The signer rule and case binding every verified result must also pass.
    let acceptance: ResultAcceptance
    /// The stations' ingestion, when this process runs it: paused by a fault, it makes `/readyz` say so.
    let ingestHealth: IngestHealth?

    public init(catalog: any ServerCatalog, blobs: any BlobStore, intake: DocumentIntake, settings: ServerSettings, uploads: URL,
                openAPI: String, metrics: MetricsExport, barcodes: BarcodeReader = BarcodeReader(executable: BarcodeReader.currentExecutable),
                ingestHealth: IngestHealth? = nil, verifier: (any ResultVerifying)? = nil) {
        self.catalog = catalog
        self.ingestHealth = ingestHealth
        self.blobs = blobs
        self.intake = intake
        self.settings = settings
        self.uploads = uploads
        self.openAPI = openAPI
        self.metrics = metrics
        let store = TrustStore(anchors: settings.trustAnchors, crls: settings.trustCRLs)
        self.verifier = verifier ?? SignatureVerifier(trust: store)
        trust = TrustEvidence(store, crls: settings.trustCRLs)
        acceptance = ResultAcceptance(registry: catalog, reader: barcodes, requireRegisteredSigner: settings.requireRegisteredSigner,
                                      requireCaseBinding: settings.requireCaseBinding)
    }

    typealias Handler = @Sendable (Request, HoSoRequestContext) async throws -> Response

    /// The router: one route per operation.
    public func router() -> Router<HoSoRequestContext> {
        let router = Router(context: HoSoRequestContext.self)
        router.middlewares.add(AccessLogMiddleware())
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(ProblemMiddleware())
        let handlers = self.handlers()
        let tokens = TokenCache(tokens: catalog)
        for operation in Operation.all {
            guard let handler = handlers[operation.id] else { preconditionFailure("no handler for \(operation.id)") }
            router.on(RouterPath(operation.path), method: operation.method) { request, context in
                var context = context
                if !operation.roles.isEmpty {
                    context.caller = try await BearerToken.authorize(request, for: operation, tokens: tokens)
                }
                return try await handler(request, context)
            }
        }
        WebUI(api: self).register(on: router)
        return router
    }

    private func handlers() -> [String: Handler] {
        [
            "health": { _, _ in try JSON.response(["status": "ok"]) },
            "ready": ready,
            "metrics": { [catalog, settings] _, _ in
                try await ServerMetrics.sample(catalog, settings: settings)
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
            },
            "openapi": { [openAPI] _, _ in
                Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: openAPI)))
            },
            "registerCase": registerCase, "listCases": listCases, "getCase": getCase,
            "uploadDocument": uploadDocument, "listDocuments": listDocuments, "getDocument": getDocument, "getThumbnail": getThumbnail,
            "attachResult": attachResult, "listResults": listResults, "returnCase": returnCase,
            "listEvents": listEvents, "controlSlip": controlSlip,
            "recordStep": recordStep, "listSteps": listSteps, "recordChange": recordChange,
            "listQuarantine": listQuarantine, "assignQuarantined": assignQuarantined, "rejectQuarantined": rejectQuarantined,
            "listSigners": listSigners, "addSigner": addSigner, "removeSigner": removeSigner,
            "digitizationReport": digitizationReport, "signedNotReturnedReport": signedNotReturnedReport, "outagesReport": outagesReport,
            "lateCasesReport": lateCasesReport,
        ]
    }

    /// Ready when the catalog answers, the blob store can take files and ingestion is not paused by a fault.
    @Sendable func ready(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        if let pause = ingestHealth?.pause {
            let station = pause.station.isEmpty ? "" : " (station \(pause.station))"
            throw Problem(.serviceUnavailable, "ingest_paused",
                          "ingestion paused since \(VietnamTime.format(pause.since))\(station): \(pause.reason); next try at \(VietnamTime.format(pause.retryAt))")
        }
        do {
            // A shared catalog whose server went away makes queries wait for a connection: not ready.
            let catalog = catalog
            _ = try await withDeadline(.seconds(5)) { try await catalog.listCases(CaseQuery(limit: 1)) }
        } catch {
            throw Problem.unavailable("catalog_unavailable", "the catalog does not answer: \(error)")
        }
        do { try await blobs.checkAvailable() } catch {
            throw Problem.unavailable("blobs_unavailable", "the blob store cannot take files: \(error)")
        }
        return try JSON.response(["status": "ready"])
    }
}
