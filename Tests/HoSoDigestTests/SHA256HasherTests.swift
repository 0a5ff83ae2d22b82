import Foundation
import HoSoDigest
import HoSoTestSupport
import Testing

@Suite struct SHA256HasherTests {
    @Test func knownAnswers_matchFIPS180Vectors() {
        #expect(SHA256Hasher.digest(of: [UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.digest(of: Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func incrementalUpdates_equalOneShot() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let hasher = SHA256Hasher()
        for start in stride(from: 0, to: bytes.count, by: 777) {
            hasher.update(bytes[start..<min(start + 777, bytes.count)])
        }
        #expect(hasher.finalize() == SHA256Hasher.digest(of: bytes))
    }

    @Test func fileDigest_matchesSha256sum() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID()).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<(3 * FileDigest.chunkSize + 5)).map { UInt8(truncatingIfNeeded: $0 >> 3) }
        try Data(bytes).write(to: url)
        let (digest, count) = try FileDigest.sha256(of: url)
        #expect(count == Int64(bytes.count))

        let output = try await ExternalTool.run("sha256sum", [url.path]).output
        #expect(output.hasPrefix(digest.hex + " "))
    }
}
