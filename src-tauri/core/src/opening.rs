//! Getting a register open and changing its secrets: the rules both front ends (the
//! desktop app and `privreg`) follow, kept here once so they cannot decide differently.
//! A front end only asks the user and shows the outcome.
//!
//! - **The keychain first.** A key kept in this computer's keychain for the file's
//!   register id opens it without typing ([`open_with_keychain`]).
//! - **A stale key is kept, not deleted.** When the kept key does not open the file
//!   ([`FromKeychain::Stale`]), the file is a copy made before a passphrase change (a
//!   backup carries the live register's id) or the passphrase was changed on another
//!   computer. The key may still open the live file, so it stays; the passphrase
//!   unlocks this file, and choosing to remember the key then replaces it.
//! - **Damage is checked at every open.** [`open`] checks every page's HMAC before the
//!   register is handed out; a damaged file is opened read-only (nothing is written to
//!   it), with the failed pages in [`Opened::damaged_pages`], so what is intact can
//!   still be read and exported. Views and exports of a read-only register are recorded
//!   in its side log (`store/side_log.rs`), which the next writable open of the file
//!   writes into the audit log.
//!   A window opening a large file ([`open_for_window`]) gets it at once instead and
//!   the pages are checked in the background: it can be read meanwhile, and nothing is
//!   written to it until the check has passed (a write waits for it); a damaged file
//!   then turns read-only as it would have at the open.
//! - **Nothing erased comes back.** [`open`] re-applies every erasure in the receipts
//!   journals (beside the file, and in the backup folder the file remembers) that the
//!   file has not applied: a backup opened directly, or any older copy, loses the people
//!   erased since it was made, and [`Opened::journal`] says how many, so the front end
//!   can tell the user.
//! - **A passphrase change keeps the keychain in step** ([`change_passphrase`]): when
//!   this computer kept the old key, it keeps the new one instead; when it kept none,
//!   none is added. It also re-encrypts the backups in the register's backup folder, so
//!   none of them opens with the old passphrase or recovery key; copies kept elsewhere
//!   still do, and the front end says so.

use std::path::Path;
use std::sync::Arc;

use crate::clock::Clock;
use crate::error::{Error, KeychainError, Result, VaultError};
use crate::keychain::Keychain;
use crate::secret::{Passphrase, RecoveryKey};
use crate::store::backup::BackupsRekeyed;
use crate::store::erasure::JournalApplied;
use crate::store::{register_id, Register, Unlock};

/// An open register and what the open found.
#[derive(Debug)]
pub struct Opened {
    pub register: Register,
    /// Pages whose HMAC failed; when any did, the register is read-only.
    pub damaged_pages: Vec<u32>,
    /// Erasures from the receipts journals that this file had not applied (a backup
    /// opened directly, an older copy), applied now; and what was wrong with the
    /// journals. The front end says so.
    pub journal: JournalApplied,
}

/// What trying the keychain gave.
#[derive(Debug)]
pub enum FromKeychain {
    /// The kept key opened the file.
    Opened(Box<Opened>),
    /// This computer keeps no key for this register.
    NotKept,
    /// The keychain cannot be used here (why, in the platform's words).
    Unavailable(String),
    /// A key is kept for this register's id but it does not open this file; it is
    /// kept (see the module's documentation). Ask for the passphrase.
    Stale,
}

/// When the pages of a file being opened are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckPages {
    /// Before the register is handed out (the command line; any small file).
    First,
    /// Files over [`CHECK_FIRST_UP_TO`] in the background while the register is read
    /// (a window, which must show a large register at once).
    InBackgroundIfLarge,
    /// In the background whatever the size.
    InBackground,
}

/// The largest file whose pages a window checks before showing it: the check reads
/// every page, about a second per 100 MB on a slow machine (at a million people the
/// file is 1.7 GB).
pub const CHECK_FIRST_UP_TO: u64 = 64 * 1024 * 1024;

