import Foundation

/// Draws PDF pages with poppler's Splash renderer, through `pdftoppm` (poppler-utils, the same library
/// poppler-glib is built on). Splash scales an image down as it reads it; the cairo renderer behind
/// poppler-glib decodes every image whole first, which took 330 MB for a 9000 × 9000 scan drawn as a
/// 512-pixel thumbnail. Here it takes a few MB, in a process of its own.
struct SplashRenderer {
    static let executable = URL(fileURLWithPath: "/usr/bin/pdftoppm")
    let path: String

    /// Page `index` (from 0) so its longest side is `longestSide` pixels, as 8-bit RGB.
    func thumbnail(_ index: Int, longestSide: Int) throws(NormalizeError) -> ThumbnailImage {
        let images = try run(["-f", String(index + 1), "-l", String(index + 1), "-scale-to", String(longestSide)], channels: 3)
        guard let first = images.first else { throw .corrupt(file: path, reason: "page \(index + 1) does not render") }
        return ThumbnailImage(width: first.width, height: first.height, rgb: first.pixels)
    }

    /// Draws pages `range` (from 0) small, proving each opens and draws.
    func check(_ range: Range<Int>) throws(NormalizeError) {
        guard !range.isEmpty else { return }
        let images = try run(["-f", String(range.lowerBound + 1), "-l", String(range.upperBound), "-scale-to", "16"], channels: 3)
        guard images.count == range.count else {
            throw .corrupt(file: path, reason: "\(range.count - images.count) of pages \(range.lowerBound + 1)–\(range.upperBound) do not render")
        }
    }

    /// The top-left `width` × `height` pixels of pages `range` drawn at `dpi`, in 8-bit grey.
    func corners(_ range: Range<Int>, width: Int, height: Int, dpi: Double) throws(NormalizeError) -> [GrayImage] {
        guard !range.isEmpty else { return [] }
        let arguments = ["-gray", "-r", String(dpi), "-x", "0", "-y", "0", "-W", String(width), "-H", String(height),
                         "-f", String(range.lowerBound + 1), "-l", String(range.upperBound)]
        return try run(arguments, channels: 1).map { GrayImage(width: $0.width, height: $0.height, pixels: $0.pixels) }
    }

    /// Runs pdftoppm on the file with `arguments`, reading the PPM (3 channels) or PGM (1) images it
    /// writes to its standard output.
    private func run(_ arguments: [String], channels: Int) throws(NormalizeError) -> [(width: Int, height: Int, pixels: [UInt8])] {
        let process = Process()
        process.executableURL = Self.executable
        // A name starting with "-" would be read as an option.
        process.arguments = arguments + [path.hasPrefix("-") ? "./" + path : path]
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("hoso-pdftoppm-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        do {
            // Its warnings go to a file: a damaged PDF can print more than a pipe holds.
            process.standardError = try FileHandle(forWritingTo: errors)
            process.standardOutput = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            throw .io(file: path, reason: "cannot run \(Self.executable.path) (poppler-utils) to draw the PDF: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            let last = said.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            throw .corrupt(file: path, reason: "poppler cannot draw it: \(last)")
        }
        return try Self.images(in: Array(data), channels: channels, file: path)
    }

    /// The binary PPM (P6) or PGM (P5) images one after another in `bytes`.
    static func images(in bytes: [UInt8], channels: Int, file: String) throws(NormalizeError) -> [(width: Int, height: Int, pixels: [UInt8])] {
        var images: [(width: Int, height: Int, pixels: [UInt8])] = []
        var offset = 0
        func field() -> Int? {
            while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x0D || bytes[offset] == 0x09 { offset += 1 }
            var value = 0, digits = 0
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]), digits < 9 {
                value = value * 10 + Int(bytes[offset] - 0x30)
                offset += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        let magic: [UInt8] = [0x50, channels == 3 ? 0x36 : 0x35]
        while offset + 2 <= bytes.count {
            guard Array(bytes[offset..<offset + 2]) == magic else { throw .corrupt(file: file, reason: "pdftoppm wrote something that is not an image") }
            offset += 2
            guard let width = field(), let height = field(), field() == 255, offset < bytes.count else {
                throw .corrupt(file: file, reason: "pdftoppm wrote an image header that cannot be read")
            }
            offset += 1  // the single whitespace before the samples
            let count = width * height * channels
            guard offset + count <= bytes.count else { throw .corrupt(file: file, reason: "pdftoppm's image was cut short") }
            images.append((width, height, Array(bytes[offset..<offset + count])))
            offset += count
        }
        return images
    }
}
