//! The side log: what was viewed and exported while the register was read-only.
//!
//! A damaged register is opened read-only ([`crate::opening::open`]): nothing is written
//! to it, so that what is intact can still be read and rescued. Opening a person's page
//! and making a report are audited, because the controller must be able to show who
//! saw and gave out personal data (Art. 5(2), accountability; Art. 30(1)). A read-only
//! register cannot take the event, so instead of refusing the view or the export the
//! register writes the event into the side log:
//!
//! - a JSON-lines file beside the register, named after it (`firma.privreg` has
//!   `firma.privreg.side-log.jsonl`), owner-only and rewritten atomically for every line
//!   ([`crate::files`]), so it is never half-written;
//! - one line an event, and nothing but what an audit event names: the register's id,
//!   the time, the kind of event (`subject.viewed`, `report.created`), the entity and
//!   its ids, and field names and codes (which report, format and language). No name,
//!   no value, no file name, no free text:
//!   `{"register":"…","at":"2026-05-12T09:30:00.000000Z","action":"report.created","entity":"subject","entity_id":1,"subject_id":1,"fields":["access","json","en"]}`;
//! - every report made from a read-only register says so in the report itself (the
//!   reports crate prints it with the audit stamp), naming this file.
//!
//! When a register with the same id is next opened writable at that path (a backup
//! restored over the damaged file, or an intact copy put in its place),
//! [`Register::apply_side_log`] writes each line into the audit log as its event, in one
//! transaction, with `side_log` and `logged_at:TIME` (when it happened) among its
//! fields, followed by a `register.side_log_applied` event with the counts; then the
//! file is removed. Lines of another register are left in the file. A line that does
//! not read as one of the events above (edited by hand, cut short) is not applied; it is
//! counted in the summary event as `unreadable:N`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::audit::NewEvent;
use super::Register;
use crate::error::{Error, Result, VaultError};
use crate::model::Id;

/// The side log of the register at `register`: beside it, `NAME.side-log.jsonl`.
pub fn side_log_path(register: &Path) -> PathBuf {
    let mut p = register.as_os_str().to_owned();
    p.push(".side-log.jsonl");
    PathBuf::from(p)
}

/// One line of the side log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideLogEntry {
    /// The register's id ([`Register::id`]).
    pub register: String,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
    pub action: String,
    pub entity: String,
    #[serde(default)]
    pub entity_id: Option<Id>,
    #[serde(default)]
    pub subject_id: Option<Id>,
    #[serde(default)]
    pub fields: Vec<String>,
}

/// The events a read-only register records in the side log: reads, never changes.
const ACTIONS: &[&str] = &["subject.viewed", "report.created"];
const ENTITIES: &[&str] = &["subject", "register"];

/// A field as the reports and views write them: a name or a code, optionally with
/// `:` and an id or a count (`access`, `pdf`, `request:12`). Nothing else is copied
/// into the audit log from a file.
fn plain_field(f: &str) -> bool {
    !f.is_empty()
        && f.len() <= 64
        && f.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
}

impl SideLogEntry {
    /// Whether the line is one of the events a read-only register logs.
    fn is_well_formed(&self) -> bool {
        ACTIONS.contains(&self.action.as_str())
            && ENTITIES.contains(&self.entity.as_str())
            && chrono::DateTime::parse_from_rfc3339(&self.at).is_ok()
            && self.fields.len() <= 16
            && self.fields.iter().all(|f| plain_field(f))
    }
}

/// What [`Register::apply_side_log`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SideLogApplied {
    /// Events written into the audit log.
    pub applied: usize,
    /// Lines of this register that could not be read as an event (not applied).
    pub unreadable: usize,
}

fn io_error(op: &'static str, path: &Path, source: std::io::Error) -> Error {
    VaultError::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
    .into()
}

/// The side log's bytes, or `None` when there is none.
fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("reading", path, e)),
    }
}

impl Register {
    /// This register's side log (see the module documentation).
    pub fn side_log_path(&self) -> PathBuf {
        side_log_path(self.path())
    }

    /// Records a read of personal data (a person's page, a report): in the audit log,
    /// or, while the register is read-only, in the side log.
    pub(crate) fn audit_read(&mut self, ev: NewEvent) -> Result<()> {
        if self.is_read_only() {
            self.log_aside(&ev).map(|_| ())
        } else {
            self.write(|tx, ctx| ctx.audit(tx, ev))
        }
    }

