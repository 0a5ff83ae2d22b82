import Foundation

/// The text of a page cursor: base64url of a tag naming the list and its format, and the fields after it,
/// so a cursor of one list given to another is recognised as not its own.
public enum CursorText {
    public static func encode(_ tag: String, _ fields: [String]) -> String {
        Base64URL.encode(Data(([tag] + fields).joined(separator: "|").utf8))
    }

    /// The fields, or nil when the text is not a cursor with this tag and this many fields.
    public static func decode(_ text: String, tag: String, fields count: Int) -> [String]? {
        guard let data = Base64URL.decode(text), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count + 1, parts[0] == tag else { return nil }
        return Array(parts.dropFirst())
    }
}
