import Foundation
import HoSoCore
import HoSoDigest
import HoSoPDF
import Synchronization

/// What a batch signed, as `DIR/manifest.json` records it (and `manifest.json.p7s` signs it).
public struct SigningManifest: Codable, Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public let file: String
        public let inputSHA256: String
        public let outputSHA256: String
        public let bytes: Int
        public let signedAt: Date
        /// The case the file was signed for (`--case`, `--case-from file-name`).
        public let caseID: String?
    }

    public struct Settings: Codable, Sendable, Equatable {
        public let format: String
        public let digest: String
        public let pss: Bool
        public let reason: String?
        public let location: String?
        public let timestampServer: String?
    }

    public var signer: String
    public var serial: String
    public var updatedAt: Date
    public var settings: Settings
    /// By output file name, sorted.
    public var files: [Entry]
}

/// Signs a batch of PDFs into one folder with one key: each output keeps its input's file name, is
/// written atomically, and is recorded in the folder's manifest with both SHA-256s. Re-running skips
/// inputs already signed there with the same input hash (and an output that still has its hash). A
/// file that fails is reported and the rest go on.
///
/// While a batch runs, each signed file is also appended to `.manifest.journal` (a JSON line, not
/// synced): after a crash the next run takes the journal's entries like the manifest's — an entry counts
/// only if the output still has its recorded hash, so a line whose file did not survive is re-signed.
/// The journal is removed once the manifest is written.
public struct BatchSigner: Sendable {
    public let signer: PDFSigner
    public let folder: URL
    /// Which case each file is signed for.
    public let cases: CaseAssignment

    public init(signer: PDFSigner, folder: URL, cases: CaseAssignment = .none) {
        self.signer = signer
        self.folder = folder
        self.cases = cases
    }

    /// How a batch knows each file's case.
    public enum CaseAssignment: Sendable, Equatable {
        /// Files are signed for no case.
        case none
        /// Every file for this case (`hoso sign --case ID FILE`).
        case fixed(CaseID)
        /// From the file name, `<case ID>_….pdf` (`--case-from file-name`).
        case fromFileName

        /// The case `file` is signed for, or why its name gives none.
        func caseID(of file: URL) -> Result<CaseID?, SigningError> {
            switch self {
            case .none: return .success(nil)
            case .fixed(let id): return .success(id)
            case .fromFileName:
                let name = file.lastPathComponent
                guard let underscore = name.firstIndex(of: "_") else {
                    return .failure(.input("the file name does not start with a case ID followed by '_' (<case ID>_….pdf)"))
                }
                do { return .success(try CaseID(parsing: String(name[..<underscore]))) } catch {
                    return .failure(.input("the file name does not start with a case ID: \(error.description)"))
                }
            }
        }
    }

    public enum Outcome: Sendable {
        case signed(SigningManifest.Entry)
        case skipped(SigningManifest.Entry)
        case failed(file: String, reason: String)
    }

    public static let manifestName = "manifest.json"
    public static let journalName = ".manifest.journal"

