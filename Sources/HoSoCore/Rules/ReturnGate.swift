/// The return gate's rule, as a value: what must hold before a desk may return a case (trả kết quả).
/// Every catalog asks it, inside the transaction that returns the case, with the facts it read there.
public struct ReturnGate: Hashable, Sendable {
    /// What the case must have.
    public let requiredComponents: [String]
    /// The verdicts of the results attached to it.
    public let verdicts: [ResultVerdict]
    /// The components it has a stored document for.
    public let storedComponents: Set<String>

    public init(requiredComponents: [String], verdicts: [ResultVerdict], storedComponents: Set<String>) {
        self.requiredComponents = requiredComponents
        self.verdicts = verdicts
        self.storedComponents = storedComponents
    }

    /// Every reason the case may not be returned; none means it may.
    public var refusals: [ReturnRefusal] {
        var reasons: [ReturnRefusal] = []
        if verdicts.isEmpty {
            reasons.append(.missingSignedResult)
        } else if !verdicts.contains(.passed) {
            reasons.append(.resultNotVerified)
        }
        let missing = requiredComponents.filter { !storedComponents.contains($0) }
        if !missing.isEmpty { reasons.append(.inputsNotDigitized(missing)) }
        return reasons
    }

    /// The `return_refused` event's details for `refusals`.
    public static func details(of refusals: [ReturnRefusal]) -> [String: String] {
        var details = ["reasons": refusals.map(\.code).joined(separator: ",")]
        for case .inputsNotDigitized(let missing) in refusals { details["missingComponents"] = missing.joined(separator: "; ") }
        return details
    }
}
