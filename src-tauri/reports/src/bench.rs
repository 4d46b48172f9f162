//! The report benchmark (`privreg bench-reports`): an encrypted register with the seed
//! organisations' activities repeated up to the wanted number and one subject with data
//! in several of them; then each export as a user runs it (build, render, atomic write,
//! audit event), timed over several runs. The first run of the process also pays for
//! loading the embedded fonts and is shown on its own.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use privreg_core::model::{ActivityStatus, ConsentKind, NewConsentEvent, NewRecord, SubjectFields};
use privreg_core::templates::{self, Lang};
use privreg_core::{Passphrase, Register, SystemClock};
use serde::Serialize;

use crate::{export_access, export_art30, AccessFormat, Art30Format, Result};

/// One measured export.
#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    pub name: String,
    pub runs: usize,
    pub first_ms: f64,
    pub median_ms: f64,
    pub max_ms: f64,
    pub bytes: u64,
    /// The target, where it sets one.
    pub target_ms: Option<f64>,
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn measure(
    name: &str,
    runs: usize,
    target_ms: Option<f64>,
    mut f: impl FnMut() -> Result<u64>,
) -> Result<BenchRow> {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        bytes = f()?;
        times.push(ms(t.elapsed()));
    }
    let first_ms = times[0];
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    Ok(BenchRow {
        name: name.to_string(),
        runs: times.len(),
        first_ms,
        median_ms: sorted[sorted.len() / 2],
        max_ms: *sorted.last().expect("at least one run"),
        bytes,
        target_ms,
    })
}

/// Builds the register in `dir` and times every report format. `activities` is the
/// size of the Art. 30 record (the target is for 50).
pub fn run(
    dir: &Path,
    activities: usize,
    runs: usize,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<BenchRow>> {
    let path = dir.join(format!("reports-bench-{}.privreg", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let pass = Passphrase::new("report benchmark passphrase".to_string());
    let (mut reg, _) = Register::create(&path, &pass, Arc::new(SystemClock))?;
    let result = (|| {
        progress("filling the register");
        let subject = fill(&mut reg, activities)?;
        let out = dir.join("bench-report.out");
        let mut rows = Vec::new();
        progress("access reports");
        rows.push(measure(
            "access report, 1 subject, PDF",
            runs,
            Some(300.0),
            || export_access(&mut reg, subject, AccessFormat::Pdf, Lang::Nb, &out).map(|e| e.bytes),
        )?);
        rows.push(measure(
            "access report, 1 subject, JSON",
            runs,
            None,
            || {
                export_access(&mut reg, subject, AccessFormat::Json, Lang::Nb, &out)
                    .map(|e| e.bytes)
            },
        )?);
        progress("Art. 30 reports");
        for (format, target) in [
            (Art30Format::Pdf, Some(1000.0)),
            (Art30Format::Json, None),
            (Art30Format::Csv, None),
            (Art30Format::Xlsx, None),
        ] {
            let name = format!(
                "Art. 30 record, {activities} activities, {}",
                format.code().to_uppercase()
            );
            rows.push(measure(&name, runs, target, || {
                export_art30(&mut reg, format, Lang::Nb, &out).map(|e| e.bytes)
            })?);
        }
        let _ = std::fs::remove_file(&out);
        Ok(rows)
    })();
    let _ = reg.close();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(p));
    }
    result
}

/// The reports on a register of the main benchmark (`privreg bench`): the access
/// report of one subject with records (JSON and PDF) and the Art. 30 record (PDF), each
/// exported `runs` times as a user does, into a file in `dir`. Returns each report's
/// name and its samples.
pub fn on_register(
    reg: &mut Register,
    dir: &Path,
    runs: usize,
) -> Result<Vec<(String, Vec<std::time::Duration>)>> {
    let subject = reg
        .list_subjects(0, 50, privreg_core::SubjectSort::Name, false)?
        .items
        .into_iter()
        .find(|s| s.records > 0)
        .map(|s| s.id)
        .ok_or_else(|| {
            crate::ReportError::Bench("the benchmark register has no subject with records")
        })?;
    let out = dir.join(format!("bench-report-{}.out", std::process::id()));
    let time = |f: &mut dyn FnMut() -> Result<()>| -> Result<Vec<std::time::Duration>> {
        let mut d = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            f()?;
            d.push(t.elapsed());
        }
        Ok(d)
    };
    let rows = vec![
        (
            "access report of one subject, JSON".to_string(),
            time(&mut || {
                export_access(reg, subject, AccessFormat::Json, Lang::Nb, &out).map(|_| ())
            })?,
        ),
        (
            "access report of one subject, PDF".to_string(),
            time(&mut || {
                export_access(reg, subject, AccessFormat::Pdf, Lang::Nb, &out).map(|_| ())
            })?,
        ),
        (
            "Art. 30 record, PDF".to_string(),
            time(&mut || export_art30(reg, Art30Format::Pdf, Lang::Nb, &out).map(|_| ()))?,
        ),
    ];
    let _ = std::fs::remove_file(&out);
    Ok(rows)
}

