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
//!
//! # The checkpoint
//!
//! Walking a million events takes seconds, and the first check of a session (the
//! overview, the first report) waits for it. So the register keeps a checkpoint in its
//! `meta` table (key `audit_checkpoint`): an event count N and the hash of event N,
//! under an HMAC-SHA256 keyed with the [`CheckpointKey`] (derived from the journal key
//! with a label of its own, as the suppression list's and the texts' keys are). It says
//! "events 1 to N were verified, and event N had this hash". The first check of a
//! session ([`read_checkpoint`], then [`verify_since`]) verifies the MAC, then that
//! event N still has that hash, and walks only the events after it. A checkpoint that
//! cannot be read, whose MAC does not verify, or whose event is gone or has another
//! hash, makes the check walk the whole chain, and the check says which
//! ([`CheckpointState`]).
//!
//! A check that walked to the head without a break leaves that head to the session;
//! the session's next ordinary write stores it as the new checkpoint, inside that
//! write's own transaction (`Register::write`). Not on lock: a session that changes
//! nothing then writes nothing (a backup copy being verified, a damaged register open
//! read-only, a look at the overview all leave the file as it was), the checkpoint is
//! committed or rolled back with a change that had to be written anyway, and locking
//! (when idle, on suspend) stays a close without a write that could fail. The cost: the
//! events written after a session's last check are walked again by the next session's
//! first check, a session's worth of events rather than the whole log.
//!
//! What it does not give. The MAC makes a checkpoint count for nothing when it was not
//! written by this program under this register's keys: edited by hand, copied from
//! another register, damaged. It is no protection against someone who holds the
//! register's key: the MAC key is derived from the journal key that the register itself
//! holds, so they can rewrite events and write a checkpoint to match, just as they can
//! rewrite the chain and compute every hash again (the quick check trusts the events
//! before the checkpoint, which only such a person could have changed). Neither the
//! chain nor the checkpoint proves anything against them on its own. What does is a
//! head kept outside the register: a report prints the head, and [`check_head`]
//! (`privreg verify --head HASH:COUNT`, `--against REPORT`, the overview's "Check
//! against an earlier report") walks the whole chain, never trusts the checkpoint, and
//! shows whether event COUNT still has that hash. `privreg verify` walks the whole
//! chain too, and reports the checkpoint's state beside it.

use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{InputError, InputResult, Result};
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
            // With the history of the people merged into this one (store/merge.rs).
            let merged = super::merge::merged_into(conn, id)?;
            if merged.is_empty() {
                let mut st = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM audit_events WHERE subject_id = ?1 ORDER BY seq DESC LIMIT ?2"
                ))?;
                for row in st.query_map(params![id, limit], row_to_event)? {
                    push(row?)?;
                }
            } else {
                let ids =
                    serde_json::to_string(&std::iter::once(id).chain(merged).collect::<Vec<Id>>())?;
                let mut st = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM audit_events WHERE subject_id IN (SELECT value FROM json_each(?1))
                     ORDER BY seq DESC LIMIT ?2"
                ))?;
                for row in st.query_map(params![ids, limit], row_to_event)? {
                    push(row?)?;
                }
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
    /// The stored checkpoint as the register's check found it (see the module
    /// documentation): by a session's checks, as the session's first check found it.
    /// `None` where no checkpoint was looked at (the chain checked inside an import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
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
        checkpoint: None,
    })
}

/// The `meta` key the checkpoint is kept under.
const CHECKPOINT_META_KEY: &str = "audit_checkpoint";

/// The key of the checkpoint's MAC (see the module documentation): HMAC-SHA256 of the
/// journal key and a label of its own, as the suppression list's and the audit texts'
/// keys are, so it stays the same across passphrase changes and in every backup.
/// Zeroized on drop; no `Debug`.
pub(crate) struct CheckpointKey(zeroize::Zeroizing<[u8; 32]>);

impl CheckpointKey {
    pub(crate) fn derive(journal_key: &[u8]) -> Self {
        CheckpointKey(crate::secret::derive_key(
            journal_key,
            b"privreg audit checkpoint key",
        ))
    }

