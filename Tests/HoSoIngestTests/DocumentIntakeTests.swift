import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest
import HoSoIngest
import Testing

@Suite struct DocumentIntakeTests {
    let directory: URL
    let catalog: SQLiteCatalog
    let blobs: BlobStore
    let caseID = try! CaseID(parsing: "000.00.14.H27-240815-0007")

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("intake-\(UUID())")
        (catalog, blobs) = try DataDirectory(root: directory.appendingPathComponent("var")).create()
    }

    func file(_ name: String, bytes: Int) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: url)
        return url
    }

    @Test func ingest_storesTheBlobFirst_thenTheDocument() async throws {
        let intake = DocumentIntake(catalog: catalog, blobs: blobs, maximumInputBytes: 1 << 20)
        let url = try file("scan.tif", bytes: 5000)
        let result = try await intake.ingest(url, caseID: caseID, component: "Đơn", station: "scan-01",
                                             actor: "station:scan-01", at: Date())
        guard case .stored(let document) = result else { Issue.record("expected stored: \(result)"); return }
        #expect(document.sha256 == (try FileDigest.sha256(of: url)).digest)
        #expect(document.byteCount == 5000 && document.sourceFileName == "scan.tif" && document.station == "scan-01")
        try blobs.verify(document.sha256)
        #expect(FileManager.default.fileExists(atPath: url.path), "the original is never moved or changed")
    }

    @Test func theSameBytesAgain_areADuplicate() async throws {
        let intake = DocumentIntake(catalog: catalog, blobs: blobs, maximumInputBytes: 1 << 20)
        let url = try file("scan.tif", bytes: 100)
        let first = try await intake.ingest(url, caseID: caseID, component: nil, station: "cli", actor: "cli:t", at: Date())
        let copy = directory.appendingPathComponent("copy.tif")
        try FileManager.default.copyItem(at: url, to: copy)
        let second = try await intake.ingest(copy, caseID: caseID, component: nil, station: "cli", actor: "cli:t", at: Date())
        #expect(second == .duplicate(of: first.document, file: "copy.tif"))
        #expect(try await catalog.documents(of: caseID).count == 1)
    }

    @Test func aFileOverTheLimit_isRefusedBeforeAnythingIsStored() async throws {
        let intake = DocumentIntake(catalog: catalog, blobs: blobs, maximumInputBytes: 1000)
        let url = try file("huge.tif", bytes: 1001)
        await #expect(throws: IntakeError.tooLarge(file: url.path, byteCount: 1001, limit: 1000)) {
            try await intake.ingest(url, caseID: caseID, component: nil, station: "cli", actor: "cli:t", at: Date())
        }
        #expect(try await catalog.fetchCase(caseID) == nil)
        let stored = try FileManager.default.subpathsOfDirectory(atPath: blobs.root.path).filter { !$0.hasPrefix("tmp") }
        #expect(stored.isEmpty)
    }

    @Test func aMissingFileOrADirectory_isMissing() async throws {
        let intake = DocumentIntake(catalog: catalog, blobs: blobs, maximumInputBytes: 1000)
        #expect(throws: IntakeError.self) { try intake.check(directory.appendingPathComponent("nope.tif")) }
        let error = try #require(throws: IntakeError.self) { try intake.check(directory) }
        #expect(error.description.contains("is a directory"))
    }
}
