//! The whole register as one versioned JSON file, and a new register made from one.
//!
//! # The format (`schemas/register-export.schema.json` documents every field)
//!
//! ```text
//! {
//!   "format": "privacy-register-export",
//!   "schema_version": 3,
//!   "exported_at": "2026-11-23T10:00:00.000000Z",
//!   "generator": "privreg-core 0.1.0",
//!   "source_register": "<the exporting register's id>",
//!   "sequences": {"activities": 12, ...},
//!   "tables": {
//!     "meta": [ {"key": "created_at", "value": "..."}, ... ],
//!     "controller": [...], "processors": [...], "activities": [...],
//!     "activity_processors": [...], "subjects": [...], "records": [...],
//!     "consent_events": [...], "requests": [...], "request_actions": [...],
//!     "erasure_receipts": [...], "retention_dates": [...], "legal_holds": [...],
//!     "audit_events": [...]
//!   }
//! }
//! ```
//!
//! Each table is an array of rows in primary-key order, one row a line, each row an
//! object with the table's columns in a fixed order. Ids are kept: an import restores
//! every row with its id, so the audit log's references stay true, and `sequences`
//! carries SQLite's AUTOINCREMENT counters so an id that was used once (an erased
//! subject's) is never handed out again. JSON bodies (controller, processors,
//! activities, what was sent for a request, an erasure receipt's counts and recipients)
//! are JSON values, not strings; an erasure receipt's `kept` is the JSON text the
//! erasure wrote, as a string. Left out, because they are derived and rebuilt on
//! import: the search index, `subjects.email_norm` and `phone_norm`, `subjects.record_count`. `meta`
//! carries `created_at` and the remembered CSV mappings, not the backup folder and
//! backup dates (they belong to the old register file); `schema_migrations` is not
//! carried (the new register is made at the current schema). Nor is the suppression
//! list (`store/suppression.rs`): its hashes are keyed to this register's key, which
//! never leaves it.
//!
//! The header names the source register and its backup folder (`source_backup_dir`,
//! where its receipts journal is). A register made from the file remembers both and
//! reads that journal when it is made and at every open: the erasures, deletions and
//! anonymisations made in the source after the export are applied (each line matched by
//! the tags of the person and records it names; its signature cannot be checked, the
//! key stayed in the source), so an older export does not bring anyone back, and a
//! person erased at their request is then on the new register's suppression list.
//! Corrections cannot be applied (the file does not carry the people's sealing keys)
//! and are reported.
//!
//! Every subject is exported, restricted ones (Art. 18) too, with their flag: the file
//! is the register's own copy, for moving it, not a disclosure. Requests keep what an
//! unmatched requester gave (name, e-mail, phone) and the notes; like the subjects and
//! records, that is personal data, written unencrypted. A request's `subject_id` has no
//! foreign key (it outlives the subject's erasure); an import refuses one that names
//! neither a subject in the file nor an erased one (a receipt in the file).
//!
//! # The audit log
//!
//! The log is exported whole, with its hashes, and restored as it was: the new
//! register's chain *is* the old chain. An import checks that the chain is unbroken
//! (a file edited after export is refused) and appends one `register.imported` event
//! to it; an export appends one `register.exported` event before it reads the tables,
//! so the file holds its own export event. Two exports of equal registers are therefore
//! equal after [`normalised`]: without `exported_at`, `source_register` and the
//! `register.exported` / `register.imported` events.
//!
//! An event's text (its reason) is committed to by a keyed hash, `reason_mac`, under a
//! key that never leaves the register it was written in (see `store/audit.rs`). The new
//! register does not have it, so the events restored from a file are checked for the
//! chain only (links and hashes, which need no key), by the import and by every later
//! check of the new register; its own events, from `register.imported` on, are checked
//! with its own key, their texts too.
//!
//! # Versions
//!
//! `schema_version` is [`FORMAT_VERSION`]. A file of a newer version is refused with
//! [`TransferError::NewerFormat`]. An older one is brought up to date by [`MIGRATIONS`],
//! one step a version, on the parsed JSON before it is read. A table missing from a
//! file is read as empty.
//!
//! | version | what changed                                                          |
//! |---------|-----------------------------------------------------------------------|
//! | 1       | the first: register, subjects, records, consents, audit log            |
//! | 2       | adds `requests`, `request_actions`, `erasure_receipts`, `retention_dates`, `legal_holds` (a version 1 file has none) |
//! | 6       | adds `clients` (the controllers this organisation is a processor for, Art. 30(2)) and `notices` (the published privacy notices, Art. 13, 14); a version 5 file has none |
//! | 5       | adds `breaches`, `breach_subjects` and `breach_notices` (the breach log, Art. 33(5)); a version 4 file has none |
//! | 4       | adds `notifications` (the Art. 19 tasks), `objection_decisions` (Art. 21(1)) and the request columns `outcome`, `not_done`, `fee`, `reply_sent_on`, `reply_how`; a version 3 file's requests get the outcome their status and actions say |
//! | 3       | adds `audit_events.reason_mac` (the keyed hash of the text; `null` for events written before it), `erasure_receipts.kept` (the records the erasure kept, as JSON text; `"[]"`) and `erasure_receipts.completed_at` (`null` until the last kept record is erased); a version 2 file is read with those values |
//!
//! # Adding a table
//!
//! 1. Add a [`TableSpec`] to [`TABLES`], after the tables it refers to.
//! 2. Add it to `schemas/register-export.schema.json` (a test compares the two).
//! 3. Raise [`FORMAT_VERSION`] and add its step to [`MIGRATIONS`] (the newest version a
//!    reader knows is the number of steps plus one; a build fails when they disagree).
//!    Older files simply lack the table, so the step does nothing unless an existing
//!    table changes shape.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::csv::io_error;
use crate::clock::Clock;
use crate::error::{Error, Result, TransferError};
use crate::model::{Activity, ClientController, Controller, Processor};
use crate::secret::{Passphrase, RecoveryKey};
use crate::store::audit::{self, NewEvent};
use crate::store::erasure::ActivityCount;
use crate::store::requests::SentReport;
use crate::store::search::index_all;
use crate::store::{sync_dir, Register, Start, Unlock};

