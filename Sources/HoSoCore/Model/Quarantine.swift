import Foundation

/// A stored scan that no case could be found for, waiting for a person to assign or reject it.
public struct QuarantineEntry: Hashable, Sendable, Codable {
    /// Catalog row number; nil until stored.
    public var id: Int64?
    public let station: String
    public let sourceFileName: String
    public let sha256: SHA256Digest
    public let byteCount: Int64
    public let normalized: NormalizedCopy?
    public let reason: QuarantineReason
    /// What the rule found, for the person fixing it (the text that was not a case ID, say).
    public let detail: String
    /// The component a rule named, kept for when the entry is assigned.
    public let component: String?
    public let digitizedBy: String
    public let quarantinedAt: Date
    public var resolution: QuarantineResolution?

    public init(
        id: Int64? = nil, station: String, sourceFileName: String, sha256: SHA256Digest, byteCount: Int64,
        normalized: NormalizedCopy?, reason: QuarantineReason, detail: String, component: String?, digitizedBy: String,
        quarantinedAt: Date, resolution: QuarantineResolution? = nil
    ) {
        self.id = id
        self.station = station
        self.sourceFileName = sourceFileName
        self.sha256 = sha256
        self.byteCount = byteCount
        self.normalized = normalized
        self.reason = reason
        self.detail = detail
        self.component = component
        self.digitizedBy = digitizedBy
        self.quarantinedAt = quarantinedAt
        self.resolution = resolution
    }
}

/// Why a scan is in quarantine.
public enum QuarantineReason: String, Sendable, Codable, CaseIterable {
    /// No rule found anything that looks like a case ID.
    case noCaseID = "no_case_id"
    /// Something looked like a case ID but is not a valid one (a date like 240231, say).
    case invalidCaseID = "invalid_case_id"
    /// The sidecar manifest disagrees with the file: checksum or page count.
    case manifestMismatch = "manifest_mismatch"
    /// The sidecar manifest cannot be read as one.
    case manifestInvalid = "manifest_invalid"
    /// The barcode reader could not read the file (it failed, crashed or ran out of time).
    case unreadableBarcode = "unreadable_barcode"
    /// Codes on one page name different cases.
    case conflictingCaseIDs = "conflicting_case_ids"
}

/// How a person resolved a quarantined scan.
public enum QuarantineResolution: Hashable, Sendable, Codable {
    case assigned(caseID: CaseID, by: String, at: Date)
    case rejected(reason: String, by: String, at: Date)
}
