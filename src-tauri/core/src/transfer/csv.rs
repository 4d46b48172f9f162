//! Reading CSV files as spreadsheets and CRMs write them: the encoding (UTF-8 with or
//! without a byte-order mark, UTF-16 with a mark as Excel's "Unicode text", else
//! Windows-1252 as Excel writes it in Norway; decoded by `encoding_rs`) and the
//! delimiter (comma, semicolon, tab) are detected, then the text is split by RFC 4180
//! (by `csv-core`, the `csv` crate's parser): fields in double quotes may hold
//! delimiters, doubled quotes and line breaks.
//!
//! A problem that spoils one row (text after a closing quote) is kept with that row so
//! the import can reject the row by its line number and go on; only a problem that
//! leaves the rest of the file unreadable (a quote that never closes) fails the file.
//! Values are personal data: `Debug` prints counts, never values, and no error quotes one.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError, Result, TransferError};

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
    /// `utf-8`, `utf8`, `windows-1252`, `cp1252`, `latin1` ... (for the CLI), and the
    /// codes this type is sent as (`utf8_bom`, `windows1252` ..., for the app).
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => Some(Encoding::Utf8Bom),
            "utf-16le" | "utf16-le" | "utf-16" => Some(Encoding::Utf16Le),
            "utf-16be" | "utf16-be" => Some(Encoding::Utf16Be),
            "windows-1252" | "windows1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1"
            | "ansi" => Some(Encoding::Windows1252),
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

impl CsvFormat {
    /// The format as a user gives it, in the app's window or on the command line;
    /// `None` or empty: detect. A delimiter is one character, or `tab` (also `\t`
    /// written out); an encoding is a name [`Encoding::parse`] knows. A bad value is an
    /// [`InputError`] of the field `delimiter` or `encoding`.
    pub fn from_user(delimiter: Option<&str>, encoding: Option<&str>) -> Result<CsvFormat> {
        let delimiter = match delimiter {
            None | Some("") => None,
            Some("tab" | "\\t") => Some('\t'),
            Some(d) => {
                let mut chars = d.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(delimiter_byte(c)? as char),
                    _ => {
                        return Err(
                            InputError::invalid("delimiter", "use one character, or tab").into(),
                        )
                    }
                }
            }
        };
        let encoding = match encoding.map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(Encoding::parse(e).ok_or_else(|| {
                InputError::invalid(
                    "encoding",
                    "use utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252",
                )
            })?),
        };
        Ok(CsvFormat {
            delimiter,
            encoding,
        })
    }
}

/// A delimiter the parser can split by: an ASCII character other than a quote or a
/// line break.
fn delimiter_byte(d: char) -> std::result::Result<u8, InputError> {
    match d {
        '"' | '\n' | '\r' => Err(InputError::invalid(
            "delimiter",
            "cannot be a quote or a line break",
        )),
        d if d.is_ascii() => Ok(d as u8),
        _ => Err(InputError::invalid(
            "delimiter",
            "must be an ASCII character, e.g. ; , | or tab",
        )),
    }
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
        Some(d) => delimiter_byte(d)
            .map_err(|e| TransferError::Csv(format!("the delimiter {}", e.problem())))?
            as char,
        None => detect_delimiter(&text),
    };
    let mut rows = split(&text, delimiter as u8)?;
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
/// Windows-1252 (the five it leaves undefined are read as the C1 controls, as browsers
/// do), and what is not valid UTF-8 or UTF-16 becomes U+FFFD. A byte-order mark is not
/// part of the text.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> (String, Encoding) {
    let encoding = forced.unwrap_or_else(|| detect_encoding(bytes));
    let (codec, body) = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => (
            encoding_rs::UTF_8,
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
        ),
        Encoding::Utf16Le | Encoding::Utf16Be => (
            if encoding == Encoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            },
            bytes
                .strip_prefix(b"\xFF\xFE")
                .or_else(|| bytes.strip_prefix(b"\xFE\xFF"))
                .unwrap_or(bytes),
        ),
        Encoding::Windows1252 => (encoding_rs::WINDOWS_1252, bytes),
    };
    let (text, _) = codec.decode_without_bom_handling(body);
    (text.into_owned(), encoding)
}

