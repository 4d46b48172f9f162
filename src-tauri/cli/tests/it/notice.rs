//! The privacy notice from the command line: published, then a retention period is
//! changed, and `notice drift` names the change; the versions, the difference between
//! two, and the notice shown and saved.

use std::fs;

use serde_json::Value;

use crate::common::{fails, json, ok};

#[test]
fn a_changed_retention_makes_the_published_notice_out_of_date_and_drift_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firma.privreg");
    json(&path, &["init"]);
    ok(
        &path,
        &[
            "controller",
            "set",
            "--organisation",
            "Fjellbekk Rådgivning AS",
            "--email",
            "personvern@fjellbekk.example.no",
        ],
    );
    let act = json(
        &path,
        &[
            "activity",
            "add",
            "--template",
            "newsletter",
            "--lang",
            "en",
        ],
    );
    let id = act["id"].as_i64().unwrap().to_string();
    assert_eq!(
        act["in_notice"], true,
        "the newsletter starts in the notice"
    );
    // A draft is not in the notice; approved, it is.
    let drift = json(&path, &["notice", "drift", "--lang", "en"]);
    assert_eq!(drift[0]["drift"], Value::Null, "never published");
    let shown = ok(&path, &["notice", "show", "--format", "text"]);
    assert!(
        !shown.contains("Newsletter"),
        "a draft is not described:\n{shown}"
    );
    ok(&path, &["activity", "edit", &id, "--status", "approved"]);
    let shown = ok(&path, &["notice", "show", "--format", "text"]);
    assert!(shown.contains("Newsletter"), "{shown}");
    assert!(shown.contains("1 month after unsubscribing"), "{shown}");
    assert!(shown.contains("Fjellbekk Rådgivning AS"));

    let published = json(&path, &["notice", "publish", "--lang", "en"]);
    let first = published["id"].as_i64().unwrap();
    assert_eq!(published["activities"], 1);
    let drift = json(&path, &["notice", "drift", "--lang", "en"]);
    assert_eq!(drift[0]["drift"]["changes"], serde_json::json!([]));
    assert!(ok(&path, &["notice", "drift", "--lang", "en"]).contains("up to date"));

    // Names are kept two months after unsubscribing instead of one.
    let mut activity = json(&path, &["activity", "show", &id]);
    let category = activity["data_categories"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    activity["data_categories"][0]["retention"]["duration"]["amount"] = 2.into();
    let file = dir.path().join("activity.json");
    fs::write(&file, activity.to_string()).unwrap();
    ok(
        &path,
        &["activity", "edit", &id, "--file", file.to_str().unwrap()],
    );

    let drift = json(&path, &["notice", "drift", "--lang", "en"]);
    let changes = drift[0]["drift"]["changes"].as_array().unwrap().clone();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "retention_changed");
    assert_eq!(changes[0]["activity"], "Newsletter");
    assert_eq!(changes[0]["category"], category.as_str());
    assert_eq!(changes[0]["from"]["duration"]["amount"], 1);
    assert_eq!(changes[0]["to"]["duration"]["amount"], 2);
    let words = ok(&path, &["notice", "drift", "--lang", "en"]);
    assert!(words.contains("out of date"), "{words}");
    assert!(
        words.contains(&format!(
            "Retention of {category} in Newsletter changed from 1 month after unsubscribing to 2 months after unsubscribing."
        )),
        "{words}"
    );
    assert!(ok(&path, &["overview"]).contains("out of date"));
    // Not published in bokmål at all.
    assert!(ok(&path, &["notice", "drift", "--lang", "nb"]).contains("nb: never published"));

    // Published again: the versions, and what changed between them.
    let second = json(&path, &["notice", "publish", "--lang", "en"])["id"]
        .as_i64()
        .unwrap();
    let versions = json(&path, &["notice", "versions"]);
    assert_eq!(versions[0]["id"], second);
    assert_eq!(versions[1]["id"], first);
    let diff = json(
        &path,
        &["notice", "diff", &first.to_string(), &second.to_string()],
    );
    assert_eq!(diff.as_array().unwrap().len(), 1);
    assert_eq!(diff[0]["kind"], "retention_changed");

    // Shown and saved: the first version's HTML as it was published, a PDF.
    let html = ok(&path, &["notice", "show", "--version", &first.to_string()]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("1 month after unsubscribing"));
    let pdf = dir.path().join("notice.pdf");
    let saved = json(
        &path,
        &[
            "notice",
            "show",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(saved["format"], "pdf");
    assert!(fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let err = fails(&path, &["notice", "show", "--format", "pdf"]);
    assert!(err.contains("--out"), "{err}");
    let audit = ok(&path, &["audit", "--limit", "20"]);
    assert!(audit.contains("notice.published"), "{audit}");
}
