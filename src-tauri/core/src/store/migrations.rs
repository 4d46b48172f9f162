//! The schema, as numbered migrations embedded in the binary. Each runs in its own
//! transaction together with its row in `schema_migrations` and `PRAGMA user_version`,
//! so a crash leaves the file at the previous version, never between two.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, VaultError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "register",
        sql: r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE controller (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE processors (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE activities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    last_reviewed TEXT,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE activity_processors (
    activity_id  INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    processor_id INTEGER NOT NULL REFERENCES processors(id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, processor_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX activity_processors_by_processor ON activity_processors(processor_id);

CREATE TABLE subjects (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL DEFAULT '',
    email_norm          TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    restricted          INTEGER NOT NULL DEFAULT 0,
    marketing_objection INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX subjects_by_name ON subjects(name COLLATE NOCASE);
CREATE INDEX subjects_by_email ON subjects(email_norm) WHERE email_norm <> '';

CREATE TABLE records (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id   INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    activity_id  INTEGER NOT NULL REFERENCES activities(id) ON DELETE RESTRICT,
    category     TEXT NOT NULL,
    value        TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    collected_on TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX records_by_subject ON records(subject_id);
CREATE INDEX records_by_activity ON records(activity_id);

CREATE TABLE consent_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id  INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE RESTRICT,
    purpose     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('consent_given', 'consent_withdrawn', 'objection')),
    method      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
) STRICT;
CREATE INDEX consent_events_by_subject ON consent_events(subject_id);

-- The audit log: append-only, hash-chained. No personal data values: names of fields,
-- ids, and the reason the operator gave.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    subject_id INTEGER,
    fields    TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_by_entity ON audit_events(entity, entity_id);
CREATE INDEX audit_events_by_subject ON audit_events(subject_id) WHERE subject_id IS NOT NULL;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Search: one row per subject (rowid = subject id) holding the lower-cased name,
-- e-mail, phone and record values. The trigram tokenizer finds any part of a word.
CREATE VIRTUAL TABLE subject_search USING fts5(text, tokenize = 'trigram');
INSERT INTO subject_search(subject_search, rank) VALUES ('secure-delete', 1);
"#,
    },
    Migration {
        version: 2,
        name: "subject record counts",
        // The subject list and search show how many records a subject has; keeping the
        // count on the row saves a lookup per line (see the README's Performance).
        sql: r#"
ALTER TABLE subjects ADD COLUMN record_count INTEGER NOT NULL DEFAULT 0;
UPDATE subjects SET record_count = (SELECT count(*) FROM records r WHERE r.subject_id = subjects.id);
CREATE TRIGGER records_count_insert AFTER INSERT ON records
BEGIN UPDATE subjects SET record_count = record_count + 1 WHERE id = NEW.subject_id; END;
CREATE TRIGGER records_count_delete AFTER DELETE ON records
BEGIN UPDATE subjects SET record_count = record_count - 1 WHERE id = OLD.subject_id; END;
"#,
    },
    Migration {
        version: 3,
        name: "requests, erasure receipts, retention and holds",
        // Data subject requests (Art. 12-22) with the actions taken on them; erasure
        // receipts (no personal data: ids, counts, the reason and who to tell);
        // the dates retention triggers start from; legal holds. Self-contained: it
        // only adds tables, so it can be renumbered if another migration lands first.
        sql: r#"
CREATE TABLE requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id        TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection')),
    -- NULL until the requester is matched to a subject. Kept after the subject is
    -- erased: an id is not personal data once the subject is gone.
    subject_id       INTEGER,
    -- Who asked, as they gave it, until matched (personal data: wiped on erasure).
    requester_name   TEXT NOT NULL DEFAULT '',
    requester_email  TEXT NOT NULL DEFAULT '',
    requester_phone  TEXT NOT NULL DEFAULT '',
    received_on      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    verified_how     TEXT NOT NULL DEFAULT '',
    verified_on      TEXT,
    status           TEXT NOT NULL CHECK (status IN ('received', 'in_progress', 'extended', 'completed', 'refused')),
    extension_months INTEGER NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
    extension_reason TEXT NOT NULL DEFAULT '',
    refusal_reason   TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    -- What was sent for access and portability: {"format": .., "file_name": ..}.
    response         TEXT NOT NULL DEFAULT '',
    receipt_id       TEXT,
    closed_on        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX requests_by_subject ON requests(subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX requests_open ON requests(received_on) WHERE status NOT IN ('completed', 'refused');

-- What was done about a request, written by the core: codes, field names, counts.
CREATE TABLE request_actions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX request_actions_by_request ON request_actions(request_id);

-- What remains of an erased subject. No personal data.
CREATE TABLE erasure_receipts (
    id             TEXT PRIMARY KEY,
    erased_at      TEXT NOT NULL,
    subject_id     INTEGER NOT NULL,
    -- SHA-256 over the register id, the subject id and its creation time: tells the
    -- erased subject from a later one with the same id when a receipt is re-applied.
    subject_tag    TEXT NOT NULL,
    trigger        TEXT NOT NULL CHECK (trigger IN ('manual', 'request', 'retention', 'journal')),
    reason         TEXT NOT NULL,
    request_id     INTEGER,
    request_ref    TEXT,
    records        INTEGER NOT NULL,
    consent_events INTEGER NOT NULL,
    per_activity   TEXT NOT NULL,
    notify         TEXT NOT NULL
) STRICT;
CREATE INDEX erasure_receipts_by_time ON erasure_receipts(erased_at);

-- The dates retention triggers count from, per subject and activity. Collected is
-- each record's own date; last contact falls back to the latest record collected.
CREATE TABLE retention_dates (
    subject_id  INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    trigger     TEXT NOT NULL CHECK (trigger IN ('relationship_ended', 'application_closed', 'unsubscribed', 'last_contact')),
    on_date     TEXT NOT NULL,
    PRIMARY KEY (subject_id, activity_id, trigger)
) STRICT, WITHOUT ROWID;
CREATE INDEX retention_dates_by_activity ON retention_dates(activity_id);

-- A legal hold stops deletion of a subject or of an activity's records.
CREATE TABLE legal_holds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id      INTEGER REFERENCES subjects(id) ON DELETE CASCADE,
    activity_id     INTEGER REFERENCES activities(id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    until           TEXT,
    created_at      TEXT NOT NULL,
    released_at     TEXT,
    released_reason TEXT NOT NULL DEFAULT '',
    CHECK ((subject_id IS NULL) <> (activity_id IS NULL))
) STRICT;
"#,
    },
    Migration {
        version: 4,
        name: "suppression list",
        // People erased at their request or who objected to direct marketing, kept as
        // keyed hashes of their e-mail and telephone only (see store/suppression.rs),
        // so that a re-import does not bring them back.
        sql: r#"
CREATE TABLE suppressions (
    id         INTEGER PRIMARY KEY,
    reason     TEXT NOT NULL CHECK (reason IN ('erased', 'objected')),
    email_mac  TEXT,
    phone_mac  TEXT,
    receipt_id TEXT,
    on_date    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (email_mac IS NOT NULL OR phone_mac IS NOT NULL)
) STRICT;
CREATE INDEX suppressions_email ON suppressions (email_mac);
CREATE INDEX suppressions_phone ON suppressions (phone_mac);
"#,
    },
    Migration {
        version: 5,
        name: "erasure with statutory exceptions; audit text outside the chain",
        // An erasure keeps the records a legal obligation or a legal hold requires
        // (Art. 17(3)(b), (e)): the receipt lists them (`kept`, JSON: record id,
        // activity, category, rule, until) and is completed (`completed_at`) when the
        // retention engine erases the last of them. An audit event's free text (its
        // reason) is committed to by the chain through a keyed hash (`reason_mac`), so
        // that an erasure can wipe the text and the chain still verifies; events written
        // before this version keep `reason_mac` NULL and their hash covers the text.
        sql: r#"
ALTER TABLE erasure_receipts ADD COLUMN kept TEXT NOT NULL DEFAULT '[]';
ALTER TABLE erasure_receipts ADD COLUMN completed_at TEXT;
UPDATE erasure_receipts SET completed_at = erased_at;
CREATE INDEX erasure_receipts_pending ON erasure_receipts(subject_id) WHERE completed_at IS NULL;

-- Changes that remove or replace personal data, for the receipts journal (see
-- store/changes.rs): id, when, whose, and the change as JSON (record ids and tags; a
-- rectified value sealed under the person's own key, `subjects.seal_key`, which goes
-- with them when they are erased). `body` 'null': a change from a journal that had
-- nothing to apply here.
CREATE TABLE journal_changes (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    subject_tag TEXT NOT NULL,
    trigger     TEXT NOT NULL,
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX journal_changes_by_subject ON journal_changes(subject_id);
-- The manager's decision on an objection to processing that is not direct marketing
-- (Art. 21(1)): carry on on compelling legitimate grounds, or stop.
CREATE TABLE objection_decisions (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    decision    TEXT NOT NULL CHECK (decision IN ('continue', 'stop')),
    grounds     TEXT NOT NULL,
    decided_at  TEXT NOT NULL
) STRICT;
ALTER TABLE subjects ADD COLUMN seal_key TEXT;
-- The ground a request was refused on (store/requests/model.rs, RefusalGround); '' for
-- one refused before grounds were recorded, or not refused.
ALTER TABLE requests ADD COLUMN refusal_ground TEXT NOT NULL DEFAULT '';
UPDATE subjects SET seal_key = lower(hex(randomblob(32)));

ALTER TABLE audit_events ADD COLUMN reason_mac TEXT;
DROP TRIGGER audit_events_no_update;
-- The one change the log allows: wiping the text of an event whose chain commits to
-- the text's keyed hash; every other column stays as written.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.reason = '' AND OLD.reason_mac IS NOT NULL
          AND NEW.reason_mac IS OLD.reason_mac AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at
          AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
          AND NEW.entity_id IS OLD.entity_id AND NEW.subject_id IS OLD.subject_id
          AND NEW.fields IS OLD.fields AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"#,
    },
    Migration {
        version: 6,
        name: "Art. 19 notifications; request outcomes, fees and replies",
        // Art. 19: each rectification, erasure or restriction is to be communicated to
        // every recipient the data was disclosed to, unless that is impossible or
        // involves disproportionate effort; one task per recipient (store/notify.rs).
        // A request's outcome (done, partly, no data, identity not established,
        // refused), what a partly completed request left undone and why, the fee
        // charged (Art. 12(5), 15(3); JSON, '' for none) and when and how the reply was
        // sent.
        sql: r#"
CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Kept after the subject is erased: an id is not personal data once they are gone.
    subject_id     INTEGER NOT NULL,
    cause          TEXT NOT NULL CHECK (cause IN ('erasure', 'rectification', 'restriction')),
    request_id     INTEGER,
    activity_id    INTEGER,
    recipient      TEXT NOT NULL,
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('processor', 'recipient', 'joint_controller')),
    created_on     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'told', 'impossible', 'disproportionate')),
    done_on        TEXT,
    how            TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_by_subject ON notifications(subject_id);
CREATE INDEX notifications_open ON notifications(created_on) WHERE status = 'open';

ALTER TABLE requests ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN not_done TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN fee TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN reply_sent_on TEXT;
ALTER TABLE requests ADD COLUMN reply_how TEXT NOT NULL DEFAULT '';
UPDATE requests SET outcome = CASE
    WHEN status = 'refused' AND refusal_ground = 'identity_not_established' THEN 'identity_not_established'
    WHEN status = 'refused' THEN 'refused'
    WHEN status = 'completed' AND EXISTS (SELECT 1 FROM request_actions a WHERE a.request_id = requests.id AND a.action = 'no_data') THEN 'no_data'
    WHEN status = 'completed' THEN 'done'
    ELSE '' END;
"#,
    },
    Migration {
        version: 7,
        name: "personal data breaches",
        // The breach log (Art. 33(5)): each breach's facts (JSON, no personal data),
        // the people affected as links to subjects (an erasure removes the link; the
        // counts made when they were chosen stay with the breach), the risk assessment
        // and the notices to Datatilsynet and to the people (Art. 33, 34). See
        // store/breaches.rs.
        sql: r#"
CREATE TABLE breaches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    reference    TEXT NOT NULL UNIQUE,
    facts        TEXT NOT NULL,
    aware_at     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'notified', 'closed')),
    selection    TEXT,
    affected     TEXT,
    assessment   TEXT,
    closed_at    TEXT,
    closing_note TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE TABLE breach_subjects (
    breach_id  INTEGER NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    PRIMARY KEY (breach_id, subject_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX breach_subjects_by_subject ON breach_subjects(subject_id);
CREATE TABLE breach_notices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    breach_id    INTEGER NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('initial', 'follow_up', 'subjects')),
    sent_at      TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    delay_reason TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    letters      INTEGER
) STRICT;
CREATE INDEX breach_notices_by_breach ON breach_notices(breach_id);
"#,
    },
    Migration {
        version: 8,
        name: "privacy notices, the processor's record, records by activity and category",
        // - `notices`: each published privacy notice (Art. 13, 14): the model it was
        //   written from (JSON, the register's words, no personal data) and the text as
        //   published, so drift and the difference between versions can be shown. See
        //   store/notice.rs.
        // - `clients`: the controllers this organisation processes personal data for
        //   as a processor, the record of Art. 30(2) (JSON body like `activities`).
        //   See store/clients.rs.
        // - `records_by_activity` gives way to an index on (activity, category,
        //   subject): it still serves every lookup by activity, and the breach page's
        //   count of the people in some activities and categories (Art. 33(3)(a))
        //   reads it alone instead of every record's row.
        // - `subjects.phone_norm`: the number's digits as `phone_key` reads them
        //   (`privreg_phone_key`, registered by `migrate`, so the rule stays in one
        //   place), for finding a person already registered with the same number.
        sql: r#"
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    language     TEXT NOT NULL CHECK (language IN ('en', 'nb')),
    published_at TEXT NOT NULL,
    model        TEXT NOT NULL,
    html         TEXT NOT NULL
) STRICT;
CREATE TABLE clients (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX records_by_activity_category ON records(activity_id, category, subject_id);
DROP INDEX records_by_activity;
ALTER TABLE subjects ADD COLUMN phone_norm TEXT NOT NULL DEFAULT '';
UPDATE subjects SET phone_norm = privreg_phone_key(phone) WHERE phone <> '';
CREATE INDEX subjects_by_phone ON subjects(phone_norm) WHERE phone_norm <> '';
"#,
    },
    Migration {
        version: 9,
        name: "counts kept as rows change, the people list sorted by e-mail from an index",
        // - `row_counts` and `activity_counts`: the number of people and records, and
        //   each activity's records and the people they belong to, kept by triggers as
        //   rows come and go (and as a merge moves records from one person to another),
        //   so the overview and the people list read them instead of counting millions
        //   of rows at every open (store/overview.rs). Filled from the rows here.
        // - `subjects_by_email` covers every person, those without an e-mail address
        //   too, so the list sorted by e-mail is read from the index instead of sorting
        //   every person at each page.
        sql: r#"
CREATE TABLE row_counts (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO row_counts (name, n) VALUES
    ('subjects', (SELECT count(*) FROM subjects)),
    ('records', (SELECT count(*) FROM records));
CREATE TRIGGER subjects_counted_insert AFTER INSERT ON subjects
BEGIN UPDATE row_counts SET n = n + 1 WHERE name = 'subjects'; END;
CREATE TRIGGER subjects_counted_delete AFTER DELETE ON subjects
BEGIN UPDATE row_counts SET n = n - 1 WHERE name = 'subjects'; END;

CREATE TABLE activity_counts (
    activity_id INTEGER PRIMARY KEY,
    records     INTEGER NOT NULL,
    subjects    INTEGER NOT NULL
) STRICT;
INSERT INTO activity_counts (activity_id, records, subjects)
    SELECT activity_id, count(*), count(DISTINCT subject_id) FROM records GROUP BY activity_id;
-- A person counts in an activity while they have one record in it. The look-up reads
-- their few records through records_by_subject: the unary + keeps SQLite from taking
-- the activity's index instead, which would read every record of the activity at each
-- insert (an import of 100,000 people did not finish in minutes).
CREATE TRIGGER records_counted_insert AFTER INSERT ON records
BEGIN
    UPDATE row_counts SET n = n + 1 WHERE name = 'records';
    INSERT INTO activity_counts (activity_id, records, subjects) VALUES (NEW.activity_id, 0, 0)
        ON CONFLICT (activity_id) DO NOTHING;
    UPDATE activity_counts SET records = records + 1,
        subjects = subjects + NOT EXISTS (SELECT 1 FROM records
            WHERE subject_id = NEW.subject_id AND +activity_id = NEW.activity_id AND id <> NEW.id)
    WHERE activity_id = NEW.activity_id;
END;
CREATE TRIGGER records_counted_delete AFTER DELETE ON records
BEGIN
    UPDATE row_counts SET n = n - 1 WHERE name = 'records';
    UPDATE activity_counts SET records = records - 1,
        subjects = subjects - NOT EXISTS (SELECT 1 FROM records
            WHERE subject_id = OLD.subject_id AND +activity_id = OLD.activity_id)
    WHERE activity_id = OLD.activity_id;
END;
CREATE TRIGGER records_counted_move AFTER UPDATE OF subject_id, activity_id ON records
BEGIN
    UPDATE activity_counts SET records = records - 1,
        subjects = subjects - NOT EXISTS (SELECT 1 FROM records
            WHERE subject_id = OLD.subject_id AND +activity_id = OLD.activity_id)
    WHERE activity_id = OLD.activity_id;
    INSERT INTO activity_counts (activity_id, records, subjects) VALUES (NEW.activity_id, 0, 0)
        ON CONFLICT (activity_id) DO NOTHING;
    UPDATE activity_counts SET records = records + 1,
        subjects = subjects + NOT EXISTS (SELECT 1 FROM records
            WHERE subject_id = NEW.subject_id AND +activity_id = NEW.activity_id AND id <> NEW.id)
    WHERE activity_id = NEW.activity_id;
END;

DROP INDEX subjects_by_email;
CREATE INDEX subjects_by_email ON subjects(email_norm);
"#,
    },
];

