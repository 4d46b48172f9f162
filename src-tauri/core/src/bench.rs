//! The benchmark suite behind `privreg bench`: a deterministic synthetic register at a
//! given size, measured through the core's public API, side by side with two
//! baselines on the same data in the same run:
//!
//! 1. the same schema and code on an unencrypted file (what encryption costs);
//! 2. the floor: the fewest raw rusqlite statements that do the same work (what our
//!    own layers cost: validation, audit events, search rows, transactions).
//!
//! Run it on a release build; timings of debug builds mean nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::clock::SystemClock;
use crate::demo::{person, value_for, Rng, ACTIVITY_MIX, NORWEGIAN_FIRST};
use crate::error::Result;
use crate::model::{Activity, Id, NewRecord, SubjectFields};
use crate::secret::{Passphrase, RawKey};
use crate::store::{register_id, Register, Unlock};
use crate::templates::{self, Lang};

/// Subjects per transaction in the imports, unless `privreg bench --batch` says otherwise.
pub const BATCH: usize = 5000;
const PASS: &str = "benchmark passphrase";
/// How often each import runs at sizes up to 100,000 subjects (the median is shown).
const IMPORT_ROUNDS: usize = 3;
/// The changes made after the audit checkpoint before its first check is timed: a
/// session's worth (views of people, one audit event each).
const AFTER_CHECKPOINT: i64 = 100;

#[derive(Debug, Clone, Serialize)]
pub struct Stat {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub samples: usize,
}

fn stat(mut d: Vec<Duration>) -> Stat {
    d.sort();
    let ms = |x: Duration| x.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(d[((d.len() as f64 - 1.0) * q).round() as usize]);
    Stat {
        median_ms: at(0.5),
        p95_ms: at(0.95),
        samples: d.len(),
    }
}

/// One row of the report: a measurement for the register, plain SQLite and the floor.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub what: String,
    pub encrypted: Stat,
    pub plain: Option<Stat>,
    pub floor: Option<Stat>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeReport {
    pub subjects: usize,
    pub records: usize,
    /// Subjects per transaction in the imports.
    pub batch: usize,
    pub file_mb: f64,
    pub rows: Vec<Row>,
}

/// The synthetic people of a benchmark, regenerated identically for every variant.
struct Data {
    /// Subjects per transaction.
    batch: usize,
    activities: Vec<(Id, Activity)>,
    seed: u64,
}

/// Three records a person: two of the activity's first categories and its last one,
/// whose value carries a reference that is a rare word.
fn batch(rng: &mut Rng, data: &Data, n: usize) -> Vec<(SubjectFields, Vec<NewRecord>)> {
    let total: usize = ACTIVITY_MIX.iter().map(|(_, w)| w).sum();
    (0..n)
        .map(|_| {
            let who = person(rng);
            let mut roll = rng.below(total);
            let idx = ACTIVITY_MIX
                .iter()
                .position(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= w;
                        false
                    }
                })
                .unwrap_or(0);
            let (id, act) = &data.activities[idx.min(data.activities.len() - 1)];
            let cats = &act.data_categories;
            let picks = [
                &cats[0],
                &cats[1.min(cats.len() - 1)],
                &cats[cats.len() - 1],
            ];
            let recs = picks
                .iter()
                .map(|c| NewRecord {
                    activity_id: *id,
                    category: c.name.clone(),
                    value: value_for(&c.name, &who, rng, Lang::En),
                    source: String::new(),
                    collected_on: None,
                })
                .collect();
            (who, recs)
        })
        .collect()
}

/// Activities in [`ACTIVITY_MIX`] order, added to `reg`.
fn add_activities(reg: &mut Register) -> Result<Vec<(Id, Activity)>> {
    let mut out = Vec::new();
    for (key, _) in ACTIVITY_MIX {
        let a = templates::activity(key, Lang::En).expect("template exists");
        let stored = reg.add_activity(&a)?;
        out.push((stored.id, stored.activity));
    }
    Ok(out)
}

