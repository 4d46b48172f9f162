//! The audit log: an append-only, hash-chained list of events. Each event's hash covers
//! its own content and the previous event's hash, so changing, removing or reordering
//! any event breaks every link after it. Events name fields and ids, never values.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::model::Id;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is appended. `fields` are field names (`email`, `value`), never their content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewEvent<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<Id>,
    /// The data subject the event concerns, for the subject's history.
    pub subject_id: Option<Id>,
    pub fields: &'a [&'a str],
    pub reason: &'a str,
}

impl<'a> NewEvent<'a> {
    pub fn new(action: &'a str, entity: &'a str, entity_id: Option<Id>) -> Self {
        NewEvent {
            action,
            entity,
            entity_id,
            subject_id: None,
            fields: &[],
            reason: "",
        }
    }
    pub fn subject(mut self, id: Id) -> Self {
        self.subject_id = Some(id);
        self
    }
    pub fn fields(mut self, fields: &'a [&'a str]) -> Self {
        self.fields = fields;
        self
    }
    pub fn reason(mut self, reason: &'a str) -> Self {
        self.reason = reason;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Id>,
    pub subject_id: Option<Id>,
    pub fields: Vec<String>,
    pub reason: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event: SHA-256 over everything but the hash itself, written as a
/// compact JSON array (an unambiguous encoding: no separator games).
fn event_hash(ev: &AuditEvent) -> String {
    event_hash_in(&mut Vec::with_capacity(256), ev)
}

/// [`event_hash`] with a buffer the caller reuses (a verification hashes every event).
/// The array is written straight from the fields, not built as a JSON value first.
fn event_hash_in(buf: &mut Vec<u8>, ev: &AuditEvent) -> String {
    buf.clear();
    serde_json::to_writer(
        &mut *buf,
        &(
            ev.seq,
            &ev.at,
            &ev.actor,
            &ev.action,
            &ev.entity,
            ev.entity_id,
            ev.subject_id,
            &ev.fields,
            &ev.reason,
            &ev.prev_hash,
        ),
    )
    .expect("writing JSON to memory cannot fail");
    hex::encode(Sha256::digest(&buf[..]))
}

/// Appends one event; call inside the transaction that makes the change.
/// `head` is the chain's last (seq, hash) when the caller knows it; otherwise it is read.
pub(crate) fn append(
    conn: &Connection,
    at: &str,
    actor: &str,
    ev: &NewEvent,
    head: Option<(i64, String)>,
) -> Result<AuditEvent> {
    let last: Option<(i64, String)> = match head {
        Some(h) => Some(h),
        None => conn
            .prepare_cached("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let mut event = AuditEvent {
        seq,
        at: at.to_string(),
        actor: actor.to_string(),
        action: ev.action.to_string(),
        entity: ev.entity.to_string(),
        entity_id: ev.entity_id,
        subject_id: ev.subject_id,
        fields: ev.fields.iter().map(|s| s.to_string()).collect(),
        reason: ev.reason.to_string(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event_hash(&event);
    conn.prepare_cached(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, subject_id, fields, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
            event.seq,
            event.at,
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.subject_id,
            serde_json::to_string(&event.fields)?,
            event.reason,
            event.prev_hash,
            event.hash
    ])?;
    Ok(event)
}

fn row_to_event(r: &rusqlite::Row) -> rusqlite::Result<(AuditEvent, String)> {
    let fields_json: String = r.get(7)?;
    Ok((
        AuditEvent {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            subject_id: r.get(6)?,
            fields: Vec::new(),
            reason: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        },
        fields_json,
    ))
}

const COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, subject_id, fields, reason, prev_hash, hash";

/// Events, newest first; for one entity when `entity` is given.
/// Which events to list.
#[derive(Debug, Clone, Copy)]
pub enum Filter<'a> {
    All,
    /// Events about one entity (`activity`, `processor` ...).
    Entity(&'a str, Id),
    /// Everything that concerns one data subject, including their records.
    Subject(Id),
}

pub(crate) fn list(conn: &Connection, filter: Filter, limit: u32) -> Result<Vec<AuditEvent>> {
    let mut out = Vec::new();
    let mut push = |row: (AuditEvent, String)| -> Result<()> {
        let (mut ev, fields) = row;
        ev.fields = serde_json::from_str(&fields)?;
        out.push(ev);
        Ok(())
    };
    match filter {
        Filter::Subject(id) => {
            let mut st = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit_events WHERE subject_id = ?1 ORDER BY seq DESC LIMIT ?2"
            ))?;
            for row in st.query_map(params![id, limit], row_to_event)? {
                push(row?)?;
            }
        }
        Filter::Entity(kind, id) => {
            let mut st = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit_events WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT ?3"
            ))?;
            for row in st.query_map(params![kind, id, limit], row_to_event)? {
                push(row?)?;
            }
        }
        Filter::All => {
            let mut st = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT ?1"
            ))?;
            for row in st.query_map(params![limit], row_to_event)? {
                push(row?)?;
            }
        }
    }
    Ok(out)
}

