import Foundation
import HoSoCore

/// One scanning station as the operator configured it: where its files arrive and how to treat them.
public struct StationConfig: Hashable, Sendable {
    /// How new files are noticed.
    public enum Mode: String, Sendable, CaseIterable {
        /// Linux inotify events wake the watcher at once; a periodic rescan catches what they miss.
        case inotify
        /// Scan the folder every `pollInterval` seconds: for NFS and SMB shares, where inotify sees nothing.
        case poll
    }

    /// What happens to an original once its document is committed.
    public enum Disposal: String, Sendable, CaseIterable {
        /// Move it to `<inbox>/processed/YYYY-MM-DD/`.
        case move
        case delete
    }

    public let id: String
    public let inbox: URL
    public let mode: Mode
    /// Seconds between scans in poll mode, and between safety rescans in inotify mode.
    public let pollInterval: Double
    /// Seconds a file's size and modification time must stay unchanged before it is taken.
    public let stabilityWindow: Double
    /// Whether files in sub-folders are taken too.
    public let recursive: Bool
    /// File names matching any of these shell patterns are left alone.
    public let ignore: [String]
    public let originals: Disposal
    /// Agency code put in front of a bare `YYMMDD-NNNN` found in a file or folder name.
    public let defaultAgency: AgencyCode?
    /// Component recorded when no rule names one.
    public let defaultComponent: String?
    /// File-name rule: a regular expression with named groups `caseID` and, optionally, `component`.
    public let fileNamePattern: String
    /// The indexing rules to try, in order; the first that finds a case ID wins.
    public let rules: [IndexRule]

    public static let defaultIgnore = [".*", "*.tmp", "*.part", "~$*", "Thumbs.db", "@eaDir"]
    public static let defaultFileNamePattern = #"^(?<caseID>[0-9A-Z.]*-?[0-9]{6}-[0-9]{4})_(?<component>[^.]+)\.[A-Za-z0-9]+$"#
    /// Folders inside an inbox that HoSo owns and never takes files from.
    public static let reservedFolders = ["processed", "failed"]

    public init(
        id: String, inbox: URL, mode: Mode = .inotify, pollInterval: Double = 5, stabilityWindow: Double = 1,
        recursive: Bool = true, ignore: [String] = StationConfig.defaultIgnore, originals: Disposal = .move,
        defaultAgency: AgencyCode? = nil, defaultComponent: String? = nil,
        fileNamePattern: String = StationConfig.defaultFileNamePattern, rules: [IndexRule] = IndexRule.allCases
    ) {
        self.id = id
        self.inbox = inbox
        self.mode = mode
        self.pollInterval = pollInterval
        self.stabilityWindow = stabilityWindow
        self.recursive = recursive
        self.ignore = ignore
        self.originals = originals
        self.defaultAgency = defaultAgency
        self.defaultComponent = defaultComponent
        self.fileNamePattern = fileNamePattern
        self.rules = rules
    }

    /// Reads one item of the `stations` list; `index` (from 0) names it in errors as `stations[index]`.
    public static func parse(_ fields: [String: [String]], index: Int) throws(StationConfigError) -> StationConfig {
        let at = "stations[\(index)]"
        let known: Set = ["id", "inbox", "mode", "poll_interval", "stability_window", "recursive", "ignore", "originals",
                          "default_agency", "default_component", "file_name_pattern", "rules"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw .init(key: "\(at).\(unknown)", reason: "is not a station setting")
        }
        func one(_ name: String) throws(StationConfigError) -> String? {
            guard let values = fields[name] else { return nil }
            guard values.count == 1, let value = values.first, !value.isEmpty else {
                throw .init(key: "\(at).\(name)", reason: "must be one non-empty value")
            }
            return value
        }
        func seconds(_ name: String, _ fallback: Double) throws(StationConfigError) -> Double {
            guard let text = try one(name) else { return fallback }
            guard let value = Double(text), value >= 0, value <= 3600 else {
                throw .init(key: "\(at).\(name)", reason: "'\(text)' is not a number of seconds from 0 to 3600")
            }
            return value
        }
        guard let id = try one("id") else { throw .init(key: "\(at).id", reason: "is missing") }
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .init(key: "\(at).id", reason: "'\(id)' may hold only letters, digits, '-' and '_'")
        }
        guard let inbox = try one("inbox") else { throw .init(key: "\(at).inbox", reason: "is missing") }
        var mode = Mode.inotify
        if let text = try one("mode") {
            guard let parsed = Mode(rawValue: text) else { throw .init(key: "\(at).mode", reason: "'\(text)' is not inotify or poll") }
            mode = parsed
        }
        var originals = Disposal.move
        if let text = try one("originals") {
            guard let parsed = Disposal(rawValue: text) else { throw .init(key: "\(at).originals", reason: "'\(text)' is not move or delete") }
            originals = parsed
        }
        var recursive = true
        if let text = try one("recursive") {
            guard let parsed = Bool(text.lowercased()) else { throw .init(key: "\(at).recursive", reason: "'\(text)' is not true or false") }
            recursive = parsed
        }
        var agency: AgencyCode?
        if let text = try one("default_agency") {
            do { agency = try AgencyCode(parsing: text) } catch {
                throw .init(key: "\(at).default_agency", reason: error.description)
            }
        }
        let pattern = try one("file_name_pattern") ?? defaultFileNamePattern
        guard (try? Regex(pattern)) != nil, pattern.contains("(?<caseID>") else {
            throw .init(key: "\(at).file_name_pattern", reason: "must be a regular expression with a named group (?<caseID>...)")
        }
        var rules = IndexRule.allCases
        if let names = fields["rules"] {
            rules = []
            for name in names {
                guard let rule = IndexRule(rawValue: name) else {
                    throw .init(key: "\(at).rules", reason: "'\(name)' is not one of \(IndexRule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                rules.append(rule)
            }
        }
        return StationConfig(
            id: id, inbox: URL(fileURLWithPath: inbox, isDirectory: true).standardizedFileURL, mode: mode,
            pollInterval: try seconds("poll_interval", 5), stabilityWindow: try seconds("stability_window", 1),
            recursive: recursive, ignore: fields["ignore"] ?? defaultIgnore, originals: originals, defaultAgency: agency,
            defaultComponent: try one("default_component"), fileNamePattern: pattern, rules: rules
        )
    }

    /// Whether a file or folder name is to be left alone.
    public func ignores(_ name: String) -> Bool {
        ignore.contains { fnmatch($0, name, 0) == 0 }
    }
}

/// A station setting that is wrong, named as `stations[0].mode`.
public struct StationConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let reason: String
    public var description: String { "\(key): \(reason)" }
}
