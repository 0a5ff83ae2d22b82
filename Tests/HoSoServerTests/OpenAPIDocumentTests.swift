import HoSoServer
import Testing
import Yams

/// The spec and the router are one list: every route is in docs/openapi.yaml with the same roles, and
/// every operation in the spec is routed.
@Suite struct OpenAPIDocumentTests {
    @Test func everyRoute_isInTheSpec_withItsRoles_andViceVersa() throws {
        let text = try #require(OpenAPIDocument.text, "the spec is a resource of HoSoServer")
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(spec["openapi"] as? String == "3.1.0")
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for (method, body) in operations {
                let operation = body as? [String: Any] ?? [:]
                let roles = (operation["x-roles"] as? [String] ?? []).sorted()
                documented.insert("\(method.uppercased()) \(path) \(operation["operationId"] as? String ?? "?") \(roles)")
            }
        }
        let routed = Set(Operation.all.map { "\($0.method.rawValue) \($0.path) \($0.id) \($0.roles.map(\.rawValue).sorted())" })
        #expect(documented.subtracting(routed).isEmpty, "in the spec, not routed: \(documented.subtracting(routed))")
        #expect(routed.subtracting(documented).isEmpty, "routed, not in the spec: \(routed.subtracting(documented))")
    }
}
