//! Fuzz-style tests of the parsers: random, mutated and truncated CSV and JSON go in;
//! errors come out, never a panic. Deterministic (a fixed seed), a few thousand cases,
//! a few seconds.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use privreg_core::demo::Rng;
use privreg_core::model::*;
use privreg_core::transfer::export::parse_export;
use privreg_core::transfer::*;
use privreg_core::*;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-11-23T10:00:00Z"))
}

/// Bytes a CSV parser finds hard: quotes, delimiters, line ends, a BOM, UTF-8 and
/// Windows-1252 letters, a NUL.
const HARD: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b";",
    b",",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xE6\xF8\xE5",
    "æøå".as_bytes(),
    b"a",
    b"Navn",
    b"x@y.no",
    b"+47 912 34 567",
    b" ",
    b"\0",
    b"\xC3",
    b"=",
    b"\xF0\x9F\x98",
];

fn random_csv(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(60) {
        let piece: &[u8] = HARD[rng.below(HARD.len())];
        out.extend_from_slice(piece);
    }
    out
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    match rng.below(4) {
        0 => v.truncate(rng.below(v.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(5) {
                if v.is_empty() {
                    break;
                }
                let i = rng.below(v.len());
                v[i] = rng.next_u64() as u8;
            }
        }
        2 => {
            let i = rng.below(v.len() + 1);
            let extra = HARD[rng.below(HARD.len())].to_vec();
            v.splice(i..i, extra);
        }
        _ => {
            if !v.is_empty() {
                let i = rng.below(v.len());
                let n = rng.below(20).min(v.len() - i);
                v.drain(i..i + n);
            }
        }
    }
    v
}

fn guard<T>(what: &str, case: usize, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked on case {case}"),
    }
}

#[test]
fn random_and_broken_csv_gives_errors_or_reports_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::create_unencrypted(&dir.path().join("r"), clock()).unwrap();
    let act = reg
        .add_activity(&Activity {
            name: "Kurs".into(),
            data_categories: vec![
                DataCategory::new("Navn", CategoryGroup::Identity),
                DataCategory::new("Kurs", CategoryGroup::Other),
            ],
            ..Default::default()
        })
        .unwrap();
    let bases = [
        fixture("dynamics-contacts-cp1252.csv"),
        fixture("newsletter-subscribers.csv"),
        fixture("course-participants-broken-bom.csv"),
    ];
    let mut rng = Rng::new(20261123);
    let formats = [
        CsvFormat::default(),
        CsvFormat {
            delimiter: Some(';'),
            encoding: Some(Encoding::Windows1252),
        },
        CsvFormat {
            delimiter: Some('\t'),
            encoding: Some(Encoding::Utf16Be),
        },
    ];
    let (mut parsed, mut planned) = (0, 0);
    for case in 0..3000 {
        let bytes = if case % 2 == 0 {
            random_csv(&mut rng)
        } else {
            let base = rng.pick(&bases).clone();
            mutate(&mut rng, &base)
        };
        let format = formats[case % formats.len()];
        let Ok(table) = guard("read_csv", case, || read_csv(&bytes, &format)) else {
            continue;
        };
        parsed += 1;
        guard("preview", case, || table.preview(5));
        let mut mapping = suggest_mapping(&table.headers, &act.activity);
        if mapping.columns.is_empty() {
            mapping.set(
                &table.headers[0],
                &[Target::Name, Target::Category("Navn".into())],
            );
            if let Some(h) = table.headers.get(1) {
                mapping.set(h, &[Target::Email, Target::Category("Kurs".into())]);
            }
        }
        // Every fourth readable file is imported for real, the rest only planned.
        if let Ok(report) = guard("import", case, || {
            if case % 4 == 1 {
                reg.import_csv(
                    act.id,
                    &table,
                    &mapping,
                    &CsvImportOptions::default(),
                    &mut |_| true,
                )
            } else {
                reg.plan_csv_import(act.id, &table, &mapping, &mut |_| true)
            }
        }) {
            planned += 1;
            assert_eq!(
                report.new_subjects + report.merged + report.skipped + report.rejected,
                report.rows,
                "every row is counted once (case {case})"
            );
        }
    }
    assert!(
        parsed > 1000 && planned > 300,
        "the cases reach the planner: {parsed} {planned}"
    );
    assert!(reg.verify().unwrap().is_ok());
}

/// A random JSON value, small.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => Value::from(rng.next_u64() as i64 >> rng.below(64)),
        3 => Value::from(-1.5),
        4 => Value::from(*rng.pick(&["", "Ørjan", "approved", "1", "2025-01-01", "x@y.no"])),
        5 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(3) {
                m.insert(
                    rng.pick(&["id", "name", "body", "seq"]).to_string(),
                    random_value(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
    }
}

/// Replaces one value somewhere in the tree with a random one.
fn poke(rng: &mut Rng, v: &mut Value, depth: usize) {
    let stop = depth > 0 && rng.chance(25);
    match v {
        Value::Object(m) if !m.is_empty() && !stop => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = rng.pick(&keys).clone();
            if rng.chance(10) {
                m.remove(&k);
            } else {
                poke(rng, m.get_mut(&k).unwrap(), depth + 1);
            }
        }
        Value::Array(a) if !a.is_empty() && !stop => {
            let i = rng.below(a.len());
            poke(rng, &mut a[i], depth + 1);
        }
        _ => *v = random_value(rng, depth),
    }
}

#[test]
fn random_and_broken_export_files_give_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    // A real export of a small register, and the hand-made version 1 file.
    let mut reg = Register::create_unencrypted(&dir.path().join("src"), clock()).unwrap();
    privreg_core::demo::fill(
        &mut reg,
        &privreg_core::demo::Options {
            subjects: 5,
            seed: 1,
            lang: privreg_core::templates::Lang::En,
            batch: 5,
            showcase: false,
        },
        |_| {},
    )
    .unwrap();
    let exported = dir.path().join("e.json");
    reg.export_json(&exported).unwrap();
    let bases = [fs::read(&exported).unwrap(), fixture("export-v1.json")];
    let trees: Vec<Value> = bases
        .iter()
        .map(|b| serde_json::from_slice(b).unwrap())
        .collect();
    let mut rng = Rng::new(7);
    let (mut parsed, mut restored) = (0, 0);
    for case in 0..3000 {
        let bytes = match case % 3 {
            0 => {
                let base = rng.pick(&bases).clone();
                mutate(&mut rng, &base)
            }
            1 => {
                let mut t = rng.pick(&trees).clone();
                for _ in 0..1 + rng.below(3) {
                    poke(&mut rng, &mut t, 0);
                }
                serde_json::to_vec(&t).unwrap()
            }
            _ => random_csv(&mut rng),
        };
        let Ok(file) = guard("parse_export", case, || parse_export(&bytes)) else {
            continue;
        };
        parsed += 1;
        // Restoring makes a file: every tenth parsed case, to stay fast.
        if parsed % 10 == 0 {
            let path = dir.path().join(format!("r{case}"));
            match guard("restore", case, || {
                Register::create_unencrypted_from_export(&path, clock(), file)
            }) {
                Ok((r, _)) => {
                    restored += 1;
                    r.close().unwrap();
                }
                Err(_) => assert!(
                    !path.exists(),
                    "a failed import leaves nothing (case {case})"
                ),
            }
        }
    }
    assert!(parsed > 200, "mutations reach the row checks: {parsed}");
    assert!(restored > 5, "some restores run to the end: {restored}");
}