/// `activities` activities from the templates (repeated, numbered), the seeds'
/// processors, and one subject with three records in each of the first five
/// activities and a consent. Returns the subject's id.
pub fn fill(reg: &mut Register, activities: usize) -> Result<privreg_core::model::Id> {
    let lang = Lang::Nb;
    reg.set_controller(&privreg_core::model::Controller {
        organisation: "Fjordlys Rådgivning AS".into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: "personvern@fjordlys.example.no".into(),
        ..Default::default()
    })?;
    let mut processor_ids = std::collections::HashMap::new();
    for (key, p) in templates::processors(lang) {
        processor_ids.insert(key, reg.add_processor(&p)?.id);
    }
    let list = templates::list(lang);
    let mut ids = Vec::new();
    for i in 0..activities {
        let t = &list[i % list.len()];
        let mut a = templates::activity(t.key, lang).expect("a template");
        if i >= list.len() {
            a.name = format!("{} ({})", a.name, i / list.len() + 1);
        }
        a.processor_ids = templates::template_processors(t.key)
            .iter()
            .filter_map(|k| processor_ids.get(k).copied())
            .collect();
        a.status = ActivityStatus::Approved;
        let stored = reg.add_activity(&a)?;
        ids.push((stored.id, stored.activity));
    }
    let mut records = Vec::new();
    for (id, a) in ids.iter().take(5) {
        for c in a.data_categories.iter().take(3) {
            records.push(NewRecord {
                activity_id: *id,
                category: c.name.clone(),
                value: format!("{} for Kari Nordmann", c.name),
                source: "Den registrerte".into(),
                collected_on: None,
            });
        }
    }
    let subject = reg.add_subjects(&[(
        SubjectFields {
            name: "Kari Nordmann".into(),
            email: "kari@example.no".into(),
            phone: "+47 912 34 567".into(),
        },
        records,
    )])?[0];
    if let Some((id, a)) = ids.first() {
        reg.add_consent_event(
            subject,
            &NewConsentEvent {
                activity_id: *id,
                purpose: a.purposes.first().cloned().unwrap_or_default(),
                kind: ConsentKind::ConsentGiven,
                method: "nettskjema".into(),
                at: None,
            },
        )?;
    }
    Ok(subject)
}

/// The rows as a Markdown table.
pub fn markdown(rows: &[BenchRow]) -> String {
    let mut out = String::from(
        "| report | runs | first (ms) | median (ms) | max (ms) | size | target |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let target = match r.target_ms {
            Some(t) if r.median_ms <= t => format!("< {t} ms: met"),
            Some(t) => format!("< {t} ms: MISSED"),
            None => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {} KiB | {} |\n",
            r.name,
            r.runs,
            r.first_ms,
            r.median_ms,
            r.max_ms,
            r.bytes.div_ceil(1024),
            target
        ));
    }
    out
}
