import GRDB
import KioskBridgeStore

/// The embedded store's tables, as numbered migrations. A migration, once released, is
/// never edited: a change is a new migration, so every server upgrades the same way.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-bridge") { db in
            try db.execute(sql: """
                -- Every kiosk file ever taken in, whatever became of it.
                CREATE TABLE kiosk_file (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    processing_name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    format TEXT NOT NULL,
                    encoding TEXT,
                    kiosk_id TEXT,
                    location TEXT,
                    sequence INTEGER,
                    created_at INTEGER,
                    received_at INTEGER NOT NULL,
                    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'duplicate')),
                    duplicate_of INTEGER REFERENCES kiosk_file(id),
                    reason_code TEXT,
                    reason TEXT,
                    records INTEGER NOT NULL DEFAULT 0,
                    payments_booked INTEGER NOT NULL DEFAULT 0,
                    payments_ore INTEGER NOT NULL DEFAULT 0,
                    voids_booked INTEGER NOT NULL DEFAULT 0,
                    records_rejected INTEGER NOT NULL DEFAULT 0,
                    rejected_ore INTEGER NOT NULL DEFAULT 0,
                    records_duplicate INTEGER NOT NULL DEFAULT 0,
                    trailer_ore INTEGER,
                    stored_path TEXT,
                    moved_at INTEGER
                );
                CREATE INDEX kiosk_file_sha256 ON kiosk_file(sha256);
                CREATE UNIQUE INDEX kiosk_file_accepted_sequence ON kiosk_file(kiosk_id, sequence) WHERE verdict = 'accepted';
                CREATE INDEX kiosk_file_received ON kiosk_file(received_at);

                -- Booked payments. A payment is pending while allocated_cycle is null (until migration 6).
                CREATE TABLE payment (
                    id INTEGER PRIMARY KEY,
                    kiosk_id TEXT NOT NULL,
                    transaction_id TEXT NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES kiosk_file(id),
                    line INTEGER NOT NULL,
                    location TEXT NOT NULL,
                    paid_at INTEGER NOT NULL,
                    payer TEXT NOT NULL,
                    payer_kind TEXT NOT NULL CHECK (payer_kind IN ('CPR', 'CVR')),
                    claim_type TEXT NOT NULL,
                    debtor_claim_type TEXT NOT NULL,
                    amount_ore INTEGER NOT NULL CHECK (amount_ore > 0),
                    tender TEXT NOT NULL,
                    receipt TEXT NOT NULL,
                    operator_id TEXT,
                    booked_at INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('received', 'voided')),
                    allocated_cycle INTEGER,
                    UNIQUE (kiosk_id, transaction_id)
                );
                CREATE INDEX payment_pending ON payment(payer, claim_type, paid_at, kiosk_id, transaction_id)
                    WHERE allocated_cycle IS NULL AND state = 'received';
                CREATE INDEX payment_receipt ON payment(receipt);
                CREATE INDEX payment_transaction ON payment(transaction_id);
                CREATE INDEX payment_payer ON payment(payer);
                CREATE INDEX payment_paid_at ON payment(paid_at);

                -- Voids: cancel (not yet exported) or reversal (exported).
                CREATE TABLE void (
                    id INTEGER PRIMARY KEY,
                    kiosk_id TEXT NOT NULL,
                    void_id TEXT NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES kiosk_file(id),
                    line INTEGER NOT NULL,
                    voided_at INTEGER NOT NULL,
                    payment_id INTEGER NOT NULL REFERENCES payment(id),
                    amount_ore INTEGER NOT NULL,
                    reason TEXT,
                    effect TEXT NOT NULL CHECK (effect IN ('cancel', 'reversal')),
                    booked_at INTEGER NOT NULL,
                    reversed_cycle INTEGER,
                    UNIQUE (kiosk_id, void_id)
                );
                CREATE UNIQUE INDEX void_payment ON void(payment_id);
                CREATE INDEX void_pending_reversal ON void(voided_at) WHERE effect = 'reversal' AND reversed_cycle IS NULL;

                -- Records refused at intake (alone, or with their whole file), for lookup and reports.
                CREATE TABLE rejected_record (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES kiosk_file(id),
                    line INTEGER NOT NULL,
                    record_type TEXT NOT NULL,
                    kiosk_id TEXT,
                    transaction_id TEXT,
                    receipt TEXT,
                    payer_text TEXT,
                    payer TEXT,
                    paid_at_text TEXT,
                    paid_at INTEGER,
                    claim_type TEXT,
                    amount_ore INTEGER,
                    tender TEXT,
                    voids_transaction_id TEXT,
                    reason_code TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    whole_file INTEGER NOT NULL,
                    rejected_at INTEGER NOT NULL
                );
                CREATE INDEX rejected_record_receipt ON rejected_record(receipt);
                CREATE INDEX rejected_record_transaction ON rejected_record(transaction_id);
                CREATE INDEX rejected_record_payer ON rejected_record(payer);
                CREATE INDEX rejected_record_time ON rejected_record(rejected_at);

                -- Claims snapshots: one current per source.
                CREATE TABLE claims_snapshot (
                    source TEXT PRIMARY KEY CHECK (source IN ('DEBTOR', 'FBS')),
                    as_of INTEGER NOT NULL,
                    loaded_at INTEGER NOT NULL,
                    file_name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    claims INTEGER NOT NULL,
                    outstanding_ore INTEGER NOT NULL,
                    applied_records INTEGER NOT NULL
                );
                CREATE TABLE claim (
                    source TEXT NOT NULL,
                    claim_id TEXT NOT NULL,
                    payer TEXT NOT NULL,
                    claim_type TEXT NOT NULL,
                    created_on TEXT NOT NULL,
                    due_on TEXT,
                    original_ore INTEGER NOT NULL,
                    outstanding_ore INTEGER NOT NULL,
                    payable_in TEXT NOT NULL CHECK (payable_in IN ('DEBTOR', 'FBS')),
                    PRIMARY KEY (source, claim_id)
                ) WITHOUT ROWID;
                CREATE INDEX claim_payer ON claim(payer, claim_type);
                CREATE INDEX claim_id ON claim(claim_id);
                CREATE TABLE applied_transaction (
                    source TEXT NOT NULL,
                    kiosk_id TEXT NOT NULL,
                    transaction_id TEXT NOT NULL,
                    PRIMARY KEY (source, kiosk_id, transaction_id)
                ) WITHOUT ROWID;

                -- Allocated parts of payments, and reversed parts (void_id set, amount negative).
                CREATE TABLE allocation_part (
                    id INTEGER PRIMARY KEY,
                    payment_id INTEGER NOT NULL REFERENCES payment(id),
                    void_id INTEGER REFERENCES void(id),
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('PAYMENT', 'SURPLUS', 'REVERSAL')),
                    claim_id TEXT,
                    channel TEXT NOT NULL CHECK (channel IN ('DEBTOR', 'FBS')),
                    amount_ore INTEGER NOT NULL,
                    cycle_id INTEGER NOT NULL,
                    allocated_at INTEGER NOT NULL
                );
                CREATE INDEX allocation_part_payment ON allocation_part(payment_id);
                CREATE INDEX allocation_part_claim ON allocation_part(claim_id);

                -- Export series (one per profile, plus the FBS worklist) and their batches.
                -- A batch carries the parts of its channel with after_part_id < id <= through_part_id.
                CREATE TABLE export_series (
                    name TEXT PRIMARY KEY,
                    channel TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    start_after_part_id INTEGER NOT NULL,
                    registered_at INTEGER NOT NULL
                );
                CREATE TABLE export_batch (
                    id INTEGER PRIMARY KEY,
                    series TEXT NOT NULL REFERENCES export_series(name),
                    channel TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    batch_id TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    after_part_id INTEGER NOT NULL,
                    through_part_id INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    sum_ore INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('prepared', 'published')),
                    cycle_id INTEGER,
                    sha256 TEXT,
                    outbox_path TEXT,
                    archive_path TEXT,
                    published_at INTEGER,
                    trail_head_id INTEGER,
                    trail_head_hash TEXT,
                    UNIQUE (series, sequence)
                );
                CREATE INDEX export_batch_range ON export_batch(channel, through_part_id);
                CREATE INDEX export_batch_cycle ON export_batch(cycle_id);

                -- Runs of cycle/ingest, with their JSON summary.
                CREATE TABLE cycle (
                    id INTEGER PRIMARY KEY,
                    command TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    result TEXT,
                    summary TEXT
                );

                -- The trail: one row per state change of a file, payment, void, record, batch or snapshot.
                CREATE TABLE trail (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    subject_id INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    file_id INTEGER,
                    batch_id INTEGER,
                    cycle_id INTEGER,
                    content_hash BLOB NOT NULL,
                    chain_hash BLOB NOT NULL
                );
                CREATE INDEX trail_subject ON trail(subject, subject_id);
                """)
        }
        migrator.registerMigration("2-operations") { db in
            try db.execute(sql: """
                -- Each kiosk's closing figure per day, written once the day is over (the Z-report's chain).
                CREATE TABLE day_closing (
                    kiosk_id TEXT NOT NULL,
                    date TEXT NOT NULL,
                    cumulative_received_ore INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (kiosk_id, date)
                ) WITHOUT ROWID;

                -- The last status the alerting acted on.
                CREATE TABLE alert_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    level TEXT NOT NULL,
                    changed_at INTEGER NOT NULL,
                    summary TEXT NOT NULL
                );

                CREATE INDEX rejected_record_paid_at ON rejected_record(paid_at);
                CREATE INDEX kiosk_file_kiosk_received ON kiosk_file(kiosk_id, received_at);
                CREATE INDEX export_batch_published ON export_batch(published_at);
                CREATE INDEX export_batch_series_range ON export_batch(series, through_part_id);
                """)
        }
        migrator.registerMigration("3-publication-cycle") { db in
            try db.execute(sql: """
                -- The cycle that delivered a batch: the one that prepared it, or a later one when the
                -- outbox could not be written then. A cycle's counts are what it delivered.
                ALTER TABLE export_batch ADD COLUMN published_cycle_id INTEGER;
                UPDATE export_batch SET published_cycle_id = cycle_id WHERE state = 'published';
                CREATE INDEX export_batch_published_cycle ON export_batch(published_cycle_id);
                """)
        }
        migrator.registerMigration("4-desk") { db in
            try db.execute(sql: """
                -- Desk staff accounts (kioskbridge desk add-user); passwords as bcrypt hashes only.
                CREATE TABLE desk_user (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("5-series-checked") { db in
            try db.execute(sql: """
                -- How far a series has looked for parts of its channel without finding any: a
                -- series that rarely gets a file (the FBS worklist) does not count the whole
                -- table again every cycle.
                ALTER TABLE export_series ADD COLUMN checked_through_part_id INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("6-bulk") { db in
            try db.execute(sql: """
                -- A cycle allocates every payment booked before it, so the payments awaiting
                -- allocation are those after the last cycle's mark (and, from before this
                -- migration, those whose allocated_cycle is still null). Allocation reads them in
                -- one sorted pass; an index keyed by payer was written at random for every payment
                -- and again when it was allocated. allocated_cycle is no longer written.
                DROP INDEX payment_pending;
                ALTER TABLE cycle ADD COLUMN allocated_through_payment_id INTEGER;

                -- Allocation reads a round of payers' claims in payer order: the payer index
                -- carries the whole claim, so the claims are read in its order without a look
                -- into the table for each. The bridge's parts on a claim are found from the
                -- payer's payments, not through an index by claim id written at random.
                DROP INDEX claim_payer;
                CREATE INDEX claim_payer ON claim(payer, claim_type, source, claim_id, created_on, due_on, original_ore,
                                                  outstanding_ore, payable_in);
                DROP INDEX allocation_part_claim;

                -- A transaction id is unique per kiosk, and the lookup by transaction id alone
                -- goes through the (kiosk_id, transaction_id) index once per kiosk.
                DROP INDEX payment_transaction;

                -- A trail row may cover a run of subjects (subject_id through through_id): the
                -- payments booked from one file, the allocation parts written in one cycle.
                ALTER TABLE trail ADD COLUMN through_id INTEGER;
                """)
        }
        migrator.registerMigration("7-explicit-membership") { db in
            try db.execute(sql: """
                -- A file's payments await allocation until the cycle that allocated them is set here.
                -- Explicit, so that a payment booked by another writer while a cycle runs is never
                -- taken for allocated because its id happens to be lower than the cycle's mark.
                ALTER TABLE kiosk_file ADD COLUMN allocated_cycle INTEGER;
                CREATE INDEX payment_file ON payment(file_id);
                UPDATE kiosk_file SET allocated_cycle = COALESCE((SELECT MAX(id) FROM cycle), 0)
                WHERE verdict = 'accepted' AND NOT EXISTS (
                    SELECT 1 FROM payment p
                    WHERE p.file_id = kiosk_file.id AND p.state = 'received' AND p.allocated_cycle IS NULL
                      AND p.id > COALESCE((SELECT MAX(allocated_through_payment_id) FROM cycle), 0));
                CREATE INDEX kiosk_file_pending ON kiosk_file(id) WHERE verdict = 'accepted' AND allocated_cycle IS NULL;

                -- What one cycle allocated (or reversed) per channel: an export batch takes up whole
                -- runs and records which, so its lines and sum are known without counting parts.
                CREATE TABLE allocation_run (
                    cycle_id INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    parts INTEGER NOT NULL,
                    sum_ore INTEGER NOT NULL,
                    payments INTEGER NOT NULL,
                    reversals INTEGER NOT NULL,
                    PRIMARY KEY (cycle_id, channel)
                ) WITHOUT ROWID;
                INSERT INTO allocation_run (cycle_id, channel, parts, sum_ore, payments, reversals)
                SELECT cycle_id, channel, COUNT(*), SUM(amount_ore),
                       COUNT(DISTINCT CASE WHEN void_id IS NULL THEN payment_id END), COUNT(DISTINCT void_id)
                FROM allocation_part GROUP BY cycle_id, channel;
                CREATE INDEX allocation_part_cycle ON allocation_part(cycle_id, channel);

                -- The runs each batch carries, instead of a range of part ids.
                CREATE TABLE export_batch_run (
                    series TEXT NOT NULL,
                    cycle_id INTEGER NOT NULL,
                    batch_id INTEGER NOT NULL REFERENCES export_batch(id),
                    PRIMARY KEY (series, cycle_id)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO export_batch_run (series, cycle_id, batch_id)
                SELECT b.series, a.cycle_id, b.id FROM export_batch b
                JOIN allocation_part a ON a.channel = b.channel AND a.id > b.after_part_id AND a.id <= b.through_part_id
                GROUP BY b.id, a.cycle_id ORDER BY b.id;
                CREATE INDEX export_batch_run_cycle ON export_batch_run(cycle_id, batch_id);
                CREATE INDEX export_batch_run_batch ON export_batch_run(batch_id);

                -- A series added later starts after the last cycle its channel had exported.
                ALTER TABLE export_series ADD COLUMN start_after_cycle INTEGER NOT NULL DEFAULT 0;
                UPDATE export_series SET start_after_cycle = COALESCE(
                    (SELECT cycle_id FROM allocation_part WHERE id <= export_series.start_after_part_id ORDER BY id DESC LIMIT 1), 0);
                """)
        }
        migrator.registerMigration("8-lease") { db in
            try db.execute(sql: """
                -- The municipality's lease: which bridge may take files in, allocate and publish. On
                -- SQLite the lock file beside the database is what keeps a second bridge out; this row
                -- carries the fencing token every booking, allocation and publication is checked against.
                CREATE TABLE lease (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    token INTEGER NOT NULL,
                    holder TEXT NOT NULL,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    since INTEGER NOT NULL,
                    expires INTEGER NOT NULL,
                    released_at INTEGER,
                    takeovers INTEGER NOT NULL DEFAULT 0,
                    last_takeover INTEGER
                );
                -- Bridges that asked for the lease while another held it, for status.
                CREATE TABLE lease_standby (
                    holder TEXT PRIMARY KEY,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    seen_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("9-desk-sessions") { db in
            try db.execute(sql: """
                -- The desk's sessions and failed logins live in the store, so that every serve process
                -- knows them and a restart logs no one out. A session's key is kept as its SHA-256 only.
                ALTER TABLE desk_user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE desk_session (
                    key_hash TEXT PRIMARY KEY,
                    staff TEXT NOT NULL,
                    form_token TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX desk_session_staff ON desk_session(staff);
                CREATE TABLE desk_login_failure (
                    key TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    last_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("10-closing-mark") { db in
            try db.execute(sql: """
                -- A day's closing keeps its booked payments' part and the highest payment row then,
                -- so that the next day's closing reads one day of payments, not all of them.
                ALTER TABLE day_closing ADD COLUMN payments_received_ore INTEGER;
                ALTER TABLE day_closing ADD COLUMN through_payment INTEGER;
                """)
        }
        migrator.registerMigration("11-debtor-confirmation") { db in
            try db.execute(sql: DebtorConfirmationSchema.sql(integer: "INTEGER", identity: "INTEGER PRIMARY KEY", withoutRowID: " WITHOUT ROWID"))
        }
        migrator.registerMigration("12-fbs-part") { db in
            try db.execute(sql: FBSPartSchema.sql(integer: "INTEGER", withoutRowID: " WITHOUT ROWID"))
        }
        migrator.registerMigration("13-desk-till") { db in
            try db.execute(sql: TillSchema.sql(integer: "INTEGER", identity: "INTEGER PRIMARY KEY"))
        }
        return migrator
    }
}
