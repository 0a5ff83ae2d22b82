import Foundation
import HoSoCore
import HoSoImaging
import HoSoSignature

/// What a parser worker is started with: the first line its parent sends.
public struct WorkerSetup: Codable, Hashable, Sendable {
    public var limits: NormalizeLimits
    public var flateLevel: Int32
    /// Whether normalized outputs are fsynced (intake's are scratch files the blob store fsyncs).
    public var durable: Bool
    /// The trust a result's signatures are verified against: folders of anchors and CRLs.
    public var trustAnchors: String?
    public var trustCRLs: String?
    /// The most memory a worker may allocate (`RLIMIT_DATA`), in bytes.
    public var memoryBytes: Int
    /// The CPU time one request may use (`RLIMIT_CPU`, raised before each request), in seconds.
    public var cpuSeconds: Int

    public init(normalizer: Normalizer, durable: Bool, trustAnchors: URL? = nil, trustCRLs: URL? = nil,
                memoryBytes: Int = 1 << 30, cpuSeconds: Int = 300) {
        limits = normalizer.limits
        flateLevel = normalizer.flateLevel
        self.durable = durable
        self.trustAnchors = trustAnchors?.path
        self.trustCRLs = trustCRLs?.path
        self.memoryBytes = memoryBytes
        self.cpuSeconds = cpuSeconds
    }

    /// The normalizer these settings describe.
    var normalizer: Normalizer {
        var normalizer = Normalizer(limits: limits, flateLevel: flateLevel)
        normalizer.durable = durable
        return normalizer
    }
}

/// One file to normalize, with where its outputs go.
public struct NormalizeJob: Codable, Hashable, Sendable {
    public var input: String
    public var pdf: String
    public var thumbnail: String
    public var title: String?
    public var selection: PageRanges?

    public init(input: URL, pdf: URL, thumbnail: URL, title: String? = nil, selection: PageRanges? = nil) {
        self.input = input.path
        self.pdf = pdf.path
        self.thumbnail = thumbnail.path
        self.title = title
        self.selection = selection
    }
}

/// A request to a worker: one line of JSON.
enum WorkerRequest: Codable, Sendable {
    case normalize(NormalizeJob)
    case verify(file: String)
}

/// A worker's answer: one line of JSON.
enum WorkerReply: Codable, Sendable {
    case normalized(DocumentMetadata)
    case refused(NormalizeError)
    case verified(DocumentReport)
    /// The file is not a PDF the verifier can read.
    case unreadable(String)
}
