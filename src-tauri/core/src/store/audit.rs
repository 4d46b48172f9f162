//! The audit log: an append-only, hash-chained list of events. Each event's hash covers
//! its own content and the previous event's hash, so changing, removing or reordering
//! any event breaks every link after it. Events name fields and ids, never values.
//!
//! # The free text
//!
//! An event's reason is the one free text in it, and it may name a person. Since the
//! register's schema version 5, the chain commits to the text through a keyed hash,
//! `reason_mac`: HMAC-SHA256 under the register's [`AuditTextKey`] of the event's seq
//! (in decimal), a NUL byte and the text, in hex. The event's hash covers the mac where
//! it covered the text, so the text can be wiped ([`wipe_texts`], the one change the
//! table's trigger allows) and the chain still verifies. The chain (links and hashes) is
//! checked without the key; with the key, [`verify`] also finds a text changed after it
//! was written. An empty text with a mac is a wiped (or an empty) one, and fine. Events
//! written before version 5 have no mac: their hash covers the text itself, as it always
//! did, and their text cannot be wiped.
//!
//! Events restored from a JSON export (`transfer/export.rs`) were written under the
//! source register's key, which never leaves it: they are checked for the chain only,
//! by the import and by every later check. The texts compared with their macs are those
//! of the register's last `register.imported` event (the import writes it under the new
//! register's key) and of every event after it; a register never imported has all of
//! its events compared.

use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::model::Id;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key of the events' text hashes (`reason_mac`, see the module documentation):
/// HMAC-SHA256 of the journal key and a label, as the suppression list's key is, so it
/// stays the same across passphrase changes and in every backup. An export does not
/// carry it. Zeroized on drop; no `Debug`.
pub(crate) struct AuditTextKey(zeroize::Zeroizing<[u8; 32]>);

impl AuditTextKey {
    pub(crate) fn derive(journal_key: &[u8]) -> Self {
        AuditTextKey(crate::secret::derive_key(
            journal_key,
            b"privreg audit text key",
        ))
    }

    /// HMAC-SHA256 over the seq in decimal ASCII, a NUL byte and the text: the seq binds
    /// the mac to the event's place in the chain.
    fn hmac(&self, seq: i64, text: &str) -> Hmac<Sha256> {
        let mut m =
            Hmac::<Sha256>::new_from_slice(self.0.as_slice()).expect("HMAC takes any key length");
        m.update(seq.to_string().as_bytes());
        m.update(b"\0");
        m.update(text.as_bytes());
        m
    }

    /// The `reason_mac` of an event's text, in hex.
    fn mac(&self, seq: i64, text: &str) -> String {
        hex::encode(self.hmac(seq, text).finalize().into_bytes())
    }

    /// Whether `mac` (hex) is the text's mac (compared in constant time).
    fn matches(&self, seq: i64, text: &str, mac: &str) -> bool {
        hex::decode(mac).is_ok_and(|given| self.hmac(seq, text).verify_slice(&given).is_ok())
    }
}

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
    /// The free text; empty once wiped (see [`wipe_texts`]).
    pub reason: String,
    /// The keyed hash of `reason` the chain commits to (see the module documentation);
    /// `None` for events written before the register's schema version 5.
    #[serde(default)]
    pub reason_mac: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event: SHA-256 over everything but the hash itself, written as a
/// compact JSON array (an unambiguous encoding: no separator games). In the reason's
/// place is the reason's keyed hash when the event has one (its text can then be wiped
/// without changing the hash), else the reason itself (events before schema version 5).
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
            ev.reason_mac.as_deref().unwrap_or(ev.reason.as_str()),
            &ev.prev_hash,
        ),
    )
    .expect("writing JSON to memory cannot fail");
    hex::encode(Sha256::digest(&buf[..]))
}

/// Appends one event; call inside the transaction that makes the change.
/// `head` is the chain's last (seq, hash) when the caller knows it; otherwise it is read.
/// The event's text is committed to by its keyed hash under `key`.
pub(crate) fn append(
    conn: &Connection,
    at: &str,
    actor: &str,
    ev: &NewEvent,
    head: Option<(i64, String)>,
    key: &AuditTextKey,
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
        reason_mac: Some(key.mac(seq, ev.reason)),
        prev_hash,
        hash: String::new(),
    };
    event.hash = event_hash(&event);
    conn.prepare_cached(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, subject_id, fields, reason, prev_hash, hash, reason_mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
            event.hash,
            event.reason_mac
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
            reason_mac: r.get(11)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        },
        fields_json,
    ))
}

const COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, subject_id, fields, reason, prev_hash, hash, reason_mac";

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

/// Walks the whole chain and reports the first broken link; with the register's `key`,
/// also the first text changed after it was written (see the module documentation).
pub(crate) fn verify(conn: &Connection, key: Option<&AuditTextKey>) -> Result<AuditCheck> {
    verify_since(conn, None, key)
}

/// Verifies the chain after `known`, the (seq, hash) of an event verified earlier with
/// every event before it. When that event is gone or its hash differs, the whole chain
/// is walked instead. Events are numbered from 1 without gaps in an intact chain, so
/// the events up to `known` count as its seq. With `key`, the texts of the events
/// verified are compared with their keyed hashes too, from the last `register.imported`
/// event on (the events before it were written under another register's key).
pub(crate) fn verify_since(
    conn: &Connection,
    known: Option<&(i64, String)>,
    key: Option<&AuditTextKey>,
) -> Result<AuditCheck> {
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
    // The first event written under this register's key; the texts of earlier ones
    // (restored from an export) are not compared with their macs.
    let own_from: i64 = match key {
        Some(_) => conn
            .prepare_cached(
                "SELECT max(seq) FROM audit_events
                 WHERE entity = 'register' AND entity_id IS NULL AND action = 'register.imported'",
            )?
            .query_row([], |r| r.get::<_, Option<i64>>(0))?
            .unwrap_or(1),
        None => i64::MAX,
    };
    // A text that no longer matches its keyed hash; an empty one (wiped) never is.
    let text_changed = |ev: &AuditEvent| match (key, &ev.reason_mac) {
        (Some(key), Some(mac)) => {
            ev.seq >= own_from && !ev.reason.is_empty() && !key.matches(ev.seq, &ev.reason, mac)
        }
        _ => false,
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
        } else if text_changed(&ev) {
            first_broken = broken(ev.seq, "its text was changed after it was written");
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

/// Wipes the free text (the reason) of every event about the data subject `subject_id`,
/// inside the caller's transaction: the text becomes empty, its keyed hash stays, and
/// the chain still verifies. Returns how many texts were wiped. Events written before
/// the register's schema version 5 have no keyed hash (their hash covers the text
/// itself), so their text cannot be wiped: the table's trigger refuses it, and they are
/// not touched here.
// Called by the erasure; until it is, only the tests call it.
pub(crate) fn wipe_texts(conn: &Connection, subject_id: Id) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE audit_events SET reason = ''
             WHERE subject_id = ?1 AND reason_mac IS NOT NULL AND reason <> ''",
        )?
        .execute([subject_id])?)
}

