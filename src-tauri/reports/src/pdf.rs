//! PDF through Typst used as a library. The templates are `.typ` files in
//! `templates/`, compiled into the binary. The report model goes in as one JSON file,
//! `/data.json`, that the template reads with `json()`: nothing from the register is
//! ever spliced into Typst markup, so a name like `#read("/etc/passwd")` is text.
//!
//! The Typst world serves only the templates and that JSON file. Any other path (a
//! template bug, or markup that somehow got evaluated) is refused, so a report can
//! never read a file from the disk. Fonts are embedded (Libertinus Serif and DejaVu
//! Sans Mono from `typst-assets`); there are no system fonts and no network.
//!
//! Output: A4, PDF/A-2b, tagged.

use std::sync::LazyLock;

use chrono::{Datelike, Timelike};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::ReportError;

/// The `.typ` templates, kept as files in the repository.
const COMMON: &str = include_str!("../templates/common.typ");
const ART30: &str = include_str!("../templates/art30.typ");
const ACCESS: &str = include_str!("../templates/access.typ");
const LETTER: &str = include_str!("../templates/letter.typ");
const BREACHES: &str = include_str!("../templates/breaches.typ");
const BREACH_LETTER: &str = include_str!("../templates/breach_letter.typ");
const NOTICE: &str = include_str!("../templates/notice.typ");
const PROCESSOR_RECORD: &str = include_str!("../templates/processor_record.typ");

/// Which document to typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Art30,
    Access,
    /// The reply to a data subject request ([`crate::letter`]).
    Letter,
    /// The log of personal data breaches (Art. 33(5), [`crate::breach`]).
    Breaches,
    /// The letters to the people affected by a breach (Art. 34(2)), one or many.
    BreachLetter,
    /// The privacy notice (Art. 13, 14, [`crate::notice`]).
    Notice,
    /// The processor's record (Art. 30(2), [`crate::processor_record`]).
    ProcessorRecord,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

/// What every compilation shares: the standard library, the fonts, the templates.
struct Base {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    common: Source,
    art30: Source,
    access: Source,
    letter: Source,
    breaches: Source,
    breach_letter: Source,
    notice: Source,
    processor_record: Source,
    data_id: FileId,
}

static BASE: LazyLock<Base> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Base {
        library: LazyHash::new(Library::builder().with_inputs(Dict::new()).build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        common: Source::new(file_id("/common.typ"), COMMON.to_string()),
        art30: Source::new(file_id("/art30.typ"), ART30.to_string()),
        access: Source::new(file_id("/access.typ"), ACCESS.to_string()),
        letter: Source::new(file_id("/letter.typ"), LETTER.to_string()),
        breaches: Source::new(file_id("/breaches.typ"), BREACHES.to_string()),
        breach_letter: Source::new(file_id("/breach_letter.typ"), BREACH_LETTER.to_string()),
        notice: Source::new(file_id("/notice.typ"), NOTICE.to_string()),
        processor_record: Source::new(
            file_id("/processor_record.typ"),
            PROCESSOR_RECORD.to_string(),
        ),
        data_id: file_id("/data.json"),
    }
});

/// One compilation: a template and its data.
struct ReportWorld {
    main: Source,
    data: Bytes,
    today: chrono::NaiveDate,
}

impl ReportWorld {
    fn lookup(&self, id: FileId) -> Option<Source> {
        let base = &*BASE;
        [
            &base.common,
            &base.art30,
            &base.access,
            &base.letter,
            &base.breaches,
            &base.breach_letter,
            &base.notice,
            &base.processor_record,
        ]
        .into_iter()
        .find(|s| s.id() == id)
        .cloned()
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &BASE.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BASE.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.lookup(id).ok_or(FileError::AccessDenied)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == BASE.data_id {
            return Ok(self.data.clone());
        }
        match self.lookup(id) {
            Some(s) => Ok(Bytes::from_string(s)),
            None => Err(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        BASE.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}

/// A Typst error as a message without personal data: Typst quotes values in some
/// messages, and a value could come from the register, so quoted text is dropped.
fn describe(diags: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for d in diags.iter().take(3) {
        let mut msg = String::new();
        let mut quoted = false;
        for c in d.message.chars() {
            if c == '"' {
                quoted = !quoted;
                msg.push_str(if quoted { "\"…" } else { "\"" });
            } else if !quoted {
                msg.push(c);
            }
        }
        out.push(msg);
    }
    out.join("; ")
}

/// Typesets `template` with `data` (the JSON the template reads as `/data.json`) and
/// returns the PDF/A-2b bytes. `now` stamps the document's creation date.
pub fn render(
    template: Template,
    data: &serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, ReportError> {
    let base = &*BASE;
    let main = match template {
        Template::Art30 => base.art30.clone(),
        Template::Access => base.access.clone(),
        Template::Letter => base.letter.clone(),
        Template::Breaches => base.breaches.clone(),
        Template::BreachLetter => base.breach_letter.clone(),
        Template::Notice => base.notice.clone(),
        Template::ProcessorRecord => base.processor_record.clone(),
    };
    let bytes = serde_json::to_vec(data).map_err(|e| ReportError::Render(e.to_string()))?;
    let world = ReportWorld {
        main,
        data: Bytes::new(bytes),
        today: now.date_naive(),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    // Cached layout results of other reports are of no further use; keep memory flat.
    typst::comemo::evict(2);
    let document = compiled
        .output
        .map_err(|errors| ReportError::Render(describe(errors.as_slice())))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| ReportError::Render(e.message().to_string()))?;
    let timestamp = Datetime::from_ymd_hms(
        now.year(),
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some("Privacy Register".to_string())),
        timestamp,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| ReportError::Render(describe(errors.as_slice())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_serves_only_the_templates_and_the_data() {
        let world = ReportWorld {
            main: BASE.art30.clone(),
            data: Bytes::new(b"{}".to_vec()),
            today: chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
        };
        assert!(world.file(file_id("/data.json")).is_ok());
        assert!(world.source(file_id("/common.typ")).is_ok());
        // (Typst itself refuses a path that escapes the root, like "/../../etc/passwd".)
        assert!(VirtualPath::new("/../../etc/passwd").is_err());
        for p in ["/etc/passwd", "/Cargo.toml", "/templates/art30.typ"] {
            assert!(matches!(
                world.file(file_id(p)),
                Err(FileError::AccessDenied)
            ));
            assert!(world.source(file_id(p)).is_err());
        }
    }

    #[test]
    fn typst_errors_lose_quoted_values() {
        let d = SourceDiagnostic::error(
            typst::syntax::Span::detached(),
            "dictionary does not contain key \"Kari Nordmann\"",
        );
        assert_eq!(describe(&[d]), "dictionary does not contain key \"…\"");
    }
}