    /// HMAC-SHA256 over a version label, the event count in decimal ASCII, a NUL byte
    /// and the hash of that event.
    fn hmac(&self, events: i64, hash: &str) -> Hmac<Sha256> {
        let mut m =
            Hmac::<Sha256>::new_from_slice(self.0.as_slice()).expect("HMAC takes any key length");
        m.update(b"privreg audit checkpoint 1\0");
        m.update(events.to_string().as_bytes());
        m.update(b"\0");
        m.update(hash.as_bytes());
        m
    }

    fn mac(&self, events: i64, hash: &str) -> String {
        hex::encode(self.hmac(events, hash).finalize().into_bytes())
    }

    /// Whether `mac` (hex) is the checkpoint's MAC (compared in constant time).
    fn matches(&self, events: i64, hash: &str, mac: &str) -> bool {
        hex::decode(mac).is_ok_and(|given| self.hmac(events, hash).verify_slice(&given).is_ok())
    }
}

/// The checkpoint as `meta` keeps it (JSON).
#[derive(Serialize, Deserialize)]
struct StoredCheckpoint {
    events: i64,
    hash: String,
    mac: String,
}

crate::closed_list! {
    /// What a check found of the checkpoint stored in the register.
    pub enum CheckpointState("audit checkpoint state") {
        /// None is stored: a new register, or no write has followed a check yet.
        Absent = "absent",
        /// Its MAC verifies and the chain still holds the event it names, with its hash.
        Valid = "valid",
        /// It cannot be read, or its MAC does not verify under this register's key: it was
        /// damaged, or not written by this program for this register. Not trusted.
        Invalid = "invalid",
        /// Its MAC verifies, but the event it names is gone or has another hash: the
        /// history up to that event was changed after the checkpoint was written.
        Changed = "changed",
    }
}

/// The stored checkpoint as a check found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub state: CheckpointState,
    /// The events it vouches for (events 1 to this one); 0 when none is stored or it
    /// cannot be trusted to say.
    pub events: i64,
    /// Whether the check started after it (walked only the events after it). A check
    /// that did not walks the whole chain.
    pub used: bool,
}

/// Reads and checks the stored checkpoint: its MAC under `key`, then whether the event
/// it names still has its hash. With a valid one, also the (seq, hash) a check may
/// start after ([`verify_since`]). A checkpoint that cannot even be read (a damaged
/// page) is [`CheckpointState::Invalid`]: the check then walks the whole chain.
pub(crate) fn read_checkpoint(
    conn: &Connection,
    key: &CheckpointKey,
) -> Result<(Checkpoint, Option<(i64, String)>)> {
    let found = |state: CheckpointState, events: i64| Checkpoint {
        state,
        events,
        used: false,
    };
    let value: Option<String> = match conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")
        .and_then(|mut st| {
            st.query_row([CHECKPOINT_META_KEY], |r| r.get::<_, String>(0))
                .optional()
        }) {
        Ok(v) => v,
        Err(_) => return Ok((found(CheckpointState::Invalid, 0), None)),
    };
    let Some(value) = value else {
        return Ok((found(CheckpointState::Absent, 0), None));
    };
    let stored = serde_json::from_str::<StoredCheckpoint>(&value)
        .ok()
        .filter(|c| c.events >= 1 && key.matches(c.events, &c.hash, &c.mac));
    let Some(c) = stored else {
        return Ok((found(CheckpointState::Invalid, 0), None));
    };
    let now: Option<String> = conn
        .prepare_cached("SELECT hash FROM audit_events WHERE seq = ?1")?
        .query_row([c.events], |r| r.get::<_, String>(0))
        .optional()?;
    if now.as_deref() == Some(c.hash.as_str()) {
        Ok((
            found(CheckpointState::Valid, c.events),
            Some((c.events, c.hash)),
        ))
    } else {
        Ok((found(CheckpointState::Changed, c.events), None))
    }
}

