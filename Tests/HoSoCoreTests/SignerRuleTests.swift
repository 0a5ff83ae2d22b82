import Foundation
import HoSoCore
import Testing

/// The signer rule and the case binding as pure values: who may open a case's gate, and which case.
@Suite struct SignerRuleTests {
    static let agency = try! AgencyCode(parsing: "000.00.14.H27")
    static let t0 = RFC3339.parse("2024-08-20T02:00:00Z")!

    static func digest(_ fill: UInt8) -> SHA256Digest { SHA256Digest(bytes: [UInt8](repeating: fill, count: 32)) }

    static func certificate(_ fill: UInt8, key: UInt8? = nil, issuer: UInt8 = 0xCA, subject: [SubjectAttribute] = []) -> SignerCertificate {
        SignerCertificate(subject: "CN=signer \(fill)", certificateSHA256: digest(fill), keySHA256: digest(key ?? fill &+ 100),
                          subjectAttributes: subject, issuerSHA256: digest(issuer), isCA: false)
    }

    static func entry(_ id: Int64, for fill: UInt8, role: SignerRole = .organization, match: SignerMatch = .key,
                      agency: AgencyCode = agency, subunits: Bool = false, notAfter: Date? = nil) -> RegisteredSigner {
        RegisteredSigner(id: id, agency: agency, includeSubunits: subunits, role: role, name: "entry \(id)", match: match,
                         certificate: CertificateFingerprints(subject: "CN=signer \(fill)", certificateSHA256: digest(fill), keySHA256: digest(fill &+ 100)),
                         notAfter: notAfter, addedAt: t0, addedBy: "cli:admin")
    }

    static func signed(_ certificate: SignerCertificate, field: String = "Sig1", passed: Bool = true) -> SignatureFacts {
        SignatureFacts(field: field, passed: passed, isDocumentTimestamp: false, signer: certificate)
    }

    @Test func agencyCoverage_followsTheLevelsFromTheTop() throws {
        let province = try AgencyCode(parsing: "000.00.00.H27")
        let department = try AgencyCode(parsing: "000.00.14.H27")
        let office = try AgencyCode(parsing: "000.05.14.H27")
        #expect(province.covers(department) && province.covers(office) && department.covers(office))
        #expect(department.covers(department))
        #expect(!office.covers(department) && !department.covers(province))
        #expect(!department.covers(try AgencyCode(parsing: "000.05.15.H27")), "a sibling department's unit")
        #expect(!province.covers(try AgencyCode(parsing: "000.00.14.H28")), "another province")
    }

