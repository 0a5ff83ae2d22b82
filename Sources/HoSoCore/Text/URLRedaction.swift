/// URLs as messages and `hoso config check` show them: a password someone wrote into one
/// (`postgres://hoso:secret@db/hoso`) is replaced by `…`; everything else stays, so the URL can still be recognized.
public enum URLRedaction {
    public static func hidingPassword(in text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let authorityEnd = text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
        guard let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[...colon]) + "…" + String(text[at...])
    }
}

/// Why a URL in the configuration (`catalog.url`, `blobs.url`) is not one: the URL as written, its
/// password hidden, and the reason; `setting` names the key when known.
public struct InvalidURL: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public let setting: String?

    public init(_ text: String, _ reason: String, setting: String? = nil) {
        self.text = URLRedaction.hidingPassword(in: text)
        self.reason = reason
        self.setting = setting
    }

    /// The same refusal, said of `setting`.
    public func of(_ setting: String) -> InvalidURL { InvalidURL(text, reason, setting: setting) }

    public var description: String { (setting.map { "\($0) " } ?? "") + "\(text): \(reason)" }
}
