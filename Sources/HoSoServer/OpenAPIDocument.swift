import Foundation

/// `docs/openapi.yaml`, which the build copies in as a resource, served at /v1/openapi.yaml.
public enum OpenAPIDocument {
    public static let text: String? = Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        .flatMap { try? String(contentsOf: $0, encoding: .utf8) }
}
