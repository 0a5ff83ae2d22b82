import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoDigest
import HoSoImaging
import HoSoIngest
import HoSoSamples
import HoSoTestSupport
import HoSoWorkers
import Prometheus
import Testing

/// The station pipeline on real folders, real files and a real catalog.
@Suite struct WatcherTests {
    let root: URL
    let inbox: URL
    let data: DataDirectory
    let catalog: SQLiteCatalog
    let blobs: LocalBlobStore

    init() throws {
        (root, inbox, data, catalog, blobs) = try StationFixture.make("watch")
    }

    func station(mode: StationConfig.Mode = .poll, window: Double = 0.2, interval: Double = 0.2) -> StationConfig {
        StationConfig(id: "scan-01", inbox: inbox, mode: mode, pollInterval: interval, stabilityWindow: window,
                      defaultAgency: try! AgencyCode(parsing: "000.00.14.H27"))
    }

    func service(_ station: StationConfig, metrics: IngestMetrics = IngestMetrics()) -> IngestService {
        IngestService(stations: [station], catalog: catalog,
                      intake: DocumentIntake(catalog: catalog, blobs: blobs, normalizer: Normalizer(), workRoot: data.workRoot),
                      barcodes: BarcodeReader(executable: hosoBinary), metrics: metrics)
    }

    /// A small real scan: a receipt at 50 dpi, G4. `seed` makes the bytes differ.
    @discardableResult
    func drop(_ relative: String, seed: Int = 0) throws -> URL {
        let url = inbox.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let scratch = root.appendingPathComponent(".scratch-\(UUID()).tif")
        try SampleSet.writeReceipt(to: scratch, caseID: "000.00.14.H27-240815-\(String(1000 + seed % 9000).suffix(4))", dpi: 50)
        try FileManager.default.moveItem(at: scratch, to: url)
        return url
    }

    @Test func everyRule_putsItsFileOnTheRightCase_orInQuarantine() async throws {
        try drop("000.00.14.H27-240815-0007/don.tif", seed: 1)
        try drop("000.00.14.H27-240815-0008_Giay_chung_nhan.tif", seed: 2)
        try drop("240815-0009_Ban_do.tif", seed: 3)  // the station's agency goes in front
        let withManifest = try drop("batch/scan-0001.tif", seed: 4)
        try Data(#"{"caseId": "000.00.14.H27-240816-0001", "component": "Hợp đồng", "operator": "nguyenvana", "expectedPages": 1}"#.utf8)
            .write(to: URL(fileURLWithPath: withManifest.path + ".json"))
        try drop("random-scan.tif", seed: 5)
        try drop("000.00.14.H27-240231-0001_Don.tif", seed: 6)
        let lying = try drop("checked/scan-0002.tif", seed: 7)
        try Data(#"{"caseId": "000.00.14.H27-240816-0002", "sha256": "\#(String(repeating: "0", count: 64))"}"#.utf8)
            .write(to: URL(fileURLWithPath: lying.path + ".json"))
        try Data("not a scan".utf8).write(to: inbox.appendingPathComponent("notes.tif"))
        try Data("ignored".utf8).write(to: inbox.appendingPathComponent("scan.tif.part"))

        let outcomes = try await service(station()).runOnce()
        #expect(outcomes.count == 8)

        func document(_ id: String) async throws -> Document? { try await catalog.documents(of: try CaseID(parsing: id)).first }
        #expect(try await document("000.00.14.H27-240815-0007")?.sourceFileName == "don.tif")
        #expect(try await document("000.00.14.H27-240815-0008")?.component == "Giay chung nhan")
        #expect(try await document("000.00.14.H27-240815-0009")?.component == "Ban do")
        let manifested = try #require(try await document("000.00.14.H27-240816-0001"))
        #expect(manifested.component == "Hợp đồng" && manifested.digitizedBy == "operator:nguyenvana")
        #expect(manifested.normalized?.metadata.pages.first?.encoding == "ccitt")

        let quarantine = try await catalog.quarantine(includeResolved: false)
        #expect(Set(quarantine.map(\.reason)) == [.noCaseID, .invalidCaseID, .manifestMismatch])
        #expect(quarantine.first { $0.reason == .invalidCaseID }?.detail.contains("'240231' is not a date") == true)

        // Originals: moved out of the inbox (with their manifests), the non-scan to failed/ with a note.
        let processed = try FileManager.default.subpathsOfDirectory(atPath: inbox.appendingPathComponent("processed").path)
        #expect(processed.filter { $0.hasSuffix(".tif") }.count == 7)
        #expect(processed.contains { $0.hasSuffix("scan-0001.tif.json") })
        let note = try Data(contentsOf: inbox.appendingPathComponent("failed/notes.tif.error.json"))
        let fields = try #require(try JSONSerialization.jsonObject(with: note) as? [String: String])
        #expect(fields["reason"]?.contains("notes.tif") == true && fields["station"] == "scan-01" && fields["time"] != nil)
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed/notes.tif").path))
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("scan.tif.part").path), "ignored files stay")

        // A second pass finds nothing new: nothing is taken twice, and failed files are not retried.
        #expect(try await service(station()).runOnce().isEmpty)
    }

