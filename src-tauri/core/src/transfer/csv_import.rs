//! Importing the rows of a CSV file into one processing activity.
//!
//! Each row becomes a subject with records of the activity's data categories, or adds
//! records to a subject the register (or an earlier row) already has:
//!
//! - A row is matched by its e-mail address (trimmed, without case). A row without an
//!   e-mail is matched by its phone number when the mapping says `match_phone` (digits
//!   only; `+`/`00` and Norway's `47` before eight digits are dropped). A row with
//!   neither is always a new subject: two people may share a name.
//! - **new**: no match; a subject is created with the row's records.
//! - **merged**: a match; the row's records that the subject does not already have for
//!   this activity are added. The subject's own name, e-mail and phone are left as they
//!   are (rectification needs a reason, see `update_subject`).
//! - **skipped**: an empty row, or every record of the row is already there (a
//!   duplicate row, a file imported twice).
//! - **rejected**: the row cannot be read or fails validation, or matches a subject
//!   whose processing is restricted (Art. 18). The reason names the column and the
//!   problem, never the value.
//!
//! The report also says how many rows match people already registered
//! (`matched_existing`: merged into them, skipped as already there, or rejected as
//! restricted), and which new people have the phone number of someone already
//! registered (`possible_duplicates`: a row with another e-mail address, or without one
//! when phone matching is off): they are added as new people, and the manager can merge
//! them afterwards (store/merge.rs).
//!
//! [`Register::plan_csv_import`] counts all of that without writing.
//! [`Register::import_csv`] plans again inside one transaction (so what is written is
//! what is counted) and writes the good rows, or nothing when the mode is
//! [`ImportMode::AllOrNothing`] and a row is rejected. The transaction writes one audit
//! event with the counts, and remembers the mapping for the activity.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::csv::CsvTable;
use super::mapping::{save_mapping, CsvMapping, Target};
use crate::error::{Result, TransferError};
use crate::model::{normalise_email, Activity, Id, SubjectFields};
use crate::store::audit::NewEvent;
use crate::store::search::{reindex, NewRows};
use crate::store::suppression::{self, SuppressionKey, SuppressionReason};
use crate::store::Register;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading and matching the rows (a dry run does only this).
    Checking,
    Writing,
    /// Writing the new subjects' search rows, after their other rows.
    Indexing,
}

/// Reported every few hundred rows; the callback returns `false` to cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Import the good rows; report the rejected ones.
    #[default]
    GoodRows,
    /// Import nothing if any row is rejected.
    AllOrNothing,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvImportOptions {
    pub mode: ImportMode,
    /// When the records were collected; the day of the import when omitted.
    pub collected_on: Option<NaiveDate>,
}

/// A row that was skipped or rejected, and why. The reason names a column and a
/// problem, never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowNote {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// What an import does or did: counts, and each skipped and rejected row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvImportReport {
    pub activity_id: Id,
    /// Data rows in the file (blank lines are not rows).
    pub rows: usize,
    pub new_subjects: usize,
    pub merged: usize,
    pub skipped: usize,
    pub rejected: usize,
    /// Records added (to new and to existing subjects).
    pub records: usize,
    pub skipped_rows: Vec<RowNote>,
    pub rejected_rows: Vec<RowNote>,
    /// True when the changes were committed; false for a dry run, for an all-or-nothing
    /// import with rejected rows, and when there was nothing to add.
    pub written: bool,
    /// Rows that match a person already registered (by e-mail, or by phone when the
    /// mapping says so): merged into them, skipped or rejected.
    #[serde(default)]
    pub matched_existing: usize,
    /// New people whose phone number someone already registered has.
    #[serde(default)]
    pub possible_duplicates: Vec<RowDuplicate>,
}

/// A row that adds a new person with the phone number of one already registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowDuplicate {
    pub line: u64,
    /// The person already registered (the first registered, when several are).
    pub subject_id: Id,
}

/// The columns of a mapping, resolved to indexes of the file.
struct Columns {
    name: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    email: Option<usize>,
    phone: Option<usize>,
    /// (column index, the activity's spelling of the category)
    categories: Vec<(usize, String)>,
}

