import Foundation
import HoSoConfig
import HoSoCore
import HoSoImaging
import HoSoPDF
@_spi(Fuzzing) import HoSoSignature

/// One parser of untrusted bytes, fed by libFuzzer (`make fuzz`) or, without it, by files given on the
/// command line (a crash libFuzzer saved, replayed).
enum FuzzTarget: String, CaseIterable {
    /// The normalizer on a file of these bytes: TIFF (libtiff and HoSo's reader), JPEG, PNG.
    case tiff, jpeg, png
    /// The PDF parser and reader: every object of the file, resolved.
    case pdf
    /// The verifier on a PDF: signature fields and dictionaries, CMS, the change analysis.
    case signature
    /// The CMS/DER certificate splitter.
    case cms
    /// Case IDs, result codes, procedure and agency codes.
    case identifiers = "case-id"
    /// The YAML configuration loader.
    case config

    /// The target `HOSO_FUZZ_TARGET` names.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["HOSO_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set HOSO_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    /// A folder of this process's own for the file-based parsers (in memory when /dev/shm exists).
    static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let folder = base.appendingPathComponent("hoso-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    /// Limits small enough that one input cannot use the fuzzer's memory or time legitimately: a few bytes
    /// may declare a page of millions of pixels, which is then drawn in full (and every byte of it passes
    /// the instrumented PNG predictor, five times). A page of 65,536 pixels (a strip table, tiles, several
    /// rows of any width) reaches every code path; larger pages only repeat rows, at a fraction of the
    /// executions a second. Headers that declare more are refused by the limit check, which is fuzzed too.
    static let normalizer = Normalizer(limits: NormalizeLimits(maximumPagePixels: 1 << 16, maximumPages: 16, maximumSingleAllocation: 16 << 20,
                                                               maximumStripBuffer: 4 << 20))
    static let verifier = SignatureVerifier(trust: TrustStore(anchors: nil))

    func run(_ bytes: [UInt8]) {
        switch self {
        case .tiff, .jpeg, .png:
            let input = Self.write(bytes)
            _ = try? Self.normalizer.normalize(input, pdf: Self.scratch.appendingPathComponent("out.pdf"),
                                              thumbnail: Self.scratch.appendingPathComponent("out.png"))
        case .pdf:
            guard let reader = try? PDFReader(data: Data(bytes), name: "fuzz.pdf") else { return }
            _ = reader.trailer
            for number in reader.head.entries.keys.sorted().prefix(2000) {
                guard let object = try? reader.object(number) else { continue }
                _ = try? reader.resolve(object.value)
                _ = try? reader.references(of: number)
                if object.stream != nil { _ = try? reader.decodedStream(object, limit: 1 << 20) }
            }
        case .signature:
            if let reader = try? PDFReader(data: Data(bytes), name: "fuzz.pdf") { _ = SignatureParsers.signatureFields(in: reader) }
            _ = try? Self.verifier.verify(Self.write(bytes))
        case .cms:
            _ = SignatureParsers.splitCertificates(bytes)
        case .identifiers:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? CaseID(parsing: text)
            _ = try? ResultCode(parsing: text)
            _ = try? ProcedureCode(parsing: text)
            _ = try? AgencyCode(parsing: text)
            _ = CaseIDScanner.caseIDs(in: text)
        case .config:
            _ = try? Configuration.load(file: Self.write(bytes), environment: [:])
        }
    }

    /// Writes `bytes` to this process's input file.
    private static func write(_ bytes: [UInt8]) -> URL {
        let input = scratch.appendingPathComponent("input")
        try? Data(bytes).write(to: input)
        return input
    }
}