pub const FORMAT: &str = "privacy-register-export";
/// The version this program writes; it reads this and every older one.
pub const FORMAT_VERSION: u64 = 6;

/// How a column is written in JSON and stored in SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    /// 0/1 in SQLite, `false`/`true` in JSON.
    Bool,
    /// JSON text in SQLite, a JSON value in the file; read back through its type.
    Json(Body),
    /// [`Kind::Json`] that may be empty: `''` in SQLite, `null` in the file.
    OptJson(Body),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Controller,
    Processor,
    Activity,
    /// A controller this organisation processes personal data for (Art. 30(2)).
    Client,
    /// A list of strings (an audit event's field names, an erasure receipt's recipients).
    Strings,
    /// What was sent for an access or portability request.
    SentReport,
    /// An erasure receipt's records per activity.
    ActivityCounts,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

/// One table of the export.
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [Column],
    /// `ORDER BY` of the export: the primary key.
    pub order: &'static str,
    /// Which rows are exported (`WHERE`), when not all.
    pub only: Option<&'static str>,
}

use Kind::*;

/// Every table, in an order where a table comes after those it refers to (the import
/// inserts them in this order).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "meta",
        columns: &[col("key", Text), col("value", Text)],
        order: "key",
        only: Some("key = 'created_at' OR key LIKE 'csv\\_mapping.%' ESCAPE '\\'"),
    },
    TableSpec {
        name: "controller",
        columns: &[
            col("id", Int),
            col("body", Json(Body::Controller)),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "processors",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("body", Json(Body::Processor)),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "clients",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("body", Json(Body::Client)),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "activities",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("status", Text),
            col("last_reviewed", OptText),
            col("body", Json(Body::Activity)),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "activity_processors",
        columns: &[col("activity_id", Int), col("processor_id", Int)],
        order: "activity_id, processor_id",
        only: None,
    },
    TableSpec {
        name: "subjects",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("email", Text),
            col("phone", Text),
            col("restricted", Bool),
            col("marketing_objection", Bool),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "records",
        columns: &[
            col("id", Int),
            col("subject_id", Int),
            col("activity_id", Int),
            col("category", Text),
            col("value", Text),
            col("source", Text),
            col("collected_on", Text),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "consent_events",
        columns: &[
            col("id", Int),
            col("subject_id", Int),
            col("activity_id", Int),
            col("purpose", Text),
            col("kind", Text),
            col("method", Text),
            col("at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "requests",
        columns: &[
            col("id", Int),
            col("public_id", Text),
            col("kind", Text),
            // No foreign key: kept after the subject is erased (checked on import).
            col("subject_id", OptInt),
            col("requester_name", Text),
            col("requester_email", Text),
            col("requester_phone", Text),
            col("received_on", Text),
            col("channel", Text),
            col("verified_how", Text),
            col("verified_on", OptText),
            col("status", Text),
            col("extension_months", Int),
            col("extension_reason", Text),
            col("refusal_reason", Text),
            col("notes", Text),
            col("response", OptJson(Body::SentReport)),
            col("receipt_id", OptText),
            col("closed_on", OptText),
            col("created_at", Text),
            col("updated_at", Text),
            col("refusal_ground", Text),
            col("outcome", Text),
            col("not_done", Text),
            // JSON text as stored ('' for no fee).
            col("fee", Text),
            col("reply_sent_on", OptText),
            col("reply_how", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "request_actions",
        columns: &[
            col("id", Int),
            col("request_id", Int),
            col("at", Text),
            col("action", Text),
            col("detail", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "erasure_receipts",
        columns: &[
            col("id", Text),
            col("erased_at", Text),
            col("subject_id", Int),
            col("subject_tag", Text),
            col("trigger", Text),
            col("reason", Text),
            col("request_id", OptInt),
            col("request_ref", OptText),
            col("records", Int),
            col("consent_events", Int),
            col("per_activity", Json(Body::ActivityCounts)),
            col("notify", Json(Body::Strings)),
            // JSON text as the erasure wrote it: the records kept (Art. 17(3)).
            col("kept", Text),
            col("completed_at", OptText),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "retention_dates",
        columns: &[
            col("subject_id", Int),
            col("activity_id", Int),
            col("trigger", Text),
            col("on_date", Text),
        ],
        order: "subject_id, activity_id, trigger",
        only: None,
    },
    TableSpec {
        name: "legal_holds",
        columns: &[
            col("id", Int),
            col("subject_id", OptInt),
            col("activity_id", OptInt),
            col("reason", Text),
            col("until", OptText),
            col("created_at", Text),
            col("released_at", OptText),
            col("released_reason", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "objection_decisions",
        columns: &[
            col("id", Int),
            col("subject_id", Int),
            col("activity_id", Int),
            col("decision", Text),
            col("grounds", Text),
            col("decided_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "notifications",
        columns: &[
            col("id", Int),
            // No foreign key: kept after the subject is erased (checked on import).
            col("subject_id", Int),
            col("cause", Text),
            col("request_id", OptInt),
            col("activity_id", OptInt),
            col("recipient", Text),
            col("recipient_kind", Text),
            col("created_on", Text),
            col("status", Text),
            col("done_on", OptText),
            col("how", Text),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "breaches",
        columns: &[
            col("id", Int),
            col("reference", Text),
            // JSON text as stored: the facts, the selection, the counts, the assessment.
            col("facts", Text),
            col("aware_at", Text),
            col("status", Text),
            col("selection", OptText),
            col("affected", OptText),
            col("assessment", OptText),
            col("closed_at", OptText),
            col("closing_note", Text),
            col("created_at", Text),
            col("updated_at", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "breach_subjects",
        columns: &[col("breach_id", Int), col("subject_id", Int)],
        order: "breach_id, subject_id",
        only: None,
    },
    TableSpec {
        name: "breach_notices",
        columns: &[
            col("id", Int),
            col("breach_id", Int),
            col("kind", Text),
            col("sent_at", Text),
            col("reference", Text),
            col("delay_reason", Text),
            col("note", Text),
            col("letters", OptInt),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "notices",
        columns: &[
            col("id", Int),
            col("language", Text),
            col("published_at", Text),
            // The model the notice was written from (JSON text as stored) and the HTML
            // as published.
            col("model", Text),
            col("html", Text),
        ],
        order: "id",
        only: None,
    },
    TableSpec {
        name: "audit_events",
        columns: &[
            col("seq", Int),
            col("at", Text),
            col("actor", Text),
            col("action", Text),
            col("entity", Text),
            col("entity_id", OptInt),
            col("subject_id", OptInt),
            col("fields", Json(Body::Strings)),
            col("reason", Text),
            col("prev_hash", Text),
            col("hash", Text),
            col("reason_mac", OptText),
        ],
        order: "seq",
        only: None,
    },
];

/// One step from version `from` to `from + 1`, on the parsed file.
pub type Migration = fn(&mut Map<String, Value>) -> std::result::Result<(), String>;

/// `MIGRATIONS[i]` brings a file from version `i + 1` to `i + 2`.
pub const MIGRATIONS: &[Migration] = &[v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5, v5_to_v6];

// The newest version [`migrate`] accepts is the number of steps plus one.
const _: () = assert!(MIGRATIONS.len() as u64 + 1 == FORMAT_VERSION);

/// Version 2 added the requests, erasure receipts, retention dates and legal holds. A
/// version 1 file has none of them, and a missing table is read as empty: nothing to do.
fn v1_to_v2(_: &mut Map<String, Value>) -> std::result::Result<(), String> {
    Ok(())
}

/// Version 3 (the register's schema version 5) added an audit event's keyed text hash
/// (`reason_mac`) and an erasure receipt's kept records and completion (`kept`,
/// `completed_at`). A version 2 file's events have no mac (their hashes cover their
/// texts) and its receipts kept nothing: `null`, `"[]"` and `null`. What is not an
/// array of objects is left for the reader to refuse.
fn v2_to_v3(top: &mut Map<String, Value>) -> std::result::Result<(), String> {
    let Some(Value::Object(tables)) = top.get_mut("tables") else {
        return Ok(());
    };
    let added = [
        ("audit_events", "reason_mac", Value::Null),
        ("erasure_receipts", "kept", Value::from("[]")),
        ("erasure_receipts", "completed_at", Value::Null),
        ("requests", "refusal_ground", Value::from("")),
    ];
    for (table, column, value) in added {
        if let Some(Value::Array(rows)) = tables.get_mut(table) {
            for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                // Every erasure before version 3 was complete when it was made.
                let value = match (column, row.get("erased_at")) {
                    ("completed_at", Some(at)) => at.clone(),
                    _ => value.clone(),
                };
                row.entry(column).or_insert(value);
            }
        }
    }
    Ok(())
}

/// Version 4 (the register's schema version 6) added the Art. 19 tasks and the
/// objection decisions (a version 3 file has none: empty tables) and a request's
/// outcome, what was left undone, its fee and its reply. A version 3 file's requests
/// get the outcome their status, ground and actions say, as the register's own
/// migration 6 gives them, and no fee or reply.
fn v3_to_v4(top: &mut Map<String, Value>) -> std::result::Result<(), String> {
    let Some(Value::Object(tables)) = top.get_mut("tables") else {
        return Ok(());
    };
    let no_data: std::collections::HashSet<i64> = match tables.get("request_actions") {
        Some(Value::Array(rows)) => rows
            .iter()
            .filter(|a| a.get("action").and_then(Value::as_str) == Some("no_data"))
            .filter_map(|a| a.get("request_id").and_then(Value::as_i64))
            .collect(),
        _ => Default::default(),
    };
    if let Some(Value::Array(rows)) = tables.get_mut("requests") {
        for row in rows.iter_mut().filter_map(Value::as_object_mut) {
            let status = row.get("status").and_then(Value::as_str).unwrap_or("");
            let ground = row
                .get("refusal_ground")
                .and_then(Value::as_str)
                .unwrap_or("");
            let id = row.get("id").and_then(Value::as_i64);
            let outcome = match status {
                "refused" if ground == "identity_not_established" => "identity_not_established",
                "refused" => "refused",
                "completed" if id.is_some_and(|i| no_data.contains(&i)) => "no_data",
                "completed" => "done",
                _ => "",
            };
            row.entry("outcome").or_insert(Value::from(outcome));
            row.entry("not_done").or_insert(Value::from(""));
            row.entry("fee").or_insert(Value::from(""));
            row.entry("reply_sent_on").or_insert(Value::Null);
            row.entry("reply_how").or_insert(Value::from(""));
        }
    }
    Ok(())
}

/// Version 5 (the register's schema version 7) added the breach log's three tables. A
/// version 4 file has none of them, and a missing table is read as empty.
fn v4_to_v5(_: &mut Map<String, Value>) -> std::result::Result<(), String> {
    Ok(())
}

/// Version 6 added `clients` and `notices`; a version 5 file has none.
fn v5_to_v6(_: &mut Map<String, Value>) -> std::result::Result<(), String> {
    Ok(())
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub schema_version: u64,
    /// (table, rows)
    pub tables: Vec<(String, usize)>,
}

/// A checked export file, ready to be written into a new register. `Debug` prints
/// counts only: the rows are personal data.
pub struct ExportFile {
    /// The version the file was written in (it has been migrated to the current one).
    pub read_version: u64,
    pub exported_at: String,
    pub source_register: String,
    /// The exporting register's backup folder (its receipts journal), if it had one.
    pub source_backup_dir: Option<String>,
    sequences: Vec<(String, i64)>,
    /// Rows per table, in [`TABLES`] order, as SQLite values in column order.
    tables: Vec<(&'static TableSpec, Vec<Vec<Sql>>)>,
}

impl std::fmt::Debug for ExportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<(&str, usize)> =
            self.tables.iter().map(|(t, r)| (t.name, r.len())).collect();
        f.debug_struct("ExportFile")
            .field("read_version", &self.read_version)
            .field("exported_at", &self.exported_at)
            .field("tables", &counts)
            .finish_non_exhaustive()
    }
}

impl ExportFile {
    /// (table, rows)
    pub fn counts(&self) -> Vec<(String, usize)> {
        self.tables
            .iter()
            .map(|(t, r)| (t.name.to_string(), r.len()))
            .collect()
    }
}

/// What an import restored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RestoreSummary {
    /// The current version, which the register was restored from.
    pub format_version: u64,
    /// The file's version when it was older and migrated.
    pub migrated_from: Option<u64>,
    pub exported_at: String,
    pub source_register: String,
    pub tables: Vec<(String, usize)>,
    /// Events in the restored log, the import's own included.
    pub audit_events: i64,
    /// The erasures and corrections made in the source register after the export,
    /// applied from its receipts journal when the new register was first opened.
    #[serde(default)]
    pub journal: crate::store::erasure::JournalApplied,
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

fn bad(msg: impl Into<String>) -> Error {
    Error::Corrupt(msg.into())
}

/// A stored JSON body, re-serialised through its type: the export's key order is the
/// type's field order, whatever serde_json's map does.
fn body_json(body: Body, text: &str) -> Result<String> {
    let corrupt = |_| bad("a stored JSON body does not read");
    Ok(match body {
        Body::Controller => {
            serde_json::to_string(&serde_json::from_str::<Controller>(text).map_err(corrupt)?)?
        }
        Body::Processor => {
            serde_json::to_string(&serde_json::from_str::<Processor>(text).map_err(corrupt)?)?
        }
        Body::Activity => {
            serde_json::to_string(&serde_json::from_str::<Activity>(text).map_err(corrupt)?)?
        }
        Body::Client => serde_json::to_string(
            &serde_json::from_str::<ClientController>(text).map_err(corrupt)?,
        )?,
        Body::Strings => {
            serde_json::to_string(&serde_json::from_str::<Vec<String>>(text).map_err(corrupt)?)?
        }
        Body::SentReport => {
            serde_json::to_string(&serde_json::from_str::<SentReport>(text).map_err(corrupt)?)?
        }
        Body::ActivityCounts => serde_json::to_string(
            &serde_json::from_str::<Vec<ActivityCount>>(text).map_err(corrupt)?,
        )?,
    })
}

fn select(t: &TableSpec) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
    format!(
        "SELECT {} FROM {}{} ORDER BY {}",
        cols.join(", "),
        t.name,
        t.only.map(|w| format!(" WHERE {w}")).unwrap_or_default(),
        t.order
    )
}

fn count(conn: &Connection, t: &TableSpec) -> Result<usize> {
    let sql = format!(
        "SELECT count(*) FROM {}{}",
        t.name,
        t.only.map(|w| format!(" WHERE {w}")).unwrap_or_default()
    );
    Ok(conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as usize)
}

fn write_row(t: &TableSpec, w: &mut dyn Write, row: &rusqlite::Row) -> Result<()> {
    let io = |e: std::io::Error| bad(format!("writing: {e}"));
    w.write_all(b"{").map_err(io)?;
    for (i, c) in t.columns.iter().enumerate() {
        if i > 0 {
            w.write_all(b",").map_err(io)?;
        }
        w.write_all(serde_json::to_string(c.name)?.as_bytes())
            .map_err(io)?;
        w.write_all(b":").map_err(io)?;
        let text = match c.kind {
            Int => row.get::<_, i64>(i)?.to_string(),
            OptInt => match row.get::<_, Option<i64>>(i)? {
                Some(v) => v.to_string(),
                None => "null".into(),
            },
            Text => serde_json::to_string(&row.get::<_, String>(i)?)?,
            OptText => serde_json::to_string(&row.get::<_, Option<String>>(i)?)?,
            Bool => (row.get::<_, i64>(i)? != 0).to_string(),
            Json(body) => body_json(body, &row.get::<_, String>(i)?)?,
            OptJson(body) => match row.get::<_, String>(i)? {
                t if t.is_empty() => "null".into(),
                t => body_json(body, &t)?,
            },
        };
        w.write_all(text.as_bytes()).map_err(io)?;
    }
    w.write_all(b"}").map_err(io)?;
    Ok(())
}

fn sequences(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut st = conn.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|(n, _)| TABLES.iter().any(|t| t.name == n))
        .collect())
}

/// Writes the file: header fields first, then each table, one row a line.
fn write_export(conn: &Connection, w: &mut dyn Write, now: &str, register: &str) -> Result<()> {
    let io = |e: std::io::Error| bad(format!("writing: {e}"));
    let s = |v: &str| serde_json::to_string(v).expect("a string serialises");
    let mut head = String::new();
    head.push_str("{\n");
    head.push_str(&format!("  \"format\": {},\n", s(FORMAT)));
    head.push_str(&format!("  \"schema_version\": {FORMAT_VERSION},\n"));
    head.push_str(&format!("  \"exported_at\": {},\n", s(now)));
    head.push_str(&format!(
        "  \"generator\": {},\n",
        s(&format!("privreg-core {}", env!("CARGO_PKG_VERSION")))
    ));
    head.push_str(&format!("  \"source_register\": {},\n", s(register)));
    let backup_dir: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'backup_dir'", [], |r| {
            r.get(0)
        })
        .optional()?;
    head.push_str(&format!(
        "  \"source_backup_dir\": {},\n",
        serde_json::to_string(&backup_dir).expect("a string serialises")
    ));
    let seqs: Vec<String> = sequences(conn)?
        .iter()
        .map(|(n, v)| format!("{}: {v}", s(n)))
        .collect();
    head.push_str(&format!("  \"sequences\": {{{}}},\n", seqs.join(", ")));
    head.push_str("  \"tables\": {");
    w.write_all(head.as_bytes()).map_err(io)?;
    for (ti, t) in TABLES.iter().enumerate() {
        let sep = if ti == 0 { "\n" } else { ",\n" };
        w.write_all(format!("{sep}    {}: [", s(t.name)).as_bytes())
            .map_err(io)?;
        let mut st = conn.prepare(&select(t))?;
        let mut rows = st.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            w.write_all(if n == 0 { b"\n      " } else { b",\n      " })
                .map_err(io)?;
            write_row(t, w, row)?;
            n += 1;
        }
        if n > 0 {
            w.write_all(b"\n    ").map_err(io)?;
        }
        w.write_all(b"]").map_err(io)?;
    }
    w.write_all(b"\n  }\n}\n").map_err(io)?;
    Ok(())
}

/// Writes `path` the private, atomic way ([`crate::files`]): owner-only, synced, and
/// renamed over `path` only when whole, so `path` is never half-written. The file holds
/// personal data unencrypted.
pub fn write_atomically(path: &Path, f: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    crate::files::write_private_with(path, f)
}

impl Register {
    /// Exports every table to `path` (replaced atomically). The export is audited, in
    /// the same transaction that reads the tables, so the file holds its own event; if
    /// the file cannot be written, neither is the event.
    pub fn export_json(&mut self, path: &Path) -> Result<ExportSummary> {
        let id = self.id().to_string();
        let tables = self.write(|tx, ctx| {
            let mut counts = Vec::new();
            for t in TABLES {
                counts.push((t.name.to_string(), count(tx, t)?));
            }
            let fields: Vec<String> = counts
                .iter()
                .filter(|(t, _)| t != "audit_events")
                .map(|(t, n)| format!("{t}:{n}"))
                .collect();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("register.exported", "register", None).fields(&fields),
            )?;
            write_atomically(path, |w| write_export(tx, w, &ctx.now, &id))?;
            // The count as written, the export's own event included.
            if let Some(a) = counts.iter_mut().find(|(t, _)| t == "audit_events") {
                a.1 += 1;
            }
            Ok(counts)
        })?;
        Ok(ExportSummary {
            path: path.to_path_buf(),
            schema_version: FORMAT_VERSION,
            tables,
        })
    }
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// Reads and checks an export file (see [`parse_export`]).
pub fn read_export_file(path: &Path) -> Result<ExportFile> {
    let bytes = fs::read(path).map_err(|e| io_error("reading", path, e))?;
    parse_export(&bytes)
}

fn not_export(msg: &str) -> Error {
    TransferError::NotAnExport(msg.to_string()).into()
}

fn bad_export(msg: String) -> Error {
    TransferError::BadExport(msg).into()
}

/// Parses, checks the format and version, migrates an older version, and converts every
/// row to the register's column types. Everything that can be checked without a
/// database is checked here, before a register file is made. Errors name the table, the
/// row (counted from 1) and the column, never a value.
pub fn parse_export(bytes: &[u8]) -> Result<ExportFile> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            not_export(&format!(
                "it is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        } else {
            not_export("it is not valid JSON")
        }
    })?;
    let Value::Object(mut top) = value else {
        return Err(not_export("it is not a JSON object"));
    };
    if top.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(not_export(&format!("it has no \"format\": \"{FORMAT}\"")));
    }
    let version = top
        .get("schema_version")
        .and_then(Value::as_u64)
        .filter(|v| *v >= 1)
        .ok_or_else(|| bad_export("\"schema_version\" is not a whole number from 1".into()))?;
    migrate(&mut top, version, MIGRATIONS)?;
    let text = |key: &str| -> Result<String> {
        top.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| bad_export(format!("\"{key}\" is missing or not text")))
    };
    let exported_at = text("exported_at")?;
    if chrono::DateTime::parse_from_rfc3339(&exported_at).is_err() {
        return Err(bad_export("\"exported_at\" is not an RFC 3339 time".into()));
    }
    let source_register = text("source_register")?;
    if source_register.len() > 64
        || !source_register
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(bad_export(
            "\"source_register\" is not a register id".into(),
        ));
    }
    let source_backup_dir = match top.get("source_backup_dir") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if d.len() < 4096 => Some(d.clone()),
        Some(_) => {
            return Err(bad_export(
                "\"source_backup_dir\" is not a folder's path".into(),
            ))
        }
    };
    let mut sequences = Vec::new();
    match top.get("sequences") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (name, v) in m {
                if !TABLES.iter().any(|t| t.name == name) {
                    return Err(bad_export(format!(
                        "\"sequences\" names an unknown table \"{}\"",
                        short(name)
                    )));
                }
                let n = v.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
                    bad_export(format!("\"sequences\".\"{name}\" is not a whole number"))
                })?;
                sequences.push((name.clone(), n));
            }
        }
        Some(_) => return Err(bad_export("\"sequences\" is not an object".into())),
    }
    let Some(Value::Object(tables_in)) = top.get_mut("tables") else {
        return Err(bad_export("\"tables\" is missing or not an object".into()));
    };
    if let Some(unknown) = tables_in
        .keys()
        .find(|k| !TABLES.iter().any(|t| t.name == *k))
    {
        return Err(bad_export(format!("unknown table \"{}\"", short(unknown))));
    }
    let mut tables = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        let rows = match tables_in.remove(t.name) {
            None => Vec::new(),
            Some(Value::Array(rows)) => rows,
            Some(_) => return Err(bad_export(format!("table {} is not an array", t.name))),
        };
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            let row = convert_row(t, i + 1, row)?;
            if t.name == "meta" && !carried_meta(&row[0]) {
                return Err(bad_export(format!(
                    "table meta, row {}: not a setting an export carries",
                    i + 1
                )));
            }
            out.push(row);
        }
        tables.push((t, out));
    }
    check_references(&tables)?;
    Ok(ExportFile {
        read_version: version,
        exported_at,
        source_register,
        source_backup_dir,
        sequences,
        tables,
    })
}

