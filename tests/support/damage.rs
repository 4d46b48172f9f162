//! A damaged register to rescue, shared by `tests/app.rs` and `tests/e2e.rs` (each
//! includes this file with `#[path]`; a file in a subfolder is not a test target of its
//! own).
//!
//! The register holds [`OTHERS`] people ("Zz filler NNN …", sorting after everyone real)
//! and then Kari Nordmann. One byte is flipped in one page, as the core's damage tests
//! do; the page is found, not guessed (the layout of pages is SQLite's business): the
//! last page whose damage leaves readable everything the window reads to show the
//! overview, the list of people, Kari's page and her reports, and makes at least one of
//! the others unreadable. So the test is about a register that really lost people, and
//! Kari is one of those still intact.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use privreg_core::model::{Id, SubjectFields};
use privreg_core::{
    opening, AuditFilter, Passphrase, RawKey, Register, SubjectSort, SystemClock, Unlock,
};

/// The people added before Kari: enough for the people's table to span many pages.
pub const OTHERS: usize = 200;

pub struct Damaged {
    pub path: PathBuf,
    /// Kari Nordmann, intact.
    pub kari: Id,
    /// The others; some of them are on the damaged page.
    pub others: Vec<Id>,
    /// The damaged page (1-based).
    pub page: usize,
    /// The file before the damage: what a good backup holds.
    pub good: Vec<u8>,
}

fn person(name: String, email: String) -> SubjectFields {
    SubjectFields {
        name,
        email,
        phone: String::new(),
    }
}

/// Creates the register at `path` (which must not exist) with `passphrase`, closes it
/// and damages one page (see the module's documentation).
pub fn register_with_a_damaged_page(path: &Path, passphrase: &str) -> Damaged {
    let (mut reg, recovery) =
        Register::create(path, &Passphrase::new(passphrase), Arc::new(SystemClock)).unwrap();
    let batch: Vec<_> = (0..OTHERS)
        .map(|i| {
            (
                person(
                    format!("Zz filler {i:03} with a name long enough to fill the pages"),
                    format!("filler{i:03}@example.no"),
                ),
                vec![],
            )
        })
        .collect();
    let others = reg.add_subjects(&batch).unwrap();
    let kari = reg
        .add_subject(&person("Kari Nordmann".into(), "kari@example.no".into()))
        .unwrap()
        .id;
    reg.close().unwrap();
    let good = std::fs::read(path).unwrap();
    let page = damage_sparing(path, &good, recovery.key(), kari, &others);
    Damaged {
        path: path.to_path_buf(),
        kari,
        others,
        page,
        good,
    }
}

/// Flips one byte in the middle of page `page` (1-based).
pub fn flip(bytes: &mut [u8], page: usize) {
    bytes[(page - 1) * 4096 + 2000] ^= 0x5a;
}

/// Writes `good` to `path` with the last page damaged that spares `kari` (everything the
/// window reads for her) and hits one of `others`; returns the page.
fn damage_sparing(path: &Path, good: &[u8], key: &RawKey, kari: Id, others: &[Id]) -> usize {
    let pages = good.len() / 4096;
    for page in (2..=pages).rev() {
        let mut bytes = good.to_vec();
        flip(&mut bytes, page);
        std::fs::write(path, &bytes).unwrap();
        // Opened with the key (no key derivation per page); read-only, so not written.
        let Ok(opened) = opening::open(path, Unlock::Key(key), Arc::new(SystemClock)) else {
            continue;
        };
        let fits = !opened.damaged_pages.is_empty()
            && window_reads(&opened.register, kari)
            && others
                .iter()
                .any(|id| opened.register.subject_data(*id).is_err());
        drop(opened);
        if fits {
            assert_eq!(
                std::fs::read(path).unwrap(),
                bytes,
                "a probe wrote the file"
            );
            return page;
        }
    }
    panic!("no page of {pages} whose damage spares Kari and hits someone else");
}

/// What the window reads to show the overview, the people (first page by name, and a
/// search for Kari), Kari's page and her access report, and the Art. 30 record.
fn window_reads(reg: &Register, kari: Id) -> bool {
    use privreg_reports::{build_access, build_art30, Lang};
    reg.controller().is_ok()
        && reg.counts().is_ok()
        && reg.activity_summaries().is_ok()
        && reg.verify_audit().is_ok()
        && reg.request_deadlines().is_ok()
        && reg.open_breaches().is_ok()
        && reg
            .list_subjects(0, 50, SubjectSort::Name, false)
            .is_ok_and(|p| p.items.iter().any(|s| s.id == kari))
        && reg
            .search("Kari Nordmann", 200)
            .is_ok_and(|hits| hits.iter().any(|s| s.id == kari))
        && reg.subject_data(kari).is_ok()
        && reg.audit_log(AuditFilter::Subject(kari), 500).is_ok()
        && reg.activities().is_ok()
        && reg.pending_erasure(kari).is_ok()
        && reg.retention_dates(kari).is_ok()
        && reg.objections_pending(kari).is_ok()
        && reg.notifications_for(kari).is_ok()
        && build_access(reg, kari, Lang::En).is_ok()
        && build_art30(reg, Lang::En).is_ok()
}
