import GRDB

/// The catalog's schema, one named migration per change. A migration that has landed is never edited:
/// changes come as new migrations after it.
///
/// The SQL stays portable (TEXT, INTEGER, standard constraints) so the PostgreSQL catalog can mirror it;
/// only `AUTOINCREMENT` and the trigger syntax are SQLite's own.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases-documents-results-events-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY NOT NULL,
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
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    component TEXT,
                    sha256 TEXT NOT NULL,
                    byte_count INTEGER NOT NULL,
                    page_count INTEGER,
                    source_file_name TEXT NOT NULL,
                    station TEXT NOT NULL,
                    digitized_by TEXT NOT NULL,
                    stored_at TEXT NOT NULL,
                    status TEXT NOT NULL,
                    UNIQUE (case_id, sha256)
                );

                CREATE TABLE results (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    number INTEGER NOT NULL,
                    result_code TEXT NOT NULL UNIQUE,
                    sha256 TEXT NOT NULL,
                    byte_count INTEGER NOT NULL,
                    indication TEXT NOT NULL,
                    report TEXT NOT NULL,
                    attached_at TEXT NOT NULL,
                    attached_by TEXT NOT NULL,
                    UNIQUE (case_id, sha256),
                    UNIQUE (case_id, number)
                );

                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases(id),
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    details TEXT NOT NULL
                );
                CREATE INDEX events_case_time ON events(case_id, time, id);
                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

                CREATE TABLE ingest_jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source_key TEXT NOT NULL UNIQUE,
                    station TEXT NOT NULL,
                    source_path TEXT NOT NULL,
                    step TEXT NOT NULL,
                    state TEXT NOT NULL,
                    progress TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    claimed_by TEXT,
                    lease_expiry TEXT,
                    failure TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX ingest_jobs_state ON ingest_jobs(state, id);
                """)
        }
        migrator.registerMigration("v2-documents-normalized-copy") { db in
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN normalized_sha256 TEXT;
                ALTER TABLE documents ADD COLUMN normalized_byte_count INTEGER;
                ALTER TABLE documents ADD COLUMN thumbnail_sha256 TEXT;
                ALTER TABLE documents ADD COLUMN normalization TEXT;
                """)
        }
        migrator.registerMigration("v3-quarantine") { db in
            try db.execute(sql: """
                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    station TEXT NOT NULL,
                    source_file_name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    byte_count INTEGER NOT NULL,
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
                """)
        }
        migrator.registerMigration("v4-documents-source-pages") { db in
            // The pages of a batch scan a document was split from (null: the whole file).
            try db.execute(sql: "ALTER TABLE documents ADD COLUMN source_pages TEXT")
        }
        migrator.registerMigration("v5-tokens-uptime") { db in
            try db.execute(sql: """
                CREATE TABLE api_tokens (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                CREATE TABLE uptime_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    started_at TEXT NOT NULL,
                    last_beat_at TEXT NOT NULL
                );
                CREATE INDEX results_attached ON results(indication, attached_at);
                """)
        }
        migrator.registerMigration("v6-signer-registry") { db in
            // Which certificates may sign results for which agency; entries are removed, never deleted,
            // so the evidence of earlier attaches keeps naming what it matched.
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN resolving_agency TEXT;
                CREATE TABLE signers (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    agency TEXT NOT NULL,
                    include_subunits INTEGER NOT NULL,
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
                    agency TEXT PRIMARY KEY NOT NULL,
                    required_roles TEXT NOT NULL,
                    set_at TEXT NOT NULL,
                    set_by TEXT NOT NULL
                );
                CREATE TABLE registry_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    agency TEXT NOT NULL,
                    signer_id INTEGER REFERENCES signers(id),
                    details TEXT NOT NULL
                );
                CREATE TRIGGER registry_events_are_append_only_update BEFORE UPDATE ON registry_events
                    BEGIN SELECT RAISE(ABORT, 'registry events are append-only'); END;
                CREATE TRIGGER registry_events_are_append_only_delete BEFORE DELETE ON registry_events
                    BEGIN SELECT RAISE(ABORT, 'registry events are append-only'); END;
                """)
        }
        migrator.registerMigration("v7-uptime-nodes") { db in
            // Several nodes share a catalog: each run is one node's; an outage is a time none was up.
            try db.execute(sql: "ALTER TABLE uptime_runs ADD COLUMN node TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v8-scrub-shards") { db in
            // When the fixity scrub last finished each sixteenth of the blobs (by the first hex digit of
            // their SHA-256), and where: nodes share the scrub, and a restarted node knows what is due.
            try db.execute(sql: "CREATE TABLE scrub_shards (shard TEXT PRIMARY KEY NOT NULL, scrubbed_at TEXT NOT NULL, node TEXT NOT NULL)")
        }
        migrator.registerMigration("v9-users-sessions") { db in
            // People who sign in to the web pages, their sessions (the SHA-256 of the cookie's id, never the
            // id), and an agency scope for users and tokens alike.
            try db.execute(sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    agency TEXT,
                    password_hash TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    password_changed_at TEXT NOT NULL,
                    disabled_at TEXT
                );
                CREATE TABLE sessions (
                    id_hash TEXT PRIMARY KEY NOT NULL,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    last_seen_at TEXT NOT NULL
                );
                CREATE INDEX sessions_user ON sessions(user_id);
                ALTER TABLE api_tokens ADD COLUMN agency TEXT;
                """)
        }
        migrator.registerMigration("v10-case-counts") { db in
            // What the digitization report sums, kept per case by the transactions that change it
            // (`SQLiteCatalog.recount`): the report is one pass over `cases`, not a count per case.
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN inputs_required INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN inputs_digitized INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN result_passed INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: SQLiteCatalog.recountSQL)
        }
        migrator.registerMigration("v11-ingest-jobs-times") { db in
            // The overview's intake today per station reads the jobs created since midnight; the stations
            // page each station's latest jobs.
            try db.execute(sql: "CREATE INDEX ingest_jobs_created ON ingest_jobs(created_at)")
            try db.execute(sql: "CREATE INDEX ingest_jobs_station_updated ON ingest_jobs(station, updated_at)")
        }
        migrator.registerMigration("v12-event-chain") { db in
            // Each event carries the hash of its case's previous one and its own (`EventChain`); the rows
            // written before are chained here, in row order, the one time events are updated.
            try db.execute(sql: "DROP TRIGGER events_are_append_only_update")
            try db.execute(sql: "ALTER TABLE events ADD COLUMN previous_hash TEXT")
            try db.execute(sql: "ALTER TABLE events ADD COLUMN hash TEXT")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY id").map(RowDecoding.chainLink)
            for link in EventChain.chain(rows) {
                try db.execute(sql: "UPDATE events SET previous_hash = ?, hash = ? WHERE id = ?", arguments: [link.previous, link.hash, link.id])
            }
            try db.execute(sql: """
                CREATE INDEX events_case_id ON events(case_id, id);
                CREATE UNIQUE INDEX events_chain ON events(case_id, previous_hash);
                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
        }
        migrator.registerMigration("v13-monitor-stamps") { db in
            // The monitored systems' outages (`MonitorLedger`), and the chains' heads as a timestamp
            // server stamped them (`ChainStampLedger`).
            try db.execute(sql: """
                CREATE TABLE target_outages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    target TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    reason TEXT NOT NULL
                );
                CREATE INDEX target_outages_started ON target_outages(started_at);
                CREATE UNIQUE INDEX target_outages_open ON target_outages(target) WHERE ended_at IS NULL;

                CREATE TABLE chain_stamps (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    stamped_at TEXT NOT NULL,
                    tsa_url TEXT NOT NULL,
                    through_event_id INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    token TEXT NOT NULL
                );
                CREATE TABLE chain_stamp_heads (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    stamp_id INTEGER NOT NULL REFERENCES chain_stamps(id),
                    case_id TEXT NOT NULL,
                    event_id INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE (stamp_id, case_id)
                );
                CREATE INDEX chain_stamp_heads_case ON chain_stamp_heads(case_id, event_id);
                """)
        }
        return migrator
    }
}