/// What the queries look for, taken from the generated people.
struct Queries {
    prefixes: Vec<String>,
    emails: Vec<String>,
    rare: Vec<String>,
    common: Vec<String>,
}

fn import(reg: &mut Register, data: &Data, n: usize, keep: usize) -> Result<(Duration, Queries)> {
    let mut rng = Rng::new(data.seed);
    let every = (n / keep).max(1);
    let mut q = Queries {
        prefixes: vec![],
        emails: vec![],
        rare: vec![],
        common: vec![],
    };
    let mut elapsed = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let rows = batch(&mut rng, data, data.batch.min(n - done));
        for (i, (who, recs)) in rows.iter().enumerate() {
            if (done + i) % every == 0 && q.emails.len() < keep {
                let last = who.name.rsplit(' ').next().unwrap_or_default();
                q.prefixes.push(last.chars().take(4).collect());
                q.emails.push(who.email.clone());
                let reference = recs[2]
                    .value
                    .rsplit("(ref. ")
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(')');
                q.rare.push(reference.to_string());
            }
        }
        let start = Instant::now();
        reg.add_subjects(&rows)?;
        elapsed += start.elapsed();
        done += rows.len();
    }
    let mut r = Rng::new(data.seed ^ 1);
    q.common = (0..keep)
        .map(|_| r.pick(&NORWEGIAN_FIRST[..8]).to_string())
        .collect();
    Ok((elapsed, q))
}

fn time_queries(reg: &Register, queries: &[String]) -> Result<Stat> {
    let mut d = Vec::with_capacity(queries.len());
    for q in queries {
        let start = Instant::now();
        let hits = reg.search(q, 50)?;
        d.push(start.elapsed());
        assert!(!hits.is_empty(), "benchmark query found nothing");
    }
    Ok(stat(d))
}

/// The floor for import: the register's own schema (made by the same code, without
/// encryption), filled with one transaction a batch of prepared INSERTs: no audit
/// events, no validation.
fn floor_import(path: &Path, data: &Data, n: usize) -> Result<Duration> {
    let mut reg = Register::create_unencrypted(path, Arc::new(SystemClock))?;
    add_activities(&mut reg)?;
    reg.close()?;
    let mut conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
    )?;
    let mut rng = Rng::new(data.seed);
    let mut elapsed = Duration::ZERO;
    let mut done = 0;
    while done < n {
        let rows = batch(&mut rng, data, data.batch.min(n - done));
        let start = Instant::now();
        let tx = conn.transaction()?;
        {
            let mut s = tx.prepare(
                "INSERT INTO subjects (name, email, email_norm, phone, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '', '')",
            )?;
            let mut r = tx.prepare(
                "INSERT INTO records (subject_id, activity_id, category, value, collected_on, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '', '', '')",
            )?;
            let mut f = tx.prepare("INSERT INTO subject_search (rowid, text) VALUES (?1, ?2)")?;
            let mut texts = Vec::with_capacity(rows.len());
            for (who, recs) in &rows {
                s.execute(params![
                    who.name,
                    who.email,
                    who.email.to_lowercase(),
                    who.phone
                ])?;
                let id = tx.last_insert_rowid();
                for rec in recs {
                    r.execute(params![id, rec.activity_id, rec.category, rec.value])?;
                }
                // The same search row as the register's: the same work to index,
                // written after the batch's other rows, as the register does.
                let text = crate::store::search::row_text(
                    [&who.name, &who.email, &who.phone],
                    recs.iter().map(|r| r.value.as_str()),
                );
                texts.push((id, text));
            }
            for (id, text) in &texts {
                f.execute(params![id, text])?;
            }
        }
        tx.commit()?;
        elapsed += start.elapsed();
        done += rows.len();
    }
    Ok(elapsed)
}

