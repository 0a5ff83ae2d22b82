import Foundation
import HoSoCore

/// One row of a catalog query, read by column name, whatever database answered it (SQLite through GRDB,
/// PostgreSQL through postgres-nio): both keep the same columns, times as RFC 3339 text.
protocol CatalogRow {
    /// The column's text; nil when it is NULL.
    func text(_ column: String) throws -> String?
    /// The column's integer; nil when it is NULL.
    func integer(_ column: String) throws -> Int64?
    /// The column's truth value (an integer 0 or 1 in SQLite, a boolean in PostgreSQL); nil when NULL.
    func flag(_ column: String) throws -> Bool?
}

/// Turns catalog rows of either database into domain values, and domain values into column values.
///
/// A row that does not decode is reported as ``CatalogError/corruptRow(table:reason:)``, never skipped.
enum RowDecoding {
    typealias Row = any CatalogRow

    static func text(_ row: Row, _ column: String, table: String) throws -> String {
        guard let value = try row.text(column) else {
            throw CatalogError.corruptRow(table: table, reason: "\(column) is null")
        }
        return value
    }

    static func integer(_ row: Row, _ column: String, table: String) throws -> Int64 {
        guard let value = try row.integer(column) else {
            throw CatalogError.corruptRow(table: table, reason: "\(column) is null")
        }
        return value
    }

    static func optionalInt(_ row: Row, _ column: String) throws -> Int? {
        try row.integer(column).map { Int($0) }
    }

    static func time(_ row: Row, _ column: String, table: String) throws -> Date {
        let value = try text(row, column, table: table)
        guard let date = RFC3339.parse(value) else {
            throw CatalogError.corruptRow(table: table, reason: "\(column) '\(value)' is not an RFC 3339 time")
        }
        return date
    }

    static func optionalTime(_ row: Row, _ column: String, table: String) throws -> Date? {
        try row.text(column) == nil ? nil : try time(row, column, table: table)
    }

    static func caseID(_ row: Row, _ column: String, table: String) throws -> CaseID {
        let value = try text(row, column, table: table)
        do { return try CaseID(parsing: value) } catch {
            throw CatalogError.corruptRow(table: table, reason: error.description)
        }
    }

    static func digest(_ row: Row, _ column: String, table: String) throws -> SHA256Digest {
        do { return try SHA256Digest(hex: try text(row, column, table: table)) } catch let error as IdentifierError {
            throw CatalogError.corruptRow(table: table, reason: error.description)
        }
    }

    /// A nullable agency code.
    static func agency(_ row: Row, _ column: String, table: String) throws -> AgencyCode? {
        guard let value = try row.text(column) else { return nil }
        do { return try AgencyCode(parsing: value) } catch {
            throw CatalogError.corruptRow(table: table, reason: "\(column): \(error.description)")
        }
    }

    /// A nullable page list like `1-2,5`.
    static func pageRanges(_ row: Row, _ column: String, table: String) throws -> PageRanges? {
        guard let value = try row.text(column) else { return nil }
        guard let ranges = PageRanges(value) else {
            throw CatalogError.corruptRow(table: table, reason: "\(column) '\(value)' is not a page list")
        }
        return ranges
    }

    static func enumeration<T: RawRepresentable>(_ row: Row, _ column: String, table: String) throws -> T
    where T.RawValue == String {
        let value = try text(row, column, table: table)
        guard let result = T(rawValue: value) else {
            throw CatalogError.corruptRow(table: table, reason: "\(column) '\(value)' is not a known value")
        }
        return result
    }

    /// A result's stored verdict.
    static func verdict(_ value: String) throws -> ResultVerdict {
        guard let verdict = ResultVerdict(rawValue: value) else {
            throw CatalogError.corruptRow(table: "results", reason: "indication '\(value)' is not a known value")
        }
        return verdict
    }

    static func json<T: Decodable>(_ row: Row, _ column: String, table: String) throws -> T {
        try json(try text(row, column, table: table), column: column, table: table)
    }