/// A mark says UTF-8 or UTF-16; without one, text that is valid UTF-8 is UTF-8 and any
/// other is Windows-1252 (the only other encoding Excel writes CSV in, in Norway).
fn detect_encoding(bytes: &[u8]) -> Encoding {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((e, _)) if e == encoding_rs::UTF_8 => Encoding::Utf8Bom,
        Some((e, _)) if e == encoding_rs::UTF_16LE => Encoding::Utf16Le,
        Some(_) => Encoding::Utf16Be,
        None if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
        None => Encoding::Windows1252,
    }
}

const CANDIDATES: [char; 3] = [';', ',', '\t'];

/// The candidate that splits the first lines into the same number of fields (more than
/// one) most often; ties go to more fields, then to `;`, `,`, tab in that order (Excel in
/// Norway writes `;`, since `,` is the decimal mark).
fn detect_delimiter(text: &str) -> char {
    // Enough of the start of the file for 50 lines, cut at a line break.
    let end = text
        .match_indices('\n')
        .nth(49)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    let mut best = (',', 0usize, 0usize);
    for d in CANDIDATES {
        // An unterminated quote just ends the sample.
        let rows: Vec<CsvRow> = Rows::new(sample, d as u8).map_while(|r| r.ok()).collect();
        let Some(first) = rows.first() else { continue };
        let width = first.fields.len();
        if width < 2 {
            continue;
        }
        let consistent = rows.iter().filter(|r| r.fields.len() == width).count();
        if (consistent, width) > (best.1, best.2) {
            best = (d, consistent, width);
        }
    }
    best.0
}

/// The line of the file a quoted field that never closes opens on.
struct Unclosed(u64);

/// The rows of a text, blank lines left out, split by `csv-core` (the parser of the
/// `csv` crate): fields in double quotes may hold delimiters, doubled quotes and line
/// breaks; a line ends at `\n`, `\r\n` or `\r`.
///
/// `csv-core` prefers a parse to no parse, so it reports neither text after a closing
/// quote (`"Vik"sen` reads as `Viksen`) nor a quote that never closes (the field runs to
/// the end). Its field reader says how many bytes of the text each field took, and a
/// quoted field is well formed exactly when those bytes are the field's value quoted
/// again; that is how both are found. Line numbers count the line breaks before a row's
/// first byte, those inside quoted fields too.
struct Rows<'a> {
    text: &'a [u8],
    /// Where the parser is in `text`.
    pos: usize,
    delimiter: u8,
    parser: csv_core::Reader,
    buf: Vec<u8>,
    /// The line `counted` is on.
    line: u64,
    counted: usize,
}

impl<'a> Rows<'a> {
    fn new(text: &'a str, delimiter: u8) -> Self {
        Rows {
            text: text.as_bytes(),
            pos: 0,
            delimiter,
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            buf: vec![0; 8 * 1024],
            line: 1,
            counted: 0,
        }
    }

