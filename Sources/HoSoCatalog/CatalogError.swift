import HoSoCore

/// Why the catalog refused or could not do what was asked.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No case with this ID.
    case unknownCase(CaseID)
    /// No ingest job with this row number.
    case unknownJob(Int64)
    /// No quarantine entry with this row number.
    case unknownQuarantineEntry(Int64)
    /// The quarantine entry was already assigned or rejected.
    case alreadyResolved(Int64)
    /// A token with this name exists already.
    case tokenNameTaken(String)
    /// A user with this name exists already (disabled or not).
    case userNameTaken(String)
    /// No signer registry entry with this row number.
    case unknownSigner(Int64)
    /// The signer registry entry was removed already.
    case signerAlreadyRemoved(Int64)
    /// The data directory or database could not be opened.
    case unavailable(path: String, reason: String)
    /// The catalog records a schema migration this HoSo does not know: a newer HoSo upgraded it.
    case newerSchema(path: String, migration: String)
    /// A stored row does not decode to a valid value; the database was changed by hand or is damaged.
    case corruptRow(table: String, reason: String)

    public var description: String {
        switch self {
        case .unknownCase(let id): "case \(id) is not in the catalog"
        case .unknownJob(let id): "ingest job \(id) is not in the catalog"
        case .unknownQuarantineEntry(let id): "quarantine entry \(id) does not exist"
        case .alreadyResolved(let id): "quarantine entry \(id) was already assigned or rejected"
        case .tokenNameTaken(let name): "a token named \(name) exists already (revoke it, or choose another name)"
        case .userNameTaken(let name): "a user named \(name) exists already (names are never reused, even once disabled)"
        case .unknownSigner(let id): "signer \(id) is not in the registry"
        case .signerAlreadyRemoved(let id): "signer \(id) was removed already"
        case .unavailable(let path, let reason): "catalog \(path) cannot be opened: \(reason)"
        case .newerSchema(let path, let migration):
            "catalog \(path) was upgraded by a newer HoSo (its schema has migration \(migration), which this one does not know); run that version, or upgrade this one"
        case .corruptRow(let table, let reason): "catalog table \(table) has a bad row: \(reason)"
        }
    }
}
