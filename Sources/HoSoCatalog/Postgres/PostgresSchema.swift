import Foundation

/// The PostgreSQL catalog's schema: the same tables, columns and migration names as the SQLite one
/// (`SQLite/Schema.swift`), in PostgreSQL's words: identity columns for row numbers, BIGINT for sizes,
/// BOOLEAN for flags, triggers in PL/pgSQL. Times stay RFC 3339 text in both, so rows decode the same way
/// and sort the same way. Applied in order, each in the transaction that records it in
/// `hoso_migrations`, under an advisory lock so nodes starting at once do not race.
enum PostgresSchema {
    /// A migration's statements one by one: the extended query protocol takes one statement at a time.
    /// Each ends with a semicolon at the end of its line (a function body's inner ones do not).
    static func statements(of sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static let migrations: [(name: String, sql: String)] = [
        ("v1-cases-documents-results-events-jobs", """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                procedure_code TEXT,
                applicant_name TEXT,
                applicant_id_number TEXT,
                received_at TEXT,
                due_at TEXT,
                required_components TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX cases_created_at ON cases(created_at);

            CREATE TABLE documents (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                component TEXT,
                sha256 TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                page_count BIGINT,
                source_file_name TEXT NOT NULL,
                station TEXT NOT NULL,
                digitized_by TEXT NOT NULL,
                stored_at TEXT NOT NULL,
                status TEXT NOT NULL,
                UNIQUE (case_id, sha256)
            );

            CREATE TABLE results (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                number BIGINT NOT NULL,
                result_code TEXT NOT NULL UNIQUE,
                sha256 TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                indication TEXT NOT NULL,
                report TEXT NOT NULL,
                attached_at TEXT NOT NULL,
                attached_by TEXT NOT NULL,
                UNIQUE (case_id, sha256),
                UNIQUE (case_id, number)
            );

            CREATE TABLE events (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases(id),
                time TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                details TEXT NOT NULL
            );
            CREATE INDEX events_case_time ON events(case_id, time, id);
            CREATE FUNCTION hoso_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% are append-only', TG_ARGV[0]; END $$;
            CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
                FOR EACH ROW EXECUTE FUNCTION hoso_append_only('events');

            CREATE TABLE ingest_jobs (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source_key TEXT NOT NULL UNIQUE,
                station TEXT NOT NULL,
                source_path TEXT NOT NULL,
                step TEXT NOT NULL,
                state TEXT NOT NULL,
                progress TEXT NOT NULL,
                attempts BIGINT NOT NULL,
                claimed_by TEXT,
                lease_expiry TEXT,
                failure TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ingest_jobs_state ON ingest_jobs(state, id);
            """),
        ("v2-documents-normalized-copy", """
            ALTER TABLE documents ADD COLUMN normalized_sha256 TEXT;
            ALTER TABLE documents ADD COLUMN normalized_byte_count BIGINT;
            ALTER TABLE documents ADD COLUMN thumbnail_sha256 TEXT;
            ALTER TABLE documents ADD COLUMN normalization TEXT;
            """),
        ("v3-quarantine", """
            CREATE TABLE quarantine (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                station TEXT NOT NULL,
                source_file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                byte_count BIGINT NOT NULL,
                normalized TEXT,
                reason TEXT NOT NULL,
                detail TEXT NOT NULL,
                component TEXT,
                digitized_by TEXT NOT NULL,
                quarantined_at TEXT NOT NULL,
                resolution TEXT,
                resolved_case_id TEXT REFERENCES cases(id),
                resolved_reason TEXT,
                resolved_by TEXT,
                resolved_at TEXT
            );
            CREATE INDEX quarantine_open ON quarantine(resolution, id);
            ALTER TABLE ingest_jobs ADD COLUMN outcome TEXT;
            """),
        ("v4-documents-source-pages", """
            ALTER TABLE documents ADD COLUMN source_pages TEXT;
            """),
        ("v5-tokens-uptime", """
            CREATE TABLE api_tokens (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            );
            CREATE TABLE uptime_runs (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                started_at TEXT NOT NULL,
                last_beat_at TEXT NOT NULL
            );
            CREATE INDEX results_attached ON results(indication, attached_at);
            """),
        ("v6-signer-registry", """
            ALTER TABLE cases ADD COLUMN resolving_agency TEXT;
            CREATE TABLE signers (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                agency TEXT NOT NULL,
                include_subunits BOOLEAN NOT NULL,
                role TEXT NOT NULL,
                name TEXT NOT NULL,
                match_kind TEXT NOT NULL,
                subject_attributes TEXT,
                certificate_subject TEXT NOT NULL,
                certificate_sha256 TEXT NOT NULL,
                key_sha256 TEXT NOT NULL,
                not_after TEXT,
                added_at TEXT NOT NULL,
                added_by TEXT NOT NULL,
                removed_at TEXT,
                removed_by TEXT,
                removed_reason TEXT
            );
            CREATE INDEX signers_agency ON signers(agency, removed_at);
            CREATE TABLE signer_policies (
                agency TEXT PRIMARY KEY,
                required_roles TEXT NOT NULL,
                set_at TEXT NOT NULL,
                set_by TEXT NOT NULL
            );
            CREATE TABLE registry_events (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                agency TEXT NOT NULL,
                signer_id BIGINT REFERENCES signers(id),
                details TEXT NOT NULL
            );
            CREATE TRIGGER registry_events_are_append_only BEFORE UPDATE OR DELETE ON registry_events
                FOR EACH ROW EXECUTE FUNCTION hoso_append_only('registry events');
            """),
        ("v7-uptime-nodes", """
            ALTER TABLE uptime_runs ADD COLUMN node TEXT NOT NULL DEFAULT '';
            """),
        ("v8-scrub-shards", """
            CREATE TABLE scrub_shards (shard TEXT PRIMARY KEY, scrubbed_at TEXT NOT NULL, node TEXT NOT NULL);
            """),
        ("v9-users-sessions", """
            CREATE TABLE users (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                agency TEXT,
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL,
                disabled_at TEXT
            );
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL
            );
            CREATE INDEX sessions_user ON sessions(user_id);
            ALTER TABLE api_tokens ADD COLUMN agency TEXT;
            """),
        ("v10-case-counts", """
            ALTER TABLE cases ADD COLUMN inputs_required INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE cases ADD COLUMN inputs_digitized INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE cases ADD COLUMN result_passed INTEGER NOT NULL DEFAULT 0;
            """ + "\n" + PostgresCatalog.recountSQL + ";\n"),
        ("v11-ingest-jobs-times", """
            CREATE INDEX ingest_jobs_created ON ingest_jobs(created_at);
            CREATE INDEX ingest_jobs_station_updated ON ingest_jobs(station, updated_at);
            """),
        ("v12-event-chain", """
            ALTER TABLE events ADD COLUMN previous_hash TEXT;
            ALTER TABLE events ADD COLUMN hash TEXT;
            """),
        ("v13-monitor-stamps", """
            CREATE TABLE target_outages (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                target TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                reason TEXT NOT NULL
            );
            CREATE INDEX target_outages_started ON target_outages(started_at);
            CREATE UNIQUE INDEX target_outages_open ON target_outages(target) WHERE ended_at IS NULL;
            CREATE TABLE chain_stamps (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stamped_at TEXT NOT NULL,
                tsa_url TEXT NOT NULL,
                through_event_id BIGINT NOT NULL,
                digest TEXT NOT NULL,
                token TEXT NOT NULL
            );
            CREATE TABLE chain_stamp_heads (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stamp_id BIGINT NOT NULL REFERENCES chain_stamps(id),
                case_id TEXT NOT NULL,
                event_id BIGINT NOT NULL,
                hash TEXT NOT NULL,
                UNIQUE (stamp_id, case_id)
            );
            CREATE INDEX chain_stamp_heads_case ON chain_stamp_heads(case_id, event_id);
            """),
    ]

    /// What a migration does after its SQL, in Swift, in the same transaction: chaining the events
    /// written before the chain (`EventChain`), the one time events are updated.
    static let steps: [String: @Sendable (PostgresSession) async throws -> Void] = [
        "v12-event-chain": { session in
            try await session.execute("ALTER TABLE events DISABLE TRIGGER events_are_append_only")
            let rows = try await session.rows("SELECT * FROM events ORDER BY id").map(RowDecoding.chainLink)
            for link in EventChain.chain(rows) {
                try await session.execute("UPDATE events SET previous_hash = \(link.previous), hash = \(link.hash) WHERE id = \(link.id)")
            }
            try await session.execute("ALTER TABLE events ENABLE TRIGGER events_are_append_only")
            try await session.execute("CREATE INDEX events_case_id ON events(case_id, id)")
            try await session.execute("CREATE UNIQUE INDEX events_chain ON events(case_id, previous_hash)")
        },
    ]
}
