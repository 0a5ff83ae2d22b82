import Foundation
import Yams

/// The effective configuration: defaults, overridden by `hoso.yaml`, overridden by `HOSO_*` variables.
///
/// Reading collects every problem rather than stopping at the first, so `hoso config check` can name
/// them all at once.
public struct Configuration: Sendable {
    /// Where each value came from, for `hoso config check`.
    public enum Source: Hashable, Sendable, CustomStringConvertible {
        case defaultValue
        case file(String)
        case environment(String)

        public var description: String {
            switch self {
            case .defaultValue: "default"
            case .file(let path): path
            case .environment(let name): "$\(name)"
            }
        }
    }

    public struct Entry: Hashable, Sendable {
        public let key: ConfigKey
        public let value: ConfigValue?
        public let source: Source
    }

    /// One entry per known key, in ``ConfigKeys/all`` order.
    public let entries: [Entry]

    /// Reads the file (if any) and the environment against `keys`. A relative path the file sets (a
    /// `.path` setting, a list's path fields) is taken from the file's folder, never from the folder the
    /// process happens to start in; one from the environment is taken as given.
    ///
    /// - Parameters:
    ///   - file: the YAML file; nil reads none.
    ///   - environment: variables to consult, normally the process's.
    ///   - keys: the known settings.
    public static func load(
        file: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
        keys: [ConfigKey] = ConfigKeys.all
    ) throws(ConfigError) -> Configuration {
        var problems: [ConfigProblem] = []
        var fromFile: [String: Any] = [:]
        if let file {
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw ConfigError(problems: [ConfigProblem(key: file.path, reason: "cannot be read: \(error.localizedDescription)")])
            }
            do {
                // The YAML is composed into nodes and turned into values here, not by Yams' constructor: it
                // force-unwraps keys as strings and multiplies base-60 integers without overflow checks, so a
                // key that is a mapping (`? {a: 1}: b`) or a number like `+5044422222222222199:5` crashed every
                // command reading the file (both found by fuzzing).
                if let node = try Yams.compose(yaml: text) {
                    guard let mapping = try YAMLValues.value(of: node) as? [String: Any] else {
                        throw ConfigError(problems: [ConfigProblem(key: file.path, reason: "top level must be a mapping of keys")])
                    }
                    flatten(mapping, prefix: "", into: &fromFile)
                }
            } catch let error as ConfigError {
                throw error
            } catch let error as YAMLValues.Refusal {
                throw ConfigError(problems: [ConfigProblem(key: file.path, reason: error.description)])
            } catch {
                throw ConfigError(problems: [ConfigProblem(key: file.path, reason: "is not valid YAML: \(error)")])
            }
        }
        let known = Set(keys.map(\.path))
        for path in fromFile.keys.sorted() where !known.contains(path) {
            let hint = Suggestion.nearest(to: path, among: keys.map(\.path)).map { "; did you mean \($0)?" } ?? " (see `hoso config check`)"
            problems.append(ConfigProblem(key: path, reason: "is not a known setting" + hint))
        }
        var entries: [Entry] = []
        for key in keys {
            if let raw = environment[key.environmentName] {
                switch parse(environmentValue: raw, as: key.kind).flatMap({ check($0, key) }) {
                case .success(let value): entries.append(Entry(key: key, value: value, source: .environment(key.environmentName)))
                case .failure(let reason): problems.append(ConfigProblem(key: key.environmentName, reason: reason.text))
                }
            } else if let raw = fromFile[key.path] {
                switch parse(fileValue: raw, as: key.kind).flatMap({ check($0, key) }) {
                case .success(let value):
                    entries.append(Entry(key: key, value: resolve(value, key, from: file!.deletingLastPathComponent()), source: .file(file!.path)))
                case .failure(let reason): problems.append(ConfigProblem(key: key.path, reason: reason.text))
                }
            } else {
                entries.append(Entry(key: key, value: key.defaultValue, source: .defaultValue))
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return Configuration(entries: entries)
    }

    /// The value of a key, or nil when unset.
    public func value(_ key: ConfigKey) -> ConfigValue? {
        entries.first { $0.key == key }?.value
    }

    public func string(_ key: ConfigKey) -> String? {
        if case .string(let value) = value(key) { return value }
        return nil
    }

    public func integer(_ key: ConfigKey) -> Int? {
        if case .integer(let value) = value(key) { return value }
        return nil
    }

    public func list(_ key: ConfigKey) -> [[String: [String]]]? {
        if case .list(let items) = value(key) { return items }
        return nil
    }

    public func boolean(_ key: ConfigKey) -> Bool? {
        if case .boolean(let value) = value(key) { return value }
        return nil
    }

    // MARK: Parsing

    /// `value` with each relative path of `key` taken from `folder`.
    private static func resolve(_ value: ConfigValue, _ key: ConfigKey, from folder: URL) -> ConfigValue {
        let absolute = { (path: String) in
            path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
        }
        switch value {
        case .string(let path) where key.kind == .path:
            return .string(absolute(path))
        case .list(let items) where !key.pathFields.isEmpty:
            return .list(items.map { item in
                item.reduce(into: [:]) { fields, field in
                    fields[field.key] = key.pathFields.contains(field.key) ? field.value.map(absolute) : field.value
                }
            })
        default:
            return value
        }
    }

    private static func check(_ value: ConfigValue, _ key: ConfigKey) -> Result<ConfigValue, Reason> {
        if case .integer(let number) = value, let range = key.range, !range.contains(number) {
            let upper = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
            return .failure(Reason("\(number) is out of range (\(range.lowerBound)\(upper))"))
        }
        return .success(value)
    }

    /// Nested mappings become dotted paths; lists stay whole under their path.
    private static func flatten(_ mapping: [String: Any], prefix: String, into result: inout [String: Any]) {
        for (name, value) in mapping {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            if let nested = value as? [String: Any] {
                flatten(nested, prefix: path, into: &result)
            } else {
                result[path] = value
            }
        }
    }

    private static func parse(environmentValue raw: String, as kind: ConfigValueKind) -> Result<ConfigValue, Reason> {
        switch kind {
        case .string, .path, .secret, .url:
            return raw.isEmpty ? .failure(Reason("must not be empty")) : .success(.string(raw))
        case .integer:
            guard let value = Int(raw) else { return .failure(Reason("'\(raw)' is not an integer")) }
            return .success(.integer(value))
        case .boolean:
            switch raw.lowercased() {
            case "true", "yes", "1", "on": return .success(.boolean(true))
            case "false", "no", "0", "off": return .success(.boolean(false))
            default: return .failure(Reason("'\(raw)' is not true or false"))
            }
        case .list:
            return .failure(Reason("is a list and can only be set in the configuration file"))
        }
    }

    private static func parse(fileValue raw: Any, as kind: ConfigValueKind) -> Result<ConfigValue, Reason> {
        switch kind {
        case .string, .path, .secret, .url:
            guard let value = raw as? String, !value.isEmpty else { return .failure(Reason("must be a non-empty string")) }
            return .success(.string(value))
        case .integer:
            guard let value = raw as? Int else { return .failure(Reason("'\(raw)' is not an integer")) }
            return .success(.integer(value))
        case .boolean:
            guard let value = raw as? Bool else { return .failure(Reason("'\(raw)' is not true or false")) }
            return .success(.boolean(value))
        case .list:
            guard let items = raw as? [[String: Any]] else { return .failure(Reason("must be a list of mappings")) }
            var parsed: [[String: [String]]] = []
            for (index, item) in items.enumerated() {
                var fields: [String: [String]] = [:]
                for (name, value) in item {
                    if let list = value as? [Any] {
                        fields[name] = list.map { "\($0)" }
                    } else if value is [String: Any] {
                        return .failure(Reason("item \(index + 1) field \(name) must be a value or a list, not a mapping"))
                    } else {
                        fields[name] = ["\(value)"]
                    }
                }
                parsed.append(fields)
            }
            return .success(.list(parsed))
        }
    }

    private struct Reason: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }
}

/// One thing wrong with the configuration, naming the key (or variable) and why.
public struct ConfigProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let reason: String
    public var description: String { "\(key): \(reason)" }

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }
}

/// Everything wrong with a configuration.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public let problems: [ConfigProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
