import Foundation

/// The text of a PDF as poppler extracts it: what a person reading the page would see as words.
public enum PDFText {
    /// The text of every page, pages separated by form feeds, cut at `limit` characters; nil when the
    /// file is a scan rather than a PDF.
    public static func extract(_ file: URL, limit: Int = 1 << 20) throws(NormalizeError) -> String? {
        guard try InputKind.detect(file) == .pdf else { return nil }
        let document = try PopplerDocument(path: file.path)
        var text = ""
        for index in 0..<document.pageCount {
            if index > 0 { text.append("\u{0C}") }
            text.append(document.text(index))
            if text.count >= limit { return String(text.prefix(limit)) }
        }
        return text
    }
}
