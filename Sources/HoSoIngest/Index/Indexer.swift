import Foundation
import HoSoCore

/// Finds the case a scanned file belongs to by the station's rules, first match wins, or says why it
/// must go to quarantine.
struct Indexer {
    let station: StationConfig

    /// What indexing decided.
    enum Decision: Equatable {
        case found(CaseID, component: String?, operator: String?, rule: IndexRule)
        /// A batch scan whose separator sheets name several cases: each case's pages become its document.
        case batch([BatchPart])
        case quarantine(QuarantineReason, detail: String, component: String?)
    }

    /// - Parameters:
    ///   - file: the scan, inside the station's inbox.
    ///   - sha256: the file's digest, for the manifest's checksum.
    ///   - pages: its page count, for the manifest's expected pages.
    ///   - barcodes: reads every page's codes; called only if the barcode rule is reached.
    func decide(
        _ file: URL, sha256: SHA256Digest, pages: Int, barcodes: () -> Result<[PageBarcodes], BarcodeReadError>
    ) -> Decision {
        var notes: [String] = []
        for rule in station.rules {
            switch rule {
            case .sidecar:
                switch SidecarManifest.find(for: file) {
                case .failure(let error):
                    return .quarantine(.manifestInvalid, detail: "\(error.file.lastPathComponent): \(error.reason)", component: nil)
                case .success(nil):
                    continue
                case .success(let (manifest, source)?):
                    if let expected = manifest.sha256, expected.lowercased() != sha256.hex {
                        return .quarantine(.manifestMismatch, detail: "\(source.lastPathComponent) says SHA-256 \(expected), the file's is \(sha256.hex)",
                                           component: manifest.component)
                    }
                    if let expected = manifest.expectedPages, expected != pages {
                        return .quarantine(.manifestMismatch, detail: "\(source.lastPathComponent) expects \(expected) pages, the file has \(pages)",
                                           component: manifest.component)
                    }
                    guard let text = manifest.caseId else { continue }
                    switch parse(text) {
                    case .success(let id):
                        return .found(id, component: manifest.component ?? station.defaultComponent, operator: manifest.operator, rule: .sidecar)
                    case .failure(let error):
                        return .quarantine(.invalidCaseID, detail: "\(source.lastPathComponent): '\(text)': \(error)", component: manifest.component)
                    }
                }
            case .folder:
                let folder = relativeFolders(of: file).first
                guard let folder, Self.looksLikeCaseID(folder) else { continue }
                switch parse(folder) {
                case .success(let id): return .found(id, component: station.defaultComponent, operator: nil, rule: .folder)
                case .failure(let error): return .quarantine(.invalidCaseID, detail: "folder '\(folder)': \(error)", component: nil)
                }
            case .fileName:
                guard let regex = try? Regex(station.fileNamePattern),
                      let match = try? regex.wholeMatch(in: file.lastPathComponent),
                      let captured = match.output["caseID"]?.substring else { continue }
                let component = match.output["component"]?.substring.map { String($0).replacingOccurrences(of: "_", with: " ") }
                switch parse(String(captured)) {
                case .success(let id):
                    return .found(id, component: component ?? station.defaultComponent, operator: nil, rule: .fileName)
                case .failure(let error):
                    return .quarantine(.invalidCaseID, detail: "file name '\(file.lastPathComponent)': \(error)", component: component)
                }
            case .barcode:
                switch barcodes() {
                case .failure(let error):
                    return .quarantine(.unreadableBarcode, detail: error.description, component: station.defaultComponent)
                case .success(let pages):
                    if let decision = BarcodeSplitter(parse: parse).decide(pages, component: station.defaultComponent) {
                        return decision
                    }
                    let found = pages.first?.codes.map { "\($0.symbology.rawValue) '\($0.text)'" } ?? []
                    notes.append(found.isEmpty ? "no QR or Code128 code on page 1" : "page 1's codes name no case: \(found.joined(separator: ", "))")
                }
            }
        }
        let tried = "no rule (\(station.rules.map(\.rawValue).joined(separator: ", "))) found a case ID"
        return .quarantine(.noCaseID, detail: ([tried] + notes).joined(separator: "; "), component: station.defaultComponent)
    }

    /// Folders between the inbox and the file, outermost first.
    private func relativeFolders(of file: URL) -> [String] {
        let inbox = station.inbox.standardizedFileURL.pathComponents
        let parts = file.standardizedFileURL.deletingLastPathComponent().pathComponents
        guard parts.starts(with: inbox) else { return [] }
        return Array(parts.dropFirst(inbox.count))
    }

    /// Parses a case ID, putting the station's agency in front of a bare `YYMMDD-NNNN`.
    func parse(_ text: String) -> Result<CaseID, CaseIDError> {
        var full = text
        if let agency = station.defaultAgency, text.split(separator: "-").count == 2 { full = "\(agency)-\(text)" }
        return Result { () throws(CaseIDError) in try CaseID(parsing: full) }
    }

    /// Whether a folder name is meant as a case ID (it ends in `-YYMMDD-NNNN` or is `YYMMDD-NNNN`), so a
    /// malformed one goes to quarantine rather than being ignored.
    static func looksLikeCaseID(_ name: String) -> Bool {
        name.wholeMatch(of: /([0-9A-Za-z.]*-)?[0-9]{5,7}-[0-9]{3,5}/) != nil
    }
}