    /// Appends `ev` to the side log (its reason, the one free text of an event, is never
    /// written there). Returns the log as it was before, for [`Register::unlog_aside`]
    /// when the step it records fails after all.
    pub(crate) fn log_aside(&self, ev: &NewEvent) -> Result<Option<Vec<u8>>> {
        let path = self.side_log_path();
        let before = read(&path)?;
        let entry = SideLogEntry {
            register: self.id().to_string(),
            at: super::now_string(self.clock()),
            action: ev.action.to_string(),
            entity: ev.entity.to_string(),
            entity_id: ev.entity_id,
            subject_id: ev.subject_id,
            fields: ev.fields.iter().map(|f| f.to_string()).collect(),
        };
        let mut bytes = before.clone().unwrap_or_default();
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            // A line cut short by hand stays on its own line (and is counted unreadable).
            bytes.push(b'\n');
        }
        serde_json::to_writer(&mut bytes, &entry)?;
        bytes.push(b'\n');
        crate::files::write_private(&path, &bytes)?;
        Ok(before)
    }

    /// [`Register::record_report`] while the register is read-only: the event goes into
    /// the side log, then the file is renamed into place. If the rename fails, the line
    /// is taken out again and the file the user chose to replace is untouched; if the
    /// side log cannot be written, the report is not put in place (its temporary file is
    /// removed) and nothing is recorded.
    pub(crate) fn record_report_aside(
        &mut self,
        file: crate::files::Pending,
        subject: Option<Id>,
        fields: &[&str],
    ) -> Result<()> {
        let ev = match subject {
            Some(id) => NewEvent::new("report.created", "subject", Some(id)).subject(id),
            None => NewEvent::new("report.created", "register", None),
        }
        .fields(fields);
        let before = self.log_aside(&ev)?;
        if let Err(e) = file.commit() {
            self.unlog_aside(before);
            return Err(e.into());
        }
        Ok(())
    }

    /// Puts the side log back as [`Register::log_aside`] found it.
    pub(crate) fn unlog_aside(&self, before: Option<Vec<u8>>) {
        let path = self.side_log_path();
        let _ = match before {
            Some(bytes) => crate::files::write_private(&path, &bytes).map_err(Error::from),
            None => std::fs::remove_file(&path).map_err(|e| io_error("removing", &path, e)),
        };
    }

    /// The events of this register waiting in its side log, and how many of its lines
    /// could not be read as one (see the module documentation). Reads only.
    pub fn side_log(&self) -> Result<(Vec<SideLogEntry>, usize)> {
        let Some(bytes) = read(&self.side_log_path())? else {
            return Ok((Vec::new(), 0));
        };
        let (mine, unreadable, _) = split_lines(&bytes, self.id());
        Ok((mine, unreadable))
    }

    /// Writes the events waiting in the side log into the audit log, in one
    /// transaction with a `register.side_log_applied` event (fields `events:N`,
    /// `unreadable:N`), then removes the file (or keeps only the lines of another
    /// register). Does nothing while the register is read-only or when there is no side
    /// log. Called by [`crate::opening::open`] and after a restore.
    pub fn apply_side_log(&mut self) -> Result<SideLogApplied> {
        if self.is_read_only() {
            return Ok(SideLogApplied::default());
        }
        let path = self.side_log_path();
        let Some(bytes) = read(&path)? else {
            return Ok(SideLogApplied::default());
        };
        let (mine, unreadable, others) = split_lines(&bytes, self.id());
        if !mine.is_empty() || unreadable > 0 {
            self.write(|tx, ctx| {
                for e in &mine {
                    let logged_at = format!("logged_at:{}", e.at);
                    let mut fields: Vec<&str> = e.fields.iter().map(String::as_str).collect();
                    fields.push("side_log");
                    fields.push(&logged_at);
                    let mut ev = NewEvent::new(&e.action, &e.entity, e.entity_id);
                    if let Some(s) = e.subject_id {
                        ev = ev.subject(s);
                    }
                    ctx.audit(tx, ev.fields(&fields))?;
                }
                let events = format!("events:{}", mine.len());
                let bad = format!("unreadable:{unreadable}");
                let counts = [events.as_str(), bad.as_str()];
                ctx.audit(
                    tx,
                    NewEvent::new("register.side_log_applied", "register", None).fields(&counts),
                )?;
                Ok(())
            })?;
        }
        if others.is_empty() {
            std::fs::remove_file(&path).map_err(|e| io_error("removing", &path, e))?;
            crate::files::sync_dir(&path);
        } else {
            crate::files::write_private(&path, others.as_bytes())?;
        }
        Ok(SideLogApplied {
            applied: mine.len(),
            unreadable,
        })
    }
}

/// This register's events, the count of its lines (or of lines of no register) that do
/// not read as an event, and the lines of other registers, as they were.
fn split_lines(bytes: &[u8], register: &str) -> (Vec<SideLogEntry>, usize, String) {
    let mut mine = Vec::new();
    let mut unreadable = 0;
    let mut others = String::new();
    for line in bytes.split(|b| *b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            unreadable += 1;
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<SideLogEntry>(line) {
            Ok(e) if e.register != register => {
                others.push_str(line);
                others.push('\n');
            }
            Ok(e) if e.is_well_formed() => mine.push(e),
            _ => unreadable += 1,
        }
    }
    (mine, unreadable, others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_log_lies_beside_the_register_and_is_named_after_it() {
        assert_eq!(
            side_log_path(Path::new("/home/kari/firma.privreg")),
            PathBuf::from("/home/kari/firma.privreg.side-log.jsonl")
        );
    }

    #[test]
    fn only_read_events_with_plain_fields_are_taken_from_the_file() {
        let ok = r#"{"register":"r1","at":"2026-05-12T09:30:00Z","action":"report.created","entity":"subject","entity_id":1,"subject_id":1,"fields":["access","json","en"]}"#;
        let other = r#"{"register":"r2","at":"2026-05-12T09:30:00Z","action":"subject.viewed","entity":"subject","entity_id":2,"subject_id":2,"fields":[]}"#;
        // A change is never a side-log event, and a field with a value is refused.
        let change = r#"{"register":"r1","at":"2026-05-12T09:30:00Z","action":"subject.erased","entity":"subject","entity_id":1}"#;
        let value = r#"{"register":"r1","at":"2026-05-12T09:30:00Z","action":"subject.viewed","entity":"subject","entity_id":1,"fields":["name:Kari Nordmann"]}"#;
        let bytes = format!("{ok}\n{other}\n{change}\n{value}\n{{\"register\":\"r1\",\"at\n\n");
        let (mine, unreadable, others) = split_lines(bytes.as_bytes(), "r1");
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].fields, ["access", "json", "en"]);
        assert_eq!(unreadable, 3);
        assert_eq!(others, format!("{other}\n"));
    }
}
