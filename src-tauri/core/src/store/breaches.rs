//! Personal data breaches ("avvik"): the breach log of Art. 33(5), the 72-hour clock of
//! Art. 33(1), the people affected found in the register itself, the risk assessment
//! and the two decisions (notify Datatilsynet, Art. 33; tell the people, Art. 34), and
//! the notices sent, in phases where needed (Art. 33(4)).
//!
//! A breach record never copies personal data: its facts are the manager's words about
//! what happened (the form says so), and the people affected are links to subjects
//! (`breach_subjects`), with the counts made when they were chosen kept beside them.
//! When a person is later erased the link goes with them (the foreign key) and the
//! breach keeps the count, not the person.
//!
//! The clock runs 72 real hours from the moment the organisation became aware, shown
//! in its local time (Europe/Oslo, with its summer-time changes): awareness at 01:30 on
//! 28 March 2027 is due at 02:30 on 31 March, and at 01:30 on 31 October 2027 at 00:30
//! on 3 November. It stops when Datatilsynet is notified, when the assessment decides
//! that no notification is needed (the breach is unlikely to result in a risk), or when
//! the breach is closed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Europe::Oslo;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError, Result};
use crate::model::{Activity, Id};
use crate::store::audit::NewEvent;
use crate::store::processors::time;
use crate::store::Register;

crate::closed_list! {
    /// The kind of breach (one or more): confidentiality, integrity, availability.
    pub enum BreachKind("breach kind") {
        Confidentiality = "confidentiality",
        Integrity = "integrity",
        Availability = "availability",
    }
}

crate::closed_list! {
    pub enum BreachStatus("breach status") {
        Open = "open",
        Notified = "notified",
        Closed = "closed",
    }
}

crate::closed_list! {
    /// The risk to the people's rights and freedoms (Art. 33(1), 34(1)).
    pub enum RiskLevel("risk level") {
        /// Unlikely to result in a risk: no notification to Datatilsynet (Art. 33(1)).
        Unlikely = "unlikely",
        Risk = "risk",
        /// A high risk: the people are told (Art. 34(1)), unless Art. 34(3) applies.
        High = "high",
    }
}

crate::closed_list! {
    /// Why the people need not be told although the risk is high (Art. 34(3)).
    pub enum Art34Exception("Art. 34(3) exception") {
        /// (a) the data were unintelligible to others, e.g. encrypted.
        Unintelligible = "unintelligible",
        /// (b) measures taken since make the high risk no longer likely.
        RiskNoLongerLikely = "risk_no_longer_likely",
        /// (c) telling each would take disproportionate effort: a public
        /// communication instead.
        PublicCommunication = "public_communication",
    }
}

impl Art34Exception {
    pub fn article(self) -> &'static str {
        match self {
            Art34Exception::Unintelligible => "Art. 34(3)(a)",
            Art34Exception::RiskNoLongerLikely => "Art. 34(3)(b)",
            Art34Exception::PublicCommunication => "Art. 34(3)(c)",
        }
    }
}

crate::closed_list! {
    /// A notice sent about a breach.
    pub enum NoticeKind("breach notice kind") {
        /// The first notification to Datatilsynet (Art. 33(1)).
        Initial = "initial",
        /// A later, fuller notification (Art. 33(4): in phases).
        FollowUp = "follow_up",
        /// The communication to the people affected (Art. 34).
        Subjects = "subjects",
    }
}

impl NoticeKind {
    pub fn article(self) -> &'static str {
        match self {
            NoticeKind::Initial => "Art. 33(1)",
            NoticeKind::FollowUp => "Art. 33(4)",
            NoticeKind::Subjects => "Art. 34",
        }
    }
}

/// Art. 33(1): "without undue delay and, where feasible, not later than 72 hours after
/// having become aware of it".
pub const NOTIFY_WITHIN_HOURS: i64 = 72;

/// What the manager records. No personal data belongs here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreachFacts {
    pub title: String,
    pub occurred_from: Option<DateTime<Utc>>,
    pub occurred_to: Option<DateTime<Utc>>,
    pub discovered_at: Option<DateTime<Utc>>,
    /// When the organisation became aware: the 72-hour clock starts here.
    pub aware_at: Option<DateTime<Utc>>,
    pub found_by: String,
    /// How it arose: the main cause.
    pub cause: String,
    /// What happened.
    pub description: String,
    pub kinds: Vec<BreachKind>,
    /// Where the data is now.
    pub data_location: String,
    /// The processor that reported it (Art. 33(2)), and when it told us.
    pub processor_id: Option<Id>,
    pub processor_told_at: Option<DateTime<Utc>>,
    /// The organisation's relation to the people ("clients", "course participants").
    pub relation: String,
    /// The likely consequences for the people.
    pub consequences: String,
    /// Measures taken to stop it and limit the harm.
    pub measures_taken: String,
    /// Measures planned, so that it does not happen again.
    pub measures_planned: String,
    /// The contact point for more information (DPO or contact person).
    pub contact: String,
}

