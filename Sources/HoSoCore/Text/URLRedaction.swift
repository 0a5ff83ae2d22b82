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
