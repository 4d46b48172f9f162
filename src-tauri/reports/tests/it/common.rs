//! What several of these modules need: running poppler's tools on a PDF, keeping a copy
//! for a person to look at, comparing text without its line breaks, and checking JSON
//! against a schema.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

pub fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), pdf).unwrap();
    let out = Command::new(name)
        .args(args)
        .arg(f.path())
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn page_count(pdf: &[u8]) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Keeps a copy for a person to look at when `REPORTS_OUT` names a folder.
pub fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("REPORTS_OUT") {
        std::fs::write(PathBuf::from(dir).join(name), bytes).unwrap();
    }
}

/// Text without whitespace: lines wrap where the layout likes.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn assert_has(text: &str, needle: &str, what: &str) {
    assert!(
        squash(text).contains(&squash(needle)),
        "{what}: {needle:?} is not in the PDF text"
    );
}

pub fn validate(schema: &str, value: &Value) {
    let schema: Value = serde_json::from_str(schema).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