impl crate::Register {
    /// Records that a report was written and puts its file in place, both or neither:
    /// the file was written and synced beforehand (`file`); it is renamed into place
    /// inside the transaction that appends the `report.created` event (entity
    /// `subject` with `subject`, else `register`; `fields` say which report, format and
    /// language, never any data). If the rename fails, the event is rolled back and the
    /// file the user chose to replace is untouched; if the commit fails after the
    /// rename, the new file is removed, so no report stays behind unaudited. While the
    /// register is read-only the event is kept in the side log instead (see
    /// `store/side_log.rs`).
    pub fn record_report(
        &mut self,
        file: crate::files::Pending,
        subject: Option<Id>,
        fields: &[&str],
    ) -> Result<()> {
        if self.is_read_only() {
            // A damaged register: the event goes into the side log (store/side_log.rs).
            return self.record_report_aside(file, subject, fields);
        }
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
            reason_mac: None,
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

    fn key() -> AuditTextKey {
        AuditTextKey::derive(&[7u8; 32])
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
        let a = append(&c, "t1", "op", &ev("subject.created", 1), None, &key()).unwrap();
        let b = append(&c, "t2", "op", &ev("subject.changed", 1), None, &key()).unwrap();
        assert_eq!(a.prev_hash, GENESIS);
        assert_eq!(b.prev_hash, a.hash);
        let check = verify(&c, Some(&key())).unwrap();
        assert_eq!(check.events, 2);
        assert_eq!(check.head_hash, b.hash);
        assert_eq!(check.first_broken, None);
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let c = db();
        append(&c, "t1", "op", &ev("subject.created", 1), None, &key()).unwrap();
        assert!(c
            .execute("UPDATE audit_events SET actor = 'x'", [])
            .is_err());
        assert!(c.execute("DELETE FROM audit_events", []).is_err());
    }

    #[test]
    fn tampering_is_found_at_the_first_broken_link() {
        let c = db();
        for i in 1..=5 {
            append(
                &c,
                &format!("t{i}"),
                "op",
                &ev("subject.changed", i),
                None,
                &key(),
            )
            .unwrap();
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
        assert_eq!(
            verify(&c, Some(&key())).unwrap().first_broken.unwrap().seq,
            3
        );

        let c = db();
        for i in 1..=5 {
            append(
                &c,
                &format!("t{i}"),
                "op",
                &ev("subject.changed", i),
                None,
                &key(),
            )
            .unwrap();
        }
        c.execute_batch("DROP TRIGGER audit_events_no_delete;")
            .unwrap();
        c.execute("DELETE FROM audit_events WHERE seq = 2", [])
            .unwrap();
        let broken = verify(&c, Some(&key())).unwrap().first_broken.unwrap();
        assert_eq!(
            (broken.seq, broken.problem.as_str()),
            (2, "an event is missing")
        );
    }

    #[test]
    fn a_later_check_verifies_what_came_after_the_head_it_knew() {
        let c = db();
        for i in 1..=4 {
            append(
                &c,
                &format!("t{i}"),
                "op",
                &ev("subject.changed", i),
                None,
                &key(),
            )
            .unwrap();
        }
        let first = verify(&c, Some(&key())).unwrap();
        let known = (first.events, first.head_hash.clone());
        for i in 5..=6 {
            append(
                &c,
                &format!("t{i}"),
                "op",
                &ev("subject.changed", i),
                None,
                &key(),
            )
            .unwrap();
        }
        let broken_at = |c: &Connection, known: &(i64, String)| {
            verify_since(c, Some(known), Some(&key()))
                .unwrap()
                .first_broken
                .map(|b| b.seq)
        };
        let later = verify_since(&c, Some(&known), Some(&key())).unwrap();
        assert_eq!(
            later,
            verify(&c, Some(&key())).unwrap(),
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

    fn said<'a>(action: &'a str, id: Id, reason: &'a str) -> NewEvent<'a> {
        ev(action, id).reason(reason)
    }

    fn event(c: &Connection, seq: i64) -> AuditEvent {
        list(c, Filter::All, 1000)
            .unwrap()
            .into_iter()
            .find(|e| e.seq == seq)
            .unwrap()
    }

    /// An event as written before the register's schema version 5: no keyed hash, and
    /// the event's hash over the text itself.
    fn append_old_style(c: &Connection, subject: Id, reason: &str) -> AuditEvent {
        let last: Option<(i64, String)> = c
            .query_row(
                "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .unwrap();
        let (seq, prev_hash) = match last {
            Some((s, h)) => (s + 1, h),
            None => (1, GENESIS.to_string()),
        };
        let mut e = AuditEvent {
            seq,
            at: "t0".into(),
            actor: "op".into(),
            action: "subject.restricted".into(),
            entity: "subject".into(),
            entity_id: Some(subject),
            subject_id: Some(subject),
            fields: vec!["restricted".into()],
            reason: reason.into(),
            reason_mac: None,
            prev_hash,
            hash: String::new(),
        };
        e.hash = event_hash(&e);
        c.execute(
            "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, subject_id, fields, reason, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                e.seq,
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                e.subject_id,
                serde_json::to_string(&e.fields).unwrap(),
                e.reason,
                e.prev_hash,
                e.hash
            ],
        )
        .unwrap();
        e
    }

    fn first_broken(c: &Connection, key: Option<&AuditTextKey>) -> Option<(i64, String)> {
        verify(c, key)
            .unwrap()
            .first_broken
            .map(|b| (b.seq, b.problem))
    }

    const TEXT_CHANGED: &str = "its text was changed after it was written";

    #[test]
    fn a_new_events_hash_covers_the_keyed_hash_of_its_text_in_the_texts_place() {
        let c = db();
        append(&c, "t1", "op", &ev("subject.created", 4), None, &key()).unwrap();
        let e = append(
            &c,
            "t2",
            "op",
            &said(
                "subject.restricted",
                4,
                "Kari Nordmann disputes her address",
            ),
            None,
            &key(),
        )
        .unwrap();
        // The mac: HMAC-SHA256 under the key of the seq in decimal, a NUL and the text.
        let mut m = Hmac::<Sha256>::new_from_slice(
            crate::secret::derive_key(&[7u8; 32], b"privreg audit text key").as_slice(),
        )
        .unwrap();
        m.update(b"2\0Kari Nordmann disputes her address");
        let mac = hex::encode(m.finalize().into_bytes());
        assert_eq!(e.reason_mac.as_deref(), Some(mac.as_str()));
        // The event's hash has the mac where it had the text, in the same array.
        let as_value = serde_json::json!([
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            e.subject_id,
            e.fields,
            mac,
            e.prev_hash
        ])
        .to_string();
        assert_eq!(e.hash, hex::encode(Sha256::digest(as_value.as_bytes())));
        assert_eq!(
            event_hash(&AuditEvent {
                reason: String::new(),
                ..e.clone()
            }),
            e.hash,
            "the hash does not depend on the text once the mac is fixed"
        );
        // The same text in another place has another mac.
        let again = append(
            &c,
            "t3",
            "op",
            &said(
                "subject.restricted",
                4,
                "Kari Nordmann disputes her address",
            ),
            None,
            &key(),
        )
        .unwrap();
        assert_ne!(again.reason_mac, e.reason_mac);
        // Read back as written.
        assert_eq!(event(&c, 2), e);
    }

    #[test]
    fn wiping_a_subjects_texts_keeps_the_chain_verifying() {
        let c = db();
        append(
            &c,
            "t1",
            "op",
            &said("subject.created", 4, "Kari called"),
            None,
            &key(),
        )
        .unwrap();
        append(
            &c,
            "t2",
            "op",
            &said("subject.restricted", 5, "Ola called"),
            None,
            &key(),
        )
        .unwrap();
        append(&c, "t3", "op", &ev("subject.viewed", 4), None, &key()).unwrap();
        append(
            &c,
            "t4",
            "op",
            &said("subject.rectified", 4, "Kari moved"),
            None,
            &key(),
        )
        .unwrap();
        let before = verify(&c, Some(&key())).unwrap();

        assert_eq!(
            wipe_texts(&c, 4).unwrap(),
            2,
            "the two texts about subject 4"
        );
        let after = verify(&c, Some(&key())).unwrap();
        assert_eq!(after, before, "the same chain, the same head");
        assert_eq!(after.first_broken, None);
        assert_eq!(first_broken(&c, None), None);
        for seq in [1, 4] {
            let e = event(&c, seq);
            assert_eq!(e.reason, "");
            assert!(e.reason_mac.is_some(), "the mac stays");
        }
        assert_eq!(
            event(&c, 2).reason,
            "Ola called",
            "another subject's text stays"
        );
        assert_eq!(wipe_texts(&c, 4).unwrap(), 0, "nothing left to wipe");
    }

    #[test]
    fn a_changed_text_is_found_with_the_key_and_not_without() {
        let c = db();
        for (i, reason) in ["Kari called", "Kari wrote", "Kari moved"]
            .into_iter()
            .enumerate()
        {
            let at = format!("t{i}");
            append(
                &c,
                &at,
                "op",
                &said("subject.changed", 4, reason),
                None,
                &key(),
            )
            .unwrap();
        }
        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        c.execute(
            "UPDATE audit_events SET reason = 'Someone else wrote' WHERE seq = 2",
            [],
        )
        .unwrap();
        // The chain is intact: its hashes cover the macs, not the texts.
        assert_eq!(first_broken(&c, None), None);
        assert_eq!(
            first_broken(&c, Some(&key())),
            Some((2, TEXT_CHANGED.to_string()))
        );
        // A later check that starts after the changed event does not walk it again.
        let known = (2, event(&c, 2).hash);
        assert_eq!(
            verify_since(&c, Some(&known), Some(&key()))
                .unwrap()
                .first_broken,
            None
        );
        // Under another key no text matches; a wiped (empty) one is never a change.
        c.execute("UPDATE audit_events SET reason = '' WHERE seq <= 2", [])
            .unwrap();
        assert_eq!(
            first_broken(&c, Some(&AuditTextKey::derive(&[8u8; 32]))),
            Some((3, TEXT_CHANGED.to_string()))
        );
        // A mac changed with its text breaks the chain itself.
        c.execute(
            "UPDATE audit_events SET reason = 'x', reason_mac = 'ab' WHERE seq = 3",
            [],
        )
        .unwrap();
        assert_eq!(
            first_broken(&c, None),
            Some((
                3,
                "its content was changed after it was written".to_string()
            ))
        );
    }

    #[test]
    fn the_log_allows_one_update_wiping_a_text_with_a_mac() {
        let c = db();
        let old = append_old_style(&c, 4, "Kari called, before format 5");
        let new = append(
            &c,
            "t2",
            "op",
            &said("subject.changed", 4, "Kari wrote"),
            None,
            &key(),
        )
        .unwrap();
        let refused = |sql: &str| {
            let err = c.execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        };
        refused("UPDATE audit_events SET action = 'subject.viewed' WHERE seq = 2");
        refused("UPDATE audit_events SET reason = 'Ola wrote' WHERE seq = 2");
        refused("UPDATE audit_events SET reason_mac = NULL WHERE seq = 2");
        refused("UPDATE audit_events SET reason = '', reason_mac = NULL WHERE seq = 2");
        refused("UPDATE audit_events SET reason = '', actor = 'x' WHERE seq = 2");
        refused("UPDATE audit_events SET reason = '', hash = prev_hash WHERE seq = 2");
        // An event without a mac: its hash covers the text, which cannot be wiped.
        refused("UPDATE audit_events SET reason = '' WHERE seq = 1");
        assert!(c
            .execute("DELETE FROM audit_events WHERE seq = 2", [])
            .is_err());
        assert_eq!(event(&c, 1), old);
        assert_eq!(event(&c, 2), new);

        // The wipe leaves the event without a mac as it is.
        assert_eq!(wipe_texts(&c, 4).unwrap(), 1);
        assert_eq!(event(&c, 1).reason, "Kari called, before format 5");
        assert_eq!(event(&c, 2).reason, "");
        assert_eq!(first_broken(&c, Some(&key())), None);
    }

    #[test]
    fn an_event_written_before_format_5_still_verifies_by_its_text() {
        let c = db();
        let old = append_old_style(&c, 4, "Kari called");
        assert_eq!(old.reason_mac, None);
        let next = append(&c, "t2", "op", &ev("subject.changed", 4), None, &key()).unwrap();
        assert_eq!(
            next.prev_hash, old.hash,
            "a new event continues an old chain"
        );
        assert_eq!(first_broken(&c, Some(&key())), None);
        assert_eq!(first_broken(&c, None), None);
        // Its hash covers the text: a change is a broken chain, with or without the key.
        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        c.execute("UPDATE audit_events SET reason = '' WHERE seq = 1", [])
            .unwrap();
        assert_eq!(
            first_broken(&c, None),
            Some((
                1,
                "its content was changed after it was written".to_string()
            ))
        );
    }

    #[test]
    fn texts_before_the_last_import_are_checked_for_the_chain_only() {
        // Events written in another register (its key), restored from its export, then
        // the import's event and what follows under this register's key.
        let (theirs, ours) = (AuditTextKey::derive(&[1u8; 32]), key());
        let c = db();
        append(
            &c,
            "t1",
            "op",
            &said("subject.changed", 4, "Kari called"),
            None,
            &theirs,
        )
        .unwrap();
        append(
            &c,
            "t2",
            "op",
            &said("subject.changed", 4, "Kari wrote"),
            None,
            &theirs,
        )
        .unwrap();
        let import = NewEvent::new("register.imported", "register", None)
            .reason("restored from an export of register abc");
        append(&c, "t3", "op", &import, None, &ours).unwrap();
        append(
            &c,
            "t4",
            "op",
            &said("subject.changed", 4, "Kari moved"),
            None,
            &ours,
        )
        .unwrap();
        assert_eq!(first_broken(&c, Some(&ours)), None);
        assert_eq!(
            first_broken(&c, Some(&theirs)),
            Some((3, TEXT_CHANGED.to_string())),
            "the import's own text is this register's"
        );

        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        c.execute(
            "UPDATE audit_events SET reason = 'Ola called' WHERE seq = 1",
            [],
        )
        .unwrap();
        assert_eq!(
            first_broken(&c, Some(&ours)),
            None,
            "not this register's key"
        );
        c.execute(
            "UPDATE audit_events SET reason = 'Ola moved' WHERE seq = 4",
            [],
        )
        .unwrap();
        assert_eq!(
            first_broken(&c, Some(&ours)),
            Some((4, TEXT_CHANGED.to_string()))
        );
    }
}