fn fts_expr(q: &str) -> String {
    q.to_lowercase()
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The floor for search: a bare FTS5 MATCH (or, for an e-mail, the bare index lookup)
/// on the unencrypted register, reading the columns a result list shows (name, e-mail,
/// phone, record count and the two flags) as a search does, but with no query
/// building, no sorting and no structs.
fn floor_search(conn: &Connection, queries: &[String], email: bool) -> Result<Stat> {
    type Listed = (i64, String, String, String, i64, bool, bool);
    let listed = |r: &rusqlite::Row| -> rusqlite::Result<Listed> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    };
    let mut d = Vec::with_capacity(queries.len());
    for q in queries {
        let start = Instant::now();
        let n = if email {
            let mut st = conn.prepare_cached(
                "SELECT id, name, email, phone, record_count, restricted, marketing_objection \
                 FROM subjects WHERE email_norm = ?1 AND email_norm <> '' LIMIT 50",
            )?;
            let n = st.query_map([q.trim().to_lowercase()], listed)?.count();
            n
        } else {
            let mut st = conn.prepare_cached(
                "SELECT s.id, s.name, s.email, s.phone, s.record_count, s.restricted, s.marketing_objection \
                 FROM subject_search f JOIN subjects s ON s.id = f.rowid \
                 WHERE f.text MATCH ?1 LIMIT 50",
            )?;
            let n = st.query_map([fts_expr(q)], listed)?.count();
            n
        };
        d.push(start.elapsed());
        assert!(n > 0);
    }
    Ok(stat(d))
}

fn time_erase(reg: &mut Register, samples: usize, n: usize, seed: u64) -> Result<Stat> {
    let mut rng = Rng::new(seed ^ 2);
    let mut d = Vec::new();
    for _ in 0..samples {
        let id = 1 + rng.below(n) as Id;
        if reg.subject(id).is_err() {
            continue;
        }
        let start = Instant::now();
        reg.erase_subject(id, "benchmark")?;
        d.push(start.elapsed());
    }
    Ok(stat(d))
}

/// The people affected by a breach in the register's two largest activities (the first
/// two of [`ACTIVITY_MIX`]): counted, as the breach page does before saving.
fn two_activities(reg: &Register) -> Result<crate::store::breaches::AffectedSelection> {
    let ids: Vec<Id> = reg.activities()?.iter().map(|a| a.id).take(2).collect();
    Ok(crate::store::breaches::AffectedSelection {
        activity_ids: ids,
        ..Default::default()
    })
}

fn time_breach_count(reg: &Register, samples: usize) -> Result<Stat> {
    let sel = two_activities(reg)?;
    let mut d = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        std::hint::black_box(reg.count_affected(&sel)?);
        d.push(t.elapsed());
    }
    Ok(stat(d))
}

/// Choosing them: the links written in one transaction with the counts.
fn time_breach_link(reg: &mut Register, samples: usize) -> Result<Stat> {
    let sel = two_activities(reg)?;
    let now = reg.clock().now();
    let b = reg.add_breach(&crate::store::breaches::BreachFacts {
        title: "benchmark".into(),
        discovered_at: Some(now),
        aware_at: Some(now),
        kinds: vec![crate::store::breaches::BreachKind::Confidentiality],
        ..Default::default()
    })?;
    let mut d = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        reg.set_affected(b.id, &sel)?;
        d.push(t.elapsed());
    }
    Ok(stat(d))
}

fn time_open(samples: usize, mut open: impl FnMut() -> Result<Register>) -> Result<Stat> {
    let mut d = Vec::new();
    for _ in 0..samples {
        let start = Instant::now();
        let reg = open()?;
        d.push(start.elapsed());
        reg.close()?;
    }
    Ok(stat(d))
}

