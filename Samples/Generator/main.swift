import ArgumentParser
import Foundation
import HoSoSamples

/// `hoso-samples`: makes the sample scans, small ones for `Samples/` and large ones for tests and
/// benchmarks. Every file is drawn procedurally and streamed, so an A0 page at 600 dpi needs a few MB.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hoso-samples",
        abstract: "Make sample scans for HoSo's demo, tests and benchmarks.",
        subcommands: [Small.self, Large.self]
    )

    struct Small: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the small sample set (receipt TIFF, colour form TIFF, scanner PDF).",
            discussion: "Example: hoso-samples small --out Samples"
        )

        @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
        var out = "Samples"

        func run() throws {
            let directory = URL(fileURLWithPath: out)
            try SampleSet.writeSmall(to: directory)
            for name in SampleSet.smallFiles { print(directory.appendingPathComponent(name).path) }
        }
    }

    struct Large: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one large sample.",
            discussion: """
                Kinds: a0-rgb-lzw (A0 map, 8-bit RGB, LZW strips), a0-rgb16-deflate (A0 map, 48-bit RGB, Deflate), \
                bigtiff-tiled (A0 map, BigTIFF, 8-bit RGB, 512 px tiles, Deflate), a1-gray-jpeg (A1 map, 8-bit \
                gray, JPEG strips), a4-colour-jpeg (3-page A4 colour form, JPEG strips), g4-batch (multi-page A4 \
                bilevel G4 receipts), coded-batch (G4 batch of cases, each a receipt with a QR code or Code128 \
                then two plain pages). --qr prints a QR code on a map (needs zint).

                Example: hoso-samples large a0-rgb-lzw --dpi 300 --out /tmp/a0-300.tif
                """
        )

        enum Kind: String, ExpressibleByArgument, CaseIterable {
            case a0RGBLZW = "a0-rgb-lzw"
            case a0RGB16Deflate = "a0-rgb16-deflate"
            case g4Batch = "g4-batch"
            case bigTIFFTiled = "bigtiff-tiled"
            case a1GrayJPEG = "a1-gray-jpeg"
            case a4ColourJPEG = "a4-colour-jpeg"
            case codedBatch = "coded-batch"
        }

        @Argument(help: "What to make.")
        var kind: Kind

        @Option(help: "Resolution in dots per inch.")
        var dpi: Double = 300

        @Option(help: "Pages, for g4-batch.")
        var pages = 20

        @Option(help: ArgumentHelp("Print a QR code of this text top-left on a map (made with zint).", valueName: "text"))
        var qr: String?

        @Option(help: ArgumentHelp("Output file.", valueName: "file"))
        var out: String

        func run() throws {
            let url = URL(fileURLWithPath: out)
            switch kind {
            case .a0RGBLZW:
                try SampleSet.writeMap(to: url, dpi: dpi, colour: .rgb8, compression: .lzw, qrPayload: qr)
            case .a0RGB16Deflate:
                try SampleSet.writeMap(to: url, dpi: dpi, colour: .rgb16, compression: .deflate, bigTIFF: true, qrPayload: qr)
            case .g4Batch:
                let ids = (1...pages).map { "000.00.14.H27-240815-" + String(String(10000 + $0).suffix(4)) }
                try SampleSet.writeReceiptBatch(to: url, caseIDs: ids, dpi: dpi)
            case .bigTIFFTiled:
                try SampleSet.writeMap(to: url, dpi: dpi, colour: .rgb8, compression: .deflate,
                                       layout: .tiles(width: 512, height: 512), bigTIFF: true, qrPayload: qr)
            case .a1GrayJPEG:
                try SampleSet.writeMap(to: url, widthMM: 594, heightMM: 841, dpi: dpi, colour: .gray8, compression: .jpeg(quality: 85),
                                       layout: .strips(rowsPerStrip: 64))
            case .a4ColourJPEG:
                try SampleSet.writeApplicationForm(to: url, pages: 3, dpi: dpi, quality: 85)
            case .codedBatch:
                // Each case: its receipt (QR, or Code128 for every other case), then two plain pages.
                let cases = max(1, pages / 3)
                let batch = (1...cases).flatMap { n -> [SampleSet.BatchPage] in
                    let id = "000.00.14.H27-240815-" + String(String(10000 + n).suffix(4))
                    let receipt = SampleSet.BatchPage.receipt(caseID: id, symbology: n % 2 == 1 ? .qr : .code128,
                                                              payload: n % 2 == 1 ? "MaHS:\(id);MaTTHC:1.001193" : id)
                    return [receipt, .plain, .plain]
                }
                try SampleSet.writeCodedBatch(to: url, pages: batch, dpi: dpi)
            }
            print(url.path)
        }
    }
}

SamplesCommand.main()