/// The references between tables that have no foreign key, so the database cannot
/// check them: a request's subject (kept after the subject's erasure, so it must be a
/// subject in the file or one with an erasure receipt), a request's receipt and a
/// receipt's request (neither is ever deleted). The ones with a foreign key are checked
/// by the database as the rows go in.
fn check_references(tables: &[(&'static TableSpec, Vec<Vec<Sql>>)]) -> Result<()> {
    use std::collections::HashSet;
    // A column's values as keys (each column holds one type); NULL is no reference.
    let column = |table: &str, name: &str| -> Vec<Option<String>> {
        let Some((t, rows)) = tables.iter().find(|(t, _)| t.name == table) else {
            return Vec::new();
        };
        let i = t
            .columns
            .iter()
            .position(|c| c.name == name)
            .expect("a column of the table");
        rows.iter()
            .map(|r| match &r[i] {
                Sql::Integer(n) => Some(n.to_string()),
                Sql::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    };
    let set = |table: &str, name: &str| -> HashSet<String> {
        column(table, name).into_iter().flatten().collect()
    };
    let subjects = set("subjects", "id");
    let erased = set("erasure_receipts", "subject_id");
    let requests = set("requests", "id");
    let receipts = set("erasure_receipts", "id");
    let check = |table: &str, name: &str, known: &dyn Fn(&str) -> bool, what: &str| match column(
        table, name,
    )
    .iter()
    .position(|v| v.as_deref().is_some_and(|v| !known(v)))
    {
        Some(i) => Err(bad_export(format!(
            "table {table}, row {}, column {name}: {what}",
            i + 1
        ))),
        None => Ok(()),
    };
    check(
        "requests",
        "subject_id",
        &|v| subjects.contains(v) || erased.contains(v),
        "no such subject in the file, and no erasure receipt for it",
    )?;
    check(
        "requests",
        "receipt_id",
        &|v| receipts.contains(v),
        "no such erasure receipt in the file",
    )?;
    check(
        "erasure_receipts",
        "request_id",
        &|v| requests.contains(v),
        "no such request in the file",
    )?;
    check(
        "notifications",
        "subject_id",
        &|v| subjects.contains(v) || erased.contains(v),
        "no such subject in the file, and no erasure receipt for it",
    )?;
    check(
        "notifications",
        "request_id",
        &|v| requests.contains(v),
        "no such request in the file",
    )
}

/// The `meta` keys an export carries (the `only` of the meta table, for the import).
fn carried_meta(key: &Sql) -> bool {
    matches!(key, Sql::Text(k) if k == "created_at" || k.starts_with("csv_mapping."))
}

/// A name from the file, cut short for a message.
fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Applies `steps[v - 1]` for each version `v` from `from` up to the current one.
pub fn migrate(top: &mut Map<String, Value>, from: u64, steps: &[Migration]) -> Result<()> {
    let latest = steps.len() as u64 + 1;
    if from > latest {
        return Err(TransferError::NewerFormat {
            found: from,
            supported: latest,
        }
        .into());
    }
    for (i, step) in steps.iter().enumerate().skip((from - 1) as usize) {
        step(top).map_err(|e| {
            bad_export(format!(
                "migrating from version {} to {}: {e}",
                i + 1,
                i + 2
            ))
        })?;
        top.insert("schema_version".into(), Value::from(i as u64 + 2));
    }
    Ok(())
}

fn convert_row(t: &TableSpec, n: usize, row: Value) -> Result<Vec<Sql>> {
    let Value::Object(mut obj) = row else {
        return Err(bad_export(format!(
            "table {}, row {n}: not an object",
            t.name
        )));
    };
    let mut out = Vec::with_capacity(t.columns.len());
    for c in t.columns {
        let at = || format!("table {}, row {n}, column {}", t.name, c.name);
        let v = obj.remove(c.name).unwrap_or(Value::Null);
        let want = |what: &str| bad_export(format!("{}: expected {what}", at()));
        out.push(match (c.kind, v) {
            (Int | OptInt, Value::Number(x)) => {
                Sql::Integer(x.as_i64().ok_or_else(|| want("a whole number"))?)
            }
            (OptInt | OptText, Value::Null) => Sql::Null,
            (Int | OptInt, _) => return Err(want("a whole number")),
            (Text | OptText, Value::String(s)) => Sql::Text(s),
            (Text | OptText, _) => return Err(want("text")),
            (Bool, Value::Bool(b)) => Sql::Integer(b as i64),
            (Bool, _) => return Err(want("true or false")),
            (OptJson(_), Value::Null) => Sql::Text(String::new()),
            (Json(body) | OptJson(body), v) => {
                let text = match body {
                    Body::Controller => serde_json::from_value::<Controller>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::Processor => serde_json::from_value::<Processor>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::Activity => serde_json::from_value::<Activity>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::Client => serde_json::from_value::<ClientController>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::Strings => serde_json::from_value::<Vec<String>>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::SentReport => serde_json::from_value::<SentReport>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                    Body::ActivityCounts => serde_json::from_value::<Vec<ActivityCount>>(v)
                        .ok()
                        .map(|x| serde_json::to_string(&x)),
                };
                let what = match (body, c.kind) {
                    (Body::Controller, _) => "a controller profile",
                    (Body::Processor, _) => "a processor",
                    (Body::Activity, _) => "a processing activity",
                    (Body::Client, _) => "a controller this organisation is a processor for",
                    (Body::Strings, _) => "a list of texts",
                    (Body::SentReport, OptJson(_)) => "null or what was sent (format, file_name)",
                    (Body::SentReport, _) => "what was sent (format, file_name)",
                    (Body::ActivityCounts, _) => {
                        "a list of counts (activity_id, activity, records)"
                    }
                };
                Sql::Text(text.ok_or_else(|| want(what))??)
            }
        });
    }
    if let Some(extra) = obj.keys().next() {
        return Err(bad_export(format!(
            "table {}, row {n}: unknown column \"{}\"",
            t.name,
            short(extra)
        )));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Import into a new register
// ---------------------------------------------------------------------------

/// Writes the file's rows into an empty register, rebuilds what is derived, checks the
/// audit chain and appends the import's event. One transaction.
fn fill(reg: &mut Register, file: &ExportFile) -> Result<i64> {
    reg.write(|tx, ctx| {
        for (t, rows) in &file.tables {
            let cols: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                t.name,
                cols.join(", "),
                marks.join(", ")
            );
            let mut st = tx.prepare(&sql)?;
            for (i, row) in rows.iter().enumerate() {
                st.execute(rusqlite::params_from_iter(row.iter()))
                    .map_err(|e| {
                        // SQLite names the constraint and column, never the value.
                        let why = match &e {
                            rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
                            other => other.to_string(),
                        };
                        bad_export(format!("table {}, row {}: {why}", t.name, i + 1))
                    })?;
            }
        }
        for (name, seq) in &file.sequences {
            let updated = tx.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
                rusqlite::params![name, seq],
            )?;
            if updated == 0 {
                tx.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                    rusqlite::params![name, seq],
                )?;
            }
        }
        // Derived data: the normalised e-mail and the search row of every subject
        // (record counts were kept by the triggers as records went in).
        crate::store::subjects::renormalise_emails(tx)?;
        index_all(tx)?;
        // The events were written under the source register's key: the chain only.
        let check = audit::verify(tx, None)?;
        if let Some(b) = check.first_broken {
            return Err(bad_export(format!(
                "the audit log's chain is broken at event {} ({}): the file was changed after it was exported",
                b.seq, b.problem
            )));
        }
        // The register the file came from, and where its journal is: opening this one
        // applies the erasures and corrections made there after the export.
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('source_register', ?1)",
            [&file.source_register],
        )?;
        if let Some(dir) = &file.source_backup_dir {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('source_backup_dir', ?1)",
                [dir],
            )?;
        }
        let created: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'created_at'", [], |r| r.get(0))
            .ok();
        if created.is_none() {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('created_at', ?1)",
                [&ctx.now],
            )?;
        }
        let counts: Vec<String> = file
            .tables
            .iter()
            .filter(|(t, _)| t.name != "audit_events")
            .map(|(t, rows)| format!("{}:{}", t.name, rows.len()))
            .collect();
        let fields: Vec<&str> = counts.iter().map(String::as_str).collect();
        let reason = format!(
            "restored from an export of register {} made {}",
            file.source_register, file.exported_at
        );
        ctx.audit(
            tx,
            NewEvent::new("register.imported", "register", None)
                .fields(&fields)
                .reason(&reason),
        )?;
        Ok(check.events + 1)
    })
}