/// The first audit check of a session (what the overview and the session's first report
/// wait for, `Register::verify_audit`), without a checkpoint (each session's stored
/// checkpoint removed first: the whole chain is walked) and from one ([`AFTER_CHECKPOINT`]
/// events written after it), each session opened afresh.
fn time_first_check(
    samples: usize,
    mut open: impl FnMut() -> Result<Register>,
) -> Result<(Stat, Stat)> {
    let not_as_meant = |what: &str| crate::Error::Corrupt(format!("benchmark: {what}"));
    let mut whole = Vec::new();
    for _ in 0..samples {
        let reg = open()?;
        reg.forget_audit_checkpoint()?;
        let start = Instant::now();
        let check = reg.verify_audit()?;
        whole.push(start.elapsed());
        if check.checkpoint.is_some_and(|c| c.used) || check.first_broken.is_some() {
            return Err(not_as_meant("the check without a checkpoint used one"));
        }
        reg.close()?;
    }
    // A session that checks and then changes something stores the checkpoint (in its
    // first write), and its later changes come after it.
    let mut reg = open()?;
    reg.verify_audit()?;
    for id in 1..=AFTER_CHECKPOINT {
        reg.view_subject(id)?;
    }
    reg.close()?;
    let mut from = Vec::new();
    for _ in 0..samples {
        let reg = open()?;
        let start = Instant::now();
        let check = reg.verify_audit()?;
        from.push(start.elapsed());
        if !check.checkpoint.is_some_and(|c| c.used) || check.first_broken.is_some() {
            return Err(not_as_meant(
                "the first check did not start from the checkpoint",
            ));
        }
        reg.close()?;
    }
    Ok((stat(whole), stat(from)))
}

/// Reads a file from start to end, leaving it in the operating system's cache.
fn read_through(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|mut f| std::io::copy(&mut f, &mut std::io::sink()))
        .map_err(|e| crate::Error::Corrupt(format!("benchmark: {e}")))?;
    Ok(())
}

/// Removes register files with their `-wal` and `-shm` files, where they exist.
fn remove_files(paths: &[&Path]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0)
}

/// Measurements a caller adds on the finished registers, after the searches and before
/// the erasures: the CLI times the reports here, which the core cannot depend on. It is
/// called once with the encrypted register and once with the plain one, and gives each
/// row's name and its samples.
pub type Extra<'a> =
    &'a mut dyn FnMut(&mut Register) -> std::result::Result<Vec<(String, Vec<Duration>)>, String>;