/// Stores the checkpoint: events 1 to `events` were verified, the last of them with
/// `hash`. Called inside the transaction of an ordinary write (`Register::write`).
pub(crate) fn store_checkpoint(
    conn: &Connection,
    key: &CheckpointKey,
    events: i64,
    hash: &str,
) -> Result<()> {
    let value = serde_json::to_string(&StoredCheckpoint {
        events,
        hash: hash.to_string(),
        mac: key.mac(events, hash),
    })?;
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![CHECKPOINT_META_KEY, value])?;
    Ok(())
}

/// Removes the stored checkpoint (the benchmark measures the first check without one).
pub(crate) fn forget_checkpoint(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [CHECKPOINT_META_KEY])?;
    Ok(())
}

/// What a session knows of the chain (the register keeps it between checks).
#[derive(Debug, Default)]
pub(crate) struct Session {
    /// The last event this session verified with every event before it (seq, hash):
    /// later checks start after it.
    pub verified: Option<(i64, String)>,
    /// The event count of the checkpoint in the register, as this session last read or
    /// wrote it (0: none, or none that can be trusted).
    pub stored: i64,
    /// The stored checkpoint as the session's first check found it.
    pub checkpoint: Option<Checkpoint>,
}

impl Session {
    /// The verified head to store as the checkpoint with the next write, when it is
    /// beyond the stored one.
    pub(crate) fn to_store(&self) -> Option<(i64, String)> {
        self.verified
            .as_ref()
            .filter(|(events, _)| *events > self.stored)
            .cloned()
    }
}

/// The chain's head as a report printed it: the hash of event `events`, the chain's
/// last event when the report was made. Written `HASH:COUNT` (64 hexadecimal digits, a
/// colon and the count), as `privreg verify --head` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedHead {
    /// SHA-256, 64 lower-case hexadecimal digits.
    pub hash: String,
    pub events: i64,
}

impl PrintedHead {
    /// A head from its two parts; the hash in any case. Refused (field `head`) when the
    /// hash is not 64 hexadecimal digits or the count is negative.
    pub fn new(hash: &str, events: i64) -> InputResult<PrintedHead> {
        let hash = hash.trim();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(InputError::invalid(
                "head",
                "the hash must be 64 hexadecimal digits",
            ));
        }
        if events < 0 {
            return Err(InputError::invalid(
                "head",
                "the number of events cannot be negative",
            ));
        }
        Ok(PrintedHead {
            hash: hash.to_ascii_lowercase(),
            events,
        })
    }

    /// Reads `HASH:COUNT` as typed or pasted (white space around it ignored). The
    /// error never repeats what was given.
    pub fn from_text(text: &str) -> InputResult<PrintedHead> {
        let Some((hash, count)) = text.trim().rsplit_once(':') else {
            return Err(InputError::invalid(
                "head",
                "write it as HASH:COUNT, the 64 hexadecimal digits of the hash, a colon and the number of events",
            ));
        };
        let events = count.trim().parse::<i64>().map_err(|_| {
            InputError::invalid(
                "head",
                "after the colon comes the number of events, a whole number",
            )
        })?;
        PrintedHead::new(hash, events)
    }
}

impl std::fmt::Display for PrintedHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.hash, self.events)
    }
}

crate::closed_list! {
    /// What a check of the chain against an earlier report's head found.
    pub enum HeadOutcome("head check outcome") {
        /// Event COUNT has the hash the report printed, and the whole chain verifies: the
        /// history up to the report was not rewritten.
        Intact = "intact",
        /// Event COUNT has another hash or is gone, or the chain breaks at or before it:
        /// the history up to the report was changed (or the report is of another
        /// register).
        Changed = "changed",
        /// The log holds fewer events than the report counted: events were removed
        /// since (or the report is of another register).
        BeyondLog = "beyond_log",
        /// The history up to the report is as it printed, but the chain breaks after it.
        BrokenAfter = "broken_after",
    }
}

/// The result of [`check_head`]: the head given, what was found, and the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadCheck {
    pub head: PrintedHead,
    pub outcome: HeadOutcome,
    /// The events in the log now (the last event's number).
    pub log_events: i64,
    /// The whole chain, walked for this check (never from the checkpoint).
    pub chain: AuditCheck,
}

impl HeadCheck {
    pub fn is_intact(&self) -> bool {
        self.outcome == HeadOutcome::Intact
    }