impl BreachFacts {
    /// The facts trimmed, with the dates checked; the kinds once each, in order.
    fn normalised(&self) -> Result<BreachFacts> {
        let t = |s: &str| s.trim().to_string();
        let mut kinds = Vec::new();
        for k in BreachKind::ALL {
            if self.kinds.contains(k) {
                kinds.push(*k);
            }
        }
        let f = BreachFacts {
            title: t(&self.title),
            found_by: t(&self.found_by),
            cause: t(&self.cause),
            description: t(&self.description),
            data_location: t(&self.data_location),
            relation: t(&self.relation),
            consequences: t(&self.consequences),
            measures_taken: t(&self.measures_taken),
            measures_planned: t(&self.measures_planned),
            contact: t(&self.contact),
            kinds,
            ..self.clone()
        };
        let invalid = |field: &'static str, problem: &str| -> Error {
            InputError::invalid(field, problem).into()
        };
        if f.title.is_empty() {
            return Err(invalid("title", "give the breach a short name"));
        }
        let aware = f
            .aware_at
            .ok_or_else(|| invalid("aware_at", "say when the organisation became aware"))?;
        let discovered = f
            .discovered_at
            .ok_or_else(|| invalid("discovered_at", "say when it was discovered"))?;
        if aware < discovered {
            return Err(invalid(
                "aware_at",
                "the organisation cannot become aware before it was discovered",
            ));
        }
        if let (Some(a), Some(b)) = (f.occurred_from, f.occurred_to) {
            if b < a {
                return Err(invalid("occurred_to", "the end is before the start"));
            }
        }
        if f.kinds.is_empty() {
            return Err(invalid(
                "kinds",
                "choose at least one: confidentiality, integrity or availability",
            ));
        }
        Ok(f)
    }
}

/// The 72-hour clock (Art. 33(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachClock {
    pub aware_at: DateTime<Utc>,
    /// aware_at + 72 real hours.
    pub due_at: DateTime<Utc>,
    /// due_at in Europe/Oslo: "2027-03-31T02:30:00+02:00".
    pub due_local: String,
    /// Minutes left until due_at (negative once passed), while the clock runs.
    pub minutes_left: Option<i64>,
    pub overdue: bool,
    /// Still counting: not notified, not decided "no notification", not closed.
    pub running: bool,
}

impl BreachClock {
    /// The clock of a breach the organisation became aware of at `aware_at`, read at
    /// `now`; `stopped` once Datatilsynet was notified, no notification is needed, or
    /// the breach is closed. Overdue is strictly after the due minute.
    pub fn at(aware_at: DateTime<Utc>, now: DateTime<Utc>, stopped: bool) -> BreachClock {
        let due_at = aware_at + Duration::hours(NOTIFY_WITHIN_HOURS);
        let running = !stopped;
        let left = due_at - now;
        // Whole minutes, rounded down: 30 seconds past the deadline is -1.
        let minutes = left.num_seconds().div_euclid(60);
        BreachClock {
            aware_at,
            due_at,
            due_local: local(due_at),
            minutes_left: running.then_some(minutes),
            overdue: running && now > due_at,
            running,
        }
    }
}

/// A time in the organisation's local time (Europe/Oslo), to the second, with its
/// offset.
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Oslo)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A time as a person types it: RFC 3339 ("2027-03-28T01:30:00+01:00"), or a local
/// time in Europe/Oslo, "2027-03-28 01:30" (or with a "T"). A local time the clocks
/// skip (02:30 on the night they go forward) is refused; one they pass twice (02:30 on
/// the night they go back) is the first.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())?;
    use chrono::TimeZone;
    Oslo.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Which people a breach affected, chosen in the register (never copied).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AffectedSelection {
    /// People with records in any of these activities (empty: not by activity).
    pub activity_ids: Vec<Id>,
    /// ...and only records of these data categories (empty: any category).
    pub categories: Vec<String>,
    /// ...and only records collected in this window (inclusive; None: open).
    pub collected_from: Option<NaiveDate>,
    pub collected_to: Option<NaiveDate>,
    /// ...and only the records one CSV import wrote (the id of its `csv.imported`
    /// audit event; see [`Register::imports`]).
    pub import_event: Option<Id>,
    /// People chosen by hand (added to the above).
    pub subject_ids: Vec<Id>,
}

/// One CSV import into an activity, as the audit log records it (to choose the
/// records it wrote for a breach).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// The id (sequence number) of its `csv.imported` audit event.
    pub event: Id,
    pub at: DateTime<Utc>,
    pub activity_id: Id,
    /// The records it wrote, as counted when it ran.
    pub records: i64,
}

