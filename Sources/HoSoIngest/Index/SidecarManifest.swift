import Foundation

/// What a station writes beside a scan to say what it is: `<file>.json` for one file, or
/// `manifest.json` for a batch folder (its top-level fields apply to every file, `files` refines them).
///
/// ```json
/// {"caseId": "000.00.14.H27-240815-0007", "component": "Đơn đăng ký", "operator": "nguyenvana",
///  "expectedPages": 2, "sha256": "…"}
/// ```
struct SidecarManifest: Decodable, Equatable {
    var caseId: String?
    var component: String?
    var `operator`: String?
    var expectedPages: Int?
    var sha256: String?
    var files: [String: SidecarManifest]?

    /// The manifest for `file`: its own `<file>.json`, else its folder's `manifest.json`; nil when
    /// neither exists. A file that exists but is not a manifest is an error with the reason.
    static func find(for file: URL) -> Result<(SidecarManifest, URL)?, ManifestError> {
        let own = file.appendingPathExtension("json")
        let batch = file.deletingLastPathComponent().appendingPathComponent("manifest.json")
        for candidate in [own, batch] where FileManager.default.fileExists(atPath: candidate.path) {
            let manifest: SidecarManifest
            do {
                manifest = try JSONDecoder().decode(SidecarManifest.self, from: Data(contentsOf: candidate))
            } catch {
                return .failure(ManifestError(file: candidate, reason: "not a valid manifest: \(error)"))
            }
            if candidate == own { return .success((manifest, candidate)) }
            var merged = manifest
            if let specific = manifest.files?[file.lastPathComponent] {
                merged.caseId = specific.caseId ?? manifest.caseId
                merged.component = specific.component ?? manifest.component
                merged.operator = specific.operator ?? manifest.operator
                merged.expectedPages = specific.expectedPages
                merged.sha256 = specific.sha256
            } else {
                // Page counts and checksums describe one file; a batch's top level cannot vouch for each.
                merged.expectedPages = nil
                merged.sha256 = nil
            }
            merged.files = nil
            return .success((merged, candidate))
        }
        return .success(nil)
    }
}

struct ManifestError: Error, Equatable {
    let file: URL
    let reason: String
}
