/// Who a request or command acts as: a person (`user:NAME`) or a token (`token:NAME`), with its role and
/// agency scope. Every check of what a caller may see or do reads this one value.
public struct Caller: Hashable, Sendable {
    public enum Kind: String, Sendable { case user, token }
    public let kind: Kind
    public let name: String
    public let role: Role
    public let agency: AgencyCode?

    public init(kind: Kind, name: String, role: Role, agency: AgencyCode?) {
        self.kind = kind
        self.name = name
        self.role = role
        self.agency = agency
    }

    public init(_ token: APIToken) {
        self.init(kind: .token, name: token.name, role: token.role, agency: token.agency)
    }

    public init(_ user: User) {
        self.init(kind: .user, name: user.name.rawValue, role: user.role, agency: user.agency)
    }

    /// What the trail records: `user:lan.nguyen`, `token:mot-cua-server`.
    public var actor: String { "\(kind.rawValue):\(name)" }

    /// Whether this caller may see and change `item`: an unscoped caller every case; a scoped one the cases
    /// its agency or a unit of it received (the agency in the case ID) or resolves.
    public func maySee(_ item: Case) -> Bool {
        maySee(item.id, resolvedBy: item.resolvingAgency)
    }

    /// `maySee` for a case not stored yet (one being registered or opened).
    public func maySee(_ id: CaseID, resolvedBy resolving: AgencyCode?) -> Bool {
        guard let scope = agency else { return true }
        return scope.covers(id.agency) || resolving.map(scope.covers) == true
    }
}
