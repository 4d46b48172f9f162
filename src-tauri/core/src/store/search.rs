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

/// The text of a subject's search row: the lower-cased name, e-mail, phone and record
/// values, one a line. A value that is empty or repeats an earlier line (an "E-mail
/// address" record holds the e-mail again) is left out: it would find nothing new and
/// costs index work, which is most of the time an import takes.
pub(crate) fn row_text<'a>(fields: [&'a str; 3], values: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    let mut lines: Vec<String> = Vec::new();
    for v in fields.into_iter().chain(values) {
        let low = v.trim().to_lowercase();
        if low.is_empty() || lines.contains(&low) {
            continue;
        }
        text.push_str(&low);
        text.push('\n');
        lines.push(low);
    }
    text
}

/// The search rows of new subjects in a bulk write, held back until the subjects and
/// records are in.
///
/// FTS5 writes its pending index data out as a new segment whenever a statement opens a
/// savepoint, and every INSERT into `records` does (its record-count trigger). Indexing
/// each subject between its records therefore wrote one tiny segment a subject, and
/// merging them took most of an import's time. Written together at the end of the
/// transaction, a batch's rows go out as a few large segments: a 100,000-subject import
/// took half the time (see the README's Performance).
#[derive(Default)]
pub(crate) struct NewRows(Vec<(Id, String)>);

impl NewRows {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    /// Holds the row of a subject that has no search row yet.
    pub(crate) fn add<'a>(
        &mut self,
        subject_id: Id,
        f: &'a crate::model::SubjectFields,
        values: impl Iterator<Item = &'a str>,
    ) {
        self.0
            .push((subject_id, row_text([&f.name, &f.email, &f.phone], values)));
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Writes the rows; `tick` is called before each with how many are done, and may
    /// stop the write with an error.
    pub(crate) fn write(
        self,
        tx: &Connection,
        mut tick: impl FnMut(usize) -> Result<()>,
    ) -> Result<()> {
        let mut st =
            tx.prepare_cached("INSERT INTO subject_search (rowid, text) VALUES (?1, ?2)")?;
        for (done, (id, text)) in self.0.iter().enumerate() {
            tick(done)?;
            st.execute(rusqlite::params![id, text])?;
        }
        Ok(())
    }
}

/// Builds the search row of every subject, in a register whose search table is empty
/// (a register made from an export file).
pub(crate) fn index_all(tx: &Connection) -> Result<()> {
    let subjects: Vec<(Id, [String; 3])> = tx
        .prepare("SELECT id, name, email, phone FROM subjects ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?])))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rows = NewRows::with_capacity(subjects.len());
    let mut values =
        tx.prepare_cached("SELECT value FROM records WHERE subject_id = ?1 ORDER BY id")?;
    for (id, [name, email, phone]) in &subjects {
        let vals = values
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let text = row_text([name, email, phone], vals.iter().map(String::as_str));
        rows.0.push((*id, text));
    }
    rows.write(tx, |_| Ok(()))
}

/// Rebuilds a subject's search row from the subject and its records.
pub(crate) fn reindex(tx: &Connection, subject_id: Id) -> Result<()> {
    let fields: (String, String, String) = tx
        .prepare_cached("SELECT name, email, phone FROM subjects WHERE id = ?1")?
        .query_row([subject_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let values = tx
        .prepare_cached("SELECT value FROM records WHERE subject_id = ?1 ORDER BY id")?
        .query_map([subject_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let text = row_text(
        [&fields.0, &fields.1, &fields.2],
        values.iter().map(String::as_str),
    );
    tx.execute("DELETE FROM subject_search WHERE rowid = ?1", [subject_id])?;
    tx.prepare_cached("INSERT INTO subject_search (rowid, text) VALUES (?1, ?2)")?
        .execute(rusqlite::params![subject_id, text])?;
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
    /// `query` (in any case), sorted by name. An empty query finds nothing.
    ///
    /// At most `limit` subjects come back. When more match, the index's first matches
    /// are taken (not the first by name): sorting every match of a common name in a
    /// million-subject register would cost more than the answer is worth, and a person
    /// looking for someone types more.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SubjectSummary>> {
        let mut hits = self.search_unsorted(query, limit)?;
        hits.sort_by_cached_key(|h| (h.name.to_lowercase(), h.id));
        Ok(hits)
    }

    fn search_unsorted(&self, query: &str, limit: u32) -> Result<Vec<SubjectSummary>> {
        let trimmed = query.trim();
        // A whole e-mail address: the e-mail index answers at once.
        if trimmed.contains('@') && !trimmed.contains(char::is_whitespace) {
            // The limit is written into the statement: SQLite prepares a statement
            // again whenever a bound LIMIT changes, which cost three times the lookup.
            let mut st = self.conn().prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM subjects s WHERE s.email_norm = ?1 AND s.email_norm <> '' LIMIT {limit}"
            ))?;
            let exact = st
                .query_map([crate::model::normalise_email(trimmed)], summary_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if !exact.is_empty() {
                return Ok(exact);
            }
        }
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
             WHERE {} LIMIT {}",
            conditions.join(" AND "),
            limit
        );
        let mut st = self.conn().prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(args.iter()), summary_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_row_holds_each_value_once_lower_cased() {
        let text = row_text(
            ["Kari Nordmann", "Kari@Example.no", ""],
            [
                "kari@example.no",
                " Rådgiver ",
                "KARI NORDMANN",
                "",
                "rådgiver",
            ]
            .into_iter(),
        );
        assert_eq!(text, "kari nordmann\nkari@example.no\nrådgiver\n");
    }
}
