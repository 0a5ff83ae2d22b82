import Foundation
import HoSoCore
import PostgresNIO

extension PostgresCatalog: SignerRegistry {
    public func addSigner(_ signer: RegisteredSigner) async throws -> (signer: RegisteredSigner, added: Bool) {
        try await transaction { session in
            // Registry changes are rare: one lock for the registry makes "add unless the same entry is live" exact.
            try await session.execute("SELECT pg_advisory_xact_lock(\(Self.registryLock))")
            let live = try await session.rows("""
                SELECT * FROM signers WHERE agency = \(signer.agency.rawValue) AND role = \(signer.role.rawValue)
                  AND match_kind = \(signer.match.kind) AND certificate_sha256 = \(signer.certificate.certificateSHA256.hex)
                  AND removed_at IS NULL ORDER BY id
                """).map(RowDecoding.signer)
            if let same = live.first(where: { $0.match == signer.match && $0.includeSubunits == signer.includeSubunits }) {
                return (same, false)
            }
            let row = try await session.row("""
                INSERT INTO signers (agency, include_subunits, role, name, match_kind, subject_attributes, certificate_subject,
                    certificate_sha256, key_sha256, not_after, added_at, added_by)
                VALUES (\(signer.agency.rawValue), \(signer.includeSubunits), \(signer.role.rawValue), \(signer.name), \(signer.match.kind),
                    \(signer.subjectAttributesColumn), \(signer.certificate.subject), \(signer.certificate.certificateSHA256.hex),
                    \(signer.certificate.keySHA256.hex), \(signer.notAfter.map(RFC3339.format)), \(RFC3339.format(signer.addedAt)),
                    \(signer.addedBy))
                RETURNING *
                """)
            let added = try RowDecoding.signer(try row.orThrow(.corruptRow(table: "signers", reason: "no row returned")))
            try await Self.insertRegistryEvent(session, RegistryEvent(time: signer.addedAt, actor: signer.addedBy, kind: .signerAdded,
                                                                      agency: signer.agency.rawValue, signerID: added.id,
                                                                      details: signer.addedDetails))
            return (added, true)
        }
    }

    public func signers(includeRemoved: Bool) async throws -> [RegisteredSigner] {
        try await read { session in
            try await session.rows("SELECT * FROM signers \(unescaped: includeRemoved ? "" : "WHERE removed_at IS NULL") ORDER BY id")
                .map(RowDecoding.signer)
        }
    }

    public func removeSigner(_ id: Int64, reason: String, actor: String, at time: Date) async throws -> RegisteredSigner {
        try await transaction { session in
            let signer = try await Self.fetchSigner(session, id, lock: true)
            guard signer.removal == nil else { throw CatalogError.signerAlreadyRemoved(id) }
            try await session.execute("""
                UPDATE signers SET removed_at = \(RFC3339.format(time)), removed_by = \(actor), removed_reason = \(reason) WHERE id = \(id)
                """)
            try await Self.insertRegistryEvent(session, RegistryEvent(time: time, actor: actor, kind: .signerRemoved,
                                                                      agency: signer.agency.rawValue, signerID: id, details: ["reason": reason]))
            return try await Self.fetchSigner(session, id, lock: false)
        }
    }

    public func setSignerPolicy(_ policy: SignerPolicy) async throws {
        try await transaction { session in
            let roles = policy.requiredRoles.map(\.rawValue)
            if roles.isEmpty {
                try await session.execute("DELETE FROM signer_policies WHERE agency = \(policy.agency.rawValue)")
            } else {
                try await session.execute("""
                    INSERT INTO signer_policies (agency, required_roles, set_at, set_by)
                    VALUES (\(policy.agency.rawValue), \(RowDecoding.encodeJSON(roles)), \(RFC3339.format(policy.setAt)), \(policy.setBy))
                    ON CONFLICT (agency) DO UPDATE SET required_roles = excluded.required_roles, set_at = excluded.set_at,
                        set_by = excluded.set_by
                    """)
            }
            try await Self.insertRegistryEvent(session, RegistryEvent(time: policy.setAt, actor: policy.setBy, kind: .policySet,
                                                                      agency: policy.agency.rawValue, signerID: nil,
                                                                      details: ["require": roles.joined(separator: ",")]))
        }
    }

    public func signerPolicy(for agency: AgencyCode) async throws -> SignerPolicy? {
        try await read { session in
            try await session.row("SELECT * FROM signer_policies WHERE agency = \(agency.rawValue)").map(RowDecoding.signerPolicy)
        }
    }

    public func signerPolicies() async throws -> [SignerPolicy] {
        try await read { session in try await session.rows("SELECT * FROM signer_policies ORDER BY agency").map(RowDecoding.signerPolicy) }
    }

    public func registryEvents() async throws -> [RegistryEvent] {
        try await read { session in try await session.rows("SELECT * FROM registry_events ORDER BY id").map(RowDecoding.registryEvent) }
    }

    private static func fetchSigner(_ session: PostgresSession, _ id: Int64, lock: Bool) async throws -> RegisteredSigner {
        let row = try await session.row("SELECT * FROM signers WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")")
        return try RowDecoding.signer(try row.orThrow(.unknownSigner(id)))
    }

    private static func insertRegistryEvent(_ session: PostgresSession, _ event: RegistryEvent) async throws {
        try await session.execute("""
            INSERT INTO registry_events (time, actor, kind, agency, signer_id, details)
            VALUES (\(RFC3339.format(event.time)), \(event.actor), \(event.kind.rawValue), \(event.agency), \(event.signerID),
                \(RowDecoding.encodeJSON(event.details)))
            """)
    }

    /// The advisory lock key registry changes run under.
    static let registryLock: Int64 = 0x486F_536F_0002
}
