import Foundation

/// What kind of file an input is, told from its first bytes; the name's extension is never trusted.
enum InputKind: String {
    case tiff, jpeg, png, pdf

    /// Reads the file's signature, or says why it is not a kind HoSo takes.
    static func detect(_ url: URL) throws(NormalizeError) -> InputKind {
        let head: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = Array(try handle.read(upToCount: 1024) ?? Data())
        } catch {
            throw .missing(file: url.path, reason: error.localizedDescription)
        }
        guard !head.isEmpty else { throw .corrupt(file: url.path, reason: "the file is empty (0 bytes)") }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || head.starts(with: [0x49, 0x49, 0x2B, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            return .tiff
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        // PDF allows the header anywhere in the first 1024 bytes (ISO 32000-2 §7.5.2, implementation note).
        if let range = head.firstRange(of: Array("%PDF-".utf8)), range.lowerBound < 1024 { return .pdf }
        throw .unsupported(file: url.path, reason: "not a TIFF, JPEG, PNG or PDF file (starts with \(head.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")))")
    }
}
