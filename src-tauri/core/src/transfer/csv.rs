//! Reading CSV files as spreadsheets and CRMs write them: the encoding (UTF-8 with or
//! without a byte-order mark, UTF-16 with a mark as Excel's "Unicode text", else
//! Windows-1252 as Excel writes it in Norway) and the delimiter (comma, semicolon, tab)
//! are detected, then the text is split by RFC 4180: fields in double quotes may hold
//! delimiters, doubled quotes and line breaks.
//!
//! A problem that spoils one row (text after a closing quote) is kept with that row so
//! the import can reject the row by its line number and go on; only a problem that
//! leaves the rest of the file unreadable (a quote that never closes) fails the file.
//! Values are personal data: `Debug` prints counts, never values, and no error quotes one.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, TransferError};

/// The largest file read (a register for a small organisation; 100,000 rows of a CRM
/// export are about 20 MB).
pub const MAX_BYTES: usize = 512 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with a mark (Excel's "Unicode text").
    Utf16Le,
    Utf16Be,
    /// Excel's "CSV" on a Norwegian (or any Western) Windows.
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
    /// `utf-8`, `utf8`, `windows-1252`, `cp1252`, `latin1` ... (for the CLI).
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-8-bom" | "utf-8-sig" => Some(Encoding::Utf8Bom),
            "utf-16le" | "utf-16" => Some(Encoding::Utf16Le),
            "utf-16be" => Some(Encoding::Utf16Be),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" | "ansi" => {
                Some(Encoding::Windows1252)
            }
            _ => None,
        }
    }
}

/// What the reader may be told instead of detecting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvFormat {
    pub delimiter: Option<char>,
    pub encoding: Option<Encoding>,
}

/// One data row, with the line of the file it starts on (the header is line 1).
#[derive(Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u64,
    pub fields: Vec<String>,
    /// Why the row could not be read as written (the fields are then a best guess).
    pub problem: Option<String>,
}

impl fmt::Debug for CsvRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvRow")
            .field("line", &self.line)
            .field("fields", &self.fields.len())
            .field("problem", &self.problem)
            .finish()
    }
}

/// A whole file: its detected format, the column names and the rows.
#[derive(Clone, PartialEq, Eq)]
pub struct CsvTable {
    pub encoding: Encoding,
    pub delimiter: char,
    /// Column names from the first line, trimmed and made unique: an empty name becomes
    /// "Column 3", a repeated one "Name (2)".
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
}

impl fmt::Debug for CsvTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvTable")
            .field("encoding", &self.encoding)
            .field("delimiter", &self.delimiter)
            .field("columns", &self.headers.len())
            .field("rows", &self.rows.len())
            .finish()
    }
}

/// What the UI shows before a mapping is chosen.
#[derive(Clone, Serialize, Deserialize)]
pub struct CsvPreview {
    pub encoding: Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// The first rows, each padded or cut to the number of headers.
    pub rows: Vec<Vec<String>>,
    /// Data rows in the whole file.
    pub total_rows: usize,
}

impl fmt::Debug for CsvPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvPreview")
            .field("encoding", &self.encoding)
            .field("delimiter", &self.delimiter)
            .field("columns", &self.headers.len())
            .field("rows", &self.rows.len())
            .field("total_rows", &self.total_rows)
            .finish()
    }
}

impl CsvTable {
    /// The header and the first `n` rows.
    pub fn preview(&self, n: usize) -> CsvPreview {
        let width = self.headers.len();
        CsvPreview {
            encoding: self.encoding,
            delimiter: self.delimiter,
            headers: self.headers.clone(),
            rows: self
                .rows
                .iter()
                .take(n)
                .map(|r| {
                    let mut v: Vec<String> = r.fields.iter().take(width).cloned().collect();
                    v.resize(width, String::new());
                    v
                })
                .collect(),
            total_rows: self.rows.len(),
        }
    }

    /// The index of a column by its name, compared trimmed and without case.
    pub fn column(&self, name: &str) -> Option<usize> {
        let wanted = name.trim().to_lowercase();
        self.headers
            .iter()
            .position(|h| h.trim().to_lowercase() == wanted)
    }
}

