import Foundation
import HoSoConfig

/// A system the officers depend on, probed over HTTP(S) (`monitor.targets`): the workflow server, the
/// public service portal. Any answer below 500 counts as up (a 401 is a server answering).
public struct MonitorTarget: Hashable, Sendable {
    public let name: String
    public let url: URL
    public let interval: Duration
    public let timeout: Duration

    public init(name: String, url: URL, interval: Duration = .seconds(60), timeout: Duration = .seconds(5)) {
        self.name = name
        self.url = url
        self.interval = interval
        self.timeout = timeout
    }

    /// The `index`th entry of `monitor.targets`; a problem names its field.
    public static func parse(_ fields: [String: [String]], index: Int) throws(ConfigProblem) -> MonitorTarget {
        let at = "monitor.targets[\(index)]"
        if let unknown = fields.keys.sorted().first(where: { !["name", "url", "interval_seconds", "timeout_seconds"].contains($0) }) {
            throw ConfigProblem(key: "\(at).\(unknown)", reason: "is not a monitor target setting (name, url, interval_seconds, timeout_seconds)")
        }
        func one(_ field: String) throws(ConfigProblem) -> String? {
            guard let values = fields[field] else { return nil }
            guard values.count == 1, let value = values.first, !value.isEmpty else {
                throw ConfigProblem(key: "\(at).\(field)", reason: "must be one non-empty value")
            }
            return value
        }
        func seconds(_ field: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigProblem) -> Int {
            guard let text = try one(field) else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigProblem(key: "\(at).\(field)", reason: "'\(text)' is not a whole number of seconds from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        guard let name = try one("name") else { throw ConfigProblem(key: "\(at).name", reason: "is missing") }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConfigProblem(key: "\(at).name", reason: "'\(name)' may hold only letters, digits, '-', '_' and '.'")
        }
        guard let text = try one("url") else { throw ConfigProblem(key: "\(at).url", reason: "is missing") }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
            throw ConfigProblem(key: "\(at).url", reason: "'\(text)' is not an http:// or https:// URL")
        }
        let interval = try seconds("interval_seconds", 60, 5...86_400), timeout = try seconds("timeout_seconds", 5, 1...300)
        guard timeout < interval else {
            throw ConfigProblem(key: "\(at).timeout_seconds", reason: "\(timeout) s must be shorter than interval_seconds (\(interval) s)")
        }
        return MonitorTarget(name: name, url: url, interval: .seconds(interval), timeout: .seconds(timeout))
    }

    /// Every target `monitor.targets` lists; names are unique.
    public static func all(in configuration: Configuration) throws(ConfigProblem) -> [MonitorTarget] {
        var targets: [MonitorTarget] = []
        for (index, fields) in (configuration.list(ConfigKeys.monitorTargets) ?? []).enumerated() {
            let target = try parse(fields, index: index)
            if targets.contains(where: { $0.name == target.name }) {
                throw ConfigProblem(key: "monitor.targets[\(index)].name", reason: "'\(target.name)' is used twice")
            }
            targets.append(target)
        }
        return targets
    }
}
