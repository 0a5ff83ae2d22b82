import Foundation
import HoSoCore

// What both catalogs decide the same way, written once: whether a registration repeats the one on
// record, and what each event says.

extension CaseRegistration {
    /// Whether `existing` (a registered case) carries exactly this registration, at the catalog's precision.
    func matches(_ existing: Case) -> Bool {
        existing.procedureCode == procedureCode && existing.applicant == applicant
            && existing.receivedAt == RFC3339.truncated(receivedAt) && existing.dueAt == RFC3339.truncated(dueAt)
            && existing.requiredComponents == requiredComponents && existing.resolvingAgency == resolvingAgency
    }

    /// The `case_registered` event's details.
    var eventDetails: [String: String] {
        var details = ["procedureCode": procedureCode.rawValue]
        details["resolvingAgency"] = resolvingAgency?.rawValue
        return details
    }
}

extension Document {
    /// The `document_stored` event's details.
    var storedDetails: [String: String] {
        var details = ["sha256": sha256.hex, "sourceFileName": sourceFileName, "station": station, "byteCount": String(byteCount)]
        details["component"] = component
        details["normalizedSHA256"] = normalized?.pdf.hex
        details["pages"] = pageCount.map(String.init)
        details["sourcePages"] = sourcePages?.description
        return details
    }

    /// The `duplicate` event's details when these bytes arrive again for the case of `earlier`.
    func duplicateDetails(of earlier: Document) -> [String: String] {
        ["sha256": sha256.hex, "sourceFileName": sourceFileName, "station": station, "duplicateOf": String(earlier.id ?? 0)]
    }
}

extension IngestJobOutcome {
    /// The job's state and failure reason for this outcome.
    var stateAndFailure: (IngestJobState, String?) {
        switch self {
        case .done: (.done, nil)
        case .failed(let reason): (.failed, reason)
        }
    }
}

extension Document {
    /// The `document_received` event's details for a document an ingest job took in.
    func receivedDetails(job: Int64) -> [String: String] {
        var facts = ["sourceFileName": sourceFileName, "station": station, "job": String(job)]
        facts["sourcePages"] = sourcePages?.description
        return facts
    }

    /// The `document_normalized` event's details.
    func normalizedDetails(job: Int64) -> [String: String] {
        var facts = receivedDetails(job: job)
        facts["pages"] = pageCount.map(String.init)
        facts["normalizedSHA256"] = normalized?.pdf.hex
        return facts
    }
}

extension IngestCommitOutcome {
    /// What a committed job's progress records of this outcome of `commit`.
    func progress(of commit: IngestCommit) -> [String: String] {
        switch (self, commit) {
        case (.documents(let outcomes), .documents(let documents, _, _)):
            // One document: "stored" or "duplicate"; a split batch is "stored" if any part was new.
            [
                "outcome": outcomes.contains { if case .stored = $0 { true } else { false } } ? "stored" : "duplicate",
                "caseID": documents.map(\.caseID.description).joined(separator: ","),
                "sha256": documents[0].sha256.hex,
                "normalizedSHA256": documents.compactMap { $0.normalized?.pdf.hex }.joined(separator: ","),
            ]
        case (.quarantined(let entry), _):
            ["outcome": "quarantined", "quarantineID": String(entry.id ?? 0), "sha256": entry.sha256.hex]
        default:
            [:]
        }
    }
}

extension QuarantineEntry {
    /// The document this scan becomes when it is assigned to `caseID`.
    func document(for caseID: CaseID, component: String?, at time: Date) -> Document {
        Document(
            caseID: caseID, component: component ?? self.component, sha256: sha256, byteCount: byteCount,
            pageCount: normalized?.metadata.pageCount, sourceFileName: sourceFileName, station: station, digitizedBy: digitizedBy,
            storedAt: time, status: normalized == nil ? .stored : .normalized, normalized: normalized
        )
    }

    /// The `assigned_from_quarantine` event's details.
    var assignedDetails: [String: String] {
        ["quarantineID": String(id ?? 0), "reason": reason.rawValue, "sourceFileName": sourceFileName,
         "quarantinedAt": RFC3339.format(quarantinedAt)]
    }
}

extension StationActivity {
    /// Per-station activity from rows of `station, state, outcome, n, last` (jobs grouped by the first three).
    static func tally(_ rows: [any CatalogRow]) throws -> [StationActivity] {
        var byStation: [String: StationActivity] = [:]
        for row in rows {
            let station = try RowDecoding.text(row, "station", table: "ingest_jobs")
            var activity = byStation[station] ?? StationActivity(station: station, queued: 0, running: 0, done: 0, failed: 0, quarantined: 0)
            let count = Int(try RowDecoding.integer(row, "n", table: "ingest_jobs"))
            switch (try RowDecoding.text(row, "state", table: "ingest_jobs"), try row.text("outcome")) {
            case ("pending", _): activity.queued += count
            case ("running", _): activity.running += count
            case ("failed", _): activity.failed += count
            case ("done", "quarantined"): activity.quarantined += count
            default: activity.done += count
            }
            if let last = try row.text("last"), let date = RFC3339.parse(last), date > (activity.lastActivity ?? .distantPast) {
                activity.lastActivity = date
            }
            byStation[station] = activity
        }
        return byStation.values.sorted { $0.station < $1.station }
    }
}

extension RegisteredSigner {
    /// The `signer_added` registry event's details.
    var addedDetails: [String: String] {
        var details = ["role": role.rawValue, "name": name, "match": match.kind, "subject": certificate.subject,
                       "certificateSHA256": certificate.certificateSHA256.hex, "keySHA256": certificate.keySHA256.hex,
                       "includeSubunits": String(includeSubunits)]
        details["notAfter"] = notAfter.map(RFC3339.format)
        if case .issuedWithSubject(let list) = match { details["subjectAttributes"] = list.map(\.description).joined(separator: ",") }
        return details
    }

    /// The `subject_attributes` column: the attributes an issuer match requires, as JSON.
    var subjectAttributesColumn: String? {
        if case .issuedWithSubject(let list) = match { return RowDecoding.encodeJSON(list) }
        return nil
    }
}

extension CaseResult {
    /// The `result_attached` event's details.
    static func attachedDetails(code: ResultCode, sha256: SHA256Digest, verdict: ResultVerdict) -> [String: String] {
        ["resultCode": code.description, "sha256": sha256.hex, "indication": verdict.rawValue]
    }
}