/// The first event where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub events: i64,
    /// The hash of the last event (the chain's head); reports print it.
    pub head_hash: String,
    pub first_broken: Option<BrokenLink>,
}

/// Walks the whole chain and reports the first broken link.
pub(crate) fn verify(conn: &Connection) -> Result<AuditCheck> {
    verify_since(conn, None)
}

/// Verifies the chain after `known`, the (seq, hash) of an event verified earlier with
/// every event before it. When that event is gone or its hash differs, the whole chain
/// is walked instead. Events are numbered from 1 without gaps in an intact chain, so
/// the events up to `known` count as its seq.
pub(crate) fn verify_since(conn: &Connection, known: Option<&(i64, String)>) -> Result<AuditCheck> {
    let still_there = match known {
        Some((seq, hash)) => conn
            .query_row("SELECT hash FROM audit_events WHERE seq = ?1", [seq], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .is_some_and(|h| &h == hash),
        None => false,
    };
    let (mut expected_seq, mut prev, mut events) = match known {
        Some((seq, hash)) if still_there => (seq + 1, hash.clone(), *seq),
        _ => (1, GENESIS.to_string(), 0),
    };
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE seq >= ?1 ORDER BY seq"
    ))?;
    let mut rows = st.query([expected_seq])?;
    let broken = |seq: i64, problem: &str| {
        Some(BrokenLink {
            seq,
            problem: problem.to_string(),
        })
    };
    let mut first_broken = None;
    let mut buf = Vec::with_capacity(256);
    while let Some(row) = rows.next()? {
        let (mut ev, fields_json) = row_to_event(row)?;
        events += 1;
        if first_broken.is_some() {
            continue;
        }
        let fields_ok = match serde_json::from_str(&fields_json) {
            Ok(f) => {
                ev.fields = f;
                true
            }
            Err(_) => false,
        };
        if ev.seq != expected_seq {
            first_broken = broken(expected_seq, "an event is missing");
        } else if ev.prev_hash != prev {
            first_broken = broken(ev.seq, "it does not follow the event before it");
        } else if !fields_ok || event_hash_in(&mut buf, &ev) != ev.hash {
            first_broken = broken(ev.seq, "its content was changed after it was written");
        }
        prev = ev.hash.clone();
        expected_seq = ev.seq + 1;
    }
    Ok(AuditCheck {
        events,
        head_hash: prev,
        first_broken,
    })
}

impl crate::Register {
    /// Records that a report was written and puts its file in place, both or neither:
    /// the file was written and synced beforehand (`file`); it is renamed into place
    /// inside the transaction that appends the `report.created` event (entity
    /// `subject` with `subject`, else `register`; `fields` say which report, format and
    /// language, never any data). If the rename fails, the event is rolled back and the
    /// file the user chose to replace is untouched; if the commit fails after the
    /// rename, the new file is removed, so no report stays behind unaudited.
    pub fn record_report(
        &mut self,
        file: crate::files::Pending,
        subject: Option<Id>,
        fields: &[&str],
    ) -> Result<()> {
        let target = file.target().to_path_buf();
        let mut file = Some(file);
        let mut renamed = false;
        let result = self.write(|tx, ctx| {
            let ev = match subject {
                Some(id) => NewEvent::new("report.created", "subject", Some(id)).subject(id),
                None => NewEvent::new("report.created", "register", None),
            };
            ctx.audit(tx, ev.fields(fields))?;
            if let Some(file) = file.take() {
                file.commit()?;
                renamed = true;
            }
            Ok(())
        });
        if result.is_err() && renamed {
            let _ = std::fs::remove_file(&target);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_the_compact_json_array_of_the_event() {
        // Registers written before the hash was computed without a JSON value must
        // still verify: the bytes hashed are the same.
        let ev = AuditEvent {
            seq: 7,
            at: "2026-01-01T00:00:00Z".into(),
            actor: "Åse \"the\" manager\n\u{1}".into(),
            action: "subject.created".into(),
            entity: "subject".into(),
            entity_id: Some(3),
            subject_id: None,
            fields: vec!["name".into(), "records:3".into()],
            reason: "æøå \\ / \u{2028}".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let as_value = serde_json::json!([
            ev.seq,
            ev.at,
            ev.actor,
            ev.action,
            ev.entity,
            ev.entity_id,
            ev.subject_id,
            ev.fields,
            ev.reason,
            ev.prev_hash
        ])
        .to_string();
        assert_eq!(
            event_hash(&ev),
            hex::encode(Sha256::digest(as_value.as_bytes()))
        );
        assert!(as_value.starts_with("[7,\"2026-01-01T00:00:00Z\",\"Åse \\\"the\\\""));
        assert!(as_value.contains(",3,null,[\"name\",\"records:3\"],"));
    }

    fn db() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        super::super::migrations::migrate(&mut c, "2026-01-01T00:00:00Z").unwrap();
        c
    }

    fn ev<'a>(action: &'a str, id: Id) -> NewEvent<'a> {
        NewEvent {
            action,
            entity: "subject",
            entity_id: Some(id),
            subject_id: Some(id),
            fields: &["name", "email"],
            reason: "",
        }
    }