/// Opens `path` for a window: as [`open`], except that a file larger than
/// [`CHECK_FIRST_UP_TO`] is handed out at once and its pages are checked in the
/// background ([`Register::check_pages_in_background`]). It can be read meanwhile;
/// nothing is written to it until the check has passed. Should anything before the
/// check's end meet damage, the file is opened again as [`open`] opens it.
pub fn open_for_window(path: &Path, unlock: Unlock, clock: Arc<dyn Clock>) -> Result<Opened> {
    open_checking(path, unlock, clock, CheckPages::InBackgroundIfLarge)
}

/// As [`open`], with the pages checked `when`.
pub fn open_checking(
    path: &Path,
    unlock: Unlock,
    clock: Arc<dyn Clock>,
    when: CheckPages,
) -> Result<Opened> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let first = match when {
        CheckPages::First => true,
        CheckPages::InBackgroundIfLarge => size <= CHECK_FIRST_UP_TO,
        CheckPages::InBackground => false,
    };
    if first {
        return open(path, unlock, clock);
    }
    let mut register = Register::open(path, unlock, clock.clone())?;
    register.check_pages_in_background()?;
    // The journals are read and applied as at any open. A write among them waits for
    // the check; a damaged page met on the way, or found by the check, sends the open
    // back to the careful path (a connection that met a damaged page reads no more).
    let journal = (|| {
        register.keep_journal_key()?;
        let paths = register.journal_paths();
        let applied = register.apply_journals(&paths)?;
        let _ = register.apply_side_log();
        Ok::<_, Error>(applied)
    })();
    match journal {
        Ok(journal) if !register.is_read_only() => Ok(Opened {
            register,
            damaged_pages: Vec::new(),
            journal,
        }),
        _ => {
            drop(register);
            open(path, unlock, clock)
        }
    }
}

/// Opens `path` with `unlock` and checks it for damage.
pub fn open(path: &Path, unlock: Unlock, clock: Arc<dyn Clock>) -> Result<Opened> {
    let mut register = Register::open(path, unlock, clock)?;
    let damaged_pages = match register.check_pages() {
        Ok(()) => Vec::new(),
        Err(Error::Vault(VaultError::Damaged { pages })) => pages,
        Err(e) => return Err(e),
    };
    let journal = if damaged_pages.is_empty() {
        register.keep_journal_key()?;
        let paths = register.journal_paths();
        let applied = register.apply_journals(&paths)?;
        // What was viewed and exported while this file (or the damaged one it replaced)
        // was read-only goes into the audit log now (store/side_log.rs). Best effort:
        // a side log that cannot be read stays for the next open.
        let _ = register.apply_side_log();
        applied
    } else {
        JournalApplied::default()
    };
    Ok(Opened {
        register,
        damaged_pages,
        journal,
    })
}

/// Opens `path` with the key this computer's keychain keeps for it, if any. A missing
/// file, a file that is not a register or one made by a newer version is an error as
/// with any other way of opening.
pub fn open_with_keychain(
    path: &Path,
    keychain: &dyn Keychain,
    clock: Arc<dyn Clock>,
) -> Result<FromKeychain> {
    open_with_keychain_checking(path, keychain, clock, CheckPages::First)
}

/// As [`open_with_keychain`], with the pages checked `when` (see [`open_for_window`]).
pub fn open_with_keychain_checking(
    path: &Path,
    keychain: &dyn Keychain,
    clock: Arc<dyn Clock>,
    when: CheckPages,
) -> Result<FromKeychain> {
    let id = register_id(path)?;
    let key = match keychain.load(&id) {
        Ok(key) => key,
        Err(KeychainError::NoEntry) => return Ok(FromKeychain::NotKept),
        Err(KeychainError::Unavailable(why)) => return Ok(FromKeychain::Unavailable(why)),
    };
    match open_checking(path, Unlock::Key(&key), clock, when) {
        Ok(opened) => Ok(FromKeychain::Opened(Box::new(opened))),
        Err(Error::Vault(VaultError::WrongKey)) => Ok(FromKeychain::Stale),
        Err(e) => Err(e),
    }
}

