import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as a plain HTML form posts it: every value of every
/// name, in order (a field may repeat: several quarantine entries ticked at once).
struct FormFields: Sendable {
    private let pairs: [(String, String)]

    init(_ text: String) {
        pairs = text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The form in `request`'s body (at most 64 KiB: a form is small).
    static func read(_ request: Request) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormFields(String(buffer: buffer))
    }

    subscript(name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    private static func decode<S: StringProtocol>(_ text: S) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