/// Measures one size in `dir` (which should be empty and on a real disk).
pub fn run_size(
    dir: &Path,
    n: usize,
    queries: usize,
    seed: u64,
    batch_size: usize,
    progress: &mut dyn FnMut(&str),
    extra: Option<Extra>,
) -> Result<SizeReport> {
    let batch_size = batch_size.max(1);
    let clock = Arc::new(SystemClock);
    let enc_path: PathBuf = dir.join(format!("bench-{n}.privreg"));
    let plain_path: PathBuf = dir.join(format!("bench-{n}-plain.sqlite"));
    let floor_path: PathBuf = dir.join(format!("bench-{n}-floor.sqlite"));
    let pass = Passphrase::new(PASS);

    // The three imports take turns, and up to 100,000 subjects each runs three times:
    // on a shared machine one import alone can be a fifth slower or faster than the
    // next, and the first in a process pays to warm up.
    let rounds = if n <= 100_000 { IMPORT_ROUNDS } else { 1 };
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut found = None;
    for round in 1..=rounds {
        remove_files(&[&enc_path, &plain_path, &floor_path]);
        let of = format!("({round} of {rounds})");
        progress(&format!("{n}: importing into the encrypted register {of}"));
        let (mut enc, _) = Register::create(&enc_path, &pass, clock.clone())?;
        let data = Data {
            batch: batch_size,
            activities: add_activities(&mut enc)?,
            seed,
        };
        let (t, q) = import(&mut enc, &data, n, queries)?;
        enc.close()?;
        times[0].push(t);
        found = Some(q);

        progress(&format!("{n}: importing into plain SQLite {of}"));
        let mut plain = Register::create_unencrypted(&plain_path, clock.clone())?;
        let pdata = Data {
            batch: batch_size,
            activities: add_activities(&mut plain)?,
            seed,
        };
        times[1].push(import(&mut plain, &pdata, n, queries)?.0);
        plain.close()?;

        progress(&format!("{n}: the raw floor {of}"));
        times[2].push(floor_import(&floor_path, &data, n)?);
    }
    let q = found.expect("at least one round");
    let [enc_import, plain_import, floor] = times;
    let mut rows = vec![Row {
        what: format!("import {n} subjects ({} records)", 3 * n),
        encrypted: stat(enc_import),
        plain: Some(stat(plain_import)),
        floor: Some(stat(floor)),
    }];

    progress(&format!("{n}: opening"));
    let key = RawKey::derive(
        &pass,
        &hex::decode(register_id(&enc_path)?)
            .ok()
            .and_then(|v| v.try_into().ok())
            .expect("salt"),
    );
    rows.push(Row {
        what: "open with the keychain's key".into(),
        encrypted: time_open(10, || {
            Register::open(&enc_path, Unlock::Key(&key), clock.clone())
        })?,
        plain: Some(time_open(10, || {
            Register::open_unencrypted(&plain_path, clock.clone())
        })?),
        floor: None,
    });
    rows.push(Row {
        what: "open with the passphrase".into(),
        encrypted: time_open(5, || {
            Register::open(&enc_path, Unlock::Passphrase(&pass), clock.clone())
        })?,
        plain: None,
        floor: None,
    });

    progress(&format!("{n}: the first audit check of a session"));
    for p in [&enc_path, &plain_path] {
        read_through(p)?;
    }
    let samples = if n <= 100_000 { 5 } else { 3 };
    let (enc_whole, enc_from) = time_first_check(samples, || {
        Register::open(&enc_path, Unlock::Key(&key), clock.clone())
    })?;
    let (plain_whole, plain_from) = time_first_check(samples, || {
        Register::open_unencrypted(&plain_path, clock.clone())
    })?;
    rows.push(Row {
        what: "first audit check of a session: the whole chain (no checkpoint)".into(),
        encrypted: enc_whole,
        plain: Some(plain_whole),
        floor: None,
    });
    rows.push(Row {
        what: format!(
            "first audit check of a session: from the checkpoint ({AFTER_CHECKPOINT} events after it)"
        ),
        encrypted: enc_from,
        plain: Some(plain_from),
        floor: None,
    });

    progress(&format!("{n}: searching"));
    // Each file is read once into the operating system's cache first. Otherwise the
    // file written last (the floor's) is the only one still there, and at a million
    // subjects the others' pages come from disk: that measured the disk, not the code.
    for p in [&enc_path, &plain_path, &floor_path] {
        read_through(p)?;
    }
    let enc = Register::open(&enc_path, Unlock::Key(&key), clock.clone())?;
    let plain = Register::open_unencrypted(&plain_path, clock.clone())?;
    // The floor searches its own copy of the data, so that none of the three finds the
    // pages another one just read in the operating system's cache.
    let raw = Connection::open(&floor_path)?;
    raw.execute_batch("PRAGMA cache_size = -65536;")?;
    for (what, qs, email) in [
        ("search: prefix of a last name", &q.prefixes, false),
        ("search: exact e-mail", &q.emails, true),
        ("search: a rare word in a record value", &q.rare, false),
        ("search: a common first name", &q.common, false),
    ] {
        // One pass to warm the caches the way a person's session would.
        time_queries(&enc, &qs[..qs.len().min(20)])?;
        time_queries(&plain, &qs[..qs.len().min(20)])?;
        floor_search(&raw, &qs[..qs.len().min(20)], email)?;
        rows.push(Row {
            what: what.into(),
            encrypted: time_queries(&enc, qs)?,
            plain: Some(time_queries(&plain, qs)?),
            floor: Some(floor_search(&raw, qs, email)?),
        });
    }
    drop(raw);
    let file = file_mb(&enc_path);

    let mut enc = enc;
    let mut plain = plain;
    progress(&format!("{n}: breaches"));
    rows.push(Row {
        what: "breach: count the people of two activities".into(),
        encrypted: time_breach_count(&enc, 10)?,
        plain: Some(time_breach_count(&plain, 10)?),
        floor: None,
    });
    rows.push(Row {
        what: "breach: choose (link) the people of two activities".into(),
        encrypted: time_breach_link(&mut enc, 3)?,
        plain: Some(time_breach_link(&mut plain, 3)?),
        floor: None,
    });
    if let Some(extra) = extra {
        progress(&format!("{n}: the caller's measurements"));
        let failed = |e: String| crate::Error::Corrupt(format!("benchmark: {e}"));
        let on_enc = extra(&mut enc).map_err(failed)?;
        let on_plain = extra(&mut plain).map_err(failed)?;
        for ((what, e), (_, p)) in on_enc.into_iter().zip(on_plain) {
            rows.push(Row {
                what,
                encrypted: stat(e),
                plain: Some(stat(p)),
                floor: None,
            });
        }
    }

    progress(&format!("{n}: erasing"));
    rows.push(Row {
        what: "erase one subject (with WAL checkpoint)".into(),
        encrypted: time_erase(&mut enc, 20, n, seed)?,
        plain: Some(time_erase(&mut plain, 20, n, seed)?),
        floor: None,
    });
    enc.close()?;
    plain.close()?;
    remove_files(&[&enc_path, &plain_path, &floor_path]);
    Ok(SizeReport {
        subjects: n,
        records: 3 * n,
        batch: batch_size,
        file_mb: file,
        rows,
    })
}

