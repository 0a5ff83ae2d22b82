import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// The signer registry in each real catalog (SQLite, PostgreSQL): entries, removal, policies and the registry's trail.
@Suite struct SignerRegistryTests {
    static let agency = try! AgencyCode(parsing: "000.00.14.H27")
    static let t0 = RFC3339.parse("2024-08-15T01:30:00.000Z")!

    static func entry(_ fill: UInt8, match: SignerMatch = .key, role: SignerRole = .organization) -> RegisteredSigner {
        RegisteredSigner(agency: agency, role: role, name: "Con dấu \(fill)", match: match,
                         certificate: CertificateFingerprints(subject: "CN=Sở \(fill)", certificateSHA256: SHA256Digest(bytes: [UInt8](repeating: fill, count: 32)),
                                                             keySHA256: SHA256Digest(bytes: [UInt8](repeating: fill &+ 1, count: 32))),
                         notAfter: t0.addingTimeInterval(86_400), addedAt: t0, addedBy: "cli:admin")
    }

    @Test(arguments: CatalogImplementation.allCases)
    func entries_roundTrip_once_andAreRemovedNeverDeleted(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let rule = Self.entry(3, match: .issuedWithSubject([SubjectAttribute(type: "O", value: "Sở Tư pháp")]))
        let (first, added) = try await catalog.addSigner(Self.entry(1))
        let (ruled, _) = try await catalog.addSigner(rule)
        #expect(added && first.id != nil && first.name == "Con dấu 1" && first.notAfter == Self.t0.addingTimeInterval(86_400))
        #expect(ruled.match == rule.match, "the subject attributes survive the catalog")
        let (again, addedAgain) = try await catalog.addSigner(Self.entry(1))
        #expect(!addedAgain && again.id == first.id, "the same entry twice is one entry")
        let (leader, addedLeader) = try await catalog.addSigner(Self.entry(1, role: .leader))
        #expect(addedLeader && leader.id != first.id, "the same certificate in another role is another entry")

        let removed = try await catalog.removeSigner(first.id!, reason: "thu hồi", actor: "cli:admin", at: Self.t0.addingTimeInterval(60))
        #expect(removed.removal == SignerRemoval(at: Self.t0.addingTimeInterval(60), by: "cli:admin", reason: "thu hồi"))
        #expect(try await catalog.signers(includeRemoved: false).map(\.id) == [ruled.id, leader.id])
        #expect(try await catalog.signers(includeRemoved: true).count == 3)
        await #expect(throws: CatalogError.signerAlreadyRemoved(first.id!)) {
            try await catalog.removeSigner(first.id!, reason: "again", actor: "cli:admin", at: Self.t0)
        }
        await #expect(throws: CatalogError.unknownSigner(999)) { try await catalog.removeSigner(999, reason: "x", actor: "cli:admin", at: Self.t0) }
        let kinds = try await catalog.registryEvents().map(\.kind)
        #expect(kinds == [.signerAdded, .signerAdded, .signerAdded, .signerRemoved])
    }

    @Test(arguments: CatalogImplementation.allCases)
    func policies_areSetReplacedAndCleared_eachOnTheTrail(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        #expect(try await catalog.signerPolicy(for: Self.agency) == nil)
        try await catalog.setSignerPolicy(SignerPolicy(agency: Self.agency, requiredRoles: [.leader, .organization], setAt: Self.t0, setBy: "cli:admin"))
        #expect(try await catalog.signerPolicy(for: Self.agency)?.requiredRoles == [.leader, .organization])
        try await catalog.setSignerPolicy(SignerPolicy(agency: Self.agency, requiredRoles: [.organization], setAt: Self.t0, setBy: "cli:admin"))
        #expect(try await catalog.signerPolicies().map(\.requiredRoles) == [[.organization]])
        try await catalog.setSignerPolicy(SignerPolicy(agency: Self.agency, requiredRoles: [], setAt: Self.t0, setBy: "cli:admin"))
        #expect(try await catalog.signerPolicy(for: Self.agency) == nil)
        #expect(try await catalog.registryEvents().map { $0.details["require"] ?? "?" } == ["leader,organization", "organization", ""])
    }

    @Test(arguments: CatalogImplementation.allCases)
    func theResolvingAgency_isKeptWithTheRegistration(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let resolving = try AgencyCode(parsing: "000.00.21.H27")
        let registration = CaseRegistration(id: id, procedureCode: try ProcedureCode(parsing: "1.001193"), applicant: Applicant(name: "An", idNumber: "1"),
                                            receivedAt: Self.t0, dueAt: Self.t0.addingTimeInterval(86_400), requiredComponents: [],
                                            resolvingAgency: resolving)
        guard case .registered(let registered) = try await catalog.registerCase(registration, actor: "token:wf", at: Self.t0) else {
            Issue.record("not registered"); return
        }
        #expect(registered.resolvingAgency == resolving && registered.decidingAgency == resolving)
        var changed = registration
        changed.resolvingAgency = nil
        if case .conflict = try await catalog.registerCase(changed, actor: "token:wf", at: Self.t0) {} else {
            Issue.record("another resolving agency is not a conflict")
        }
    }
}
