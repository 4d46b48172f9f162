//! Finding subjects by any part of their name, e-mail, phone or record values.
//!
//! One FTS5 row per subject (rowid = subject id) holds those values lower-cased
//! (Rust's Unicode lower-casing, so Æ/Ø/Å fold like A-Z). The trigram tokenizer
//! indexes every three-character window, so "ordm" finds "Nordmann". Terms shorter
//! than three characters are matched with LIKE over the same rows. The table has
//! FTS5's `secure-delete` on, so a removed subject's index entries are overwritten.

use rusqlite::{params_from_iter, Connection};

use super::subjects::{summary_row, SubjectSummary, SUMMARY_COLUMNS};
use super::Register;
use crate::error::Result;
use crate::model::Id;

/// Rebuilds a subject's search row from the subject and its records.
pub(crate) fn reindex(tx: &Connection, subject_id: Id) -> Result<()> {
    let mut text = String::new();
    {
        let mut st = tx.prepare("SELECT name, email, phone FROM subjects WHERE id = ?1")?;
        let mut rows = st.query([subject_id])?;
        if let Some(r) = rows.next()? {
            for i in 0..3 {
                text.push_str(&r.get::<_, String>(i)?);
                text.push('\n');
            }
        }
    }
    {
        let mut st = tx.prepare("SELECT value FROM records WHERE subject_id = ?1 ORDER BY id")?;
        for v in st.query_map([subject_id], |r| r.get::<_, String>(0))? {
            text.push_str(&v?);
            text.push('\n');
        }
    }
    tx.execute("DELETE FROM subject_search WHERE rowid = ?1", [subject_id])?;
    if !text.trim().is_empty() {
        tx.execute(
            "INSERT INTO subject_search (rowid, text) VALUES (?1, ?2)",
            rusqlite::params![subject_id, text.to_lowercase()],
        )?;
    }
    Ok(())
}

pub(crate) fn unindex(tx: &Connection, subject_id: Id) -> Result<()> {
    tx.execute("DELETE FROM subject_search WHERE rowid = ?1", [subject_id])?;
    Ok(())
}

fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Register {
    /// Subjects whose name, e-mail, phone or any record value contains every word of
    /// `query` (in any case), best known names first. An empty query finds nothing.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SubjectSummary>> {
        let lowered = query.to_lowercase();
        let words: Vec<&str> = lowered.split_whitespace().collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let (long, short): (Vec<&str>, Vec<&str>) =
            words.iter().partition(|w| w.chars().count() >= 3);
        let mut conditions = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if !long.is_empty() {
            // Each word a quoted FTS5 string: no query syntax reaches the parser.
            let expr = long
                .iter()
                .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ");
            args.push(expr);
            conditions.push(format!("f.text MATCH ?{}", args.len()));
        }
        for w in short {
            args.push(like_escape(w));
            conditions.push(format!("f.text LIKE ?{} ESCAPE '\\'", args.len()));
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM subject_search f JOIN subjects s ON s.id = f.rowid
             WHERE {} ORDER BY s.name COLLATE NOCASE, s.id LIMIT {}",
            conditions.join(" AND "),
            limit
        );
        let mut st = self.conn().prepare(&sql)?;
        let rows = st.query_map(params_from_iter(args.iter()), summary_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
