import Yams

/// Turns composed YAML nodes into the values the configuration reads — `[String: Any]`, `[Any]`,
/// `String`, `Int`, `Bool` — with YAML 1.1's plain-scalar rules for the integers and booleans a
/// configuration uses, and without Yams' constructor, which crashes on keys that are not strings and
/// on base-60 numbers that overflow.
enum YAMLValues {
    /// Why a document cannot be a configuration, with the line.
    struct Refusal: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    static func value(of node: Node) throws(Refusal) -> Any {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain || scalar.style == .any ? plain(scalar.string) : scalar.string
        case .sequence(let sequence):
            var items: [Any] = []
            for item in sequence { items.append(try value(of: item)) }
            return items
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for (key, item) in mapping {
                guard case .scalar(let name) = key else {
                    throw Refusal(line: (key.mark?.line ?? 0), reason: "a key must be a plain name, not a mapping or a list")
                }
                result[name.string] = try value(of: item)
            }
            return result
        case .alias(let alias):
            throw Refusal(line: alias.mark?.line ?? 0, reason: "aliases (*name) are not supported in the configuration")
        }
    }

    /// A plain scalar: a decimal integer (underscores allowed) that fits, true/false (and YAML 1.1's
    /// yes/no/on/off), null as an empty string, else the text itself. A number too large for an Int stays
    /// text, which the setting then refuses as "not an integer".
    static func plain(_ text: String) -> Any {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        case "~", "null", "Null", "NULL", "": return ""
        default: break
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        let unsigned = digits.hasPrefix("+") || digits.hasPrefix("-") ? digits.dropFirst() : Substring(digits)
        if !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits.hasPrefix("+") ? String(unsigned) : digits) {
            return value
        }
        return text
    }
}