fn resolve(table: &CsvTable, mapping: &CsvMapping, activity: &Activity) -> Result<Columns> {
    mapping.check(activity, &table.headers)?;
    let mut c = Columns {
        name: None,
        first: None,
        last: None,
        email: None,
        phone: None,
        categories: Vec::new(),
    };
    for m in &mapping.columns {
        let idx = table.column(&m.column).expect("checked above");
        match &m.target {
            Target::Name => c.name = Some(idx),
            Target::FirstName => c.first = Some(idx),
            Target::LastName => c.last = Some(idx),
            Target::Email => c.email = Some(idx),
            Target::Phone => c.phone = Some(idx),
            Target::Category(cat) => {
                let name = activity.category(cat).expect("checked above").name.clone();
                if !c.categories.contains(&(idx, name.clone())) {
                    c.categories.push((idx, name));
                }
            }
        }
    }
    Ok(c)
}

/// Digits of a phone number for matching: "+47 912 34 567", "0047 91234567" and
/// "912 34 567" are one number.
pub fn phone_key(phone: &str) -> Option<String> {
    let plus = phone.trim_start().starts_with('+');
    let mut digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if !plus {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_string();
        } else {
            return (digits.len() >= 5).then_some(digits);
        }
    }
    if digits.len() == 10 && digits.starts_with("47") {
        digits.drain(..2);
    }
    (digits.len() >= 5).then_some(digits)
}

#[derive(Clone, Copy)]
enum Dest {
    /// The n-th new subject of this import, first seen on `line`.
    New(usize, u64),
    Existing(Id),
}

/// (category, value) pairs of a subject, as compared for duplicates.
type RecordSet = HashSet<(String, String)>;

/// Records are the same when category and value are, compared without case and with
/// runs of spaces as one ("KARI@X.NO" is the record "kari@x.no").
fn record_key(category: &str, value: &str) -> (String, String) {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (category.to_lowercase(), value.to_lowercase())
}

/// What a plan writes.
struct Plan {
    report: CsvImportReport,
    new_subjects: Vec<(SubjectFields, Vec<(String, String)>)>,
    merges: BTreeMap<Id, Vec<(String, String)>>,
    /// Indices into `new_subjects` of people who objected to direct marketing before.
    objected: HashSet<usize>,
}

const EVERY: usize = 500;

/// True every [`EVERY`] rows (`is_multiple_of` needs a newer Rust than the project's 1.85).
#[allow(clippy::manual_is_multiple_of)]
fn every(n: usize) -> bool {
    n % EVERY == 0
}