/// The `csv.imported` audit events, newest first; only event `only` when given.
fn import_summaries(conn: &Connection, only: Option<Id>) -> Result<Vec<ImportSummary>> {
    let mut st = conn.prepare(
        "SELECT seq, at, entity_id, fields FROM audit_events
         WHERE action = 'csv.imported' AND entity_id IS NOT NULL AND (?1 IS NULL OR seq = ?1)
         ORDER BY seq DESC",
    )?;
    let rows = st
        .query_map([only], |x| {
            Ok((
                x.get::<_, Id>(0)?,
                x.get::<_, String>(1)?,
                x.get::<_, Id>(2)?,
                x.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(event, at, activity_id, fields)| {
            let fields: Vec<String> = serde_json::from_str(&fields)?;
            let records = fields
                .iter()
                .find_map(|f| f.strip_prefix("records:")?.parse().ok())
                .unwrap_or(0);
            Ok(ImportSummary {
                event,
                at: time(&at)?,
                activity_id,
                records,
            })
        })
        .collect()
}

/// The activity and the write time of the CSV import that audit event `event` logged.
fn import_of(conn: &Connection, event: Id) -> Result<(Id, String)> {
    conn.query_row(
        "SELECT entity_id, at FROM audit_events WHERE seq = ?1 AND action = 'csv.imported'",
        [event],
        |x| Ok((x.get::<_, Id>(0)?, x.get::<_, String>(1)?)),
    )
    .optional()?
    .ok_or_else(|| InputError::invalid("import_event", "no such import").into())
}

/// What a selection covers, counted before it is saved and kept with the breach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedCount {
    pub people: i64,
    pub records: i64,
    /// (category name, records), by name.
    pub categories: Vec<(String, i64)>,
    /// Special categories (Art. 9) among them.
    pub special_categories: bool,
    /// Criminal offence data (Art. 10) among them.
    pub criminal_offence_data: bool,
}

/// The risk assessment and the two decisions, each with its reasons and who decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub risk: RiskLevel,
    /// Notify Datatilsynet: required unless the risk is Unlikely (Art. 33(1)).
    pub notify_authority: bool,
    #[serde(default)]
    pub authority_reasons: String,
    /// Tell the people: required when the risk is High (Art. 34(1)), unless an
    /// Art. 34(3) exception applies.
    pub notify_subjects: bool,
    #[serde(default)]
    pub subjects_reasons: String,
    #[serde(default)]
    pub art34_exception: Option<Art34Exception>,
    #[serde(default)]
    pub decided_by: String,
    /// Set by the core.
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
}

impl Assessment {
    /// The assessment checked against Art. 33(1) and 34(1), (3).
    fn checked(&self, now: DateTime<Utc>) -> Result<Assessment> {
        let invalid = |field: &'static str, problem: &str| -> Error {
            InputError::invalid(field, problem).into()
        };
        let a = Assessment {
            authority_reasons: self.authority_reasons.trim().to_string(),
            subjects_reasons: self.subjects_reasons.trim().to_string(),
            decided_by: self.decided_by.trim().to_string(),
            decided_at: Some(now),
            ..self.clone()
        };
        if a.decided_by.is_empty() {
            return Err(invalid("decided_by", "say who decided"));
        }
        if a.authority_reasons.is_empty() {
            return Err(invalid(
                "authority_reasons",
                "give the reasons for the decision on notifying Datatilsynet",
            ));
        }
        if a.subjects_reasons.is_empty() {
            return Err(invalid(
                "subjects_reasons",
                "give the reasons for the decision on telling the people",
            ));
        }
        // Art. 33(1): notification is required unless the breach is unlikely to
        // result in a risk.
        if !a.notify_authority && a.risk != RiskLevel::Unlikely {
            return Err(invalid(
                "notify_authority",
                "a breach that may result in a risk is notified to Datatilsynet (Art. 33(1))",
            ));
        }
        // Art. 34(1), (3): a high risk is told to the people unless an exception
        // applies; an exception is recorded only where it decides something.
        let a = Assessment {
            art34_exception: if a.notify_subjects {
                None
            } else {
                a.art34_exception
            },
            ..a
        };
        if a.risk == RiskLevel::High && !a.notify_subjects && a.art34_exception.is_none() {
            return Err(invalid(
                "art34_exception",
                "a high risk is told to the people unless Art. 34(3) applies: say which",
            ));
        }
        Ok(a)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreachNotice {
    pub id: Id,
    pub kind: NoticeKind,
    pub sent_at: DateTime<Utc>,
    /// Datatilsynet's (Altinn) reference, or how the people were told.
    pub reference: String,
    /// Why a late first notification to Datatilsynet came after the 72 hours.
    pub delay_reason: String,
    pub note: String,
    /// For a communication to the people: how many letters were made.
    pub letters: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewNotice {
    pub kind: NoticeKind,
    /// Now when None.
    #[serde(default)]
    pub sent_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub delay_reason: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub letters: Option<i64>,
}

/// A stored breach with everything about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    pub id: Id,
    /// "2027-001": the year of awareness (local) and a number, for the log.
    pub reference: String,
    #[serde(flatten)]
    pub facts: BreachFacts,
    pub status: BreachStatus,
    pub clock: BreachClock,
    /// The processor's name, when one reported it.
    pub processor: Option<String>,
    pub selection: Option<AffectedSelection>,
    /// Counted when the people were chosen; kept when people are later erased.
    pub affected: Option<AffectedCount>,
    /// People still in the register among those chosen.
    pub linked_people: i64,
    pub assessment: Option<Assessment>,
    pub notices: Vec<BreachNotice>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closing_note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

const COLUMNS: &str = "id, reference, facts, status, selection, affected, assessment, closed_at,
    closing_note, created_at, updated_at";

struct Row {
    id: Id,
    reference: String,
    facts: String,
    status: String,
    selection: Option<String>,
    affected: Option<String>,
    assessment: Option<String>,
    closed_at: Option<String>,
    closing_note: String,
    created_at: String,
    updated_at: String,
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        reference: r.get(1)?,
        facts: r.get(2)?,
        status: r.get(3)?,
        selection: r.get(4)?,
        affected: r.get(5)?,
        assessment: r.get(6)?,
        closed_at: r.get(7)?,
        closing_note: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

fn json_opt<T: serde::de::DeserializeOwned>(s: &Option<String>) -> Result<Option<T>> {
    Ok(match s {
        Some(s) => Some(serde_json::from_str(s)?),
        None => None,
    })
}

fn notices(conn: &Connection, breach_id: Id) -> Result<Vec<BreachNotice>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kind, sent_at, reference, delay_reason, note, letters FROM breach_notices
         WHERE breach_id = ?1 ORDER BY sent_at, id",
    )?;
    let rows = st
        .query_map([breach_id], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(id, kind, sent_at, reference, delay_reason, note, letters)| {
                Ok(BreachNotice {
                    id,
                    kind: NoticeKind::parse(&kind)
                        .ok_or_else(|| Error::Corrupt("unknown breach notice kind".into()))?,
                    sent_at: time(&sent_at)?,
                    reference,
                    delay_reason,
                    note,
                    letters,
                })
            },
        )
        .collect()
}

/// Whether the clock has stopped: closed, Datatilsynet notified, or no notification
/// needed.
fn stopped(
    status: BreachStatus,
    assessment: Option<&Assessment>,
    notices: &[BreachNotice],
) -> bool {
    status == BreachStatus::Closed
        || notices.iter().any(|n| n.kind == NoticeKind::Initial)
        || assessment.is_some_and(|a| !a.notify_authority)
}

fn load(conn: &Connection, r: Row, now: DateTime<Utc>) -> Result<Breach> {
    let corrupt = |what: &str| Error::Corrupt(format!("unknown breach {what}"));
    let facts: BreachFacts = serde_json::from_str(&r.facts)?;
    let status = BreachStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?;
    let assessment: Option<Assessment> = json_opt(&r.assessment)?;
    let notices = notices(conn, r.id)?;
    let aware = facts
        .aware_at
        .ok_or_else(|| Error::Corrupt("a breach without its time of awareness".into()))?;
    let clock = BreachClock::at(aware, now, stopped(status, assessment.as_ref(), &notices));
    let processor = match facts.processor_id {
        Some(p) => conn
            .query_row("SELECT name FROM processors WHERE id = ?1", [p], |r| {
                r.get::<_, String>(0)
            })
            .optional()?,
        None => None,
    };
    let linked_people = conn.query_row(
        "SELECT count(*) FROM breach_subjects WHERE breach_id = ?1",
        [r.id],
        |x| x.get(0),
    )?;
    Ok(Breach {
        id: r.id,
        reference: r.reference,
        facts,
        status,
        clock,
        processor,
        selection: json_opt(&r.selection)?,
        affected: json_opt(&r.affected)?,
        linked_people,
        assessment,
        notices,
        closed_at: r.closed_at.as_deref().map(time).transpose()?,
        closing_note: r.closing_note,
        created_at: time(&r.created_at)?,
        updated_at: time(&r.updated_at)?,
    })
}

/// The subjects and records a selection covers, with per-category counts. Run inside
/// the caller's connection or transaction; `into` also links the people to a breach.
fn select(conn: &Connection, sel: &AffectedSelection, into: Option<Id>) -> Result<AffectedCount> {
    let mut cond = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let list = |ids: &[Id]| {
        format!(
            "[{}]",
            ids.iter().map(Id::to_string).collect::<Vec<_>>().join(",")
        )
    };
    if !sel.activity_ids.is_empty() {
        args.push(list(&sel.activity_ids).into());
        cond.push(format!(
            "r.activity_id IN (SELECT value FROM json_each(?{}))",
            args.len()
        ));
    }
    if !sel.categories.is_empty() {
        let names: Vec<String> = sel
            .categories
            .iter()
            .map(|c| c.trim().to_lowercase())
            .collect();
        args.push(serde_json::to_string(&names)?.into());
        cond.push(format!(
            "lower(trim(r.category)) IN (SELECT value FROM json_each(?{}))",
            args.len()
        ));
    }
    if let Some(d) = sel.collected_from {
        args.push(d.to_string().into());
        cond.push(format!("r.collected_on >= ?{}", args.len()));
    }
    if let Some(d) = sel.collected_to {
        args.push(d.to_string().into());
        cond.push(format!("r.collected_on <= ?{}", args.len()));
    }
    if let Some(event) = sel.import_event {
        // The records one CSV import wrote: its activity, and the time of its write
        // transaction, which every record it wrote carries as `created_at` (to the
        // microsecond; writes are serialised, so no other write shares it).
        let (activity, at) = import_of(conn, event)?;
        args.push(activity.into());
        args.push(at.into());
        cond.push(format!(
            "(r.activity_id = ?{} AND r.created_at = ?{})",
            args.len() - 1,
            args.len()
        ));
    }
    // The records counted: those the conditions pick, and all records of the people
    // chosen by hand (as much as the register holds about them).
    let hand = (!sel.subject_ids.is_empty()).then(|| {
        args.push(list(&sel.subject_ids).into());
        args.len()
    });
    let by_hand = hand.map(|n| format!("r.subject_id IN (SELECT value FROM json_each(?{n}))"));
    let matched = match (cond.is_empty(), &by_hand) {
        (false, Some(h)) => format!("(({}) OR {h})", cond.join(" AND ")),
        (false, None) => cond.join(" AND "),
        (true, Some(h)) => h.clone(),
        (true, None) => "0".to_string(),
    };
    let from = format!("FROM records r WHERE {matched}");
    // People chosen by hand count whether or not they have records; with no one chosen
    // by hand the people are simply the distinct subjects of the matched records, which
    // the index on (activity, category, subject) gives without reading any record.
    let people_of = match hand {
        Some(n) => format!(
            "SELECT r.subject_id {from} UNION SELECT s.id FROM subjects s
             WHERE s.id IN (SELECT value FROM json_each(?{n}))"
        ),
        None => format!("SELECT DISTINCT r.subject_id {from}"),
    };
    let people: i64 = match into {
        // Choosing: link the people, then count the links (one pass, not two).
        Some(breach) => {
            conn.execute("DELETE FROM breach_subjects WHERE breach_id = ?1", [breach])?;
            let mut link_args = args.clone();
            link_args.push(breach.into());
            conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO breach_subjects (breach_id, subject_id)
                     SELECT ?{n}, subject_id FROM ({people_of})",
                    n = link_args.len()
                ),
                rusqlite::params_from_iter(link_args.iter()),
            )?;
            conn.query_row(
                "SELECT count(*) FROM breach_subjects WHERE breach_id = ?1",
                [breach],
                |x| x.get(0),
            )?
        }
        None => conn.query_row(
            &format!("SELECT count(*) FROM ({people_of})"),
            rusqlite::params_from_iter(args.iter()),
            |x| x.get(0),
        )?,
    };
    let mut per: Vec<(Id, String, i64)> = {
        let mut st = conn.prepare(&format!(
            "SELECT r.activity_id, r.category, count(*) {from} GROUP BY r.activity_id, r.category"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |x| {
                Ok((x.get(0)?, x.get(1)?, x.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let records: i64 = per.iter().map(|p| p.2).sum();
    per.sort_by_key(|a| a.1.to_lowercase());
    let mut special = false;
    let mut criminal = false;
    let mut bodies: std::collections::HashMap<Id, Activity> = Default::default();
    let mut categories: Vec<(String, i64)> = Vec::new();
    for (activity, name, n) in per {
        let a = match bodies.entry(activity) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let body: String = conn.query_row(
                    "SELECT body FROM activities WHERE id = ?1",
                    [activity],
                    |x| x.get(0),
                )?;
                e.insert(serde_json::from_str(&body)?)
            }
        };
        if let Some(c) = a.category(&name) {
            special |= c.is_special_category();
            criminal |= c.is_criminal_offence_data();
        }
        match categories
            .iter_mut()
            .find(|(c, _)| c.trim().eq_ignore_ascii_case(name.trim()))
        {
            Some((_, total)) => *total += n,
            None => categories.push((name.trim().to_string(), n)),
        }
    }
    Ok(AffectedCount {
        people,
        records,
        categories,
        special_categories: special,
        criminal_offence_data: criminal,
    })
}

/// The names of the fields that differ between two sets of facts, for the audit log.
fn changed_fields(a: &BreachFacts, b: &BreachFacts) -> Vec<String> {
    let (Ok(serde_json::Value::Object(x)), Ok(serde_json::Value::Object(y))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| x.get(*k) != y.get(*k))
        .cloned()
        .collect()
}

impl Register {
    fn breach_row(&self, id: Id) -> Result<Row> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM breaches WHERE id = ?1"),
                [id],
                row,
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: "breach",
                id,
            })
    }

    pub fn breach(&self, id: Id) -> Result<Breach> {
        let r = self.breach_row(id)?;
        load(self.conn(), r, self.clock().now())
    }

    /// Every breach, newest first (by the time of awareness).
    pub fn breaches(&self) -> Result<Vec<Breach>> {
        let mut st = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM breaches ORDER BY aware_at DESC, id DESC"
        ))?;
        let rows = st
            .query_map([], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let now = self.clock().now();
        rows.into_iter()
            .map(|r| load(self.conn(), r, now))
            .collect()
    }

    /// The breaches not closed, the most urgent first: running clocks by their due
    /// time, then the others.
    pub fn open_breaches(&self) -> Result<Vec<Breach>> {
        let mut list: Vec<Breach> = self
            .breaches()?
            .into_iter()
            .filter(|b| b.status != BreachStatus::Closed)
            .collect();
        list.sort_by_key(|b| (!b.clock.running, b.clock.due_at, b.id));
        Ok(list)
    }

    fn open_breach(&self, id: Id) -> Result<Breach> {
        let b = self.breach(id)?;
        if b.status == BreachStatus::Closed {
            return Err(InputError::invalid("status", "the breach is closed").into());
        }
        Ok(b)
    }

    /// Records a breach. The reference is the local year of awareness and the next
    /// number in that year: "2027-001".
    pub fn add_breach(&mut self, facts: &BreachFacts) -> Result<Breach> {
        let f = facts.normalised()?;
        if let Some(p) = f.processor_id {
            self.processor(p)?;
        }
        let aware = f.aware_at.expect("checked");
        let year = aware.with_timezone(&Oslo).year();
        let id = self.write(|tx, ctx| {
            let n: i64 = tx.query_row(
                "SELECT count(*) FROM breaches WHERE reference LIKE ?1",
                [format!("{year}-%")],
                |r| r.get(0),
            )?;
            let reference = format!("{year}-{:03}", n + 1);
            tx.execute(
                "INSERT INTO breaches (reference, facts, aware_at, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'open', ?4, ?4)",
                params![reference, serde_json::to_string(&f)?, iso(aware), ctx.now],
            )?;
            let id = tx.last_insert_rowid();
            ctx.audit(
                tx,
                NewEvent::new("breach.created", "breach", Some(id))
                    .fields(&f.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
            )?;
            Ok(id)
        })?;
        self.breach(id)
    }

    /// Changes a breach's facts (not once it is closed); the audit event names the
    /// fields that changed.
    pub fn update_breach(&mut self, id: Id, facts: &BreachFacts) -> Result<Breach> {
        let before = self.open_breach(id)?;
        let f = facts.normalised()?;
        if let Some(p) = f.processor_id {
            self.processor(p)?;
        }
        let changed = changed_fields(&before.facts, &f);
        if changed.is_empty() {
            return Ok(before);
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE breaches SET facts = ?1, aware_at = ?2, updated_at = ?3 WHERE id = ?4",
                params![
                    serde_json::to_string(&f)?,
                    iso(f.aware_at.expect("checked")),
                    ctx.now,
                    id
                ],
            )?;
            ctx.audit(
                tx,
                NewEvent::new("breach.changed", "breach", Some(id))
                    .fields(&changed.iter().map(String::as_str).collect::<Vec<_>>()),
            )
        })?;
        self.breach(id)
    }

    /// The CSV imports the audit log records, newest first (to choose the records one
    /// of them wrote as affected by a breach).
    pub fn imports(&self) -> Result<Vec<ImportSummary>> {
        import_summaries(self.conn(), None)
    }

    /// The import an audit event logged, if it logged one.
    pub fn import(&self, event: Id) -> Result<ImportSummary> {
        import_summaries(self.conn(), Some(event))?
            .pop()
            .ok_or_else(|| InputError::invalid("import_event", "no such import").into())
    }

    /// Counts what a selection of people covers, before it is saved.
    pub fn count_affected(&self, sel: &AffectedSelection) -> Result<AffectedCount> {
        check_selection(sel)?;
        select(self.conn(), sel, None)
    }

    /// Chooses the people a breach affected: links them (replacing an earlier choice)
    /// and keeps the counts with the breach.
    pub fn set_affected(&mut self, id: Id, sel: &AffectedSelection) -> Result<Breach> {
        self.open_breach(id)?;
        check_selection(sel)?;
        for a in &sel.activity_ids {
            self.activity(*a)?;
        }
        self.write(|tx, ctx| {
            let count = select(tx, sel, Some(id))?;
            tx.execute(
                "UPDATE breaches SET selection = ?1, affected = ?2, updated_at = ?3 WHERE id = ?4",
                params![
                    serde_json::to_string(sel)?,
                    serde_json::to_string(&count)?,
                    ctx.now,
                    id
                ],
            )?;
            let people = format!("people:{}", count.people);
            let records = format!("records:{}", count.records);
            ctx.audit(
                tx,
                NewEvent::new("breach.affected", "breach", Some(id))
                    .fields(&[people.as_str(), records.as_str()]),
            )
        })?;
        self.breach(id)
    }

    /// The people still linked to a breach (for the letters to them).
    pub fn affected_subjects(&self, id: Id) -> Result<Vec<Id>> {
        self.breach_row(id)?;
        let mut st = self.conn().prepare(
            "SELECT b.subject_id FROM breach_subjects b JOIN subjects s ON s.id = b.subject_id
             WHERE b.breach_id = ?1 ORDER BY s.name COLLATE NOCASE, s.id",
        )?;
        let ids = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        Ok(ids)
    }

    /// Records the risk assessment and the two decisions (Art. 33(1), 34).
    pub fn assess_breach(&mut self, id: Id, a: &Assessment) -> Result<Breach> {
        self.open_breach(id)?;
        let a = a.checked(self.clock().now())?;
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE breaches SET assessment = ?1, updated_at = ?2 WHERE id = ?3",
                params![serde_json::to_string(&a)?, ctx.now, id],
            )?;
            let authority = if a.notify_authority {
                "notify_authority"
            } else {
                "no_notification"
            };
            let subjects = if a.notify_subjects {
                "tell_subjects"
            } else {
                a.art34_exception.map_or("not_subjects", |e| e.as_str())
            };
            ctx.audit(
                tx,
                NewEvent::new("breach.assessed", "breach", Some(id)).fields(&[
                    a.risk.as_str(),
                    authority,
                    subjects,
                ]),
            )
        })?;
        self.breach(id)
    }

    /// Records a notice sent: to Datatilsynet (the first, Art. 33(1), or a follow-up,
    /// Art. 33(4)) or to the people (Art. 34). A first notification after the 72 hours
    /// needs the reasons for the delay (Art. 33(1)). Notifying Datatilsynet marks the
    /// breach notified.
    pub fn record_breach_notice(&mut self, id: Id, n: &NewNotice) -> Result<Breach> {
        let b = self.open_breach(id)?;
        let now = self.clock().now();
        let sent_at = n.sent_at.unwrap_or(now);
        if sent_at > now + Duration::minutes(1) {
            return Err(InputError::invalid("sent_at", "a time in the future").into());
        }
        if sent_at < b.clock.aware_at {
            return Err(
                InputError::invalid("sent_at", "before the organisation became aware").into(),
            );
        }
        let first = !b.notices.iter().any(|x| x.kind == NoticeKind::Initial);
        match n.kind {
            NoticeKind::Initial if !first => {
                return Err(InputError::invalid(
                    "kind",
                    "Datatilsynet was notified already: record a follow-up (Art. 33(4))",
                )
                .into())
            }
            NoticeKind::FollowUp if first => {
                return Err(InputError::invalid(
                    "kind",
                    "record the first notification to Datatilsynet before a follow-up",
                )
                .into())
            }
            NoticeKind::Initial if sent_at > b.clock.due_at && n.delay_reason.trim().is_empty() => {
                return Err(InputError::invalid(
                    "delay_reason",
                    "a notification after 72 hours gives the reasons for the delay (Art. 33(1))",
                )
                .into())
            }
            _ => {}
        }
        if n.letters.is_some_and(|l| l < 0) {
            return Err(InputError::invalid("letters", "a number of letters").into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO breach_notices (breach_id, kind, sent_at, reference, delay_reason, note, letters)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    n.kind.as_str(),
                    iso(sent_at),
                    n.reference.trim(),
                    n.delay_reason.trim(),
                    n.note.trim(),
                    n.letters
                ],
            )?;
            if n.kind != NoticeKind::Subjects {
                tx.execute(
                    "UPDATE breaches SET status = 'notified', updated_at = ?1 WHERE id = ?2",
                    params![ctx.now, id],
                )?;
            } else {
                tx.execute(
                    "UPDATE breaches SET updated_at = ?1 WHERE id = ?2",
                    params![ctx.now, id],
                )?;
            }
            let letters = n.letters.map(|l| format!("letters:{l}"));
            let mut fields = vec![n.kind.as_str()];
            if let Some(l) = &letters {
                fields.push(l);
            }
            if sent_at > b.clock.due_at && n.kind == NoticeKind::Initial {
                fields.push("late");
            }
            ctx.audit(
                tx,
                NewEvent::new("breach.notice", "breach", Some(id)).fields(&fields),
            )
        })?;
        self.breach(id)
    }

    /// Closes a breach with a note; it changes no more. One that may result in a risk
    /// is closed only once Datatilsynet was notified, and one whose people were to be
    /// told only once they were.
    pub fn close_breach(&mut self, id: Id, note: &str) -> Result<Breach> {
        let b = self.open_breach(id)?;
        if note.trim().is_empty() {
            return Err(InputError::invalid("closing_note", "say what was done in the end").into());
        }
        let Some(a) = &b.assessment else {
            return Err(InputError::invalid(
                "assessment",
                "assess the risk before closing the breach",
            )
            .into());
        };
        if a.notify_authority && !b.notices.iter().any(|n| n.kind == NoticeKind::Initial) {
            return Err(InputError::invalid(
                "notices",
                "record the notification to Datatilsynet before closing",
            )
            .into());
        }
        if a.notify_subjects && !b.notices.iter().any(|n| n.kind == NoticeKind::Subjects) {
            return Err(InputError::invalid(
                "notices",
                "record the communication to the people before closing",
            )
            .into());
        }
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE breaches SET status = 'closed', closed_at = ?1, closing_note = ?2, updated_at = ?1
                 WHERE id = ?3",
                params![ctx.now, note.trim(), id],
            )?;
            ctx.audit(
                tx,
                NewEvent::new("breach.closed", "breach", Some(id)).reason(note.trim()),
            )
        })?;
        self.breach(id)
    }

    /// How many breaches are not closed.
    pub fn open_breach_count(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM breaches WHERE status <> 'closed'",
            [],
            |r| r.get(0),
        )?)
    }
}