    #[test]
    fn chain_links_each_event_to_the_one_before() {
        let c = db();
        let a = append(&c, "t1", "op", &ev("subject.created", 1), None).unwrap();
        let b = append(&c, "t2", "op", &ev("subject.changed", 1), None).unwrap();
        assert_eq!(a.prev_hash, GENESIS);
        assert_eq!(b.prev_hash, a.hash);
        let check = verify(&c).unwrap();
        assert_eq!(check.events, 2);
        assert_eq!(check.head_hash, b.hash);
        assert_eq!(check.first_broken, None);
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let c = db();
        append(&c, "t1", "op", &ev("subject.created", 1), None).unwrap();
        assert!(c
            .execute("UPDATE audit_events SET actor = 'x'", [])
            .is_err());
        assert!(c.execute("DELETE FROM audit_events", []).is_err());
    }

    #[test]
    fn tampering_is_found_at_the_first_broken_link() {
        let c = db();
        for i in 1..=5 {
            append(&c, &format!("t{i}"), "op", &ev("subject.changed", i), None).unwrap();
        }
        c.execute_batch(
            "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;",
        )
        .unwrap();
        c.execute(
            "UPDATE audit_events SET fields = '[\"phone\"]' WHERE seq = 3",
            [],
        )
        .unwrap();
        assert_eq!(verify(&c).unwrap().first_broken.unwrap().seq, 3);

        let c = db();
        for i in 1..=5 {
            append(&c, &format!("t{i}"), "op", &ev("subject.changed", i), None).unwrap();
        }
        c.execute_batch("DROP TRIGGER audit_events_no_delete;")
            .unwrap();
        c.execute("DELETE FROM audit_events WHERE seq = 2", [])
            .unwrap();
        let broken = verify(&c).unwrap().first_broken.unwrap();
        assert_eq!(
            (broken.seq, broken.problem.as_str()),
            (2, "an event is missing")
        );
    }

    #[test]
    fn a_later_check_verifies_what_came_after_the_head_it_knew() {
        let c = db();
        for i in 1..=4 {
            append(&c, &format!("t{i}"), "op", &ev("subject.changed", i), None).unwrap();
        }
        let first = verify(&c).unwrap();
        let known = (first.events, first.head_hash.clone());
        for i in 5..=6 {
            append(&c, &format!("t{i}"), "op", &ev("subject.changed", i), None).unwrap();
        }
        let broken_at = |c: &Connection, known: &(i64, String)| {
            verify_since(c, Some(known))
                .unwrap()
                .first_broken
                .map(|b| b.seq)
        };
        let later = verify_since(&c, Some(&known)).unwrap();
        assert_eq!(
            later,
            verify(&c).unwrap(),
            "the same answer as a whole walk"
        );
        assert_eq!(later.events, 6);

        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        // A change after the known head is found.
        c.execute("UPDATE audit_events SET actor = 'x' WHERE seq = 5", [])
            .unwrap();
        assert_eq!(broken_at(&c, &known), Some(5));
        // A changed head is not trusted: the whole chain is walked again.
        c.execute("UPDATE audit_events SET actor = 'op' WHERE seq = 5", [])
            .unwrap();
        c.execute("UPDATE audit_events SET hash = 'f00' WHERE seq = 4", [])
            .unwrap();
        assert_eq!(broken_at(&c, &known), Some(4));
    }
}
