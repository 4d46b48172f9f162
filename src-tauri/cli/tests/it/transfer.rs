//! `privreg import-csv`, `privreg export` and `privreg import` as a script would use them,
//! on the fixtures in the repository's `tests/fixtures/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{json, ok, privreg, sha};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

struct Reg {
    dir: tempfile::TempDir,
    path: PathBuf,
}

/// A new register with one activity from a template; returns its id.
fn setup(template: &str) -> (Reg, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firma.privreg");
    ok(&path, &["init"]);
    let act = json(
        &path,
        &["activity", "add", "--template", template, "--lang", "nb"],
    );
    let id = act["id"].as_i64().unwrap().to_string();
    (Reg { dir, path }, id)
}

#[test]
fn import_csv_shows_the_counts_first_then_imports_and_remembers_the_mapping() {
    let (r, act) = setup("client_information");
    ok(
        &r.path,
        &[
            "subject",
            "add",
            "--name",
            "Håkon Brænne",
            "--email",
            "hakon@braenne.example.no",
        ],
    );
    let file = fixture("dynamics-contacts-cp1252.csv");
    let before = sha(&r.path);
    let plan = json(
        &r.path,
        &[
            "import-csv",
            &file,
            "--activity",
            &act,
            "--map",
            "Firmanavn=Arbeidsgiver",
            "--dry-run",
        ],
    );
    assert_eq!(plan["encoding"], "windows1252");
    assert_eq!(plan["delimiter"], ";");
    assert_eq!(plan["dry_run"], true);
    assert_eq!(
        [
            &plan["new_subjects"],
            &plan["merged"],
            &plan["skipped"],
            &plan["rejected"]
        ],
        [3, 1, 0, 1]
    );
    assert_eq!(plan["rejected_rows"][0]["line"], 5);
    assert_eq!(plan["written"], false);
    assert_eq!(sha(&r.path), before, "a dry run writes nothing");

    let out = ok(
        &r.path,
        &[
            "import-csv",
            &file,
            "--activity",
            &act,
            "--map",
            "Firmanavn=Arbeidsgiver",
            "--source",
            "Dynamics 365",
        ],
    );
    assert!(out.contains("Read 5 rows from"), "{out}");
    assert!(out.contains("(Windows-1252, ';')"), "{out}");
    assert!(
        out.contains("Firmanavn -> category \"Arbeidsgiver\""),
        "{out}"
    );
    assert!(out.contains("  new subjects        3"), "{out}");
    assert!(
        out.contains("line 5: column \"Mobiltelefon\": phone: not a telephone number"),
        "{out}"
    );
    assert!(out.contains("Imported into activity"), "{out}");
    assert!(!out.contains("922 44"), "no rejected value is printed");
    let hits = json(&r.path, &["search", "sæther"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let audit = json(&r.path, &["audit", "--limit", "1"]);
    assert_eq!(audit[0]["action"], "csv.imported");

    // The mapping is remembered: the second run needs no --map and finds it all there.
    let again = json(&r.path, &["import-csv", &file, "--activity", &act]);
    assert_eq!(again["mapping"]["source"], "Dynamics 365");
    assert_eq!([&again["new_subjects"], &again["skipped"]], [0, 4]);
    assert_eq!(again["written"], false);

    // A --map without '=' is a usage error.
    let out = privreg(
        &r.path,
        &[
            "import-csv",
            &file,
            "--activity",
            &act,
            "--map",
            "Firmanavn",
        ],
    );
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn all_or_nothing_with_broken_rows_imports_nothing_and_fails() {
    let (r, act) = setup("courses");
    let file = fixture("course-participants-broken-bom.csv");
    let before = sha(&r.path);
    let out = privreg(
        &r.path,
        &[
            "import-csv",
            &file,
            "--activity",
            &act,
            "--map",
            "Kurs=Kurshistorikk",
            "--all-or-nothing",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in ["line 3:", "line 4:", "line 5:", "line 6:", "line 7:"] {
        assert!(stdout.contains(line), "{line} in {stdout}");
    }
    assert!(stdout.contains("Nothing was imported"), "{stdout}");
    assert!(
        stderr.contains("nothing was imported: 5 rows were rejected"),
        "{stderr}"
    );
    assert_eq!(
        sha(&r.path),
        before,
        "the register is byte for byte as it was"
    );

    // The good rows, then.
    let report = json(
        &r.path,
        &[
            "import-csv",
            &file,
            "--activity",
            &act,
            "--map",
            "Kurs=Kurshistorikk",
            "--collected",
            "2025-09-01",
        ],
    );
    assert_eq!([&report["new_subjects"], &report["rejected"]], [4, 5]);
    assert_eq!(json(&r.path, &["subject", "list"])["total"], 4);
}

#[test]
fn export_then_import_into_a_new_register_round_trips() {
    let (r, act) = setup("newsletter");
    json(
        &r.path,
        &[
            "import-csv",
            &fixture("newsletter-subscribers.csv"),
            "--activity",
            &act,
            "--map",
            "Signed up=Samtykkelogg",
        ],
    );
    let first = r.dir.path().join("export-1.json");
    let out = ok(&r.path, &["export", "-o", first.to_str().unwrap()]);
    assert!(out.contains("holds personal data unencrypted"), "{out}");

    let copy = r.dir.path().join("kopi.privreg");
    let imported = json(&copy, &["import", first.to_str().unwrap()]);
    assert!(imported["recovery_key"].as_str().unwrap().len() > 50);
    assert_eq!(imported["format_version"], 6);
    let second = r.dir.path().join("export-2.json");
    json(&copy, &["export", "--output", second.to_str().unwrap()]);
    let norm = |p: &Path| {
        privreg_core::transfer::export::normalised(&fs::read_to_string(p).unwrap()).unwrap()
    };
    assert_eq!(norm(&first), norm(&second));
    assert!(ok(&copy, &["verify"]).contains("audit log:  ok"));

    // Not over an existing register, and not from a newer version.
    let out = privreg(&copy, &["import", first.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let newer = r.dir.path().join("newer.json");
    fs::write(
        &newer,
        fs::read_to_string(&first)
            .unwrap()
            .replace("\"schema_version\": 6,", "\"schema_version\": 7,"),
    )
    .unwrap();
    let target = r.dir.path().join("never.privreg");
    let out = privreg(&target, &["import", newer.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("newer version of Privacy Register (format 7"),
        "{stderr}"
    );
    assert!(!target.exists());
}
