import Foundation
import HoSoConfig
import HoSoCore
import Logging
import Synchronization

/// Where this process's log goes: one line per entry on standard error (journald keeps it under a
/// systemd unit), as `log.format` says — `text` for people, `json` for a collector — from `log.level` on
/// (`$LOG_LEVEL`, Hummingbird's convention, wins).
enum LogOutput {
    enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    private static let bootstrapped = Mutex(false)

    /// The format and least level the configuration asks for; a value outside the choices is a
    /// configuration error naming the setting.
    static func choices(_ configuration: Configuration) throws -> (Format, Logger.Level) {
        let formatText = configuration.string(ConfigKeys.logFormat) ?? "text"
        guard let format = Format(rawValue: formatText) else {
            throw CommandFailure(.configError, "log.format: '\(formatText)' is not one of text, json")
        }
        let levelText = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? configuration.string(ConfigKeys.logLevel) ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            let choices = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure(.configError, "log.level: '\(levelText)' is not one of \(choices)")
        }
        return (format, level)
    }

    /// Sets every logger of the process to write `format` lines from `level` on; the first call wins
    /// (swift-log takes one bootstrap a process).
    static func bootstrap(_ format: Format, level: Logger.Level) {
        guard bootstrapped.withLock({ done in defer { done = true }; return !done }) else { return }
        LoggingSystem.bootstrap { label in LogLine(label: label, format: format, logLevel: level) }
    }
}

/// One log entry as one line: `2026-12-03T17:00:00.123+07:00 notice hoso.serve: message key=value`, or
/// the same fields as a JSON object (`time`, `level`, `logger`, `message`, then the metadata).
struct LogLine: LogHandler {
    let label: String
    let format: LogOutput.Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, format: LogOutput.Format, logLevel: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues(\.description)
        let time = VietnamTime.rfc3339(Date())
        FileHandle.standardError.write(Data((Self.line(time: time, level: event.level, label: label, message: event.message.description,
                                                       fields: fields, format: format) + "\n").utf8))
    }

    static func line(time: String, level: Logger.Level, label: String, message: String, fields: [String: String],
                     format: LogOutput.Format) -> String {
        switch format {
        case .text:
            let pairs = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
            return ([time, level.rawValue, "\(label): \(message)"] + pairs).joined(separator: " ")
        case .json:
            var object = fields
            object["time"] = time
            object["level"] = level.rawValue
            object["logger"] = label
            object["message"] = message
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
                return "{}"
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// A value as it can be read back from a text line: quoted when it holds a space, a quote or `=`.
    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
