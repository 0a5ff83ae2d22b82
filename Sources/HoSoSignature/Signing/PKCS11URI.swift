import Foundation

/// A PKCS#11 URI (RFC 7512) naming a token object, e.g.
/// `pkcs11:token=van-thu;object=signer?module-path=/usr/lib/softhsm/libsofthsm2.so`.
/// The PIN is never taken from the URI (`pin-value` is refused): it comes from the environment or a file.
public struct PKCS11URI: Sendable, Equatable {
    /// As given, for messages.
    public let text: String
    /// The path attributes without `type` (`token=…;object=…;id=…`).
    let attributes: [String]
    /// The module the query names; nil means p11-kit's proxy.
    public let modulePath: String?

    public init(_ text: String) throws(SigningError) {
        guard text.hasPrefix("pkcs11:") else { throw .input("\(text): a PKCS#11 URI starts with pkcs11: (RFC 7512)") }
        let body = text.dropFirst("pkcs11:".count)
        let parts = body.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        attributes = parts[0].split(separator: ";").map(String.init).filter { !$0.hasPrefix("type=") }
        var modulePath: String?
        for item in parts.count > 1 ? parts[1].split(separator: "&") : [] {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            switch pair[0] {
            case "pin-value", "pin-source":
                throw .input("\(text): the PIN does not go in the URI; use --pass-env or --pass-file")
            case "module-path" where pair.count == 2:
                modulePath = pair[1].removingPercentEncoding ?? pair[1]
            default:
                continue
            }
        }
        guard attributes.contains(where: { $0.hasPrefix("object=") || $0.hasPrefix("id=") }) else {
            throw .input("\(text): name the key with object= (its label) or id=")
        }
        self.text = text
        self.modulePath = modulePath
    }

    /// The URI of the same object with `type` (private, cert), no query: what the engine is given.
    func naming(type: String) -> String { "pkcs11:" + (attributes + ["type=\(type)"]).joined(separator: ";") }
}