    /// Signs `inputs` on `jobs` threads, calling `progress` as each finishes; writes the manifest and
    /// its signature after syncing the folder once. Throws only when the manifest cannot be written.
    public func run(_ inputs: [URL], jobs: Int, progress: @Sendable (Int, Outcome) -> Void) throws -> [Outcome] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let previous = Self.loadManifest(in: folder)
        let known = Dictionary(((previous?.files ?? []) + Self.loadJournal(in: folder)).map { ($0.file, $0) }, uniquingKeysWith: { $1 })
        let journal = try Journal(folder.appendingPathComponent(Self.journalName))
        var seen: [String: Int] = [:]
        let duplicates = Set(inputs.indices.filter { index in
            seen[inputs[index].lastPathComponent, default: 0] += 1
            return seen[inputs[index].lastPathComponent]! > 1
        })
        let next = Atomic<Int>(0)
        let slots = Mutex<[Outcome?]>(Array(repeating: nil, count: inputs.count))
        let workers = max(1, min(jobs, inputs.count))
        _ = parallelWorkers(workers) {
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < inputs.count else { return }
                let outcome = duplicates.contains(index)
                    ? .failed(file: inputs[index].path, reason: "another input has the same file name; outputs keep their names")
                    : one(inputs[index], known: known[inputs[index].lastPathComponent])
                if case .signed(let entry) = outcome { journal.append(entry) }
                slots.withLock { $0[index] = outcome }
                progress(index, outcome)
            }
        }
        let outcomes = slots.withLock { $0.map { $0! } }
        try writeManifest(previous: previous, outcomes: outcomes)
        journal.remove()
        return outcomes
    }

    private func one(_ input: URL, known: SigningManifest.Entry?) -> Outcome {
        let output = folder.appendingPathComponent(input.lastPathComponent)
        guard output.standardizedFileURL.path != input.standardizedFileURL.path else {
            return .failed(file: input.path, reason: "the output would replace the input; choose another --out folder")
        }
        let caseID: String?
        switch cases.caseID(of: input) {
        case .success(let id): caseID = id?.description
        case .failure(let error): return .failed(file: input.path, reason: error.description)
        }
        if let known, known.caseID == caseID, let inputHash = try? Self.sha256(of: input), inputHash == known.inputSHA256,
           let outputHash = try? Self.sha256(of: output), outputHash == known.outputSHA256 {
            return .skipped(known)
        }
        let time = Date()
        do {
            let signed = try signer.sign(input, to: output, at: time, caseID: caseID)
            return .signed(.init(file: input.lastPathComponent, inputSHA256: signed.inputSHA256, outputSHA256: signed.outputSHA256,
                                 bytes: signed.bytes, signedAt: time, caseID: caseID))
        } catch {
            return .failed(file: input.path, reason: error.description)
        }
    }

    /// Writes the manifest: what it had, and this run's signed and skipped files (a journal entry is
    /// taken only once its output was found intact: then it is a skipped file).
    private func writeManifest(previous: SigningManifest?, outcomes: [Outcome]) throws {
        var entries = Dictionary((previous?.files ?? []).map { ($0.file, $0) }, uniquingKeysWith: { $1 })
        for outcome in outcomes {
            switch outcome {
            case .signed(let entry), .skipped(let entry): entries[entry.file] = entry
            case .failed: continue
            }
        }
        let manifest = SigningManifest(
            signer: signer.key.certificate.subject, serial: signer.key.certificate.serial, updatedAt: Date(),
            settings: .init(format: signer.format.rawValue, digest: signer.digest.rawValue, pss: signer.pss, reason: signer.reason,
                            location: signer.location, timestampServer: signer.timestampServer?.absoluteString),
            files: entries.values.sorted { $0.file < $1.file })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let bytes = Array(try encoder.encode(manifest))
        // The outputs were renamed into place unsynced; one sync makes them all durable before the
        // manifest says they exist (an fsync per file would cost more than signing it).
        sync()
        try AtomicFile.write(bytes, to: folder.appendingPathComponent(Self.manifestName))
        let digest = bytes.withUnsafeBytes { Digest.digest(nid: signer.digest.nid, of: $0, ranges: [0..<$0.count]) } ?? []
        let builder = CMSBuilder(key: signer.key, digest: signer.digest, pss: signer.pss && signer.key.isRSA, pades: true)
        let attributes = builder.signedAttributes(messageDigest: digest, time: Date())
        let signature = try builder.sign(attributes)
        try AtomicFile.write(builder.contentInfo(attributes: attributes, signature: signature, timestampToken: nil),
                             to: folder.appendingPathComponent(Self.manifestName + ".p7s"))
    }

    static func loadManifest(in folder: URL) -> SigningManifest? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(manifestName)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(SigningManifest.self, from: data)
    }

    /// The entries a crashed run appended; lines cut short by the crash are left out.
    static func loadJournal(in folder: URL) -> [SigningManifest.Entry] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(journalName)) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(SigningManifest.Entry.self, from: Data($0)) }
    }

    /// The run's journal: one JSON line per signed file, appended under a lock.
    final class Journal: @unchecked Sendable {
        private let url: URL
        private let handle: FileHandle
        private let lock = NSLock()
        private let encoder = JSONEncoder()

        init(_ url: URL) throws {
            self.url = url
            if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            encoder.dateEncodingStrategy = .iso8601
        }

        func append(_ entry: SigningManifest.Entry) {
            guard let line = try? encoder.encode(entry) else { return }
            lock.withLock { try? handle.write(contentsOf: line + Data([0x0A])) }
        }

        func remove() {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
        }
    }

    static func sha256(of file: URL) throws -> String { try FileDigest.sha256(of: file).digest.hex }
}

/// Runs `body` on `count` threads at once and waits for all.
private func parallelWorkers(_ count: Int, _ body: @Sendable () -> Void) {
    DispatchQueue.concurrentPerform(iterations: count) { _ in body() }
}
