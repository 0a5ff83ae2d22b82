import Foundation

/// A result (kết quả) attached to a case: a signed PDF that HoSo verified on attach, with the verdict
/// and its evidence kept as they were at that moment.
public struct CaseResult: Hashable, Sendable, Codable {
    public var id: Int64?
    public let code: ResultCode
    public var caseID: CaseID { code.caseID }
    public let sha256: SHA256Digest
    public let byteCount: Int64
    public let verdict: ResultVerdict
    /// The verification report as JSON (indication, signatures, chain, revocation evidence, time).
    public let report: String
    public let attachedAt: Date
    public let attachedBy: String

    public init(id: Int64? = nil, code: ResultCode, sha256: SHA256Digest, byteCount: Int64, verdict: ResultVerdict, report: String,
                attachedAt: Date, attachedBy: String) {
        self.id = id
        self.code = code
        self.sha256 = sha256
        self.byteCount = byteCount
        self.verdict = verdict
        self.report = report
        self.attachedAt = attachedAt
        self.attachedBy = attachedBy
    }
}

/// What verification said of a stored result. Failed results are refused, never stored.
public enum ResultVerdict: String, Sendable, Codable, CaseIterable {
    /// TOTAL_PASSED: opens the return gate.
    case passed = "TOTAL_PASSED"
    /// INDETERMINATE, stored as pending because the configuration allows it; never opens the gate.
    case pending = "INDETERMINATE"
}

/// Why the return step was refused; every reason that holds is given.
public enum ReturnRefusal: Hashable, Sendable {
    /// No result is attached at all.
    case missingSignedResult
    /// Results are attached, but none passed verification (they are pending).
    case resultNotVerified
    /// Required components with no stored document.
    case inputsNotDigitized([String])

    public var code: String {
        switch self {
        case .missingSignedResult: "missing_signed_result"
        case .resultNotVerified: "result_not_verified"
        case .inputsNotDigitized: "inputs_not_digitized"
        }
    }
}

/// What asking for the return step did.
public enum ReturnOutcome: Hashable, Sendable {
    /// The case is now returned; the `returned` event.
    case returned(Event)
    /// It was returned before; the earlier `returned` event. Nothing changed.
    case alreadyReturned(Event)
    /// Refused, with every reason; a `return_refused` event is on the trail.
    case refused([ReturnRefusal])
}

/// What attaching a result did.
public enum ResultOutcome: Hashable, Sendable {
    case attached(CaseResult)
    /// The same bytes were attached to this case before: the earlier result. Nothing changed.
    case alreadyAttached(CaseResult)
}
