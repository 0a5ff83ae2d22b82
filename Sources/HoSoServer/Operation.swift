import HoSoCore
import Hummingbird

/// One operation of the API as `docs/openapi.yaml` lists it: method, path template and the roles it
/// admits (none: public). The table is the single source the router and the tests read.
public struct Operation: Hashable, Sendable {
    public let id: String
    public let method: HTTPRequest.Method
    public let path: String
    public let roles: Set<Role>

    init(_ id: String, _ method: HTTPRequest.Method, _ path: String, _ roles: Set<Role>) {
        self.id = id
        self.method = method
        self.path = path
        self.roles = roles
    }

    static let readers: Set<Role> = [.workflow, .office, .auditor, .admin]
    static let workflow: Set<Role> = [.workflow, .admin]
    static let reporting: Set<Role> = [.workflow, .auditor, .admin]
    /// The quarantine: a station's operators fix their own scans' mistakes, as the workflow server may.
    static let queue: Set<Role> = [.station, .workflow, .auditor, .admin]
    static let queueFixing: Set<Role> = [.station, .workflow, .admin]

    /// The operation with this id (a programming error if there is none).
    static func named(_ id: String) -> Operation {
        guard let found = all.first(where: { $0.id == id }) else { preconditionFailure("no operation \(id)") }
        return found
    }

    /// Every operation the server answers.
    public static let all: [Operation] = [
        Operation("health", .get, "/healthz", []),
        Operation("ready", .get, "/readyz", []),
        Operation("metrics", .get, "/metrics", []),
        Operation("openapi", .get, "/v1/openapi.yaml", []),
        Operation("registerCase", .post, "/v1/cases", workflow),
        Operation("listCases", .get, "/v1/cases", readers),
        Operation("getCase", .get, "/v1/cases/{id}", readers),
        Operation("uploadDocument", .post, "/v1/cases/{id}/documents", [.station, .admin]),
        Operation("listDocuments", .get, "/v1/cases/{id}/documents", readers),
        Operation("getDocument", .get, "/v1/documents/{sha}", readers),
        Operation("getThumbnail", .get, "/v1/documents/{sha}/thumbnail", readers),
        Operation("attachResult", .post, "/v1/cases/{id}/results", workflow),
        Operation("listResults", .get, "/v1/cases/{id}/results", readers),
        Operation("returnCase", .post, "/v1/cases/{id}/return", workflow),
        Operation("listEvents", .get, "/v1/cases/{id}/events", readers),
        Operation("recordStep", .post, "/v1/cases/{id}/steps", workflow),
        Operation("listSteps", .get, "/v1/cases/{id}/steps", readers),
        Operation("recordChange", .post, "/v1/cases/{id}/changes", workflow),
        Operation("controlSlip", .get, "/v1/cases/{id}/control-slip", reporting),
        Operation("listQuarantine", .get, "/v1/quarantine", queue),
        Operation("assignQuarantined", .post, "/v1/quarantine/{qid}/assign", queueFixing),
        Operation("rejectQuarantined", .post, "/v1/quarantine/{qid}/reject", queueFixing),
        Operation("listSigners", .get, "/v1/signers", [.admin]),
        Operation("addSigner", .post, "/v1/signers", [.admin]),
        Operation("removeSigner", .delete, "/v1/signers/{sid}", [.admin]),
        Operation("digitizationReport", .get, "/v1/reports/digitization", reporting),
        Operation("signedNotReturnedReport", .get, "/v1/reports/signed-not-returned", reporting),
        Operation("outagesReport", .get, "/v1/reports/outages", reporting),
        Operation("lateCasesReport", .get, "/v1/reports/late-cases", reporting),
    ]
}