/// Reads a CSV file from disk (see [`read_csv`]).
pub fn read_csv_file(path: &Path, format: &CsvFormat) -> Result<CsvTable> {
    let len = std::fs::metadata(path)
        .map_err(|e| io_error("reading", path, e))?
        .len();
    if len > MAX_BYTES as u64 {
        return Err(TransferError::TooLarge {
            max_mb: MAX_BYTES / (1024 * 1024),
        }
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| io_error("reading", path, e))?;
    read_csv(&bytes, format)
}

pub(crate) fn io_error(op: &'static str, path: &Path, source: std::io::Error) -> Error {
    TransferError::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
    .into()
}

/// Decodes, detects the delimiter and splits the file into a header and rows. Blank
/// lines are left out. Fails only when no header can be read or a quoted field never
/// closes.
pub fn read_csv(bytes: &[u8], format: &CsvFormat) -> Result<CsvTable> {
    if bytes.len() > MAX_BYTES {
        return Err(TransferError::TooLarge {
            max_mb: MAX_BYTES / (1024 * 1024),
        }
        .into());
    }
    let (text, encoding) = decode(bytes, format.encoding);
    let delimiter = match format.delimiter {
        Some(d) if d == '"' || d == '\n' || d == '\r' => {
            return Err(TransferError::Csv(
                "the delimiter cannot be a quote or a line break".into(),
            )
            .into())
        }
        Some(d) => d,
        None => detect_delimiter(&text),
    };
    let mut rows = split(&text, delimiter)?;
    if rows.is_empty() {
        return Err(TransferError::Csv("the file has no header line".into()).into());
    }
    let header = rows.remove(0);
    if let Some(p) = header.problem {
        return Err(TransferError::Csv(format!("the header line: {p}")).into());
    }
    if header.fields.iter().all(|h| h.trim().is_empty()) {
        return Err(TransferError::Csv("the header line has no column names".into()).into());
    }
    Ok(CsvTable {
        encoding,
        delimiter,
        headers: unique_headers(&header.fields),
        rows,
    })
}

fn unique_headers(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, h) in raw.iter().enumerate() {
        let base = match h.trim() {
            "" => format!("Column {}", i + 1),
            t => t.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
            name = format!("{base} ({n})");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// The text and the encoding it was read in. Never fails: any byte is a character of
/// Windows-1252 (the five it leaves undefined are read as the C1 controls, as browsers do).
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> (String, Encoding) {
    let encoding = forced.unwrap_or_else(|| detect_encoding(bytes));
    let text = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8_lossy(body).into_owned()
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let body = bytes
                .strip_prefix(b"\xFF\xFE")
                .or_else(|| bytes.strip_prefix(b"\xFE\xFF"))
                .unwrap_or(bytes);
            let units = body.chunks(2).map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if encoding == Encoding::Utf16Le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        Encoding::Windows1252 => bytes.iter().map(|&b| windows_1252(b)).collect(),
    };
    (text, encoding)
}

fn detect_encoding(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else if bytes.starts_with(b"\xFF\xFE") {
        Encoding::Utf16Le
    } else if bytes.starts_with(b"\xFE\xFF") {
        Encoding::Utf16Be
    } else if std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

/// Windows-1252: Latin-1 with typographic characters in 0x80-0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

const CANDIDATES: [char; 3] = [';', ',', '\t'];

/// The candidate that splits the first lines into the same number of fields (more than
/// one) most often; ties go to more fields, then to `;`, `,`, tab in that order (Excel in
/// Norway writes `;`, since `,` is the decimal mark).
fn detect_delimiter(text: &str) -> char {
    // Enough of the start of the file for 50 lines, cut at a line break.
    let mut end = text.len();
    let mut lines = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            lines += 1;
            if lines == 50 {
                end = i;
                break;
            }
        }
    }
    let sample = &text[..end];
    let mut best = (',', 0usize, 0usize);
    for d in CANDIDATES {
        let rows = split_lenient(sample, d);
        let Some(first) = rows.first() else { continue };
        let width = first.len();
        if width < 2 {
            continue;
        }
        let consistent = rows.iter().filter(|r| r.len() == width).count();
        if (consistent, width) > (best.1, best.2) {
            best = (d, consistent, width);
        }
    }
    best.0
}

/// Splitting for detection only: an unterminated quote just ends the sample.
fn split_lenient(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut p = Parser::new(text, delimiter);
    while let Some(Ok(row)) = p.next_row() {
        out.push(row.fields);
    }
    out
}

/// Splits the whole text; blank lines are left out.
fn split(text: &str, delimiter: char) -> Result<Vec<CsvRow>> {
    let mut out = Vec::new();
    let mut p = Parser::new(text, delimiter);
    while let Some(row) = p.next_row() {
        out.push(row?);
    }
    Ok(out)
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
    line: u64,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        Parser {
            chars: text.chars().peekable(),
            delimiter,
            line: 1,
        }
    }

    /// Consumes a line break (`\n`, `\r\n` or `\r`) if one is next.
    fn line_break(&mut self, c: char) -> bool {
        match c {
            '\n' => true,
            '\r' => {
                if self.chars.peek() == Some(&'\n') {
                    self.chars.next();
                }
                true
            }
            _ => false,
        }
    }

    /// The next non-blank row, `None` at the end of the text.
    fn next_row(&mut self) -> Option<Result<CsvRow>> {
        loop {
            let start = self.line;
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut problem: Option<String> = None;
            let mut any = false;
            let mut ended_by_break = false;
            while let Some(c) = self.chars.next() {
                any = true;
                if c == '"' && field.is_empty() {
                    // A quoted field: read to the closing quote.
                    let opened = self.line;
                    loop {
                        match self.chars.next() {
                            None => {
                                return Some(Err(TransferError::Csv(format!(
                                    "line {opened}: a quoted field is never closed"
                                ))
                                .into()))
                            }
                            Some('"') if self.chars.peek() == Some(&'"') => {
                                self.chars.next();
                                field.push('"');
                            }
                            Some('"') => break,
                            Some(c) => {
                                if c == '\r' && self.chars.peek() == Some(&'\n') {
                                    self.chars.next();
                                    self.line += 1;
                                    field.push_str("\r\n");
                                    continue;
                                }
                                if c == '\n' || c == '\r' {
                                    self.line += 1;
                                }
                                field.push(c);
                            }
                        }
                    }
                    // After the closing quote: a delimiter, a line break or the end.
                    loop {
                        match self.chars.peek().copied() {
                            None => break,
                            Some(d) if d == self.delimiter => break,
                            Some('\n' | '\r') => break,
                            Some(other) => {
                                self.chars.next();
                                if problem.is_none() {
                                    problem = Some(format!(
                                        "column {}: text after a closing quote",
                                        fields.len() + 1
                                    ));
                                }
                                field.push(other);
                            }
                        }
                    }
                    // Mark the field as started even if it was "" (empty, quoted).
                    fields.push(std::mem::take(&mut field));
                    match self.chars.next() {
                        None => break,
                        Some(d) if d == self.delimiter => {
                            if self.chars.peek().is_none() {
                                fields.push(String::new());
                            }
                            continue;
                        }
                        Some(c) => {
                            self.line_break(c);
                            self.line += 1;
                            ended_by_break = true;
                            break;
                        }
                    }
                } else if c == self.delimiter {
                    fields.push(std::mem::take(&mut field));
                    if self.chars.peek().is_none() {
                        fields.push(String::new());
                    }
                } else if self.line_break(c) {
                    self.line += 1;
                    ended_by_break = true;
                    fields.push(std::mem::take(&mut field));
                    break;
                } else {
                    field.push(c);
                }
            }
            if !any {
                return None;
            }
            if !ended_by_break && (!field.is_empty() || fields.is_empty()) {
                fields.push(field);
            }
            let blank = fields.len() == 1 && fields[0].trim().is_empty() && problem.is_none();
            if blank {
                continue;
            }
            return Some(Ok(CsvRow {
                line: start,
                fields,
                problem,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u64, Vec<String>, Option<String>)> {
        let t = read_csv(text.as_bytes(), &CsvFormat::default()).unwrap();
        t.rows
            .into_iter()
            .map(|r| (r.line, r.fields, r.problem))
            .collect()
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quoted_fields_hold_delimiters_quotes_and_line_breaks() {
        let text = "Navn,Notat\r\n\"Ødegård, Bjørn\",\"sa \"\"hei\"\"\r\nto linjer\"\r\nKari,\r\n";
        let t = read_csv(text.as_bytes(), &CsvFormat::default()).unwrap();
        assert_eq!(t.headers, v(&["Navn", "Notat"]));
        assert_eq!(t.delimiter, ',');
        let r = rows(text);
        assert_eq!(r[0].0, 2);
        assert_eq!(r[0].1, v(&["Ødegård, Bjørn", "sa \"hei\"\r\nto linjer"]));
        assert_eq!(r[1].0, 4, "the row after a two-line field starts on line 4");
        assert_eq!(r[1].1, v(&["Kari", ""]));
    }

    #[test]
    fn blank_lines_are_left_out_but_counted() {
        let r = rows("a;b\n\n1;2\n   \n\n3;4");
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 6]);
        assert_eq!(r[1].1, v(&["3", "4"]));
    }

    #[test]
    fn delimiter_is_detected() {
        let t = |s: &str| {
            read_csv(s.as_bytes(), &CsvFormat::default())
                .unwrap()
                .delimiter
        };
        assert_eq!(t("Navn;Beløp\nKari;1,5\nOla;2,25\n"), ';');
        assert_eq!(t("name,email\nA,a@b.no\n"), ',');
        assert_eq!(t("name\temail\tnote\nA\ta@b.no\tx, y; z\n"), '\t');
        assert_eq!(t("\"a;b\",c\n\"1;2\",3\n"), ',');
    }

    #[test]
    fn encodings_are_detected() {
        let cp1252 = b"Fornavn;Etternavn\n\xC5se;\xD8deg\xE5rd\n";
        let t = read_csv(cp1252, &CsvFormat::default()).unwrap();
        assert_eq!(t.encoding, Encoding::Windows1252);
        assert_eq!(t.rows[0].fields, v(&["Åse", "Ødegård"]));

        let bom = "\u{FEFF}E-post,Navn\nå@b.no,Åse\n";
        let t = read_csv(bom.as_bytes(), &CsvFormat::default()).unwrap();
        assert_eq!(t.encoding, Encoding::Utf8Bom);
        assert_eq!(
            t.headers[0], "E-post",
            "the mark is not part of the first name"
        );

        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Navn\tE-post\r\nØystein\tø@x.no\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_csv(&utf16, &CsvFormat::default()).unwrap();
        assert_eq!((t.encoding, t.delimiter), (Encoding::Utf16Le, '\t'));
        assert_eq!(t.rows[0].fields, v(&["Øystein", "ø@x.no"]));

        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0xE6), 'æ');
    }

    #[test]
    fn a_broken_row_is_kept_with_its_problem_and_an_open_quote_fails_the_file() {
        let r = rows("a,b\n\"x\"y,2\n3,4\n");
        assert_eq!(
            r[0].2.as_deref(),
            Some("column 1: text after a closing quote")
        );
        assert_eq!(r[1].2, None);
        let err = read_csv(b"a,b\n1,2\n\"open,3\n4,5\n", &CsvFormat::default()).unwrap_err();
        assert_eq!(err.kind(), "transfer.csv");
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(!err.to_string().contains("open"), "no values in errors");
    }

    #[test]
    fn headers_are_made_unique_and_named() {
        let t = read_csv(b"Navn,,navn, E-post \n", &CsvFormat::default()).unwrap();
        assert_eq!(t.headers, v(&["Navn", "Column 2", "navn (2)", "E-post"]));
        assert_eq!(t.column("e-post"), Some(3));
        assert!(read_csv(b"", &CsvFormat::default()).is_err());
        assert!(read_csv(b"\n\n;;\n", &CsvFormat::default()).is_err());
    }

    #[test]
    fn trailing_delimiters_and_missing_final_break() {
        let r = rows("a,b,c\n1,2,\n4,,");
        assert_eq!(r[0].1, v(&["1", "2", ""]));
        assert_eq!(r[1].1, v(&["4", "", ""]));
        let r = rows("a,b\n\"\",\"\"\n");
        assert_eq!(r[0].1, v(&["", ""]));
    }

    #[test]
    fn preview_pads_and_cuts_rows_to_the_header() {
        let t = read_csv(b"a,b\n1\n1,2,3\n", &CsvFormat::default()).unwrap();
        let p = t.preview(10);
        assert_eq!(p.rows, vec![v(&["1", ""]), v(&["1", "2"])]);
        assert_eq!(p.total_rows, 2);
        assert!(!format!("{t:?}{p:?}").contains('1'));
    }
}