    @Test func aCitizensCertificate_isNotAuthorized_andTheAcceptedOnesAreNamed() {
        let rule = SignerRule(registry: [Self.entry(1, for: 1)], policy: nil)
        guard case .notAuthorized(let refusal) = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(9))], at: Self.t0) else {
            Issue.record("a stranger passed"); return
        }
        #expect(refusal.signer == "CN=signer 9" && refusal.agency == Self.agency && refusal.accepted.map(\.id) == [1])
    }

    @Test func theAgencysSeal_isAuthorized_andARenewedCertificateOnTheSameKeyToo() {
        let rule = SignerRule(registry: [Self.entry(1, for: 1)], policy: nil)
        guard case .authorized(let match) = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1))], at: Self.t0) else {
            Issue.record("the registered seal was refused"); return
        }
        #expect(match.entry.id == 1 && match.field == "Sig1")
        let renewed = Self.certificate(2, key: 101)
        #expect(rule.decide(agency: Self.agency, signatures: [Self.signed(renewed)], at: Self.t0) != .noSignerRegistered(Self.agency))
        if case .authorized = rule.decide(agency: Self.agency, signatures: [Self.signed(renewed)], at: Self.t0) {} else {
            Issue.record("a renewed certificate on the registered key was refused")
        }
        let exact = SignerRule(registry: [Self.entry(1, for: 1, match: .certificate)], policy: nil)
        if case .notAuthorized = exact.decide(agency: Self.agency, signatures: [Self.signed(renewed)], at: Self.t0) {} else {
            Issue.record("an exact-certificate entry took another certificate")
        }
    }

    @Test func onlyTheLastSignatureDecides_timestampsAside() {
        let rule = SignerRule(registry: [Self.entry(1, for: 1)], policy: nil)
        let stamp = SignatureFacts(field: "TS", passed: true, isDocumentTimestamp: true, signer: Self.certificate(50))
        if case .authorized = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1)), stamp], at: Self.t0) {} else {
            Issue.record("a document timestamp after the seal hid it")
        }
        if case .notAuthorized = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1)), Self.signed(Self.certificate(9), field: "Sig2")],
                                             at: Self.t0) {} else {
            Issue.record("a stranger's later signature passed on the seal's")
        }
        if case .notAuthorized = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1), passed: false)], at: Self.t0) {} else {
            Issue.record("a signature that did not pass counted")
        }
    }

    @Test func noEntry_isNoSignerRegistered_unlessTurnedOff() {
        let other = try! AgencyCode(parsing: "000.00.15.H27")
        let rule = SignerRule(registry: [Self.entry(1, for: 1, agency: other)], policy: nil)
        #expect(rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1))], at: Self.t0) == .noSignerRegistered(Self.agency))
        let open = SignerRule(registry: [], policy: nil, requireRegisteredSigner: false)
        #expect(open.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(9))], at: Self.t0) == .unchecked(Self.agency))
    }

    @Test func removedExpiredAndParentEntries_applyOnlyAsTheySay() {
        var removed = Self.entry(1, for: 1)
        removed.removal = SignerRemoval(at: Self.t0, by: "cli:admin", reason: "left office")
        let facts = [Self.signed(Self.certificate(1))]
        #expect(SignerRule(registry: [removed], policy: nil).decide(agency: Self.agency, signatures: facts, at: Self.t0) == .noSignerRegistered(Self.agency))
        let expired = Self.entry(2, for: 1, notAfter: Self.t0.addingTimeInterval(-1))
        #expect(SignerRule(registry: [expired], policy: nil).decide(agency: Self.agency, signatures: facts, at: Self.t0) == .noSignerRegistered(Self.agency))
        let province = try! AgencyCode(parsing: "000.00.00.H27")
        let parent = Self.entry(3, for: 1, agency: province)
        #expect(SignerRule(registry: [parent], policy: nil).decide(agency: Self.agency, signatures: facts, at: Self.t0) == .noSignerRegistered(Self.agency),
                "a parent's entry without --include-subunits")
        let withUnits = Self.entry(4, for: 1, agency: province, subunits: true)
        if case .authorized = SignerRule(registry: [withUnits], policy: nil).decide(agency: Self.agency, signatures: facts, at: Self.t0) {} else {
            Issue.record("a parent's entry with its subunits was not applied")
        }
    }

    @Test func aSubjectRule_admitsWhatItsCAIssuedWithThoseAttributes() {
        let seal = [SubjectAttribute(type: "O", value: "Sở Tư pháp"), SubjectAttribute(type: "UID", value: "MST:0101")]
        let rule = SignerRule(registry: [Self.entry(1, for: 0xCA, match: .issuedWithSubject(seal))], policy: nil)
        let good = Self.certificate(5, subject: [SubjectAttribute(type: "CN", value: "Văn thư")] + seal)
        if case .authorized = rule.decide(agency: Self.agency, signatures: [Self.signed(good)], at: Self.t0) {} else {
            Issue.record("the CA's certificate with the attributes was refused")
        }
        let otherOrganization = Self.certificate(6, subject: [SubjectAttribute(type: "O", value: "Sở Tài chính"), seal[1]])
        let otherCA = Self.certificate(7, issuer: 0xCB, subject: seal)
        for stranger in [otherOrganization, otherCA] {
            if case .notAuthorized = rule.decide(agency: Self.agency, signatures: [Self.signed(stranger)], at: Self.t0) {} else {
                Issue.record("\(stranger.subject) passed the subject rule")
            }
        }
    }

    @Test func aPolicy_needsEveryRoleSigned() {
        let registry = [Self.entry(1, for: 1, role: .organization), Self.entry(2, for: 2, role: .leader)]
        let policy = SignerPolicy(agency: Self.agency, requiredRoles: [.leader, .organization], setAt: Self.t0, setBy: "cli:admin")
        let rule = SignerRule(registry: registry, policy: policy)
        guard case .notAuthorized(let refusal) = rule.decide(agency: Self.agency, signatures: [Self.signed(Self.certificate(1))], at: Self.t0) else {
            Issue.record("one role of two passed"); return
        }
        #expect(refusal.missingRoles == [.leader])
        let both = [Self.signed(Self.certificate(2), field: "Leader"), Self.signed(Self.certificate(1), field: "Seal")]
        guard case .authorized(let match) = rule.decide(agency: Self.agency, signatures: both, at: Self.t0) else {
            Issue.record("both roles signed and were refused"); return
        }
        #expect(match.requiredRoles.map(\.field) == ["Leader", "Seal"])
    }

    @Test func caseIDs_areFoundThroughLineBreaksAndSpaces() throws {
        let id = try CaseID(parsing: "000.00.14.H27-240815-0007")
        #expect(CaseIDScanner.caseIDs(in: "MÃ HỒ SƠ: 000.00.14.H27-240815-0007.") == [id])
        #expect(CaseIDScanner.caseIDs(in: "Số hồ sơ 000.00.14.H27-\n240815-\n0007 ngày") == [id])
        #expect(CaseIDScanner.caseIDs(in: "000.00.14.H27 - 240815 - 0007 và 000.00.14.H27-240816-0011").map(\.description)
                == ["000.00.14.H27-240815-0007", "000.00.14.H27-240816-0011"])
        #expect(CaseIDScanner.caseIDs(in: "000.00.14.H27-241332-0007 000.00.14.H27-240815-0000").isEmpty, "not a date, sequence zero")
    }

    @Test func theBinding_acceptsOnlyThisCase_andListsWhatItFound() throws {
        let id = try CaseID(parsing: "000.00.14.H27-240816-0011")
        let other = CaseNaming(source: .text, place: "the PDF's text", caseID: try CaseID(parsing: "000.00.14.H27-240815-0007"))
        #expect(CaseBinding.decide(id, namings: [other], required: true) == .notNamed(found: [other]))
        #expect(CaseBinding.decide(id, namings: [other], required: false) == .unchecked(found: [other]))
        let right = CaseNaming(source: .barcode, place: "page 1 QR code", caseID: id)
        #expect(CaseBinding.decide(id, namings: [other, right], required: true) == .bound(right))
    }

    @Test func subjectAttributeLists_parse_andSayWhatIsWrong() throws {
        #expect(try SubjectAttribute.list(parsing: "O=Sở Tư pháp, OU=Văn thư\\, lưu trữ,UID=MST:0101").map(\.description)
                == ["O=Sở Tư pháp", "OU=Văn thư, lưu trữ", "UID=MST:0101"])
        #expect(throws: SubjectAttributeError.noEquals("Sở Tư pháp")) { try SubjectAttribute.list(parsing: "Sở Tư pháp") }
        #expect(throws: SubjectAttributeError.emptyValue("O")) { try SubjectAttribute.list(parsing: "O=") }
    }
}
