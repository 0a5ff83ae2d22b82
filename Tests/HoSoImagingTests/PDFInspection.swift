import Foundation
import HoSoTestSupport

/// Reads a PDF's images with poppler's and qpdf's command-line tools, never with HoSo's own code.
struct PDFInspection {
    let url: URL

    struct ImageLine {
        let page: Int
        let width: Int
        let height: Int
        let colour: String
        let bitsPerComponent: Int
        let encoding: String
        let objectID: Int
    }

    /// `pdfimages -list`, parsed.
    func images() async throws -> [ImageLine] {
        let listing = try await ExternalTool.run("pdfimages", ["-list", url.path])
        return listing.output.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 11, let page = Int(f[0]), let width = Int(f[3]), let height = Int(f[4]),
                  let bpc = Int(f[7]), let object = Int(f[10]) else { return nil }
            return ImageLine(page: page, width: width, height: height, colour: String(f[5]), bitsPerComponent: bpc,
                             encoding: String(f[8]), objectID: object)
        }
    }

    /// The decoded bytes of object `id`'s stream, as qpdf decodes them (Flate and PNG predictors undone).
    func decodedStream(_ id: Int) throws -> [UInt8] {
        try stream(id, "--filtered-stream-data")
    }

    /// The stream's bytes exactly as stored.
    func rawStream(_ id: Int) throws -> [UInt8] {
        try stream(id, "--raw-stream-data")
    }

    private func stream(_ id: Int, _ mode: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = ["--show-object=\(id)", mode, url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// The object's dictionary as qpdf prints it.
    func objectText(_ id: Int) async throws -> String {
        try await ExternalTool.run("qpdf", ["--show-object=\(id)", url.path]).output
    }

    func check() async throws -> ExternalTool.Result { try await ExternalTool.run("qpdf", ["--check", url.path]) }
    func info() async throws -> String { try await ExternalTool.run("pdfinfo", [url.path]).output }
}
