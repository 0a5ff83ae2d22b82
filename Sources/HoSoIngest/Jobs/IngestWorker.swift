import Foundation
import Glibc
import HoSoCatalog
import HoSoCore
import HoSoImaging
import Logging

/// Takes jobs off the ingest queue and carries each through its steps: fixity and normalize (original,
/// PDF and thumbnail stored as blobs) → index → commit (document or quarantine, with the job's step, in
/// one transaction) → dispose of the original.
///
/// Every step before the commit is repeatable (blobs are content-addressed and normalizing the same bytes
/// gives the same bytes), and the commit is recorded with the job, so a worker killed at any moment is
/// replaced by one that finishes the job without storing anything twice.
public final class IngestWorker: @unchecked Sendable {
    public let name: String
    private let catalog: any Catalog
    private let intake: DocumentIntake
    private let stations: [String: StationConfig]
    /// Reads QR codes and barcodes for the stations' barcode rule.
    private let barcodes: BarcodeReader
    private let metrics: IngestMetrics
    /// How long a claimed job is this worker's without a renewal; the worker renews it every third of
    /// that while it works, so only a dead worker's (or a dead node's) jobs are taken over, within a lease.
    private let lease: TimeInterval
    /// Where the renewals run: a queue of their own, so a concurrency pool kept busy by other work (every
    /// thread of it, on a small machine) never makes a renewal late.
    private let heartbeat: QueueExecutor
    /// One line per file taken: where it went, or why not, and how long it took.
    private let logger: Logger

    public init(
        name: String, catalog: any Catalog, intake: DocumentIntake, stations: [StationConfig], barcodes: BarcodeReader,
        metrics: IngestMetrics = IngestMetrics(), lease: TimeInterval = 60, logger: Logger = Logger(label: "hoso.ingest")
    ) {
        self.name = name
        self.catalog = catalog
        self.intake = intake
        self.stations = Dictionary(uniqueKeysWithValues: stations.map { ($0.id, $0) })
        self.barcodes = barcodes
        self.metrics = metrics
        self.lease = lease
        heartbeat = QueueExecutor(label: "hoso.lease.\(name)")
        self.logger = logger
    }

    /// What happened to one job, for logs and tests.
    public enum Outcome: Equatable, Sendable {
        case stored(CaseID)
        case duplicate(CaseID)
        /// A batch scan split at separator sheets into documents of these cases.
        case split([CaseID])
        case quarantined(QuarantineReason)
        case failed(String)
        /// The file changed or vanished after it was queued; a newer job takes it if it is still there.
        case superseded
        /// Writing or reading failed for a reason that is not the file's (a full disk, a failing device):
        /// the file stays in the inbox and its job goes back to the queue, to be tried after a pause.
        case deferred(station: String, reason: String)
    }