    /// The outcome in words, for the command line: event numbers and the chain's own
    /// problem texts, never any data.
    pub fn describe(&self) -> String {
        let n = self.head.events;
        let broken = self.chain.first_broken.as_ref();
        match self.outcome {
            HeadOutcome::Intact => format!(
                "intact: event {n} has the hash the report printed, and the chain verifies up to it and through the {} events after it",
                self.log_events - n
            ),
            HeadOutcome::Changed => match broken {
                Some(b) if b.seq <= n => format!(
                    "CHANGED: the history up to that report was changed: the chain breaks at event {} ({})",
                    b.seq, b.problem
                ),
                _ => format!(
                    "CHANGED: the history up to that report was changed: event {n} does not have the hash the report printed (or the report is of another register)"
                ),
            },
            HeadOutcome::BeyondLog => format!(
                "CHANGED: the report counted {n} events, but this register's log holds only {}: events were removed since that report (or the report is of another register)",
                self.log_events
            ),
            HeadOutcome::BrokenAfter => match broken {
                Some(b) => format!(
                    "the history up to that report is intact (event {n} has the printed hash), but the chain breaks later, at event {} ({})",
                    b.seq, b.problem
                ),
                None => "the chain breaks after the report's event".to_string(),
            },
        }
    }
}

/// Compares `head` with the chain: `chain` is the whole chain as just walked
/// ([`verify`], never from a checkpoint: a head printed outside the register is what
/// proves something against someone who holds its key). The history up to the report
/// is intact when event COUNT has the printed hash and nothing at or before it breaks.
pub(crate) fn check_head(
    conn: &Connection,
    chain: AuditCheck,
    head: &PrintedHead,
) -> Result<HeadCheck> {
    let log_events: i64 = conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM audit_events")?
        .query_row([], |r| r.get(0))?;
    let at_count: Option<String> = if head.events == 0 {
        Some(GENESIS.to_string())
    } else {
        conn.prepare_cached("SELECT hash FROM audit_events WHERE seq = ?1")?
            .query_row([head.events], |r| r.get(0))
            .optional()?
    };
    let broken = chain.first_broken.as_ref().map(|b| b.seq);
    let outcome = if head.events > log_events {
        HeadOutcome::BeyondLog
    } else if at_count.as_deref() != Some(head.hash.as_str())
        || broken.is_some_and(|seq| seq <= head.events)
    {
        HeadOutcome::Changed
    } else if broken.is_some() {
        HeadOutcome::BrokenAfter
    } else {
        HeadOutcome::Intact
    };
    Ok(HeadCheck {
        head: head.clone(),
        outcome,
        log_events,
        chain,
    })
}