fn summary(file: &ExportFile, audit_events: i64) -> RestoreSummary {
    RestoreSummary {
        format_version: FORMAT_VERSION,
        migrated_from: (file.read_version < FORMAT_VERSION).then_some(file.read_version),
        exported_at: file.exported_at.clone(),
        source_register: file.source_register.clone(),
        tables: file.counts(),
        audit_events,
        journal: Default::default(),
    }
}

fn remove_register_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".importing");
    PathBuf::from(tmp)
}

impl Register {
    /// Creates a new encrypted register at `path` (which must not exist) holding what
    /// `file` holds. The register is built under a temporary name and renamed into place
    /// only when complete: on any error nothing is left at `path`.
    pub fn create_from_export(
        path: &Path,
        passphrase: &Passphrase,
        clock: Arc<dyn Clock>,
        file: ExportFile,
    ) -> Result<(Register, RecoveryKey, RestoreSummary)> {
        if path.exists() {
            return Err(crate::error::VaultError::AlreadyExists {
                path: path.to_path_buf(),
            }
            .into());
        }
        let tmp = temp_path(path);
        remove_register_files(&tmp);
        let result = (|| {
            let (mut reg, recovery) =
                Register::create_as(&tmp, passphrase, clock.clone(), Start::Blank)?;
            let events = fill(&mut reg, &file)?;
            reg.close()?;
            Ok((recovery, events))
        })();
        let (recovery, events) = match result {
            Ok(r) => r,
            Err(e) => {
                remove_register_files(&tmp);
                return Err(e);
            }
        };
        fs::rename(&tmp, path).map_err(|e| io_error("renaming into place", path, e))?;
        sync_dir(path);
        let mut reg = Register::open(path, Unlock::Recovery(&recovery), clock)?;
        reg.keep_journal_key()?;
        let mut summary = summary(&file, events);
        let paths = reg.journal_paths();
        summary.journal = reg.apply_journals(&paths)?;
        Ok((reg, recovery, summary))
    }