    /// The line `pos` is on; `pos` never goes back between calls.
    fn line_at(&mut self, pos: usize) -> u64 {
        let text = self.text;
        for i in self.counted..pos {
            match text[i] {
                b'\n' => self.line += 1,
                b'\r' if text.get(i + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.counted = pos;
        self.line
    }

    /// The next field: its value, where its text starts and whether it ends the row.
    /// `None` at the end of the text.
    fn field(&mut self) -> Option<(Vec<u8>, usize, bool)> {
        let start = self.pos;
        let mut value = Vec::new();
        loop {
            let (res, nin, nout) = self
                .parser
                .read_field(&self.text[self.pos..], &mut self.buf);
            self.pos += nin;
            value.extend_from_slice(&self.buf[..nout]);
            match res {
                // The next call reads from an empty input: the end of the text.
                csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
                csv_core::ReadFieldResult::Field { record_end } => {
                    return Some((value, start, record_end))
                }
                csv_core::ReadFieldResult::End => return None,
            }
        }
    }
}

/// How the text of a field that starts with a quote compares with its value quoted
/// again: `Some(true)` well formed, `Some(false)` a quote that never closes, `None`
/// text after the closing quote.
fn quoted_well(raw: &[u8], value: &[u8], delimiter: u8) -> Option<bool> {
    let mut i = 1;
    for &b in value {
        let n = if b == b'"' { 2 } else { 1 };
        if raw.get(i..i + n)?.iter().any(|&r| r != b) {
            return None;
        }
        i += n;
    }
    if i == raw.len() {
        return Some(false);
    }
    let closed = raw[i] == b'"'
        && raw[i + 1..]
            .iter()
            .all(|&b| b == delimiter || b == b'\r' || b == b'\n');
    closed.then_some(true)
}

impl Iterator for Rows<'_> {
    type Item = std::result::Result<CsvRow, Unclosed>;

    /// The next non-blank row, `None` at the end of the text.
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut fields = Vec::new();
            let mut problem = None;
            let mut start_line = 0;
            loop {
                let (value, mut start, end) = self.field()?;
                if fields.is_empty() {
                    // The parser skips the line breaks of blank lines before a row.
                    while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
                        start += 1;
                    }
                    start_line = self.line_at(start);
                }
                let raw = &self.text[start..self.pos];
                if raw.first() == Some(&b'"') {
                    match quoted_well(raw, &value, self.delimiter) {
                        Some(true) => {}
                        Some(false) => return Some(Err(Unclosed(self.line_at(start)))),
                        None => {
                            problem.get_or_insert_with(|| {
                                format!("column {}: text after a closing quote", fields.len() + 1)
                            });
                        }
                    }
                }
                // The text was UTF-8 and is cut at ASCII bytes only.
                fields.push(String::from_utf8(value).unwrap_or_default());
                if end {
                    break;
                }
            }
            let blank = fields.len() == 1 && fields[0].trim().is_empty() && problem.is_none();
            if !blank {
                return Some(Ok(CsvRow {
                    line: start_line,
                    fields,
                    problem,
                }));
            }
        }
    }
}