/// What a passphrase change did.
#[derive(Debug)]
pub struct PassphraseChanged {
    /// The new recovery key, to show once.
    pub recovery_key: RecoveryKey,
    /// True when this computer's keychain kept the old key and now keeps the new one.
    pub keychain_updated: bool,
    /// The backups in the register's backup folder, re-encrypted with the new key.
    pub backups: BackupsRekeyed,
}

/// Changes the passphrase of `reg` (re-encrypting the file) and keeps the keychain in
/// step: the new key replaces a kept old one. `keychain` is `None` where the front end
/// has no usable keychain (or the user asked it not to use one).
pub fn change_passphrase(
    reg: &mut Register,
    current: Unlock,
    new: &Passphrase,
    keychain: Option<&dyn Keychain>,
) -> Result<PassphraseChanged> {
    let kept = keychain.is_some_and(|k| k.load(reg.id()).is_ok());
    let (recovery_key, old) = reg.change_passphrase_from(current, new)?;
    let backups = reg.rekey_backups(&old);
    let keychain_updated = match keychain {
        Some(k) if kept => {
            reg.remember_in_keychain(k)?;
            true
        }
        _ => false,
    };
    Ok(PassphraseChanged {
        recovery_key,
        keychain_updated,
        backups,
    })
}

/// Opens `path` with its recovery key and sets a new passphrase at once (the way back
/// in when the passphrase is forgotten); the keychain is kept in step as in
/// [`change_passphrase`].
pub fn recover(
    path: &Path,
    typed_recovery_key: &str,
    new: &Passphrase,
    keychain: Option<&dyn Keychain>,
    clock: Arc<dyn Clock>,
) -> Result<(Opened, PassphraseChanged)> {
    new.check_strength()?;
    let recovery = RecoveryKey::parse(typed_recovery_key)?;
    let mut opened = open(path, Unlock::Recovery(&recovery), clock)?;
    let changed = change_passphrase(
        &mut opened.register,
        Unlock::Recovery(&recovery),
        new,
        keychain,
    )?;
    Ok((opened, changed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::keychain::{use_mock_store, SystemKeychain};
    use std::fs;

    const PASS: &str = "fjellvann og lyng 42";

    fn clock() -> Arc<dyn Clock> {
        Arc::new(FixedClock::at("2026-11-03T09:00:00Z"))
    }

    fn new_register(dir: &Path, name: &str) -> (std::path::PathBuf, RecoveryKey) {
        let path = dir.join(name);
        let (reg, recovery) = Register::create(&path, &Passphrase::new(PASS), clock()).unwrap();
        reg.close().unwrap();
        (path, recovery)
    }

    #[test]
    fn a_kept_key_opens_and_a_missing_one_says_so() {
        use_mock_store();
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = new_register(dir.path(), "kept.privreg");
        assert!(matches!(
            open_with_keychain(&path, &SystemKeychain, clock()).unwrap(),
            FromKeychain::NotKept
        ));
        let opened = open(&path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
        opened
            .register
            .remember_in_keychain(&SystemKeychain)
            .unwrap();
        opened.register.close().unwrap();
        match open_with_keychain(&path, &SystemKeychain, clock()).unwrap() {
            FromKeychain::Opened(o) => {
                assert!(o.damaged_pages.is_empty());
                assert!(!o.register.is_read_only());
            }
            other => panic!("expected the kept key to open the file, got {other:?}"),
        }
    }

    #[test]
    fn a_stale_key_is_reported_and_kept_because_it_still_opens_the_live_file() {
        use_mock_store();
        let dir = tempfile::tempdir().unwrap();
        let (live, _) = new_register(dir.path(), "live.privreg");
        // A copy made before the passphrase change: the same register id.
        let old_copy = dir.path().join("old-copy.privreg");
        fs::copy(&live, &old_copy).unwrap();
        let mut opened = open(&live, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
        opened
            .register
            .remember_in_keychain(&SystemKeychain)
            .unwrap();
        let changed = change_passphrase(
            &mut opened.register,
            Unlock::Passphrase(&Passphrase::new(PASS)),
            &Passphrase::new("a new and long passphrase"),
            Some(&SystemKeychain),
        )
        .unwrap();
        assert!(changed.keychain_updated, "the kept key follows the change");
        opened.register.close().unwrap();

        let before = fs::read(&old_copy).unwrap();
        assert!(matches!(
            open_with_keychain(&old_copy, &SystemKeychain, clock()).unwrap(),
            FromKeychain::Stale
        ));
        assert_eq!(
            fs::read(&old_copy).unwrap(),
            before,
            "the copy is not written"
        );
        // The key was kept: the live file still opens without typing.
        assert!(matches!(
            open_with_keychain(&live, &SystemKeychain, clock()).unwrap(),
            FromKeychain::Opened(_)
        ));
    }

    #[test]
    fn a_passphrase_change_adds_no_key_where_none_was_kept() {
        use_mock_store();
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = new_register(dir.path(), "unkept.privreg");
        let mut opened = open(&path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
        let changed = change_passphrase(
            &mut opened.register,
            Unlock::Passphrase(&Passphrase::new(PASS)),
            &Passphrase::new("another long passphrase"),
            Some(&SystemKeychain),
        )
        .unwrap();
        assert!(!changed.keychain_updated);
        let id = opened.register.id().to_string();
        assert!(matches!(
            SystemKeychain.load(&id),
            Err(KeychainError::NoEntry)
        ));
    }

    #[test]
    fn the_recovery_key_sets_a_new_passphrase_and_a_wrong_one_changes_nothing() {
        use_mock_store();
        let dir = tempfile::tempdir().unwrap();
        let (path, recovery) = new_register(dir.path(), "recover.privreg");
        let before = fs::read(&path).unwrap();
        let err = recover(
            &path,
            "AAAA-BBBB-CCCC",
            &Passphrase::new("a fresh long passphrase"),
            None,
            clock(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "vault.bad_recovery_key");
        assert_eq!(fs::read(&path).unwrap(), before);

        let shown = recovery.display();
        let (opened, changed) = recover(
            &path,
            shown.as_str(),
            &Passphrase::new("a fresh long passphrase"),
            None,
            clock(),
        )
        .unwrap();
        assert!(!changed.keychain_updated);
        opened.register.close().unwrap();
        let err = open(&path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap_err();
        assert_eq!(err.kind(), "vault.wrong_passphrase");
        open(
            &path,
            Unlock::Passphrase(&Passphrase::new("a fresh long passphrase")),
            clock(),
        )
        .unwrap();
    }

    #[test]
    fn a_damaged_file_opens_read_only_with_its_pages_and_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.privreg");
        let (mut reg, _) = Register::create(&path, &Passphrase::new(PASS), clock()).unwrap();
        // People written last, so the last pages hold their data (the schema's own
        // pages, which nothing can be read without, come first).
        for i in 0..60 {
            reg.add_subject(&crate::model::SubjectFields {
                name: format!("Person {i} with a name long enough to fill the pages"),
                email: format!("person{i}@example.no"),
                phone: String::new(),
            })
            .unwrap();
        }
        reg.close().unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() / 4096;
        assert!(last >= 3);
        bytes[(last - 1) * 4096 + 2000] ^= 0x5a;
        fs::write(&path, &bytes).unwrap();
        let opened = open(&path, Unlock::Passphrase(&Passphrase::new(PASS)), clock()).unwrap();
        assert_eq!(opened.damaged_pages, vec![last as u32]);
        assert!(opened.register.is_read_only());
        drop(opened);
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }
}
