/// A way of finding which case a scanned file belongs to. Stations try them in their configured order.
public enum IndexRule: String, Sendable, CaseIterable, Hashable {
    /// `<file>.json` beside the file, or `manifest.json` in its folder.
    case sidecar
    /// `<inbox>/<case ID>/<file>`.
    case folder
    /// The file name, through the station's regular expression.
    case fileName = "file_name"
    /// A QR code or Code128 barcode on page 1. Not built yet: skipped.
    case barcode
}