/// The CSV import benchmark at one size.
#[derive(Debug, Clone, Serialize)]
pub struct CsvReport {
    pub rows: usize,
    pub file_mb: f64,
    pub new_subjects: usize,
    pub merged: usize,
    pub skipped: usize,
    pub records: usize,
    /// Reading, planning and writing, encrypted register.
    pub encrypted: Stat,
    /// The same on plain SQLite.
    pub plain: Stat,
    /// Of the encrypted time: reading and decoding the file alone.
    pub read: Stat,
    /// Of the encrypted time: reading, checking and matching every row (a dry run).
    pub plan: Stat,
}

/// A contacts export as a CRM writes it: `;`, Windows-1252, first and last name, e-mail,
/// mobile, company and job title. One row in twenty repeats an earlier person (with a
/// new job title, so it merges), one in fifty is a plain duplicate (skipped).
pub fn csv_file(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ 0xC5F);
    let mut text = String::from("Fornavn;Etternavn;E-post;Mobil;Firma;Stilling\r\n");
    let mut people: Vec<String> = Vec::new();
    const TITLES: &[&str] = &[
        "Daglig leder",
        "Rådgiver",
        "Økonomisjef",
        "Prosjektleder",
        "Innkjøper",
        "HMS-leder",
    ];
    const FIRMS: &[&str] = &[
        "Fjellbekk AS",
        "Havbris Ærlig AS",
        "Sæther & Søn",
        "Brænne Elektro",
        "Nordlys Regnskap",
    ];
    for i in 0..n {
        let line = if i > 0 && rng.chance(2) {
            people[rng.below(people.len())].clone()
        } else if i > 0 && rng.chance(5) {
            let earlier = &people[rng.below(people.len())];
            let cut = earlier.rfind(';').unwrap_or(0);
            format!("{};{} (ny)", &earlier[..cut], rng.pick(TITLES))
        } else {
            let p = person(&mut rng);
            let (first, last) = p.name.split_once(' ').unwrap_or((&p.name, ""));
            let firm = *rng.pick(FIRMS);
            let firm = if firm.contains(';') {
                format!("\"{firm}\"")
            } else {
                firm.to_string()
            };
            format!(
                "{first};{last};{};{};{firm};{}",
                p.email,
                p.phone,
                rng.pick(TITLES)
            )
        };
        text.push_str(&line);
        text.push_str("\r\n");
        people.push(line);
    }
    text.chars()
        .map(|c| {
            let b = c as u32;
            assert!(
                b < 0x100 || c == '€',
                "the generator writes Latin-1 letters only"
            );
            b as u8
        })
        .collect()
}