pub const LATEST: i64 = 9;

// The list and the number agree, checked when the crate compiles: the versions are
// 1, 2, ... in order and the last is LATEST.
const _: () = {
    assert!(
        MIGRATIONS.len() as i64 == LATEST,
        "LATEST is not the number of migrations"
    );
    let mut i = 0;
    while i < MIGRATIONS.len() {
        assert!(
            MIGRATIONS[i].version == i as i64 + 1,
            "migrations are numbered 1, 2, ... in order"
        );
        i += 1;
    }
};

/// Brings the schema up to [`LATEST`]; refuses a file from a newer program.
pub fn migrate(conn: &mut Connection, now: &str) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT;",
    )?;
    let current: i64 = conn
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .optional()?
        .flatten()
        .unwrap_or(0);
    if current > LATEST {
        return Err(VaultError::NewerVersion {
            found: current,
            supported: LATEST,
        }
        .into());
    }
    // Migration 8 fills `subjects.phone_norm` with the Rust rule for phone numbers.
    conn.create_scalar_function(
        "privreg_phone_key",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let phone: String = ctx.get(0)?;
            Ok(crate::transfer::csv_import::phone_key(&phone).unwrap_or_default())
        },
    )?;
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![m.version, m.name, now],
        )?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(c: &Connection) -> Vec<i64> {
        let mut st = c
            .prepare("SELECT record_count FROM subjects ORDER BY id")
            .unwrap();
        let v = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        v
    }

    #[test]
    fn a_version_1_register_is_migrated_with_its_record_counts() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;",
        )
        .unwrap();
        c.execute_batch(MIGRATIONS[0].sql).unwrap();
        c.execute_batch(
            "INSERT INTO schema_migrations VALUES (1, 'register', 't');
             INSERT INTO activities (name, status, body, created_at, updated_at) VALUES ('a', 'draft', '{}', 't', 't');
             INSERT INTO subjects (name, created_at, updated_at) VALUES ('x', 't', 't'), ('y', 't', 't');
             INSERT INTO records (subject_id, activity_id, category, value, collected_on, created_at, updated_at)
               VALUES (1, 1, 'c', 'v', 'd', 't', 't'), (1, 1, 'c', 'w', 'd', 't', 't');",
        )
        .unwrap();
        migrate(&mut c, "now").unwrap();
        assert_eq!(counts(&c), [2, 0]);
        // The triggers keep it right from now on.
        c.execute("DELETE FROM records WHERE value = 'v'", [])
            .unwrap();
        c.execute("INSERT INTO records (subject_id, activity_id, category, value, collected_on, created_at, updated_at) VALUES (2, 1, 'c', 'z', 'd', 't', 't')", []).unwrap();
        assert_eq!(counts(&c), [1, 1]);
        let version: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, LATEST);
    }
}
