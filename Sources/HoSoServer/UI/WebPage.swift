import HoSoCore
import Hummingbird

/// One web page or form target and the API operation whose roles it admits: the pages check the very
/// table the API checks (`Operation.all`), so a role that may not call an operation cannot reach it
/// through a page either. Nil: any signed-in person (the overview shows only what they may see).
struct WebPage: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let operation: String?

    init(_ method: HTTPRequest.Method, _ path: String, _ operation: String?) {
        self.method = method
        self.path = path
        self.operation = operation
    }

    var roles: Set<Role> {
        operation.map { Operation.named($0).roles } ?? Set(Role.allCases)
    }

    /// Every page behind sign-in.
    static let all: [WebPage] = [
        WebPage(.get, "/ui/", nil),
        WebPage(.get, "/ui/cases", "listCases"),
        WebPage(.get, "/ui/cases/{id}", "getCase"),
        WebPage(.get, "/ui/cases/{id}/control-slip.pdf", "controlSlip"),
        WebPage(.get, "/ui/documents/{sha}", "getDocument"),
        WebPage(.get, "/ui/documents/{sha}/thumbnail", "getThumbnail"),
        WebPage(.get, "/ui/quarantine", "listQuarantine"),
        WebPage(.post, "/ui/quarantine", "assignQuarantined"),
        WebPage(.get, "/ui/quarantine/{qid}/thumbnail", "listQuarantine"),
        WebPage(.get, "/ui/quarantine/{qid}/preview", "listQuarantine"),
        WebPage(.get, "/ui/stations", "listQuarantine"),
        WebPage(.get, "/ui/reports", "digitizationReport"),
        WebPage(.get, "/ui/reports/digitization.csv", "digitizationReport"),
        WebPage(.get, "/ui/reports/digitization.xlsx", "digitizationReport"),
        WebPage(.get, "/ui/reports/signed-not-returned.csv", "signedNotReturnedReport"),
        WebPage(.get, "/ui/reports/signed-not-returned.xlsx", "signedNotReturnedReport"),
        WebPage(.get, "/ui/reports/late-cases.csv", "lateCasesReport"),
        WebPage(.get, "/ui/reports/late-cases.xlsx", "lateCasesReport"),
        WebPage(.get, "/ui/signers", "listSigners"),
        WebPage(.post, "/ui/signers", "addSigner"),
        WebPage(.post, "/ui/signers/remove", "removeSigner"),
    ]

    static func admits(_ role: Role, _ method: HTTPRequest.Method, _ path: String) -> Bool {
        guard let page = all.first(where: { $0.path == path && $0.method == method }) else { preconditionFailure("no page \(path)") }
        return page.roles.contains(role)
    }

    /// Which menu entries a role sees: those whose page it may open.
    static func menu(for role: Role) -> [String: Bool] {
        let pages = ["queue": "/ui/quarantine", "cases": "/ui/cases", "stations": "/ui/stations", "reports": "/ui/reports", "signers": "/ui/signers"]
        return pages.mapValues { admits(role, .get, $0) }
    }
}