fn check_selection(sel: &AffectedSelection) -> Result<()> {
    let empty = sel.activity_ids.is_empty()
        && sel.categories.is_empty()
        && sel.collected_from.is_none()
        && sel.collected_to.is_none()
        && sel.import_event.is_none()
        && sel.subject_ids.is_empty();
    if empty {
        return Err(InputError::invalid(
            "selection",
            "choose activities, data categories, a time window, an import or people",
        )
        .into());
    }
    if let (Some(a), Some(b)) = (sel.collected_from, sel.collected_to) {
        if b < a {
            return Err(InputError::invalid("collected_to", "the end is before the start").into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_clock_counts_72_real_hours_across_the_summer_time_changes_of_oslo() {
        // 01:30 on 28 March 2027 (CET, +01:00), the night the clocks go forward.
        let aware = t("2027-03-28T01:30:00+01:00");
        let c = BreachClock::at(aware, aware, false);
        assert_eq!(c.due_local, "2027-03-31T02:30:00+02:00");
        assert_eq!(c.due_at - c.aware_at, Duration::hours(72));
        assert_eq!(c.minutes_left, Some(72 * 60));
        // 01:30 on 31 October 2027 (CEST, +02:00), the night the clocks go back.
        let aware = t("2027-10-31T01:30:00+02:00");
        let c = BreachClock::at(aware, aware, false);
        assert_eq!(c.due_local, "2027-11-03T00:30:00+01:00");
    }

    #[test]
    fn times_are_read_as_typed_in_oslo() {
        assert_eq!(
            parse_time("2027-03-28 01:30"),
            Some(t("2027-03-28T00:30:00Z"))
        );
        assert_eq!(
            parse_time("2027-07-01T12:00"),
            Some(t("2027-07-01T10:00:00Z"))
        );
        assert_eq!(
            parse_time("2027-03-28T02:30:00+01:00"),
            Some(t("2027-03-28T01:30:00Z"))
        );
        assert_eq!(
            parse_time("2027-03-28 02:30"),
            None,
            "the hour the clocks skip"
        );
        assert_eq!(
            parse_time("2027-10-31 02:30"),
            Some(t("2027-10-31T00:30:00Z"))
        );
        assert_eq!(parse_time("tomorrow"), None);
    }

    #[test]
    fn the_deadline_passes_at_the_minute_and_the_clock_stops_when_notified() {
        let aware = t("2027-05-10T09:15:00+02:00");
        let due = aware + Duration::hours(72);
        let at = |now: DateTime<Utc>| BreachClock::at(aware, now, false);
        let before = at(due - Duration::minutes(1));
        assert_eq!((before.minutes_left, before.overdue), (Some(1), false));
        let on = at(due);
        assert_eq!(
            (on.minutes_left, on.overdue),
            (Some(0), false),
            "due, not yet late"
        );
        let after = at(due + Duration::seconds(30));
        assert_eq!((after.minutes_left, after.overdue), (Some(-1), true));
        let stopped = BreachClock::at(aware, due + Duration::hours(5), true);
        assert_eq!(
            (stopped.minutes_left, stopped.overdue, stopped.running),
            (None, false, false)
        );
    }
}