/// Imports `n` rows of [`csv_file`] into an activity, the way the app does it: read and
/// decode, plan and write in one transaction with one audit event. Encrypted and plain.
pub fn run_csv(
    dir: &Path,
    n: usize,
    seed: u64,
    progress: &mut dyn FnMut(&str),
) -> Result<CsvReport> {
    use crate::transfer::{read_csv, suggest_mapping, CsvFormat, CsvImportOptions, Target};
    let bytes = csv_file(n, seed);
    let clock = Arc::new(SystemClock);
    let pass = Passphrase::new(PASS);
    let mut times = Vec::new();
    let mut read_time = Duration::ZERO;
    let mut plan_time = Duration::ZERO;
    let mut last = None;
    for encrypted in [true, false] {
        let path = dir.join(format!(
            "csv-{n}-{}.privreg",
            if encrypted { "enc" } else { "plain" }
        ));
        remove_files(&[&path]);
        progress(&format!(
            "CSV import of {n} rows ({})",
            if encrypted { "encrypted" } else { "plain" }
        ));
        let mut reg = if encrypted {
            Register::create(&path, &pass, clock.clone())?.0
        } else {
            Register::create_unencrypted(&path, clock.clone())?
        };
        let act = reg.add_activity(
            &templates::activity("client_information", Lang::Nb).expect("template"),
        )?;
        let start = Instant::now();
        let table = read_csv(&bytes, &CsvFormat::default())?;
        if encrypted {
            read_time = start.elapsed();
        }
        let mut mapping = suggest_mapping(&table.headers, &act.activity);
        mapping.set("Firma", &[Target::Category("Arbeidsgiver".into())]);
        let mut planned = None;
        let report = reg.import_csv(
            act.id,
            &table,
            &mapping,
            &CsvImportOptions::default(),
            &mut |p| {
                if p.phase == crate::transfer::Phase::Writing && planned.is_none() {
                    planned = Some(start.elapsed());
                }
                true
            },
        )?;
        times.push(start.elapsed());
        if encrypted {
            plan_time = planned.unwrap_or_default();
        }
        reg.close()?;
        remove_files(&[&path]);
        last = Some(report);
    }
    let report = last.expect("ran");
    let one = |d: Duration| Stat {
        median_ms: d.as_secs_f64() * 1000.0,
        p95_ms: d.as_secs_f64() * 1000.0,
        samples: 1,
    };
    Ok(CsvReport {
        rows: n,
        file_mb: bytes.len() as f64 / 1e6,
        new_subjects: report.new_subjects,
        merged: report.merged,
        skipped: report.skipped,
        records: report.records,
        encrypted: one(times[0]),
        plain: one(times[1]),
        read: one(read_time),
        plan: one(plan_time),
    })
}

/// The CSV import results as a Markdown table.
pub fn csv_markdown(reports: &[CsvReport]) -> String {
    if reports.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("\n### CSV import into one activity (read, plan, write; one transaction)\n\n");
    out.push_str("| rows | file | new / merged / skipped | records | encrypted | plain SQLite | of which reading the file | of which reading and matching (the dry run) |\n|---|---|---|---|---|---|---|---|\n");
    for r in reports {
        out.push_str(&format!(
            "| {} | {:.1} MB | {} / {} / {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |\n",
            r.rows,
            r.file_mb,
            r.new_subjects,
            r.merged,
            r.skipped,
            r.records,
            r.encrypted.median_ms,
            r.plain.median_ms,
            r.read.median_ms,
            r.plan.median_ms
        ));
    }
    out
}

