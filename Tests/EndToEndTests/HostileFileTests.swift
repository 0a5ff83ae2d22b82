import Foundation
import HoSoTestSupport
import Testing

/// Small hostile files that crashed the process (SIGILL, exit 132), made here byte by byte: each now
/// gets an answer — a page, or exit 65 naming the reason — and never a signal.
@Suite struct HostileFileTests {
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("hostile")
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = work.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// `hoso normalize` on `file`, in its own output folder.
    func normalize(_ file: URL) throws -> HoSoProcess.Result {
        let out = work.appendingPathComponent("out-\(UUID().uuidString)")
        return try HoSoProcess.run(["normalize", file.path, "-o", out.path, "--json"], in: work)
    }

    /// A little-endian TIFF of 2 × 2 grey pixels whose X and Y resolution are `numerator/denominator`.
    func tiff(resolution numerator: UInt32, _ denominator: UInt32) throws -> URL {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> ($0 * 8) & 0xFF) } }
        let entries: [(UInt16, UInt16, UInt32)] = [
            (256, 3, 2), (257, 3, 2), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8), (277, 3, 1), (278, 3, 2), (279, 4, 4),
            (282, 5, 0), (283, 5, 0), (296, 3, 2),
        ]
        let directory = 12
        let rationals = directory + 2 + entries.count * 12 + 4
        var bytes: [UInt8] = [0x49, 0x49, 42, 0] + u32(UInt32(directory)) + [0, 128, 255, 64]
        bytes += u16(UInt16(entries.count))
        for (tag, type, value) in entries {
            bytes += u16(tag) + u16(type) + u32(1)
            switch type {
            case 3: bytes += u16(UInt16(value)) + [0, 0]
            case 5: bytes += u32(UInt32(rationals))
            default: bytes += u32(value)
            }
        }
        bytes += u32(0) + u32(numerator) + u32(denominator)
        return try write("resolution-\(numerator)-\(denominator).tif", bytes)
    }

    /// A PNG of its chunks: IHDR as given, an IDAT of `rows`, IEND.
    func png(width: UInt32, height: UInt32, depth: UInt8, colourType: UInt8, idat: [UInt8]) throws -> URL {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(UInt32(data.count)) + body + be32(Self.crc32(body))
        }
        let header = be32(width) + be32(height) + [depth, colourType, 0, 0, 0]
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", [])
        return try write("png-\(width)x\(height)-\(depth)-\(colourType).png", bytes)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// A one-page PDF whose xref section, media box or trailer is whatever `tamper` makes of them.
    func pdf(_ name: String, mediaBox: String = "0 0 595 842", xref tamper: (String) -> String = { $0 }) throws -> URL {
        let text = PDFSurgery.handWritten(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                            "<< /Type /Page /Parent 2 0 R /MediaBox [\(mediaBox)] >>"], xref: tamper)
        return try write(name, Array(text.utf8))
    }

    @Test func aResolutionOfAlmostNothing_isNotBelieved() throws {
        let run = try normalize(try tiff(resolution: 1, 4_294_967_295))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("implausible"), "\(run.stdout)")
        let huge = try normalize(try tiff(resolution: 4_294_967_295, 1))
        #expect(huge.status == 0 && huge.stdout.contains("implausible"), "\(huge.stdout)\(huge.stderr)")
    }

    @Test func alphaPNGsOfFewerThan8Bits_andRowsBeyondTheLimit_areRefused() throws {
        for depth: UInt8 in [1, 2, 4] {
            let run = try normalize(try png(width: 4, height: 1, depth: depth, colourType: 6, idat: [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]))
            #expect(run.status == 65 && run.stderr.contains("bit depth \(depth) with colour type 6"), "\(depth): \(run.stderr)")
        }
        // 74 bytes declaring 999,999,999 × 1 RGBA: refused from the header, before a 4 GB row is allocated.
        let bomb = try png(width: 999_999_999, height: 1, depth: 8, colourType: 6, idat: [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1])
        #expect(try Data(contentsOf: bomb).count < 100)
        let run = try normalize(bomb)
        #expect(run.status == 65 && run.stderr.contains("one row"), "\(run.stderr)")
    }

    @Test func crossReferencesNearIntMax_andPagesOfInfiniteSize_areRefused() throws {
        let subsection = try pdf("xref-overflow.pdf") { $0.replacingOccurrences(of: "xref\n0 4", with: "xref\n9223372036854775800 4") }
        let verify = try HoSoProcess.run(["verify", subsection.path], in: work)
        #expect(verify.status == 65 && verify.stderr.contains("subsection"), "\(verify.stderr)")
        let infinite = try pdf("infinite-page.pdf", mediaBox: "0 0 1\(String(repeating: "0", count: 400)) 1\(String(repeating: "0", count: 400))")
        let run = try normalize(infinite)
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("not a size a page can have") || run.stderr.contains("page 1"), "\(run.stderr)")
    }
}
