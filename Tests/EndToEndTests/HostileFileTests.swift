import Foundation
import HoSoTestSupport
import Testing

/// Small hostile files that crashed the process (SIGILL, exit 132), made here byte by byte: each now
/// gets an answer — a page, or exit 65 naming the reason — and never a signal.
@Suite struct HostileFileTests {
    let work: URL
    let files: HostileFiles

    init() throws {
        work = try makeTemporaryDirectory("hostile")
        files = HostileFiles(folder: work)
    }

    /// `hoso normalize` on `file`, in its own output folder.
    func normalize(_ file: URL) async throws -> HoSoProcess.Result {
        let out = work.appendingPathComponent("out-\(UUID().uuidString)")
        return try await HoSoProcess.run(["normalize", file.path, "-o", out.path, "--json"], in: work)
    }

    @Test func aResolutionOfAlmostNothing_isNotBelieved() async throws {
        let run = try await normalize(try files.tiff(resolution: 1, 4_294_967_295))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("implausible"), "\(run.stdout)")
        let huge = try await normalize(try files.tiff(resolution: 4_294_967_295, 1))
        #expect(huge.status == 0 && huge.stdout.contains("implausible"), "\(huge.stdout)\(huge.stderr)")
    }

    @Test func alphaPNGsOfFewerThan8Bits_andRowsBeyondTheLimit_areRefused() async throws {
        for depth: UInt8 in [1, 2, 4] {
            let run = try await normalize(try files.png(width: 4, height: 1, depth: depth, colourType: 6, idat: [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]))
            #expect(run.status == 65 && run.stderr.contains("bit depth \(depth) with colour type 6"), "\(depth): \(run.stderr)")
        }
        // 74 bytes declaring 999,999,999 × 1 RGBA: refused from the header, before a 4 GB row is allocated.
        let bomb = try files.png(width: 999_999_999, height: 1, depth: 8, colourType: 6, idat: [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1])
        #expect(try Data(contentsOf: bomb).count < 100)
        let run = try await normalize(bomb)
        #expect(run.status == 65 && run.stderr.contains("one row"), "\(run.stderr)")
    }

    @Test func crossReferencesNearIntMax_andPagesOfInfiniteSize_areRefused() async throws {
        let subsection = try files.xrefNearIntMax()
        let verify = try await HoSoProcess.run(["verify", subsection.path], in: work)
        #expect(verify.status == 65 && verify.stderr.contains("subsection"), "\(verify.stderr)")
        let infinite = try files.pdf("infinite-page.pdf", mediaBox: "0 0 1\(String(repeating: "0", count: 400)) 1\(String(repeating: "0", count: 400))")
        let run = try await normalize(infinite)
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("not a size a page can have") || run.stderr.contains("page 1"), "\(run.stderr)")
    }
}
