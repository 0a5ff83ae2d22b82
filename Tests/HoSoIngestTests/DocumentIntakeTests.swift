import Foundation
import HoSoBlobs
import HoSoCatalog
import HoSoCore
import HoSoDigest
import HoSoImaging
import HoSoIngest
import HoSoTestSupport
import Testing

@Suite struct DocumentIntakeTests {
    let directory: URL
    let data: DataDirectory
    let catalog: SQLiteCatalog
    let blobs: LocalBlobStore
    let caseID = try! CaseID(parsing: "000.00.14.H27-240815-0007")

    init() throws {
        directory = try makeTemporaryDirectory("intake")
        data = DataDirectory(root: directory.appendingPathComponent("var"))
        catalog = try data.create()
        blobs = try LocalBlobStore(root: data.blobRoot)
    }

    func intake(maximumInputBytes: Int64 = 1 << 30) -> DocumentIntake {
        DocumentIntake(catalog: catalog, blobs: blobs, normalizer: Normalizer(limits: NormalizeLimits(maximumInputBytes: maximumInputBytes)),
                       workRoot: data.workRoot)
    }

    func sample(_ name: String, as copy: String? = nil) throws -> URL {
        let url = directory.appendingPathComponent(copy ?? name)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/\(name)"), to: url)
        return url
    }

    @Test func ingest_storesOriginalPDFAndThumbnail_thenTheDocument() async throws {
        let url = try sample("receipt-a4-bilevel.tif")
        let before = try Data(contentsOf: url)
        let result = try await intake().ingest(url, caseID: caseID, component: "Đơn", station: "scan-01",
                                               actor: "station:scan-01", at: Date())
        guard case .stored(let document) = result else { Issue.record("expected stored: \(result)"); return }
        #expect(document.sha256 == (try FileDigest.sha256(of: url)).digest)
        #expect(document.station == "scan-01" && document.status == .normalized && document.pageCount == 1)
        let copy = try #require(document.normalized)
        try await blobs.verify(document.sha256)
        try await blobs.verify(copy.pdf)
        try await blobs.verify(copy.thumbnail)
        #expect(copy.metadata.pages[0].encoding == "ccitt")
        #expect(try await ExternalTool.run("qpdf", ["--check", blobs.location(of: copy.pdf).path]).status == 0)
        #expect(try Data(contentsOf: url) == before, "the original is never changed")
        #expect(try await catalog.documents(of: caseID) == [document], "the catalog gives back what was stored")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.workRoot.path).isEmpty, "work files are gone")
    }

    @Test func theSameBytesAgain_areADuplicate() async throws {
        let first = try await intake().ingest(try sample("receipt-a4-bilevel.tif"), caseID: caseID, component: nil,
                                              station: "cli", actor: "cli:t", at: Date())
        let second = try await intake().ingest(try sample("receipt-a4-bilevel.tif", as: "copy.tif"), caseID: caseID,
                                               component: nil, station: "cli", actor: "cli:t", at: Date())
        #expect(second == .duplicate(of: first.document, file: "copy.tif"))
        #expect(try await catalog.documents(of: caseID).count == 1)
    }

    @Test func aBadScan_isRefused_andNothingIsStored() async throws {
        let url = directory.appendingPathComponent("junk.tif")
        try Data("not a scan".utf8).write(to: url)
        await #expect(throws: IntakeError.self) {
            try await intake().ingest(url, caseID: caseID, component: nil, station: "cli", actor: "cli:t", at: Date())
        }
        #expect(try await catalog.fetchCase(caseID) == nil)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: blobs.root.path).filter { !$0.hasPrefix("tmp") }
        #expect(stored.isEmpty)
    }

    @Test func aFileOverTheLimit_isRefusedBeforeAnythingIsRead() async throws {
        let url = try sample("receipt-a4-bilevel.tif")
        let size = Int64(try Data(contentsOf: url).count)
        await #expect(throws: IntakeError.tooLarge(file: url.path, byteCount: size, limit: 1000)) {
            try await intake(maximumInputBytes: 1000).prepare(url)
        }
    }

    @Test func aMissingFileOrADirectory_isMissing() async throws {
        #expect(throws: IntakeError.self) { try intake().check(directory.appendingPathComponent("nope.tif")) }
        let error = try #require(throws: IntakeError.self) { try intake().check(directory) }
        #expect(error.description.contains("is a directory"))
    }
}