    static func json<T: Decodable>(_ value: String, column: String, table: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(value.utf8)) } catch {
            throw CatalogError.corruptRow(table: table, reason: "\(column) is not valid JSON")
        }
    }

    static func encodeJSON<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding string arrays and dictionaries cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    static func `case`(_ row: Row) throws -> Case {
        let table = "cases"
        var applicant: Applicant?
        if let name = try row.text("applicant_name"), let idNumber = try row.text("applicant_id_number") {
            applicant = Applicant(name: name, idNumber: idNumber)
        }
        var procedure: ProcedureCode?
        if let code = try row.text("procedure_code") {
            do { procedure = try ProcedureCode(parsing: code) } catch {
                throw CatalogError.corruptRow(table: table, reason: error.description)
            }
        }
        return Case(
            id: try caseID(row, "id", table: table),
            procedureCode: procedure,
            applicant: applicant,
            receivedAt: try optionalTime(row, "received_at", table: table),
            dueAt: try optionalTime(row, "due_at", table: table),
            requiredComponents: try json(row, "required_components", table: table),
            resolvingAgency: try agency(row, "resolving_agency", table: table),
            status: try enumeration(row, "status", table: table),
            createdAt: try time(row, "created_at", table: table)
        )
    }

    static func document(_ row: Row) throws -> Document {
        let table = "documents"
        var normalized: NormalizedCopy?
        if try row.text("normalized_sha256") != nil {
            normalized = NormalizedCopy(
                pdf: try digest(row, "normalized_sha256", table: table), pdfByteCount: try integer(row, "normalized_byte_count", table: table),
                thumbnail: try digest(row, "thumbnail_sha256", table: table), metadata: try json(row, "normalization", table: table)
            )
        }
        return Document(
            id: try row.integer("id"),
            caseID: try caseID(row, "case_id", table: table),
            component: try row.text("component"),
            sha256: try digest(row, "sha256", table: table),
            byteCount: try integer(row, "byte_count", table: table),
            pageCount: try optionalInt(row, "page_count"),
            sourceFileName: try text(row, "source_file_name", table: table),
            sourcePages: try pageRanges(row, "source_pages", table: table),
            station: try text(row, "station", table: table),
            digitizedBy: try text(row, "digitized_by", table: table),
            storedAt: try time(row, "stored_at", table: table),
            status: try enumeration(row, "status", table: table),
            normalized: normalized
        )
    }

    static func result(_ row: Row) throws -> CaseResult {
        let table = "results"
        let code: HoSoCore.ResultCode
        do { code = try HoSoCore.ResultCode(parsing: try text(row, "result_code", table: table)) } catch let error as IdentifierError {
            throw CatalogError.corruptRow(table: table, reason: error.description)
        }
        return CaseResult(
            id: try row.integer("id"), code: code, sha256: try digest(row, "sha256", table: table),
            byteCount: try integer(row, "byte_count", table: table),
            verdict: try enumeration(row, "indication", table: table), report: try text(row, "report", table: table),
            attachedAt: try time(row, "attached_at", table: table), attachedBy: try text(row, "attached_by", table: table)
        )
    }

    static func token(_ row: Row) throws -> APIToken {
        let table = "api_tokens"
        return APIToken(
            id: try row.integer("id"), name: try text(row, "name", table: table), role: try enumeration(row, "role", table: table),
            agency: try agency(row, "agency", table: table), tokenHash: try text(row, "token_hash", table: table),
            createdAt: try time(row, "created_at", table: table), revokedAt: try optionalTime(row, "revoked_at", table: table)
        )
    }

    static func user(_ row: Row) throws -> User {
        let table = "users"
        let name = try text(row, "name", table: table)
        return User(
            id: try row.integer("id"), name: try parsed(name, column: "name", table: table, as: UserName.self),
            role: try enumeration(row, "role", table: table), agency: try agency(row, "agency", table: table),
            passwordHash: try text(row, "password_hash", table: table), createdAt: try time(row, "created_at", table: table),
            passwordChangedAt: try time(row, "password_changed_at", table: table), disabledAt: try optionalTime(row, "disabled_at", table: table)
        )
    }

    /// A session row joined with its user: the user's name as `user_name`, the session's creation time as
    /// `session_created_at` (the user's own `created_at` is beside it).
    static func session(_ row: Row) throws -> UserSession {
        let table = "sessions"
        return UserSession(
            idHash: try text(row, "id_hash", table: table),
            user: try parsed(try text(row, "user_name", table: table), column: "user_name", table: table, as: UserName.self),
            csrfToken: try text(row, "csrf_token", table: table), createdAt: try time(row, "session_created_at", table: table),
            lastSeenAt: try time(row, "last_seen_at", table: table)
        )
    }

    static func parsed<T: TextIdentifier>(_ value: String, column: String, table: String, as type: T.Type) throws -> T {
        do { return try T(parsing: value) } catch {
            throw CatalogError.corruptRow(table: table, reason: "\(column): \(error)")
        }
    }

    static func signer(_ row: Row) throws -> RegisteredSigner {
        let table = "signers"
        let match: SignerMatch
        switch try text(row, "match_kind", table: table) {
        case "key": match = .key
        case "certificate": match = .certificate
        case "issuer": match = .issuedWithSubject(try json(row, "subject_attributes", table: table))
        case let other: throw CatalogError.corruptRow(table: table, reason: "match_kind '\(other)' is not a known value")
        }
        guard let agency = try agency(row, "agency", table: table) else {
            throw CatalogError.corruptRow(table: table, reason: "agency is null")
        }
        var removal: SignerRemoval?
        if let removedAt = try optionalTime(row, "removed_at", table: table) {
            removal = SignerRemoval(at: removedAt, by: try text(row, "removed_by", table: table),
                                    reason: try text(row, "removed_reason", table: table))
        }
        return RegisteredSigner(
            id: try row.integer("id"), agency: agency, includeSubunits: try row.flag("include_subunits") ?? false, role: try enumeration(row, "role", table: table),
            name: try text(row, "name", table: table), match: match,
            certificate: CertificateFingerprints(subject: try text(row, "certificate_subject", table: table),
                                                 certificateSHA256: try digest(row, "certificate_sha256", table: table),
                                                 keySHA256: try digest(row, "key_sha256", table: table)),
            notAfter: try optionalTime(row, "not_after", table: table), addedAt: try time(row, "added_at", table: table),
            addedBy: try text(row, "added_by", table: table), removal: removal
        )
    }

    static func signerPolicy(_ row: Row) throws -> SignerPolicy {
        let table = "signer_policies"
        guard let agency = try agency(row, "agency", table: table) else {
            throw CatalogError.corruptRow(table: table, reason: "agency is null")
        }
        let roles: [String] = try json(row, "required_roles", table: table)
        return SignerPolicy(agency: agency, requiredRoles: try roles.map { name in
            guard let role = SignerRole(rawValue: name) else {
                throw CatalogError.corruptRow(table: table, reason: "required_roles holds '\(name)'")
            }
            return role
        }, setAt: try time(row, "set_at", table: table), setBy: try text(row, "set_by", table: table))
    }

    static func registryEvent(_ row: Row) throws -> RegistryEvent {
        let table = "registry_events"
        return RegistryEvent(
            id: try row.integer("id"), time: try time(row, "time", table: table), actor: try text(row, "actor", table: table),
            kind: try enumeration(row, "kind", table: table), agency: try text(row, "agency", table: table), signerID: try row.integer("signer_id"),
            details: try json(row, "details", table: table)
        )
    }

    static func event(_ row: Row) throws -> Event {
        let table = "events"
        return Event(
            id: try row.integer("id"),
            caseID: try caseID(row, "case_id", table: table),
            time: try time(row, "time", table: table),
            actor: try text(row, "actor", table: table),
            kind: try enumeration(row, "kind", table: table),
            details: try json(row, "details", table: table)
        )
    }

    /// A row of `events` as the chain reads it: the columns' text as stored.
    static func chainLink(_ row: Row) throws -> EventChain.Link {
        let table = "events"
        return EventChain.Link(
            id: try integer(row, "id", table: table), caseID: try text(row, "case_id", table: table),
            time: try text(row, "time", table: table), actor: try text(row, "actor", table: table),
            kind: try text(row, "kind", table: table), details: try text(row, "details", table: table),
            previousHash: try row.text("previous_hash"), hash: try row.text("hash")
        )
    }

    static func quarantine(_ row: Row) throws -> QuarantineEntry {
        let table = "quarantine"
        var resolution: QuarantineResolution?
        switch try row.text("resolution") {
        case "assigned":
            resolution = .assigned(caseID: try caseID(row, "resolved_case_id", table: table), by: try text(row, "resolved_by", table: table),
                                   at: try time(row, "resolved_at", table: table))
        case "rejected":
            resolution = .rejected(reason: try text(row, "resolved_reason", table: table), by: try text(row, "resolved_by", table: table),
                                   at: try time(row, "resolved_at", table: table))
        default:
            break
        }
        return QuarantineEntry(
            id: try row.integer("id"), station: try text(row, "station", table: table), sourceFileName: try text(row, "source_file_name", table: table),
            sha256: try digest(row, "sha256", table: table), byteCount: try integer(row, "byte_count", table: table),
            normalized: try row.text("normalized") == nil ? nil : try json(row, "normalized", table: table) as NormalizedCopy,
            reason: try enumeration(row, "reason", table: table), detail: try text(row, "detail", table: table),
            component: try row.text("component"), digitizedBy: try text(row, "digitized_by", table: table),
            quarantinedAt: try time(row, "quarantined_at", table: table), resolution: resolution
        )
    }

    static func uptimeRun(_ row: Row) throws -> UptimeRun {
        let table = "uptime_runs"
        return UptimeRun(id: try integer(row, "id", table: table), node: try text(row, "node", table: table),
                         startedAt: try time(row, "started_at", table: table), lastBeatAt: try time(row, "last_beat_at", table: table))
    }

    static func targetOutage(_ row: Row) throws -> TargetOutage {
        let table = "target_outages"
        return TargetOutage(id: try integer(row, "id", table: table), target: try text(row, "target", table: table),
                            startedAt: try time(row, "started_at", table: table), endedAt: try optionalTime(row, "ended_at", table: table),
                            reason: try text(row, "reason", table: table))
    }

    static func chainHead(_ row: Row) throws -> ChainHead {
        let table = "events"
        return ChainHead(caseID: try text(row, "case_id", table: table), eventID: try integer(row, "event_id", table: table),
                         hash: try row.text("hash") ?? "")
    }

    /// A stamp's row, with the heads read for it.
    static func chainStamp(_ row: Row, heads: [ChainHead]) throws -> ChainStamp {
        let table = "chain_stamps"
        return ChainStamp(id: try integer(row, "id", table: table), stampedAt: try time(row, "stamped_at", table: table),
                          tsaURL: try text(row, "tsa_url", table: table), throughEventID: try integer(row, "through_event_id", table: table),
                          digest: try text(row, "digest", table: table), token: try text(row, "token", table: table), heads: heads)
    }

    static func job(_ row: Row) throws -> IngestJob {
        let table = "ingest_jobs"
        return IngestJob(
            id: try integer(row, "id", table: table),
            sourceKey: try text(row, "source_key", table: table),
            station: try text(row, "station", table: table),
            sourcePath: try text(row, "source_path", table: table),
            step: try enumeration(row, "step", table: table),
            state: try enumeration(row, "state", table: table),
            progress: try json(row, "progress", table: table),
            attempts: Int(try integer(row, "attempts", table: table)),
            claimedBy: try row.text("claimed_by"),
            leaseExpiry: try optionalTime(row, "lease_expiry", table: table),
            failure: try row.text("failure"),
            createdAt: try time(row, "created_at", table: table),
            updatedAt: try time(row, "updated_at", table: table)
        )
    }
}
