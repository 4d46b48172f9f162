//! The audit head a saved report carries, read back from the file: what `privreg verify
//! --against FILE` and the overview's "Check against an earlier report" compare the
//! register with (`Register::check_head`; what a head proves, and what the register's
//! own checkpoint does not, is in `privreg_core::store::audit`).
//!
//! - **JSON** (the Art. 30 record, the subject access report, the breach log): the
//!   `audit` object's `head_hash` and `events`, as the schemas in `schemas/` define them.
//! - **PDF**: the keyword `privreg-audit-head:HASH:COUNT` that the templates put in the
//!   document's metadata (`templates/common.typ`, `setup`). Typst writes the document
//!   information dictionary and the XMP packet uncompressed and outside any object
//!   stream, so the keyword is plain ASCII in the file's bytes (twice: both must agree).
//!   This is a scan of the bytes, not a PDF parser, which is all a keyword that this
//!   program wrote itself needs. A PDF that another program rewrote with compressed
//!   metadata (some "optimise" or "print to PDF" tools do) has lost it and is refused as
//!   having no head; the report's JSON, or the head it prints typed as `HASH:COUNT`,
//!   still work.
//!
//! CSV and XLSX reports print the head in their last rows but are not read here.

use std::path::Path;

use privreg_core::{InputError, PrintedHead};

use crate::{ReportError, Result};

/// What the keyword in a report PDF's metadata starts with; the head follows it.
pub const PDF_KEYWORD_PREFIX: &str = "privreg-audit-head:";

/// Files larger than this are not read: no report comes near it.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// The head in a saved report's bytes, JSON or PDF (told apart by how they begin).
/// Errors name the field `report` and never quote the file.
pub fn head_in_report(bytes: &[u8]) -> std::result::Result<PrintedHead, InputError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.starts_with(b"%PDF-") {
        head_in_pdf(text)
    } else if text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        head_in_json(text)
    } else {
        Err(InputError::invalid(
            "report",
            "it is not a Privacy Register report saved as JSON or PDF",
        ))
    }
}

fn head_in_json(bytes: &[u8]) -> std::result::Result<PrintedHead, InputError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| InputError::invalid("report", "it is not valid JSON"))?;
    let audit = &value["audit"];
    match (audit["head_hash"].as_str(), audit["events"].as_i64()) {
        (Some(hash), Some(events)) => PrintedHead::new(hash, events)
            .map_err(|_| InputError::invalid("report", "its audit head is damaged")),
        _ => Err(InputError::invalid(
            "report",
            "it has no audit head (audit.head_hash and audit.events): it is not a Privacy Register report",
        )),
    }
}

fn head_in_pdf(bytes: &[u8]) -> std::result::Result<PrintedHead, InputError> {
    let prefix = PDF_KEYWORD_PREFIX.as_bytes();
    let mut found: Option<PrintedHead> = None;
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], prefix) {
        let after = at + i + prefix.len();
        // 64 hexadecimal digits, a colon and up to 19 digits; then ")" or "<" follows.
        let text: String = bytes[after..]
            .iter()
            .take(64 + 1 + 19)
            .take_while(|b| b.is_ascii_hexdigit() || **b == b':')
            .map(|b| *b as char)
            .collect();
        let head = PrintedHead::from_text(&text)
            .map_err(|_| InputError::invalid("report", "its audit head keyword is damaged"))?;
        if found.as_ref().is_some_and(|earlier| *earlier != head) {
            return Err(InputError::invalid(
                "report",
                "its metadata names two different audit heads",
            ));
        }
        found = Some(head);
        at = after;
    }
    found.ok_or_else(|| {
        InputError::invalid(
            "report",
            "the PDF carries no audit head in its metadata (a report of an older version, or rewritten by another program): use the report's JSON, or type the head it prints as HASH:COUNT",
        )
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads the head of the report saved at `path` (see [`head_in_report`]).
pub fn read_report_head(path: &Path) -> Result<PrintedHead> {
    let io = |source: std::io::Error| ReportError::Io {
        op: "reading",
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_BYTES {
        return Err(ReportError::Core(
            InputError::invalid("report", "the file is too large to be a report").into(),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    head_in_report(&bytes).map_err(|e| ReportError::Core(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(c: char) -> String {
        c.to_string().repeat(64)
    }

    #[test]
    fn a_pdfs_keyword_is_found_in_its_bytes_and_both_copies_must_agree() {
        let a = hash('a');
        let pdf = format!(
            "%PDF-1.7\n1 0 obj\n<< /Keywords (privreg-audit-head:{a}:42) >>\nendobj\n\
             <pdf:Keywords>privreg-audit-head:{a}:42</pdf:Keywords>\n%%EOF"
        );
        assert_eq!(
            head_in_report(pdf.as_bytes()).unwrap(),
            PrintedHead::new(&a, 42).unwrap()
        );
        let two = pdf.replacen(":42)", ":43)", 1);
        assert_eq!(
            head_in_report(two.as_bytes()).unwrap_err().field(),
            "report"
        );
        let damaged = pdf.replace(&a, &hash('a')[..60]);
        assert!(head_in_report(damaged.as_bytes()).is_err());
        let none = "%PDF-1.7\n<< /Keywords (something else) >>\n%%EOF";
        assert!(head_in_report(none.as_bytes())
            .unwrap_err()
            .problem()
            .contains("no audit head"));
    }

    #[test]
    fn a_jsons_audit_object_gives_the_head_and_other_files_are_refused() {
        let b = hash('B');
        let json = format!(
            "\u{feff}\n  {{\"schema\": \"privreg.art30_record\", \"audit\": {{\"head_hash\": \"{b}\", \"events\": 7, \"intact\": true}}}}"
        );
        assert_eq!(
            head_in_report(json.as_bytes()).unwrap(),
            PrintedHead::new(&hash('b'), 7).unwrap()
        );
        for bad in [
            "{\"audit\": {\"events\": 7}}",
            "{\"name\": \"Kari Nordmann\"}",
            "{ not json",
            "name;email\nKari Nordmann;kari@example.no\n",
            "",
        ] {
            let err = head_in_report(bad.as_bytes()).unwrap_err();
            assert_eq!(err.field(), "report", "{bad}");
            assert!(!err.to_string().contains("Kari"), "{err}");
        }
    }
}