    /// [`Register::create_from_export`] for an unencrypted register: for tests and
    /// benchmarks only, like [`Register::create_unencrypted`].
    #[doc(hidden)]
    pub fn create_unencrypted_from_export(
        path: &Path,
        clock: Arc<dyn Clock>,
        file: ExportFile,
    ) -> Result<(Register, RestoreSummary)> {
        let mut reg = Register::create_unencrypted_as(path, clock, Start::Blank)?;
        match fill(&mut reg, &file) {
            Ok(events) => Ok((reg, summary(&file, events))),
            Err(e) => {
                let _ = reg.close();
                remove_register_files(path);
                Err(e)
            }
        }
    }
}

/// An export with what legitimately differs between two exports of equal registers
/// taken away: `exported_at`, `generator`, `source_register`, and the audit events an
/// export or an import appends (`register.exported`, `register.imported`). What is
/// left of two such exports is byte-equal when the registers are equal.
pub fn normalised(export_json: &str) -> Result<String> {
    let mut v: Value =
        serde_json::from_str(export_json).map_err(|_| not_export("it is not valid JSON"))?;
    let top = v
        .as_object_mut()
        .ok_or_else(|| not_export("it is not a JSON object"))?;
    for key in [
        "exported_at",
        "generator",
        "source_register",
        "source_backup_dir",
    ] {
        top.remove(key);
    }
    if let Some(Value::Array(events)) = top
        .get_mut("tables")
        .and_then(|t| t.get_mut("audit_events"))
    {
        events.retain(|e| {
            !matches!(
                e.get("action").and_then(Value::as_str),
                Some("register.exported" | "register.imported")
            )
        });
    }
    Ok(serde_json::to_string_pretty(&v)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_in_order_from_the_files_version() {
        fn one_to_two(m: &mut Map<String, Value>) -> std::result::Result<(), String> {
            // e.g. a table was renamed
            let t = m
                .get_mut("tables")
                .and_then(Value::as_object_mut)
                .ok_or("no tables")?;
            if let Some(v) = t.remove("people") {
                t.insert("subjects".into(), v);
            }
            Ok(())
        }
        fn two_to_three(m: &mut Map<String, Value>) -> std::result::Result<(), String> {
            let t = m
                .get_mut("tables")
                .and_then(Value::as_object_mut)
                .ok_or("no tables")?;
            t.insert("requests".into(), Value::Array(vec![]));
            Ok(())
        }
        let steps: &[Migration] = &[one_to_two, two_to_three];
        let file = || {
            serde_json::json!({"schema_version": 1, "tables": {"people": [1]}})
                .as_object()
                .unwrap()
                .clone()
        };
        let mut m = file();
        migrate(&mut m, 1, steps).unwrap();
        assert_eq!(m["schema_version"], 3);
        assert_eq!(m["tables"]["subjects"], serde_json::json!([1]));
        assert_eq!(m["tables"]["requests"], serde_json::json!([]));

        let mut m = file();
        migrate(&mut m, 2, steps).unwrap();
        assert_eq!(
            m["tables"]["people"],
            serde_json::json!([1]),
            "step 1 skipped"
        );
        let mut m = file();
        migrate(&mut m, 3, steps).unwrap();
        assert!(m["tables"].get("requests").is_none(), "nothing to do");
        let err = migrate(&mut file(), 4, steps).unwrap_err();
        assert_eq!(err.kind(), "transfer.newer_format");
        let mut broken = serde_json::json!({"schema_version": 1})
            .as_object()
            .unwrap()
            .clone();
        let err = migrate(&mut broken, 1, steps).unwrap_err();
        assert!(
            err.to_string().contains("from version 1 to 2: no tables"),
            "{err}"
        );
    }

    #[test]
    fn a_version_3_file_gets_each_requests_outcome_and_no_fee_or_reply() {
        use serde_json::json;
        let mut m = json!({
            "schema_version": 3,
            "tables": {
                "requests": [
                    {"id": 1, "status": "completed"},
                    {"id": 2, "status": "completed"},
                    {"id": 3, "status": "refused", "refusal_ground": "identity_not_established"},
                    {"id": 4, "status": "refused", "refusal_ground": "excessive"},
                    {"id": 5, "status": "received"}
                ],
                "request_actions": [{"id": 9, "request_id": 2, "action": "no_data"}]
            }
        })
        .as_object()
        .unwrap()
        .clone();
        migrate(&mut m, 3, &MIGRATIONS[..3]).unwrap();
        assert_eq!(m["schema_version"], 4);
        let outcomes: Vec<&str> = m["tables"]["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(
            outcomes,
            ["done", "no_data", "identity_not_established", "refused", ""]
        );
        let r = &m["tables"]["requests"][0];
        assert_eq!(
            (
                &r["fee"],
                &r["not_done"],
                &r["reply_sent_on"],
                &r["reply_how"]
            ),
            (&json!(""), &json!(""), &json!(null), &json!(""))
        );
    }

    #[test]
    fn a_version_2_file_gets_the_columns_version_3_added() {
        use serde_json::json;
        let completed = json!({"id": "r2", "kept": "[{\"record_id\":4}]", "completed_at": "2026-12-01T10:00:00.000000Z"});
        let mut m = json!({
            "schema_version": 2,
            "tables": {
                "audit_events": [{"seq": 1, "reason": "x"}, "not a row"],
                "erasure_receipts": [{"id": "r1"}, completed],
                "subjects": [{"id": 1}]
            }
        })
        .as_object()
        .unwrap()
        .clone();
        migrate(&mut m, 2, &MIGRATIONS[..2]).unwrap();
        assert_eq!(m["schema_version"], 3);
        assert_eq!(
            m["tables"]["audit_events"],
            json!([{"seq": 1, "reason": "x", "reason_mac": null}, "not a row"]),
            "a row that is not an object is left for the reader to refuse"
        );
        assert_eq!(
            m["tables"]["erasure_receipts"],
            json!([{"id": "r1", "kept": "[]", "completed_at": null}, completed])
        );
        assert_eq!(m["tables"]["subjects"], json!([{"id": 1}]));
        // Nothing to fill: a missing table is read as empty.
        let mut m = json!({"schema_version": 2, "tables": {}})
            .as_object()
            .unwrap()
            .clone();
        migrate(&mut m, 2, MIGRATIONS).unwrap();
        assert_eq!(m["tables"], json!({}));
        // The current version is read as it is.
        let mut m = json!({"schema_version": 3, "tables": {"erasure_receipts": [{"id": "r1"}]}})
            .as_object()
            .unwrap()
            .clone();
        migrate(&mut m, 3, MIGRATIONS).unwrap();
        assert_eq!(m["tables"]["erasure_receipts"], json!([{"id": "r1"}]));
    }

    #[test]
    fn tables_are_listed_in_an_order_the_import_can_insert() {
        // A table that refers to another comes after it.
        let pos = |n: &str| TABLES.iter().position(|t| t.name == n).unwrap();
        for (child, parent) in [
            ("activity_processors", "activities"),
            ("activity_processors", "processors"),
            ("records", "subjects"),
            ("records", "activities"),
            ("consent_events", "subjects"),
            ("request_actions", "requests"),
            ("retention_dates", "subjects"),
            ("retention_dates", "activities"),
            ("legal_holds", "subjects"),
            ("legal_holds", "activities"),
        ] {
            assert!(pos(child) > pos(parent), "{child} before {parent}");
        }
    }
}
