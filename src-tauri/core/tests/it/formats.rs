//! Pinned formats: a register written by each schema version of this program is kept in
//! `tests/fixtures/registers/` (as KeePassXC keeps a database per format version), with
//! what it holds in a JSON file beside it. Every later version must open each of them
//! with the passphrase and with the recovery key printed when it was made, migrate it,
//! verify every page and the audit chain, and find the same people in it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use privreg_core::store::migrations::LATEST;
use privreg_core::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/registers")
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at("2026-12-01T12:00:00Z"))
}

/// `(format version, register file, what it holds)` for every kept register.
fn kept() -> Vec<(i64, PathBuf, Value)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(version) = name
            .strip_prefix("format-")
            .and_then(|n| n.strip_suffix(".privreg"))
        else {
            continue;
        };
        let facts: Value =
            serde_json::from_str(&fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        out.push((version.parse().unwrap(), path, facts));
    }
    out.sort_by_key(|(v, _, _)| *v);
    out
}

/// A copy to open: opening migrates, and the kept file must stay as it was written.
fn copy(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("kept.privreg");
    fs::copy(from, &to).unwrap();
    (dir, to)
}

fn check(reg: &mut Register, facts: &Value, what: &str) {
    let report = reg.verify().unwrap();
    assert!(report.is_ok(), "{what}: {report:?}");
    let counts = reg.counts().unwrap();
    let want = &facts["counts"];
    for (field, got) in [
        ("activities", counts.activities),
        ("processors", counts.processors),
        ("subjects", counts.subjects),
        ("records", counts.records),
    ] {
        assert_eq!(Some(got), want[field].as_i64(), "{what}: {field}");
    }
    assert_eq!(
        reg.erasure_receipts().unwrap().len() as u64,
        facts["erasure_receipts"].as_u64().unwrap(),
        "{what}: erasure receipts"
    );
    let audit = reg.verify_audit().unwrap();
    assert!(audit.first_broken.is_none(), "{what}: the audit chain");
    assert!(
        audit.events as u64 >= facts["audit_events"].as_u64().unwrap(),
        "{what}: audit events"
    );
    for name in facts["names"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let hits = reg.search(name, 10).unwrap();
        assert!(
            hits.iter().any(|h| h.name == name),
            "{what}: {name} is found"
        );
    }
    for name in facts["erased_names"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        assert!(
            reg.search(name, 10).unwrap().is_empty(),
            "{what}: {name} stays erased"
        );
    }
}

#[test]
fn every_kept_register_format_opens_migrates_and_verifies() {
    let kept = kept();
    assert!(
        kept.iter().any(|(v, _, _)| *v == LATEST),
        "a register of the current format ({LATEST}) is kept: a new migration comes with a \
         new fixture (see tests/fixtures/registers/README.md)"
    );
    for (version, path, facts) in &kept {
        let what = format!("format {version}");
        let pass = Passphrase::new(facts["passphrase"].as_str().unwrap());

        let (_dir, file) = copy(path);
        let mut opened = opening::open(&file, Unlock::Passphrase(&pass), clock()).unwrap();
        assert!(opened.damaged_pages.is_empty(), "{what}");
        assert!(!opened.register.is_read_only(), "{what}");
        check(&mut opened.register, facts, &what);
        opened.register.close().unwrap();
        // Migrated once, it opens again as it is.
        let mut again = Register::open(&file, Unlock::Passphrase(&pass), clock()).unwrap();
        check(&mut again, facts, &format!("{what}, opened again"));
        again.close().unwrap();

        // The recovery key printed when the register was made still opens it.
        let (_dir, file) = copy(path);
        let recovery = RecoveryKey::parse(facts["recovery_key"].as_str().unwrap()).unwrap();
        let mut reg = Register::open(&file, Unlock::Recovery(&recovery), clock()).unwrap();
        check(&mut reg, facts, &format!("{what}, by its recovery key"));
        reg.close().unwrap();

        let wrong = Passphrase::new("not the passphrase of this file");
        let (_dir, file) = copy(path);
        assert!(
            Register::open(&file, Unlock::Passphrase(&wrong), clock()).is_err(),
            "{what}: a wrong passphrase is refused"
        );
    }
}
