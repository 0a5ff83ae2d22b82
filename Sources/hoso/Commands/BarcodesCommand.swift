import ArgumentParser
import Foundation
import Glibc
import HoSoImaging
import HoSoIngest
import HoSoWorkers

/// `hoso barcodes`: the QR codes and Code128 barcodes in each page's top-left corner — what the barcode
/// indexing rule sees. `hoso watch` runs it as a child process for every file that reaches that rule.
struct BarcodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "barcodes",
        abstract: "Read the QR codes and Code128 barcodes in the top-left corner of each page of a scan.",
        discussion: """
            Prints one line per page with its codes. The corner's size and resolution come from the \
            options, else the configuration (barcode.*). JPEG and PNG scans are normalized to a \
            temporary PDF first. Exit codes: 65 bad or unsupported input, 66 missing input.

            Example:
              hoso barcodes bien-nhan.tif --json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The scan to read.", valueName: "file"))
    var input: String

    @Option(name: .customLong("width-mm"), help: "Width of the corner searched, in mm.")
    var widthMM: Double?

    @Option(name: .customLong("height-mm"), help: "Height of the corner searched, in mm.")
    var heightMM: Double?

    @Option(help: "Resolution the corner is read at, at most.")
    var dpi: Double?

    @Option(name: .customLong("save-corners"), help: ArgumentHelp("Also write each page's corner as PGM into this folder.", valueName: "dir"))
    var saveCorners: String?

    @Option(help: "Read only the first N pages' corners.")
    var pages: Int?

    @Flag(help: "Also print a PDF's text (what the result case binding reads).")
    var text = false

    @Flag(help: "Print the codes as JSON.")
    var json = false

    func run() async throws {
        // A decoder that aborts should leave no core file behind in a station's inbox.
        ResourceLimits.forbidCoreFiles()
        try await reportingFailures {
            let configuration = try global.loadConfiguration()
            var region = configuration.cornerRegion
            if let widthMM { region.widthMM = widthMM }
            if let heightMM { region.heightMM = heightMM }
            if let dpi { region.dpi = dpi }
            guard region.widthMM > 0, region.heightMM > 0, region.dpi >= 10 else {
                throw CommandFailure(.usage, "--width-mm and --height-mm must be positive and --dpi at least 10")
            }
            if let pages, pages < 1 { throw CommandFailure(.usage, "--pages must be at least 1") }
            let normalizer = configuration.normalizer
            let file = URL(fileURLWithPath: input)
            let scanner = BarcodeScanner(corners: CornerReader(region: region, limits: normalizer.limits))
            let found: [PageBarcodes]
            var words: String?
            do {
                found = try Self.scan(file, pages: pages, with: scanner, normalizer: normalizer, saveCorners: saveCorners)
                if text { words = try PDFText.extract(file) }
            } catch let error as NormalizeError {
                throw CommandFailure(NormalizeCommand.status(of: error), error.description)
            }
            if json {
                try Output.json(BarcodeScanReport(file: input, pages: found, text: words))
                return
            }
            if let words { print(words) }
            for page in found {
                let codes = page.codes.map { "\($0.symbology.rawValue): \($0.text)" }
                print("page \(page.page): " + (codes.isEmpty ? "no code" : codes.joined(separator: "  |  ")))
            }
        }
    }

    /// Reads `file`'s codes; a JPEG or PNG goes through a temporary normalized PDF.
    static func scan(_ file: URL, pages: Int? = nil, with scanner: BarcodeScanner, normalizer: Normalizer,
                     saveCorners: String?) throws -> [PageBarcodes] {
        let source = try readable(file, normalizer: normalizer)
        defer { source.cleanUp() }
        if let saveCorners {
            let folder = URL(fileURLWithPath: saveCorners, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try scanner.corners.read(source.url, pages: pages) { index, corner in
                try Data(corner.pgm).write(to: folder.appendingPathComponent("page-\(index + 1).pgm"))
            }
        }
        return try scanner.scan(source.url, pages: pages)
    }

    /// The file itself when it is a TIFF or PDF, else a normalized PDF of it in a temporary folder.
    private static func readable(_ file: URL, normalizer: Normalizer) throws -> (url: URL, cleanUp: () -> Void) {
        let head = (try? FileHandle(forReadingFrom: file).read(upToCount: 8)) ?? nil
        let bytes = head.map(Array.init) ?? []
        let isJPEGOrPNG = bytes.starts(with: [0xFF, 0xD8, 0xFF]) || bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
        guard isJPEGOrPNG else { return (file, {}) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hoso-barcodes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pdf = folder.appendingPathComponent("page.pdf")
        _ = try normalizer.normalize(file, pdf: pdf, thumbnail: folder.appendingPathComponent("thumb.png"))
        return (pdf, { try? FileManager.default.removeItem(at: folder) })
    }
}