/// The report as a Markdown table with ratios.
pub fn markdown(reports: &[SizeReport]) -> String {
    let mut out = String::new();
    let f = |s: &Stat| {
        if s.samples == 1 {
            format!("{:.0} ms", s.median_ms)
        } else {
            format!("{:.2} / {:.2} ms", s.median_ms, s.p95_ms)
        }
    };
    let ratio = |a: &Stat, b: &Option<Stat>| match b {
        Some(b) if b.median_ms > 0.0 => format!("{:.2}x", a.median_ms / b.median_ms),
        _ => "-".into(),
    };
    for r in reports {
        out.push_str(&format!(
            "\n### {} subjects, {} records (encrypted file {:.0} MB; imported {} subjects a transaction)\n\n",
            r.subjects, r.records, r.file_mb, r.batch
        ));
        out.push_str(
            "| what | encrypted | plain SQLite | raw floor | encryption cost | our layers |\n",
        );
        out.push_str("|---|---|---|---|---|---|\n");
        for row in &r.rows {
            let plain = row.plain.as_ref().map(f).unwrap_or_else(|| "-".into());
            let floor = row.floor.as_ref().map(f).unwrap_or_else(|| "-".into());
            let layers = match (&row.plain, &row.floor) {
                (Some(p), fl) => ratio(p, fl),
                _ => "-".into(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                row.what,
                f(&row.encrypted),
                plain,
                floor,
                ratio(&row.encrypted, &row.plain),
                layers
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The suite itself runs end to end at a tiny size (the numbers are not checked
    /// here: speed is measured in release builds, never in tests).
    #[test]
    fn the_suite_runs_and_reports_every_measurement() {
        let dir = tempfile::tempdir().unwrap();
        let mut calls = 0;
        let mut extra = |reg: &mut Register| {
            calls += 1;
            let start = Instant::now();
            reg.subject(1).map_err(|e| e.to_string())?;
            Ok(vec![(
                "view one subject".to_string(),
                vec![start.elapsed()],
            )])
        };
        let report = run_size(dir.path(), 300, 10, 7, 100, &mut |_| {}, Some(&mut extra)).unwrap();
        assert_eq!(calls, 2, "once on each register");
        assert!(report
            .rows
            .iter()
            .any(|r| r.what == "view one subject" && r.plain.is_some()));
        let whats: Vec<&str> = report.rows.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(whats.len(), 13, "{whats:?}");
        assert!(whats.contains(&"breach: count the people of two activities"));
        // The first audit check with and without the checkpoint, side by side.
        let first = whats
            .iter()
            .position(|w| w.starts_with("first audit check of a session: the whole chain"))
            .expect("the first check without a checkpoint");
        assert!(whats[first + 1].starts_with("first audit check of a session: from the checkpoint"));
        assert!(report.rows.iter().all(|r| r.encrypted.samples > 0));
        let md = markdown(&[report]);
        assert!(md.contains("| search: exact e-mail |"));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "the files are cleaned up"
        );
    }

    #[test]
    fn the_csv_benchmark_imports_its_file() {
        let bytes = csv_file(400, 3);
        let table = crate::transfer::read_csv(&bytes, &Default::default()).unwrap();
        assert_eq!(table.encoding, crate::transfer::Encoding::Windows1252);
        assert_eq!(table.rows.len(), 400);
        let dir = tempfile::tempdir().unwrap();
        let r = run_csv(dir.path(), 400, 3, &mut |_| {}).unwrap();
        assert_eq!(
            r.new_subjects + r.merged + r.skipped,
            400,
            "no row is rejected"
        );
        assert!(r.merged > 0 && r.skipped > 0);
        assert!(csv_markdown(&[r]).contains("| 400 |"));
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}