    /// Processes jobs until none is waiting; returns what happened to each.
    @discardableResult
    public func drain() async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        while !Task.isCancelled,
              let job = try await catalog.claimNextJob(worker: name, at: Date(), leaseExpiry: Date().addingTimeInterval(lease)) {
            let outcome = try await process(job)
            outcomes.append(outcome)
            // The next job would meet the same full disk.
            if case .deferred = outcome { break }
        }
        return outcomes
    }

    /// Carries one claimed job to its end, and counts it.
    public func process(_ job: IngestJob) async throws -> Outcome {
        let landedAt = Self.changeTime(of: job.sourcePath)
        let started = ContinuousClock.now
        let outcome: Outcome
        do {
            outcome = try await carryRenewingLease(job)
        } catch let error as IntakeError {
            guard case .io = error else { throw error }
            // Everything before the commit is repeatable: the job goes back to the queue as it is.
            _ = try await catalog.releaseJobs(claimedBy: [name], at: Date())
            outcome = .deferred(station: job.station, reason: error.description)
        }
        metrics.record(outcome, station: job.station, landedAt: landedAt, at: Date())
        log(outcome, of: job, took: ContinuousClock.now - started)
        return outcome
    }

    /// The file's line: `scan-01 don-0007.tif: stored in 000.00.14.H27-240815-0007 (1234 ms)`, with the
    /// same facts as metadata (station, file, outcome, case or reason, ms) for a JSON log.
    private func log(_ outcome: Outcome, of job: IngestJob, took duration: Duration) {
        let milliseconds = duration.inMilliseconds
        let file = stations[job.station].map { Self.relativePath(of: URL(fileURLWithPath: job.sourcePath), in: $0) } ?? job.sourcePath
        var metadata: Logger.Metadata = ["station": "\(job.station)", "file": "\(file)", "ms": "\(milliseconds)"]
        let (name, words, level): (String, String, Logger.Level) = switch outcome {
        case .stored(let id): ("stored", "stored in \(id)", .notice)
        case .duplicate(let id): ("duplicate", "a duplicate of a document of \(id)", .notice)
        case .split(let ids): ("split", "split into documents of \(ids.map(\.description).joined(separator: ", "))", .notice)
        case .quarantined(let reason): ("quarantined", "quarantined: \(reason.rawValue)", .notice)
        case .failed(let reason): ("failed", "failed: \(reason)", .warning)
        case .superseded: ("superseded", "changed or gone since it was queued", .notice)
        case .deferred(_, let reason): ("deferred", "deferred: \(reason)", .warning)
        }
        metadata["outcome"] = "\(name)"
        switch outcome {
        case .stored(let id), .duplicate(let id): metadata["case"] = "\(id)"
        case .split(let ids): metadata["case"] = "\(ids.map(\.description).joined(separator: ","))"
        case .quarantined(let reason): metadata["reason"] = "\(reason.rawValue)"
        case .failed(let reason), .deferred(_, let reason): metadata["reason"] = "\(reason)"
        case .superseded: break
        }
        logger.log(level: level, "\(job.station) \(file): \(words) (\(milliseconds) ms)", metadata: metadata)
    }

    /// Carries the job while a second task renews its lease every third of a lease, on the worker's own
    /// queue (`heartbeat`). Losing the lease (this worker stalled past it and another took the job) does
    /// not stop the work: the commit is recorded with the job, so whichever worker commits second finds it
    /// committed and stores nothing twice.
    private func carryRenewingLease(_ job: IngestJob) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask { try await self.carry(job) }
            group.addTask(executorPreference: heartbeat) {
                while true {
                    try await self.heartbeat.sleep(for: .seconds(self.lease / 3))
                    let now = Date()
                    // A catalog that does not answer now may answer at the next beat; the lease has slack.
                    let renewed = try? await self.catalog.renewLease(job.id, worker: self.name, until: now.addingTimeInterval(self.lease), at: now)
                    if renewed == false { return nil }
                }
            }
            while let finished = try await group.next() {
                if let outcome = finished {
                    group.cancelAll()
                    return outcome
                }
            }
            preconditionFailure("the job's task always finishes with an outcome")
        }
    }

    /// When the file last changed or was renamed into the inbox (its ctime): when it landed.
    private static func changeTime(of path: String) -> Date? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9)
    }

    private func carry(_ job: IngestJob) async throws -> Outcome {
        guard let station = stations[job.station] else {
            try await catalog.finishJob(job.id, outcome: .failed(reason: "station \(job.station) is no longer configured"), at: Date())
            return .failed("unknown station \(job.station)")
        }
        let source = URL(fileURLWithPath: job.sourcePath)
        var outcome: Outcome = .superseded
        if job.step < .committed {
            // The file must still be the version that was queued.
            guard let current = Self.sourceKey(of: source, station: station), current == job.sourceKey else {
                try await catalog.finishJob(job.id, outcome: .done, at: Date())
                return .superseded
            }
            let prepared: PreparedFile
            switch try await prepare(job, station: station, source: source, selection: nil) {
            case .ready(let file): prepared = file
            case .ended(let ending): return ending
            }
            let normalizedAt = Date()
            let metadata = prepared.metadata!
            let (barcodes, pdf) = (barcodes, prepared.pdf)
            // Reading a sidecar or waiting for the barcode child blocks: off the concurrency pool.
            let decision = await offThread {
                Indexer(station: station).decide(source, sha256: metadata.inputSHA256, pages: metadata.pageCount) {
                    // Barcodes are read from the TIFF itself (only its corner is decoded), else from the PDF.
                    barcodes.read(metadata.inputKind == "tiff" ? source : pdf)
                }
            }
            // What these steps found is recorded with the commit, in its transaction: a crash before it
            // simply repeats them.
            let actor = "station:\(station.id)"
            let commit: IngestCommit
            do {
                switch decision {
                case .found(let caseID, let component, let person, _):
                    let document = try await document(prepared, caseID: caseID, component: component, pages: nil, person: person, station: station)
                    commit = .documents([document], received: job.createdAt, normalized: normalizedAt)
                case .batch(let parts):
                    var documents: [Document] = []
                    for part in parts {
                        let file: PreparedFile
                        switch try await prepare(job, station: station, source: source, selection: part.pages) {
                        case .ready(let ready): file = ready
                        case .ended(let ending): return ending
                        }
                        documents.append(try await document(file, caseID: part.caseID, component: station.defaultComponent, pages: part.pages,
                                                      person: nil, station: station))
                    }
                    commit = .documents(documents, received: job.createdAt, normalized: Date())
                case .quarantine(let reason, let detail, let component):
                    let blobs = try await intake.storeBlobs(prepared)
                    commit = .quarantine(QuarantineEntry(
                        station: station.id, sourceFileName: source.lastPathComponent, sha256: blobs.original.digest,
                        byteCount: blobs.original.byteCount, normalized: Self.copy(blobs), reason: reason, detail: detail,
                        component: component, digitizedBy: actor, quarantinedAt: Date()
                    ))
                }
            } catch IntakeError.changedWhileReading {
                // Rewritten while being read: the watcher queues the new version as a job of its own.
                try await catalog.finishJob(job.id, outcome: .done, at: Date())
                return .superseded
            }
            switch try await catalog.commitIngestJob(job.id, commit, actor: actor, at: Date()) {
            case .documents(let results) where results.count > 1: outcome = .split(results.map(\.document.caseID))
            case .documents(let results):
                switch results[0] {
                case .stored(let document): outcome = .stored(document.caseID)
                case .duplicate(let earlier): outcome = .duplicate(earlier.caseID)
                }
            case .quarantined(let entry): outcome = .quarantined(entry.reason)
            case .alreadyCommitted: outcome = .superseded
            }
        } else if let ids = job.progress["caseID"]?.split(separator: ",").compactMap({ try? CaseID(parsing: String($0)) }), !ids.isEmpty {
            outcome = ids.count > 1 ? .split(ids) : job.progress["outcome"] == "duplicate" ? .duplicate(ids[0]) : .stored(ids[0])
        }
        try dispose(source, station: station, relative: Self.relativePath(of: source, in: station))
        try await catalog.finishJob(job.id, outcome: .done, step: .disposed, at: Date())
        return outcome
    }

    /// A normalized file ready to store, or how the job ended instead.
    private enum Preparation {
        case ready(PreparedFile)
        case ended(Outcome)
    }

    /// Normalizes the job's file (or some of its pages); a file that cannot be archived ends the job in
    /// `failed/`, one that vanished or changed ends it as superseded.
    private func prepare(_ job: IngestJob, station: StationConfig, source: URL, selection: PageRanges?) async throws -> Preparation {
        do {
            return .ready(try await intake.prepare(source, title: nil, selection: selection))
        } catch {
            switch error {
            case .badScan, .tooLarge:
                return .ended(try await fail(job, station: station, source: source, reason: error.description))
            case .missing where FileManager.default.fileExists(atPath: source.path):
                // There but unreadable (permissions): a person must look at it, not a retry loop.
                return .ended(try await fail(job, station: station, source: source, reason: error.description))
            case .missing, .changedWhileReading:
                try await catalog.finishJob(job.id, outcome: .done, at: Date())
                return .ended(.superseded)
            case .io:
                throw error
            }
        }
    }

    /// Stores a prepared file's blobs and describes it as a document of `caseID`.
    private func document(
        _ prepared: PreparedFile, caseID: CaseID, component: String?, pages: PageRanges?, person: String?, station: StationConfig
    ) async throws -> Document {
        let blobs = try await intake.storeBlobs(prepared)
        return Document(
            caseID: caseID, component: component, sha256: blobs.original.digest, byteCount: blobs.original.byteCount,
            pageCount: blobs.metadata.pageCount, sourceFileName: prepared.source.lastPathComponent, sourcePages: pages,
            station: station.id, digitizedBy: person.map { "operator:\($0)" } ?? "station:\(station.id)", storedAt: Date(),
            status: .normalized, normalized: Self.copy(blobs)
        )
    }

    private static func copy(_ blobs: StoredBlobs) -> NormalizedCopy {
        NormalizedCopy(pdf: blobs.pdf.digest, pdfByteCount: blobs.pdf.byteCount, thumbnail: blobs.thumbnail.digest, metadata: blobs.metadata)
    }

    /// A file HoSo cannot archive goes to `failed/` with a note saying why, and its job ends: it is never
    /// retried in a loop, and never deleted.
    private func fail(_ job: IngestJob, station: StationConfig, source: URL, reason: String) async throws -> Outcome {
        let relative = Self.relativePath(of: source, in: station)
        let target = station.inbox.appendingPathComponent("failed").appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let note: [String: String] = ["reason": reason, "time": RFC3339.format(Date()), "station": station.id, "job": String(job.id)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(note).write(to: URL(fileURLWithPath: target.path + ".error.json"), options: .atomic)
        if FileManager.default.fileExists(atPath: source.path) { try Self.move(source, to: target) }
        try await catalog.finishJob(job.id, outcome: .failed(reason: reason), at: Date())
        return .failed(reason)
    }

    /// Moves the original (and its own manifest) to `processed/YYYY-MM-DD/`, or deletes them. A file
    /// already gone was disposed of before a crash.
    private func dispose(_ source: URL, station: StationConfig, relative: String) throws {
        let sidecar = URL(fileURLWithPath: source.path + ".json")
        for file in [source, sidecar] where FileManager.default.fileExists(atPath: file.path) {
            switch station.originals {
            case .delete:
                try FileManager.default.removeItem(at: file)
            case .move:
                let day = String(RFC3339.format(Date(), offsetMinutes: VietnamTime.offsetMinutes).prefix(10))
                let folder = station.inbox.appendingPathComponent("processed").appendingPathComponent(day)
                let name = file == source ? relative : relative + ".json"
                let target = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Self.move(file, to: target)
            }
        }
    }

    /// Renames `file` to `target`, keeping a file already there by numbering the new one.
    private static func move(_ file: URL, to target: URL) throws {
        var destination = target
        var counter = 1
        while FileManager.default.fileExists(atPath: destination.path) {
            destination = URL(fileURLWithPath: target.path + ".\(counter)")
            counter += 1
        }
        try FileManager.default.moveItem(at: file, to: destination)
    }

    static func relativePath(of file: URL, in station: StationConfig) -> String {
        let inbox = station.inbox.standardizedFileURL.path
        let path = file.standardizedFileURL.path
        return path.hasPrefix(inbox + "/") ? String(path.dropFirst(inbox.count + 1)) : file.lastPathComponent
    }

    /// The source key the file has now, or nil if it is gone.
    static func sourceKey(of file: URL, station: StationConfig) -> String? {
        InboxScanner.Seen(url: file, relativePath: relativePath(of: file, in: station))?.sourceKey(station: station.id)
    }
}