#[allow(clippy::too_many_arguments)]
fn plan(
    conn: &Connection,
    listing: &SuppressionKey,
    activity_id: Id,
    activity: &Activity,
    table: &CsvTable,
    mapping: &CsvMapping,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Plan> {
    let cols = resolve(table, mapping, activity)?;
    let width = table.headers.len();
    let total = table.rows.len();
    let tick = |done: usize, progress: &mut dyn FnMut(Progress) -> bool| -> Result<()> {
        if progress(Progress {
            phase: Phase::Checking,
            done,
            total,
        }) {
            Ok(())
        } else {
            Err(TransferError::Cancelled.into())
        }
    };
    tick(0, progress)?;
    let mut report = CsvImportReport {
        activity_id,
        rows: total,
        ..Default::default()
    };
    let mut new_subjects: Vec<(SubjectFields, Vec<(String, String)>)> = Vec::new();
    let mut new_sets: Vec<RecordSet> = Vec::new();
    let mut merges: BTreeMap<Id, Vec<(String, String)>> = BTreeMap::new();
    let mut existing_sets: HashMap<Id, RecordSet> = HashMap::new();
    let mut seen: HashMap<String, Dest> = HashMap::new();
    let mut restricted: HashSet<Id> = HashSet::new();
    // New people who objected to direct marketing before: added with the flag set.
    let mut objected: HashSet<usize> = HashSet::new();
    let listed = suppression::any(conn)?;
    // The first person registered with a phone number (`subjects.phone_norm` holds the
    // number's `phone_key`; the lowest id wins for a number two people share).
    let phone_owner = |key: &str| -> Result<Option<Id>> {
        Ok(conn
            .prepare_cached(
                "SELECT id FROM subjects WHERE phone_norm = ?1 AND phone_norm <> '' ORDER BY id LIMIT 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?)
    };
    let header = |i: Option<usize>| i.map(|i| table.headers[i].clone());

    'rows: for (n, row) in table.rows.iter().enumerate() {
        if n > 0 && every(n) {
            tick(n, progress)?;
        }
        let line = row.line;
        let reject = |report: &mut CsvImportReport, column: Option<String>, reason: String| {
            let reason = match &column {
                Some(c) => format!("column \"{c}\": {reason}"),
                None => reason,
            };
            report.rejected += 1;
            report.rejected_rows.push(RowNote {
                line,
                column,
                reason,
            });
        };
        if let Some(p) = &row.problem {
            reject(&mut report, None, p.clone());
            continue;
        }
        if row.fields.len() > width && row.fields[width..].iter().any(|f| !f.trim().is_empty()) {
            reject(
                &mut report,
                None,
                format!(
                    "the row has {} values but the header has {} columns",
                    row.fields.len(),
                    width
                ),
            );
            continue;
        }
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            report.skipped += 1;
            report.skipped_rows.push(RowNote {
                line,
                column: None,
                reason: "the row is empty".into(),
            });
            continue;
        }
        let get = |i: Option<usize>| {
            i.and_then(|i| row.fields.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let name = match cols.name {
            Some(_) => get(cols.name).to_string(),
            None => format!("{} {}", get(cols.first), get(cols.last)),
        };
        let fields = SubjectFields {
            name,
            email: get(cols.email).to_string(),
            phone: get(cols.phone).to_string(),
        };
        let f = match fields.normalised() {
            Ok(f) => f,
            Err(e) => {
                let column = match e.field() {
                    "email" => header(cols.email),
                    "phone" => header(cols.phone),
                    _ => match (cols.name, cols.first, cols.last) {
                        (Some(i), _, _) => header(Some(i)),
                        (None, Some(a), Some(b)) => {
                            Some(format!("{}\" and \"{}", table.headers[a], table.headers[b]))
                        }
                        (None, a, b) => header(a.or(b)),
                    },
                };
                reject(
                    &mut report,
                    column,
                    format!("{}: {}", e.field(), e.problem()),
                );
                continue;
            }
        };
        let mut recs: Vec<(String, String)> = Vec::new();
        for (idx, cat) in &cols.categories {
            let v = get(Some(*idx));
            if v.is_empty() {
                continue;
            }
            if v.chars().count() > 10_000 {
                reject(
                    &mut report,
                    header(Some(*idx)),
                    "at most 10,000 characters".into(),
                );
                continue 'rows;
            }
            let pair = (cat.clone(), v.to_string());
            if !recs.contains(&pair) {
                recs.push(pair);
            }
        }
        if recs.is_empty() {
            reject(
                &mut report,
                None,
                "no value in any column mapped to a data category".into(),
            );
            continue;
        }

        let key = if !f.email.is_empty() {
            Some(format!("e:{}", normalise_email(&f.email)))
        } else if mapping.match_phone {
            phone_key(&f.phone).map(|p| format!("p:{p}"))
        } else {
            None
        };
        let mut dest = key.as_ref().and_then(|k| seen.get(k).copied());
        if dest.is_none() {
            if let Some(k) = &key {
                let found: Option<Id> = if let Some(email) = k.strip_prefix("e:") {
                    conn.prepare_cached(
                        "SELECT id FROM subjects WHERE email_norm = ?1 AND email_norm <> '' ORDER BY id LIMIT 1",
                    )?
                    .query_row([email], |r| r.get(0))
                    .optional()?
                } else {
                    phone_owner(&k[2..])?
                };
                if let Some(id) = found {
                    let r: bool = conn
                        .prepare_cached("SELECT restricted FROM subjects WHERE id = ?1")?
                        .query_row([id], |r| r.get(0))?;
                    if r {
                        restricted.insert(id);
                    }
                    dest = Some(Dest::Existing(id));
                    seen.insert(k.clone(), Dest::Existing(id));
                }
            }
        }
        match dest {
            None => {
                let idx = new_subjects.len();
                if let Some(s) = match listed {
                    true => suppression::find(conn, listing, &f.email, &f.phone)?,
                    false => None,
                } {
                    let column = if f.email.is_empty() {
                        header(cols.phone)
                    } else {
                        header(cols.email)
                    };
                    match s.reason {
                        SuppressionReason::Erased => {
                            reject(&mut report, column, s.describe());
                            continue;
                        }
                        // Art. 21(3): no longer processed for direct marketing.
                        SuppressionReason::Objected if activity.direct_marketing => {
                            reject(
                                &mut report,
                                column,
                                format!("{} (Art. 21(3))", s.describe()),
                            );
                            continue;
                        }
                        SuppressionReason::Objected => {
                            objected.insert(idx);
                        }
                    }
                }
                if let Some(owner) = match phone_key(&f.phone) {
                    Some(p) => phone_owner(&p)?,
                    None => None,
                } {
                    report.possible_duplicates.push(RowDuplicate {
                        line,
                        subject_id: owner,
                    });
                }
                new_sets.push(recs.iter().map(|(c, v)| record_key(c, v)).collect());
                new_subjects.push((f, recs));
                if let Some(k) = key {
                    seen.insert(k, Dest::New(idx, line));
                }
                report.new_subjects += 1;
            }
            Some(Dest::New(idx, first_line)) => {
                let set = &mut new_sets[idx];
                let fresh: Vec<_> = recs
                    .into_iter()
                    .filter(|(c, v)| set.insert(record_key(c, v)))
                    .collect();
                if fresh.is_empty() {
                    report.skipped += 1;
                    report.skipped_rows.push(RowNote {
                        line,
                        column: None,
                        reason: format!("the same as line {first_line}"),
                    });
                } else {
                    new_subjects[idx].1.extend(fresh);
                    report.merged += 1;
                }
            }
            Some(Dest::Existing(id)) => {
                report.matched_existing += 1;
                if restricted.contains(&id) {
                    reject(
                        &mut report,
                        None,
                        format!("subject {id} is restricted (Art. 18): its data is frozen"),
                    );
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(slot) = existing_sets.entry(id) {
                    let mut st = conn.prepare_cached(
                        "SELECT category, value FROM records WHERE subject_id = ?1 AND activity_id = ?2",
                    )?;
                    let set = st
                        .query_map(params![id, activity_id], |r| {
                            Ok(record_key(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?))
                        })?
                        .collect::<rusqlite::Result<RecordSet>>()?;
                    slot.insert(set);
                }
                let set = existing_sets.get_mut(&id).expect("inserted above");
                let fresh: Vec<_> = recs
                    .into_iter()
                    .filter(|(c, v)| set.insert(record_key(c, v)))
                    .collect();
                if fresh.is_empty() {
                    report.skipped += 1;
                    report.skipped_rows.push(RowNote {
                        line,
                        column: None,
                        reason: format!("subject {id} already has these records"),
                    });
                } else {
                    merges.entry(id).or_default().extend(fresh);
                    report.merged += 1;
                }
            }
        }
    }
    report.records = new_subjects.iter().map(|(_, r)| r.len()).sum::<usize>()
        + merges.values().map(Vec::len).sum::<usize>();
    tick(total, progress)?;
    Ok(Plan {
        report,
        new_subjects,
        merges,
        objected,
    })
}

fn insert_record(
    tx: &Connection,
    subject_id: Id,
    activity_id: Id,
    (category, value): &(String, String),
    source: &str,
    collected: &str,
    now: &str,
) -> Result<()> {
    crate::store::subjects::insert_record_row(
        tx,
        subject_id,
        &crate::store::subjects::RecordRowIn {
            activity_id,
            category,
            value,
            source,
            collected_on: collected,
        },
        now,
    )?;
    Ok(())
}

impl Register {
    /// The dry run: what [`Register::import_csv`] would do, without writing anything.
    pub fn plan_csv_import(
        &self,
        activity_id: Id,
        table: &CsvTable,
        mapping: &CsvMapping,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<CsvImportReport> {
        let activity = self.activity(activity_id)?.activity;
        Ok(plan(
            self.conn(),
            self.suppression_key(),
            activity_id,
            &activity,
            table,
            mapping,
            progress,
        )?
        .report)
    }

    /// Imports the rows into the activity in one transaction with one audit event, and
    /// remembers the mapping for the activity. Cancelling (the callback returns `false`)
    /// writes nothing and returns [`TransferError::Cancelled`].
    pub fn import_csv(
        &mut self,
        activity_id: Id,
        table: &CsvTable,
        mapping: &CsvMapping,
        options: &CsvImportOptions,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<CsvImportReport> {
        let activity = self.activity(activity_id)?.activity;
        // Refuse a bad mapping before taking the write lock.
        resolve(table, mapping, &activity)?;
        self.write(|tx, ctx| {
            let Plan {
                mut report,
                new_subjects,
                merges,
                objected,
            } = plan(
                tx,
                ctx.suppression,
                activity_id,
                &activity,
                table,
                mapping,
                progress,
            )?;
            if (options.mode == ImportMode::AllOrNothing && report.rejected > 0)
                || report.records == 0
            {
                return Ok(report);
            }
            let source = match mapping.source.trim() {
                "" => "CSV import",
                s => s,
            };
            let collected = options.collected_on.unwrap_or(ctx.today).to_string();
            let total = new_subjects.len() + merges.len();
            let mut done = 0;
            let mut tick = |phase: Phase, done: usize, total: usize| -> Result<()> {
                if (every(done) || done == total) && !progress(Progress { phase, done, total }) {
                    return Err(TransferError::Cancelled.into());
                }
                Ok(())
            };
            let mut rows = NewRows::with_capacity(new_subjects.len());
            for (i, (f, recs)) in new_subjects.iter().enumerate() {
                tick(Phase::Writing, done, total)?;
                let id = crate::store::subjects::insert_subject_row(tx, f, &ctx.now)?;
                if objected.contains(&i) {
                    crate::store::subjects::set_subject_flag(
                        tx,
                        id,
                        crate::store::subjects::SubjectFlag::MarketingObjection,
                        true,
                        &ctx.now,
                    )?;
                }
                for r in recs {
                    insert_record(tx, id, activity_id, r, source, &collected, &ctx.now)?;
                }
                rows.add(id, f, recs.iter().map(|(_, v)| v.as_str()));
                done += 1;
            }
            for (id, recs) in &merges {
                tick(Phase::Writing, done, total)?;
                for r in recs {
                    insert_record(tx, *id, activity_id, r, source, &collected, &ctx.now)?;
                }
                crate::store::subjects::touch_subject(tx, *id, &ctx.now)?;
                reindex(tx, *id)?;
                done += 1;
            }
            tick(Phase::Writing, total, total)?;
            let indexing = rows.len();
            rows.write(tx, |done| tick(Phase::Indexing, done, indexing))?;
            if indexing > 0 {
                tick(Phase::Indexing, indexing, indexing)?;
            }
            save_mapping(tx, activity_id, mapping)?;
            let counts = [
                format!("rows:{}", report.rows),
                format!("new:{}", report.new_subjects),
                format!("merged:{}", report.merged),
                format!("skipped:{}", report.skipped),
                format!("rejected:{}", report.rejected),
                format!("records:{}", report.records),
            ];
            let fields: Vec<&str> = counts.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("csv.imported", "activity", Some(activity_id)).fields(&fields),
            )?;
            report.written = true;
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::model::{CategoryGroup, DataCategory, NewRecord};
    use crate::transfer::csv::{read_csv, CsvFormat};
    use crate::transfer::mapping::suggest_mapping;

    #[test]
    fn the_check_counts_rows_of_people_already_registered_and_new_people_with_their_phone() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-01-01T00:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("r"), clock).unwrap();
        let act = reg
            .add_activity(&Activity {
                name: "Kurs".into(),
                data_categories: vec![DataCategory::new("Kurs", CategoryGroup::Other)],
                ..Default::default()
            })
            .unwrap();
        let kari = reg
            .add_subject(&SubjectFields {
                name: "Kari Nordmann".into(),
                email: "kari@example.no".into(),
                phone: "+47 912 34 567".into(),
            })
            .unwrap();
        // Kari by her e-mail in another case; a new address with her number in another
        // format; someone new.
        let table = read_csv(
            "Navn;E-post;Mobil;Kurs\nKari Nordmann;KARI@example.no;;HMS\nKari N.;kari.n@example.no;912 34 567;Risiko\nOla;ola@example.no;;HMS\n"
                .as_bytes(),
            &CsvFormat::default(),
        )
        .unwrap();
        let mapping = suggest_mapping(&table.headers, &act.activity);
        let report = reg
            .plan_csv_import(act.id, &table, &mapping, &mut |_| true)
            .unwrap();
        assert_eq!(
            (report.matched_existing, report.merged, report.new_subjects),
            (1, 1, 2)
        );
        assert_eq!(
            report.possible_duplicates,
            vec![RowDuplicate {
                line: 3,
                subject_id: kari.id
            }]
        );
    }

    #[test]
    fn a_row_of_a_restricted_subject_is_rejected_and_phone_matching_is_optional() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-01-01T00:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("r"), clock).unwrap();
        let act = reg
            .add_activity(&Activity {
                name: "Kurs".into(),
                data_categories: vec![DataCategory::new("Kurs", CategoryGroup::Other)],
                ..Default::default()
            })
            .unwrap();
        let frozen = reg
            .add_subject(&SubjectFields {
                name: "A".into(),
                email: "a@example.no".into(),
                phone: String::new(),
            })
            .unwrap();
        let by_phone = reg
            .add_subject(&SubjectFields {
                name: "B".into(),
                email: String::new(),
                phone: "+47 912 34 567".into(),
            })
            .unwrap();
        reg.restrict_subject(frozen.id, "accuracy contested")
            .unwrap();
        let table = read_csv(
            "Navn;E-post;Mobil;Kurs\nA;A@example.no;;HMS\nB;;91234567;HMS\n".as_bytes(),
            &CsvFormat::default(),
        )
        .unwrap();
        let mut mapping = suggest_mapping(&table.headers, &act.activity);
        let report = reg
            .plan_csv_import(act.id, &table, &mapping, &mut |_| true)
            .unwrap();
        assert_eq!(report.rejected_rows[0].line, 2);
        assert!(report.rejected_rows[0].reason.contains("restricted"));
        assert_eq!(report.new_subjects, 1, "without phone matching B is new");
        mapping.match_phone = true;
        let report = reg
            .import_csv(
                act.id,
                &table,
                &mapping,
                &CsvImportOptions::default(),
                &mut |_| true,
            )
            .unwrap();
        assert_eq!(
            (report.new_subjects, report.merged, report.rejected),
            (0, 1, 1)
        );
        assert_eq!(reg.records_of(by_phone.id).unwrap().len(), 1);
        assert!(reg.records_of(frozen.id).unwrap().is_empty());
    }

    fn person(name: &str, email: &str, phone: &str) -> SubjectFields {
        SubjectFields {
            name: name.into(),
            email: email.into(),
            phone: phone.into(),
        }
    }

    /// Kari erased at her request, Ola objected to marketing and then removed by the
    /// retention rules (which put no one on the list), and the CRM file comes back.
    #[test]
    fn a_re_imported_row_of_someone_erased_or_objecting_is_flagged_and_not_imported() {
        use crate::store::erasure::ErasureTrigger;
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-03-15T10:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("r"), clock).unwrap();
        let news = reg
            .add_activity(&Activity {
                name: "Nyhetsbrev".into(),
                direct_marketing: true,
                data_categories: vec![DataCategory::new("Interesse", CategoryGroup::Other)],
                ..Default::default()
            })
            .unwrap();
        let courses = reg
            .add_activity(&Activity {
                name: "Kurs".into(),
                data_categories: vec![DataCategory::new("Interesse", CategoryGroup::Other)],
                ..Default::default()
            })
            .unwrap();
        let rec = |activity_id| NewRecord {
            activity_id,
            category: "Interesse".into(),
            value: "Seiling".into(),
            source: "CRM".into(),
            collected_on: None,
        };
        let kari = reg
            .add_subjects(&[(
                person("Kari Østby", "kari@fjordå.no", ""),
                vec![rec(news.id)],
            )])
            .unwrap()[0];
        let ola = reg
            .add_subjects(&[(
                person("Ola Nordmann", "", "+47 912 34 567"),
                vec![rec(news.id)],
            )])
            .unwrap()[0];
        let receipt = reg.erase_subject(kari, "Art. 17(1)(a)").unwrap().receipt;
        reg.suppress_marketing(ola, "Art. 21(2): by phone").unwrap();
        reg.erase_subject_because(ola, "retention period over", ErasureTrigger::Retention)
            .unwrap();
        // Nothing of either is kept but keyed hashes.
        let kept: Vec<(String, Option<String>, Option<String>)> = reg
            .conn()
            .prepare("SELECT reason, email_mac, phone_mac FROM suppressions ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(kept[0].0, "erased");
        assert_eq!(kept[1].0, "objected");
        for (_, e, p) in &kept {
            for v in [e, p].into_iter().flatten() {
                assert_eq!(v.len(), 64);
                assert!(!v.contains("kari") && !v.contains("912"));
            }
        }

        let file = "Navn;E-post;Mobil;Interesse\n\
                    Kari Ø.;KARI@fjordå.no ;;Seiling\n\
                    Ola N.;;912 34 567;Seiling\n\
                    Per Ny;per@example.no;;Seiling\n";
        let table = read_csv(file.as_bytes(), &CsvFormat::default()).unwrap();
        let mut mapping = suggest_mapping(&table.headers, &news.activity);
        mapping.match_phone = true;
        // The dry run says so, with the date and the receipt, and names no one.
        let plan = reg
            .plan_csv_import(news.id, &table, &mapping, &mut |_| true)
            .unwrap();
        assert_eq!((plan.new_subjects, plan.rejected), (1, 2));
        let why: Vec<&str> = plan
            .rejected_rows
            .iter()
            .map(|r| r.reason.as_str())
            .collect();
        let short = receipt.id.split('-').next().unwrap();
        assert!(
            why[0].contains(&format!(
                "erased at their request on 2026-03-15 (receipt {short})"
            )),
            "{why:?}"
        );
        assert!(
            why[1].contains("objected to direct marketing on 2026-03-15 (Art. 21(3))"),
            "{why:?}"
        );
        assert!(why
            .iter()
            .all(|w| !w.contains("Kari") && !w.contains("kari")));
        let report = reg
            .import_csv(
                news.id,
                &table,
                &mapping,
                &CsvImportOptions::default(),
                &mut |_| true,
            )
            .unwrap();
        assert_eq!((report.new_subjects, report.rejected), (1, 2));
        assert!(
            reg.search("kari", 10).unwrap().is_empty(),
            "Kari stays erased"
        );

        // For courses (not marketing) Ola may come back, with his objection carried over.
        let mut mapping = suggest_mapping(&table.headers, &courses.activity);
        mapping.match_phone = true;
        let report = reg
            .import_csv(
                courses.id,
                &table,
                &mapping,
                &CsvImportOptions::default(),
                &mut |_| true,
            )
            .unwrap();
        assert_eq!(report.rejected, 1, "Kari is refused everywhere");
        let back = reg.search("Ola N.", 5).unwrap();
        assert_eq!(back.len(), 1);
        assert!(
            back[0].marketing_objection,
            "the objection outlived the deletion"
        );

        // By hand: Kari is refused with what the window needs to say, until overridden.
        let err = reg
            .add_subject(&person("Kari", "kari@fjordå.no", ""))
            .unwrap_err();
        assert_eq!(err.kind(), "subject.suppressed");
        assert_eq!(err.details()["reason"], "erased");
        assert_eq!(err.details()["on"], "2026-03-15");
        assert_eq!(err.details()["receipt"], short);
        assert!(!err.to_string().contains("kari"));
        assert_eq!(
            reg.add_subject_overriding_suppression(
                &person("Kari", "kari@fjordå.no", ""),
                vec![],
                " "
            )
            .unwrap_err()
            .kind(),
            "input.invalid"
        );
        let id = reg
            .add_subject_overriding_suppression(
                &person("Kari", "kari@fjordå.no", ""),
                vec![],
                "new consent at the fair, 2026-03-15",
            )
            .unwrap();
        assert!(reg.subject(id).is_ok());
        let events = reg
            .audit_log(crate::store::audit::Filter::All, 100)
            .unwrap();
        let over = events
            .iter()
            .find(|e| e.action == "suppression.overridden")
            .expect("the override is audited");
        assert_eq!(over.reason, "new consent at the fair, 2026-03-15");
        // Lifted: she is an ordinary subject again.
        assert!(reg
            .find_suppression(&person("x", "kari@fjordå.no", ""))
            .unwrap()
            .is_none());
    }

    #[test]
    fn phone_numbers_match_in_their_usual_spellings() {
        let k = |s: &str| phone_key(s);
        assert_eq!(k("+47 912 34 567"), k("912 34 567"));
        assert_eq!(k("0047 91234567"), k("91234567"));
        assert_eq!(k("+44 20 7946 0000"), Some("442079460000".into()));
        assert_ne!(k("+44 20 7946 0000"), k("20 7946 0000"));
        assert_eq!(k("123"), None);
    }
}