/// Splits the whole text; blank lines are left out.
fn split(text: &str, delimiter: u8) -> Result<Vec<CsvRow>> {
    Rows::new(text, delimiter)
        .map(|r| {
            r.map_err(|Unclosed(line)| {
                TransferError::Csv(format!("line {line}: a quoted field is never closed")).into()
            })
        })
        .collect()
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

        let mut utf16 = vec![0xFE, 0xFF];
        for u in "Navn;Notat\nÅse;😀\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_be_bytes());
        }
        let t = read_csv(&utf16, &CsvFormat::default()).unwrap();
        assert_eq!((t.encoding, t.delimiter), (Encoding::Utf16Be, ';'));
        assert_eq!(t.rows[0].fields, v(&["Åse", "😀"]));
    }

    #[test]
    fn windows_1252_and_forced_encodings_decode_every_byte() {
        let (text, e) = decode(b"\x80 \xE6 \x81 \x9F \xFF", None);
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(text, "€ æ \u{81} Ÿ ÿ", "undefined bytes are C1 controls");
        // Forced: UTF-8 with a mark or without, the mark is never text; bad bytes are U+FFFD.
        let (text, e) = decode(b"\xEF\xBB\xBFa\xFFb", Some(Encoding::Utf8));
        assert_eq!((text.as_str(), e), ("a\u{FFFD}b", Encoding::Utf8));
        let (text, _) = decode("Ø".as_bytes(), Some(Encoding::Windows1252));
        assert_eq!(text, "Ã˜");
        let (text, _) = decode(b"\xFF\xFEA\x00B\x00", Some(Encoding::Utf16Le));
        assert_eq!(text, "AB");
    }

    #[test]
    fn line_numbers_count_every_kind_of_line_break() {
        // \r alone (old Mac), \r\n, \n, and breaks inside quoted fields.
        let r = rows("a;b\r1;2\r\n\r\n\"x\ny\";3\r\"p\r\nq\r\";4\n5;6");
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [2, 4, 6, 9]);
        assert_eq!(r[1].1, v(&["x\ny", "3"]));
        assert_eq!(r[2].1, v(&["p\r\nq\r", "4"]));
    }

    #[test]
    fn text_after_a_closing_quote_is_found_in_any_column() {
        let r = rows("a,b,c\n\"ok\",\"x\"\"y\"\" z\"q\"\n\"\" ,2,3\n\"\"\"\",\"\",\"\"\n");
        assert_eq!(
            r[0].2.as_deref(),
            Some("column 2: text after a closing quote")
        );
        assert_eq!(r[0].1, v(&["ok", "x\"y\" zq\""]), "a best guess");
        assert_eq!(
            r[1].2.as_deref(),
            Some("column 1: text after a closing quote"),
            "a quoted empty field and a space is not a blank line"
        );
        assert_eq!(r[2], (4, v(&["\"", "", ""]), None));
        // A quote inside an unquoted field is text.
        assert_eq!(rows("a,b\nx\"y,z\n")[0], (2, v(&["x\"y", "z"]), None));
    }

    #[test]
    fn a_quote_that_never_closes_names_the_line_it_opens_on() {
        for (text, line) in [
            ("a,b\n1,\"2\n3,4\n", 2),
            ("a,b\n1,2\n\n\"x\"\"", 4),
            ("a,b\r\n1,2\r\n\"\"\"", 3),
            ("a,\"b", 1),
        ] {
            let err = read_csv(text.as_bytes(), &CsvFormat::default()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("the CSV file cannot be read: line {line}: a quoted field is never closed"),
                "{text:?}"
            );
        }
        // Closed at the very end of the file.
        assert_eq!(rows("a,b\n1,\"2\"\"\"")[0].1, v(&["1", "2\""]));
    }

    #[test]
    fn long_fields_and_many_rows_are_read_whole() {
        let long = "ø".repeat(20_000);
        let mut text = format!("a;b\n\"{long}\";x\n{long};y\n");
        for i in 0..1000 {
            text.push_str(&format!("{i};\"{i}\"\n"));
        }
        let r = rows(&text);
        assert_eq!(r.len(), 1002);
        assert_eq!(r[0].1, v(&[&long, "x"]));
        assert_eq!(r[1].1, v(&[&long, "y"]));
        assert_eq!(r[1001], (1003, v(&["999", "999"]), None));
    }

    #[test]
    fn a_forced_delimiter_is_used_and_a_bad_one_refused() {
        let f = |d: char| CsvFormat {
            delimiter: Some(d),
            encoding: None,
        };
        let t = read_csv(b"a|b;c\n1|2;3\n", &f('|')).unwrap();
        assert_eq!(t.headers, v(&["a", "b;c"]));
        for d in ['"', '\n', '§'] {
            let err = read_csv(b"a,b\n", &f(d)).unwrap_err();
            assert_eq!(err.kind(), "transfer.csv", "{d:?}");
        }
    }

    #[test]
    fn the_format_a_user_gives_is_parsed_once_for_the_app_and_the_cli() {
        let f = |d: Option<&str>, e: Option<&str>| CsvFormat::from_user(d, e);
        // The app's window sends the serde codes; the CLI's users write names.
        let got = f(Some(";"), Some("windows1252")).unwrap();
        assert_eq!(got.delimiter, Some(';'));
        assert_eq!(got.encoding, Some(Encoding::Windows1252));
        let got = f(Some("\t"), Some("utf8_bom")).unwrap();
        assert_eq!(got.delimiter, Some('\t'));
        assert_eq!(got.encoding, Some(Encoding::Utf8Bom));
        for tab in ["tab", "\\t", "\t"] {
            assert_eq!(f(Some(tab), None).unwrap().delimiter, Some('\t'), "{tab:?}");
        }
        assert_eq!(f(None, None).unwrap(), CsvFormat::default());
        assert_eq!(f(Some(""), Some(" ")).unwrap(), CsvFormat::default());
        for (name, e) in [
            ("cp1252", Encoding::Windows1252),
            ("Latin-1", Encoding::Windows1252),
            ("utf-8", Encoding::Utf8),
            ("utf16_le", Encoding::Utf16Le),
            ("UTF-16BE", Encoding::Utf16Be),
        ] {
            assert_eq!(f(None, Some(name)).unwrap().encoding, Some(e), "{name}");
        }
        // Every code the app sends is one the parser knows.
        for e in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ] {
            let code = serde_json::to_value(e).unwrap();
            assert_eq!(Encoding::parse(code.as_str().unwrap()), Some(e));
        }
        let field = |r: Result<CsvFormat>| match r {
            Err(Error::Input(e)) => e.field().to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(f(Some(";;"), None)), "delimiter");
        assert_eq!(field(f(Some("\""), None)), "delimiter");
        assert_eq!(field(f(Some("§"), None)), "delimiter");
        assert_eq!(field(f(None, Some("ebcdic"))), "encoding");
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