/// Wipes the free text (the reason) of every event about the data subject `subject_id`,
/// inside the caller's transaction: the text becomes empty, its keyed hash stays, and
/// the chain still verifies. Returns how many texts were wiped. Events written before
/// the register's schema version 5 have no keyed hash (their hash covers the text
/// itself), so their text cannot be wiped: the table's trigger refuses it, and they are
/// not touched here. The events of the people merged into the subject
/// (store/merge.rs) are theirs too.
pub(crate) fn wipe_texts(conn: &Connection, subject_id: Id) -> Result<usize> {
    let mut wiped = 0;
    for id in std::iter::once(subject_id).chain(super::merge::merged_into(conn, subject_id)?) {
        wiped += conn
            .prepare_cached(
                "UPDATE audit_events SET reason = ''
                 WHERE subject_id = ?1 AND reason_mac IS NOT NULL AND reason <> ''",
            )?
            .execute([id])?;
    }
    Ok(wiped)
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

    fn appended(c: &Connection, seqs: std::ops::RangeInclusive<i64>) {
        for i in seqs {
            append(
                c,
                &format!("t{i}"),
                "op",
                &ev("subject.changed", i),
                None,
                &key(),
            )
            .unwrap();
        }
    }

    fn checkpoint_key() -> CheckpointKey {
        CheckpointKey::derive(&[7u8; 32])
    }

    fn stored_checkpoint(c: &Connection) -> serde_json::Value {
        let text: String = c
            .query_row(
                "SELECT value FROM meta WHERE key = 'audit_checkpoint'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn set_stored_checkpoint(c: &Connection, value: &str) {
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'audit_checkpoint'",
            [value],
        )
        .unwrap();
    }

    #[test]
    fn the_checkpoint_is_the_count_and_hash_under_an_hmac_with_its_own_key() {
        let c = db();
        appended(&c, 1..=2);
        let hash = event(&c, 2).hash;
        store_checkpoint(&c, &checkpoint_key(), 2, &hash).unwrap();
        // HMAC-SHA256 under HMAC-SHA256(journal key, label) of a version label, the
        // count in decimal, a NUL and the hash.
        let k = crate::secret::derive_key(&[7u8; 32], b"privreg audit checkpoint key");
        let mut m = Hmac::<Sha256>::new_from_slice(k.as_slice()).unwrap();
        m.update(b"privreg audit checkpoint 1\0");
        m.update(b"2");
        m.update(b"\0");
        m.update(hash.as_bytes());
        let mac = hex::encode(m.finalize().into_bytes());
        assert_eq!(
            stored_checkpoint(&c),
            serde_json::json!({ "events": 2, "hash": hash, "mac": mac })
        );
        assert_ne!(
            k.as_slice(),
            crate::secret::derive_key(&[7u8; 32], b"privreg audit text key").as_slice(),
            "not the audit texts' key"
        );
        // Stored again, it is replaced.
        appended(&c, 3..=3);
        let hash3 = event(&c, 3).hash;
        store_checkpoint(&c, &checkpoint_key(), 3, &hash3).unwrap();
        assert_eq!(stored_checkpoint(&c)["events"], 3);
    }

    #[test]
    fn a_checkpoint_is_trusted_only_with_its_mac_and_its_event_as_it_was() {
        let c = db();
        appended(&c, 1..=5);
        let state = |c: &Connection, key: &CheckpointKey| {
            let (found, start) = read_checkpoint(c, key).unwrap();
            (found.state, found.events, start)
        };
        assert_eq!(
            state(&c, &checkpoint_key()),
            (CheckpointState::Absent, 0, None)
        );
        let whole = verify(&c, Some(&key())).unwrap();
        let hash3 = event(&c, 3).hash;
        store_checkpoint(&c, &checkpoint_key(), 3, &hash3).unwrap();
        let (found, start) = read_checkpoint(&c, &checkpoint_key()).unwrap();
        assert_eq!(
            (found.state, found.events, &start),
            (CheckpointState::Valid, 3, &Some((3, hash3.clone())))
        );
        // Checked from it, the same answer as the whole walk.
        assert_eq!(
            verify_since(&c, start.as_ref(), Some(&key())).unwrap(),
            whole
        );

        // Under another register's key its MAC does not verify.
        assert_eq!(
            state(&c, &CheckpointKey::derive(&[8u8; 32])),
            (CheckpointState::Invalid, 0, None)
        );
        // A count and hash moved on without the MAC: not trusted.
        let mut forged = stored_checkpoint(&c);
        forged["events"] = 5.into();
        forged["hash"] = whole.head_hash.clone().into();
        set_stored_checkpoint(&c, &forged.to_string());
        assert_eq!(
            state(&c, &checkpoint_key()),
            (CheckpointState::Invalid, 0, None)
        );
        set_stored_checkpoint(&c, "not a checkpoint");
        assert_eq!(state(&c, &checkpoint_key()).0, CheckpointState::Invalid);

        // A valid MAC, but the event it names has another hash now, or is not there.
        store_checkpoint(&c, &checkpoint_key(), 3, &hash3).unwrap();
        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        c.execute("UPDATE audit_events SET hash = ?1 WHERE seq = 3", [GENESIS])
            .unwrap();
        assert_eq!(
            state(&c, &checkpoint_key()),
            (CheckpointState::Changed, 3, None)
        );
        store_checkpoint(&c, &checkpoint_key(), 9, &hash3).unwrap();
        assert_eq!(state(&c, &checkpoint_key()).0, CheckpointState::Changed);

        forget_checkpoint(&c).unwrap();
        assert_eq!(state(&c, &checkpoint_key()).0, CheckpointState::Absent);
    }

    #[test]
    fn a_session_stores_only_a_verified_head_beyond_the_stored_checkpoint() {
        let mut session = Session::default();
        assert_eq!(session.to_store(), None, "nothing verified yet");
        session.verified = Some((7, "h7".into()));
        assert_eq!(session.to_store(), Some((7, "h7".into())));
        session.stored = 7;
        assert_eq!(session.to_store(), None, "already stored");
        session.verified = Some((9, "h9".into()));
        assert_eq!(session.to_store(), Some((9, "h9".into())));
    }

    #[test]
    fn a_printed_head_is_read_as_hash_colon_count() {
        let upper = "AB".repeat(32);
        let head = PrintedHead::from_text(&format!("  {upper}:12 \n")).unwrap();
        assert_eq!(
            head,
            PrintedHead {
                hash: "ab".repeat(32),
                events: 12
            }
        );
        assert_eq!(head.to_string(), format!("{}:12", "ab".repeat(32)));
        assert_eq!(PrintedHead::from_text(&head.to_string()).unwrap(), head);
        let bad = [
            String::new(),
            "abc".to_string(),
            upper.clone(),
            format!("{upper}:"),
            format!("{upper}:-1"),
            format!("{upper}:twelve"),
            format!("{upper}:1.5"),
            format!("{}:3", "g".repeat(64)),
            format!("{}:3", "a".repeat(63)),
            format!("{}:3", "a".repeat(65)),
            "Kari Nordmann:3".to_string(),
        ];
        for text in bad {
            let err = PrintedHead::from_text(&text).unwrap_err();
            assert_eq!(err.field(), "head", "{text:?}");
            assert!(!err.to_string().contains("Kari"), "{err}");
        }
    }

    #[test]
    fn a_head_is_compared_with_the_whole_chain() {
        let c = db();
        appended(&c, 1..=4);
        let at4 = verify(&c, Some(&key())).unwrap();
        let printed = PrintedHead::new(&at4.head_hash, at4.events).unwrap();
        appended(&c, 5..=6);
        let check = |c: &Connection, head: &PrintedHead| {
            check_head(c, verify(c, Some(&key())).unwrap(), head).unwrap()
        };

        let ok = check(&c, &printed);
        assert_eq!(
            (ok.outcome, ok.log_events, ok.is_intact()),
            (HeadOutcome::Intact, 6, true)
        );
        assert!(ok.describe().starts_with("intact"), "{}", ok.describe());
        // A count the log never reached.
        let beyond = check(&c, &PrintedHead::new(&at4.head_hash, 7).unwrap());
        assert_eq!(beyond.outcome, HeadOutcome::BeyondLog);
        assert!(beyond.describe().contains("holds only 6"));
        // Another hash at that count.
        let other = check(&c, &PrintedHead::new(GENESIS, 4).unwrap());
        assert_eq!(other.outcome, HeadOutcome::Changed);

        c.execute_batch("DROP TRIGGER audit_events_no_update;")
            .unwrap();
        // An event after the report changed: the history up to it is as printed.
        c.execute("UPDATE audit_events SET actor = 'x' WHERE seq = 5", [])
            .unwrap();
        let after = check(&c, &printed);
        assert_eq!(after.outcome, HeadOutcome::BrokenAfter);
        assert!(
            after.describe().contains("at event 5"),
            "{}",
            after.describe()
        );
        // An event before it changed: the history up to the report was changed, though
        // event 4 still has the printed hash.
        c.execute("UPDATE audit_events SET actor = 'op' WHERE seq = 5", [])
            .unwrap();
        c.execute("UPDATE audit_events SET actor = 'x' WHERE seq = 2", [])
            .unwrap();
        let before = check(&c, &printed);
        assert_eq!(before.outcome, HeadOutcome::Changed);
        assert_eq!(before.chain.first_broken.as_ref().map(|b| b.seq), Some(2));
        assert!(
            before.describe().contains("breaks at event 2"),
            "{}",
            before.describe()
        );
        assert!(!before.is_intact());
    }
}
