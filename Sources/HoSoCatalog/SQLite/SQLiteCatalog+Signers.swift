import Foundation
import GRDB
import HoSoCore

extension SQLiteCatalog: SignerRegistry {
    public func addSigner(_ signer: RegisteredSigner) async throws -> (signer: RegisteredSigner, added: Bool) {
        try await pool.write { db in
            let live = try Row.fetchAll(db, sql: """
                SELECT * FROM signers WHERE agency = ? AND role = ? AND match_kind = ? AND certificate_sha256 = ? AND removed_at IS NULL
                ORDER BY id
                """, arguments: [signer.agency.rawValue, signer.role.rawValue, signer.match.kind, signer.certificate.certificateSHA256.hex])
                .map(RowDecoding.signer)
            if let same = live.first(where: { $0.match == signer.match && $0.includeSubunits == signer.includeSubunits }) {
                return (same, false)
            }
            try db.execute(sql: """
                INSERT INTO signers (agency, include_subunits, role, name, match_kind, subject_attributes, certificate_subject,
                    certificate_sha256, key_sha256, not_after, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    signer.agency.rawValue, signer.includeSubunits, signer.role.rawValue, signer.name, signer.match.kind, signer.subjectAttributesColumn,
                    signer.certificate.subject, signer.certificate.certificateSHA256.hex, signer.certificate.keySHA256.hex,
                    signer.notAfter.map(RFC3339.format), RFC3339.format(signer.addedAt), signer.addedBy,
                ])
            let id = db.lastInsertedRowID
            try Self.insertRegistryEvent(db, RegistryEvent(time: signer.addedAt, actor: signer.addedBy, kind: .signerAdded,
                                                           agency: signer.agency.rawValue, signerID: id, details: signer.addedDetails))
            return (try Self.fetchSigner(db, id), true)
        }
    }

    public func signers(includeRemoved: Bool) async throws -> [RegisteredSigner] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: includeRemoved
                ? "SELECT * FROM signers ORDER BY id" : "SELECT * FROM signers WHERE removed_at IS NULL ORDER BY id"))
                .map(RowDecoding.signer)
        }
    }

    public func removeSigner(_ id: Int64, reason: String, actor: String, at time: Date) async throws -> RegisteredSigner {
        try await pool.write { db in
            let signer = try Self.fetchSigner(db, id)
            guard signer.removal == nil else { throw CatalogError.signerAlreadyRemoved(id) }
            try db.execute(sql: "UPDATE signers SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?",
                           arguments: [RFC3339.format(time), actor, reason, id])
            try Self.insertRegistryEvent(db, RegistryEvent(time: time, actor: actor, kind: .signerRemoved, agency: signer.agency.rawValue,
                                                           signerID: id, details: ["reason": reason]))
            return try Self.fetchSigner(db, id)
        }
    }

    public func setSignerPolicy(_ policy: SignerPolicy) async throws {
        try await pool.write { db in
            let roles = policy.requiredRoles.map(\.rawValue)
            if roles.isEmpty {
                try db.execute(sql: "DELETE FROM signer_policies WHERE agency = ?", arguments: [policy.agency.rawValue])
            } else {
                try db.execute(sql: """
                    INSERT INTO signer_policies (agency, required_roles, set_at, set_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT (agency) DO UPDATE SET required_roles = excluded.required_roles, set_at = excluded.set_at,
                        set_by = excluded.set_by
                    """, arguments: [policy.agency.rawValue, RowDecoding.encodeJSON(roles), RFC3339.format(policy.setAt), policy.setBy])
            }
            try Self.insertRegistryEvent(db, RegistryEvent(time: policy.setAt, actor: policy.setBy, kind: .policySet,
                                                           agency: policy.agency.rawValue, signerID: nil,
                                                           details: ["require": roles.joined(separator: ",")]))
        }
    }

    public func signerPolicy(for agency: AgencyCode) async throws -> SignerPolicy? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM signer_policies WHERE agency = ?"), arguments: [agency.rawValue])
                .map(RowDecoding.signerPolicy)
        }
    }

    public func signerPolicies() async throws -> [SignerPolicy] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM signer_policies ORDER BY agency").map(RowDecoding.signerPolicy) }
    }

    public func registryEvents() async throws -> [RegistryEvent] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM registry_events ORDER BY id").map(RowDecoding.registryEvent) }
    }

    private static func fetchSigner(_ db: Database, _ id: Int64) throws -> RegisteredSigner {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM signers WHERE id = ?", arguments: [id]) else {
            throw CatalogError.unknownSigner(id)
        }
        return try RowDecoding.signer(row)
    }

    private static func insertRegistryEvent(_ db: Database, _ event: RegistryEvent) throws {
        try db.execute(sql: "INSERT INTO registry_events (time, actor, kind, agency, signer_id, details) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [RFC3339.format(event.time), event.actor, event.kind.rawValue, event.agency, event.signerID,
                                   RowDecoding.encodeJSON(event.details)])
    }
}
