import Foundation
import HoSoTestSupport

/// Small hostile files made byte by byte: each crashed HoSo before issue 15 (SIGILL, exit 132).
struct HostileFiles {
    let folder: URL

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
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

    /// Scans HoSo must refuse, each with a word its refusal names: alpha PNGs of 1, 2 and 4 bits, 74 bytes
    /// declaring 999,999,999 × 1 RGBA, a page of 10^400 points.
    func refusedScans() throws -> [(file: URL, reason: String)] {
        let zlib: [UInt8] = [0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]
        return try [1, 2, 4].map { depth in
            (try png(width: 4, height: 1, depth: UInt8(depth), colourType: 6, idat: zlib), "bit depth \(depth) with colour type 6")
        } + [
            (try png(width: 999_999_999, height: 1, depth: 8, colourType: 6, idat: zlib), "one row"),
            (try pdf("infinite-page.pdf", mediaBox: "0 0 1\(String(repeating: "0", count: 400)) 1\(String(repeating: "0", count: 400))"), "page"),
        ]
    }

    /// A PDF whose xref subsection starts near Int.max: poppler repairs it (a scan is archived as it is),
    /// the verifier refuses it.
    func xrefNearIntMax() throws -> URL {
        try pdf("xref-overflow.pdf") { $0.replacingOccurrences(of: "xref\n0 4", with: "xref\n9223372036854775800 4") }
    }
}