    @Test func theMetrics_countWhatStatusShows_andTimeDropToIndexed() async throws {
        try drop("000.00.14.H27-240815-0007/a.tif", seed: 41)
        try drop("000.00.14.H27-240815-0008/b.tif", seed: 42)
        try drop("unknown.tif", seed: 43)
        try Data("not a scan".utf8).write(to: inbox.appendingPathComponent("broken.tif"))
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = IngestMetrics.latencyBuckets
        _ = try await service(station(), metrics: IngestMetrics(factory: factory)).runOnce()

        let text = registry.emitToString()
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"hoso_ingest_files_total{station="scan-01",outcome="stored"} 2"#), "\(text)")
        #expect(lines.contains(#"hoso_ingest_files_total{station="scan-01",outcome="quarantined"} 1"#))
        #expect(lines.contains(#"hoso_ingest_files_total{station="scan-01",outcome="failed"} 1"#))
        #expect(lines.contains(#"hoso_ingest_latency_seconds_count{station="scan-01"} 3"#), "the failed file is not indexed")
        // Every file waited out the stability window (0.2 s) before it was taken.
        let sum = lines.first { $0.hasPrefix(#"hoso_ingest_latency_seconds_sum{station="scan-01"}"#) }
        #expect((sum?.split(separator: " ").last.flatMap { Double($0) } ?? 0) >= 3 * 0.2, "\(sum ?? "no sum")")
        let activity = try #require(try await catalog.stationActivity().first)
        #expect(lines.contains(#"hoso_ingest_jobs{station="scan-01",state="done"} \#(activity.done).0"#))
        #expect(lines.contains(#"hoso_ingest_jobs{station="scan-01",state="quarantined"} \#(activity.quarantined).0"#))
        #expect(activity.quarantined == 1 && activity.failed == 1)
    }

    @Test func theEventsCarryTheRealStepTimes() async throws {
        try drop("000.00.14.H27-240815-0007/don.tif", seed: 11)
        _ = try await service(station()).runOnce()
        let events = try await catalog.events(of: try CaseID(parsing: "000.00.14.H27-240815-0007"))
        #expect(events.map(\.kind) == [.caseOpened, .documentReceived, .documentNormalized, .documentStored])
        #expect(events.allSatisfy { $0.actor == "station:scan-01" })
        #expect(events[1].time <= events[2].time && events[2].time <= events[3].time)
    }

    @Test func theSameBytesTwice_giveOneDocument_andADuplicateEvent() async throws {
        let first = try drop("000.00.14.H27-240815-0007/a.tif", seed: 21)
        try FileManager.default.copyItem(at: first, to: inbox.appendingPathComponent("000.00.14.H27-240815-0007/b.tif"))
        let outcomes = try await service(station()).runOnce()
        #expect(outcomes.filter { if case .duplicate = $0 { true } else { false } }.count == 1)
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        #expect(try await catalog.documents(of: id).count == 1)
        #expect(try await catalog.events(of: id).filter { $0.kind == .duplicate }.count == 1)
    }

    @Test func aJobOfADeadWorker_isTakenOver_andCommittedOnce() async throws {
        let file = try drop("000.00.14.H27-240815-0007/a.tif", seed: 31)
        let station = station()
        // A worker that died holding the job, long before its lease would end.
        let watcher = StationWatcher(station: station, catalog: catalog) {}
        _ = try await watcher.scanOnce()
        try await Task.sleep(for: .milliseconds(250))
        #expect(try await watcher.scanOnce() == 1)
        let host = ProcessInfo.processInfo.hostName
        _ = try #require(try await catalog.claimNextJob(worker: "\(host):999999:0", at: Date(), leaseExpiry: Date().addingTimeInterval(3600)))
        #expect(try await service(station).releaseJobsOfDeadWorkers() == 1)
        let outcomes = try await service(station).runOnce()
        #expect(outcomes == [.stored(try CaseID(parsing: "000.00.14.H27-240815-0007"))])
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    /// Normalizes as the real normalizer does, after a pause: an A0 map's minutes, shortened.
    struct SlowNormalizer: DocumentNormalizing {
        let pause: Duration
        var limits: NormalizeLimits { Normalizer().limits }
        func normalize(_ job: NormalizeJob) async throws(NormalizeError) -> DocumentMetadata {
            try? await Task.sleep(for: pause)
            return try await Normalizer().normalize(job)
        }
    }

    @Test func aLongJob_keepsItsLease_whileItsWorkerWorks_soNoOtherNodeTakesIt() async throws {
        try drop("000.00.14.H27-240815-0007/ban-do.tif", seed: 51)
        let station = station()
        let watcher = StationWatcher(station: station, catalog: catalog) {}
        _ = try await watcher.scanOnce()
        try await Task.sleep(for: .milliseconds(250))
        #expect(try await watcher.scanOnce() == 1)
        // A lease of 4 s, renewed every 1.3 s, on a job that takes 10 s: more than two leases. The renewals
        // run on the worker's own queue, so the other tests holding this process's concurrency pool for
        // seconds (they did, and a renewal came 5 s late) cannot make one late.
        let worker = IngestWorker(name: "node-a:1:0", catalog: catalog,
                                  intake: DocumentIntake(catalog: catalog, blobs: blobs, normalizing: SlowNormalizer(pause: .seconds(10)),
                                                         workRoot: data.workRoot),
                                  stations: [station], barcodes: BarcodeReader(executable: hosoBinary), lease: 4)
        async let outcomes = worker.drain()
        let deadline = Date().addingTimeInterval(30)
        while try await catalog.jobClaimants() != ["node-a:1:0"], Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await catalog.jobClaimants() == ["node-a:1:0"])
        // Once the worker holds the job, another node asks for work all along, for more than two of the first worker's leases.
        var takenOver = 0
        for _ in 0..<40 {
            try await Task.sleep(for: .milliseconds(250))
            if try await catalog.claimNextJob(worker: "node-b:1:0", at: Date(), leaseExpiry: Date().addingTimeInterval(60)) != nil { takenOver += 1 }
        }
        #expect(takenOver == 0, "the job was taken over while its worker was still working on it")
        #expect(try await outcomes == [.stored(try CaseID(parsing: "000.00.14.H27-240815-0007"))])
    }

    @Test func aCommitRepeatedAfterACrash_storesNothingTwice() async throws {
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let job = try await catalog.enqueueJob(NewIngestJob(sourceKey: "k", station: "scan-01", sourcePath: "/x"), at: Date())
        let document = Document(caseID: id, component: nil, sha256: SHA256Digest(bytes: [UInt8](repeating: 1, count: 32)),
                                byteCount: 1, sourceFileName: "x.tif", station: "scan-01", digitizedBy: "station:scan-01", storedAt: Date())
        let first = try await catalog.commitIngestJob(job.id, .documents([document], received: Date(), normalized: Date()), actor: "s", at: Date())
        guard case .documents(let results) = first, results.count == 1, case .stored = results[0] else { Issue.record("expected stored, got \(first)"); return }
        let again = try await catalog.commitIngestJob(job.id, .documents([document], received: Date(), normalized: Date()), actor: "s", at: Date())
        #expect(again == .alreadyCommitted)
        #expect(try await catalog.events(of: id).filter { $0.kind == .duplicate }.isEmpty)
    }

    @Test func quarantinedScans_canBeAssigned_orRejected() async throws {
        try drop("mystery-1.tif", seed: 41)
        try drop("mystery-2.tif", seed: 42)
        _ = try await service(station()).runOnce()
        let entries = try await catalog.quarantine(includeResolved: false)
        #expect(entries.count == 2)
        let id = try CaseID(parsing: "000.00.14.H27-240815-0042")
        let assigned = try await catalog.assignQuarantined(entries[0].id!, to: id, component: "Đơn", actor: "cli:officer", at: Date())
        guard case .stored(let document) = assigned else { Issue.record("not stored: \(assigned)"); return }
        #expect(document.normalized == entries[0].normalized && document.component == "Đơn")
        #expect(try await catalog.events(of: id).map(\.kind).contains(.assignedFromQuarantine))
        try await catalog.rejectQuarantined(entries[1].id!, reason: "blank page", actor: "cli:officer", at: Date())
        #expect(try await catalog.quarantine(includeResolved: false).isEmpty)
        #expect(try await catalog.quarantine(includeResolved: true).count == 2)
        await #expect(throws: CatalogError.alreadyResolved(entries[1].id!)) {
            try await catalog.rejectQuarantined(entries[1].id!, reason: "again", actor: "cli:officer", at: Date())
        }
    }

    /// Runs the live service until `done` holds or `seconds` pass.
    func live(_ station: StationConfig, seconds: Int = 20, until done: @escaping () async throws -> Bool,
              while act: () async throws -> Void) async throws {
        let task = Task { try await service(station).run() }
        defer { task.cancel() }
        try await act()
        for _ in 0..<(seconds * 20) {
            if try await done() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the watcher did not finish in time")
    }

    func storedCount() async throws -> Int {
        try await catalog.listCases(CaseQuery(limit: 1_000_000)).map(\.documentCount).reduce(0, +)
    }

    @Test(arguments: [StationConfig.Mode.inotify, .poll])
    func aSlowWriter_isTakenOnce_whenComplete(mode: StationConfig.Mode) async throws {
        let station = station(mode: mode, window: 1, interval: 0.3)
        let scratch = root.appendingPathComponent("whole.tif")
        try SampleSet.writeReceipt(to: scratch, caseID: "000.00.14.H27-240815-0051", dpi: 50)
        let bytes = try Data(contentsOf: scratch)
        let target = inbox.appendingPathComponent("000.00.14.H27-240815-0051_Don.tif")
        try await live(station, until: { try await storedCount() == 1 }) {
            // The scanner writes the file over 3 s, in pieces.
            FileManager.default.createFile(atPath: target.path, contents: nil)
            let handle = try FileHandle(forWritingTo: target)
            let pieces = 10
            for index in 0..<pieces {
                try handle.write(contentsOf: bytes[(bytes.count * index / pieces)..<(bytes.count * (index + 1) / pieces)])
                try await Task.sleep(for: .milliseconds(300))
            }
            try handle.close()
        }
        let documents = try await catalog.documents(of: try CaseID(parsing: "000.00.14.H27-240815-0051"))
        #expect(documents.count == 1)
        #expect(documents.first?.sha256 == SHA256Hasher.digest(of: Array(bytes)), "the complete file, not a part of it")
        #expect(try await catalog.quarantine(includeResolved: true).isEmpty)
    }

    @Test(arguments: [StationConfig.Mode.inotify, .poll])
    func renamedIn_andNewSubfolders_areFound(mode: StationConfig.Mode) async throws {
        let station = station(mode: mode, window: 0.3, interval: 0.3)
        try await live(station, until: { try await storedCount() == 2 }) {
            try await Task.sleep(for: .milliseconds(200))
            // Written elsewhere, then renamed in (IN_MOVED_TO).
            let outside = root.appendingPathComponent("000.00.14.H27-240815-0061_Don.tif")
            try SampleSet.writeReceipt(to: outside, caseID: "000.00.14.H27-240815-0061", dpi: 50)
            try FileManager.default.moveItem(at: outside, to: inbox.appendingPathComponent(outside.lastPathComponent))
            // A case folder made after the watcher started.
            try drop("000.00.14.H27-240815-0062/late.tif", seed: 62)
        }
    }

    /// Many small scans at once (the 1,000-file burst with real A4 pages is a benchmark, not a test).
    @Test(arguments: [StationConfig.Mode.inotify, .poll])
    func aBurstOf2000_isTakenExactlyOnce(mode: StationConfig.Mode) async throws {
        let count = 2000
        for index in 0..<count {
            var page = RawTIFFPage(width: 16, height: 16, bitsPerSample: 8, samplesPerPixel: 1, photometric: .minIsBlack,
                                   compression: .lzw, layout: .strips(rowsPerStrip: 16))
            page.dpi = 200
            let writer = try TIFFWriter(path: inbox.appendingPathComponent(String(format: "000.00.14.H27-240815-%04d_Don.tif", index + 1)).path)
            try writer.writeRawPage(page, index: 0, of: 1) { y in (0..<16).map { UInt8(truncatingIfNeeded: $0 * 16 + y + index * 7) } }
            writer.close()
        }
        // Waiting on the job counts is cheap; the cases are counted once at the end.
        try await live(station(mode: mode, window: 0.3, interval: 0.5), seconds: 300, until: {
            try await catalog.stationActivity().first.map { $0.done + $0.failed } == count
        }) {}
        #expect(try await storedCount() == count)
        let activity = try await catalog.stationActivity()
        #expect(activity.first?.done == count && activity.first?.queued == 0)
    }
}
