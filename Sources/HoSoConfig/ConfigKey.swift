import HoSoCore

/// One setting HoSo reads: where it lives in `hoso.yaml`, its environment variable, its type and default.
public struct ConfigKey: Hashable, Sendable {
    /// Dotted path in the YAML file, e.g. `server.port`.
    public let path: String
    public let kind: ConfigValueKind
    /// The value used when neither the file nor the environment sets one; nil means "unset".
    public let defaultValue: ConfigValue?
    /// One line for `hoso config check` and the docs.
    public let summary: String
    /// For integers: the values allowed.
    public let range: ClosedRange<Int>?
    /// For lists: the fields of each item that are paths (resolved, like a `.path` setting, against the
    /// folder of the file that sets them).
    public let pathFields: Set<String>

    /// `HOSO_` and the path in upper case with dots as underscores: `server.port` → `HOSO_SERVER_PORT`.
    public var environmentName: String {
        "HOSO_" + path.uppercased().split(separator: ".").joined(separator: "_")
    }

    public init(
        _ path: String, _ kind: ConfigValueKind, default defaultValue: ConfigValue?, range: ClosedRange<Int>? = nil,
        pathFields: Set<String> = [], _ summary: String
    ) {
        self.path = path
        self.kind = kind
        self.defaultValue = defaultValue
        self.range = range
        self.pathFields = pathFields
        self.summary = summary
    }
}

/// The types a setting can have.
public enum ConfigValueKind: String, Hashable, Sendable {
    case string
    case path
    /// Text never printed (`hoso config check` says only whether it is set).
    case secret
    /// A URL, printed without the password it may carry (`postgres://hoso:…@db/hoso`).
    case url
    case integer
    case boolean
    /// A list of mappings, e.g. the stations (structured, set only in the file).
    case list
}

extension ConfigKey {
    /// The value as `hoso config check` shows it: secrets hidden, passwords in URLs replaced by `…`.
    public func shown(_ value: ConfigValue) -> String {
        switch (kind, value) {
        case (.secret, _): "(set)"
        case (.url, .string(let text)): URLRedaction.hidingPassword(in: text)
        default: value.description
        }
    }
}

/// A setting's value once read and checked.
public enum ConfigValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    /// Each item's fields; a field's value is its text, or the texts of a list (`ignore: [".*", "*.tmp"]`).
    case list([[String: [String]]])

    public var description: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .list(let items): "\(items.count) item(s)"
        }
    }
}
