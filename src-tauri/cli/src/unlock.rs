//! Getting the register open: keychain first, then `PRIVREG_PASSPHRASE`, then a prompt.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use privreg_core::keychain::SystemKeychain;
use privreg_core::opening::{self, FromKeychain, Opened};
use privreg_core::store::erasure::JournalCheck;
use privreg_core::{Passphrase, Register, SystemClock, Unlock};

use crate::commands::CliError;

/// Installs the platform's credential store as keyring-core's default. Returns why not
/// when there is none (a Linux box without a Secret Service, say).
pub fn keychain_ready() -> Result<(), String> {
    match keyring::Entry::store_status() {
        Ok(()) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

pub fn passphrase_from_env_or_prompt(
    var: &str,
    prompt: &str,
    confirm: bool,
) -> Result<Passphrase, CliError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Passphrase::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "no passphrase: set {var} or run privreg in a terminal"
        )));
    }
    let first = Passphrase::new(
        rpassword::prompt_password(prompt)
            .map_err(|e| CliError::usage(format!("reading the passphrase: {e}")))?,
    );
    if confirm {
        let again = Passphrase::new(
            rpassword::prompt_password("Repeat it: ")
                .map_err(|e| CliError::usage(format!("reading the passphrase: {e}")))?,
        );
        if again.expose() != first.expose() {
            return Err(CliError::usage("the two passphrases differ".to_string()));
        }
    }
    Ok(first)
}

/// Opens the register, from the keychain when it keeps the key, by the core's rules
/// ([`privreg_core::opening`]): a stale key is kept, and a damaged file opens read-only
/// with a warning.
pub fn open(path: &Path, use_keychain: bool) -> Result<Register, CliError> {
    let clock = Arc::new(SystemClock);
    let opened = match keychain_attempt(path, use_keychain, clock.clone())? {
        Some(opened) => opened,
        None => {
            let pass = passphrase_from_env_or_prompt("PRIVREG_PASSPHRASE", "Passphrase: ", false)?;
            opening::open(path, Unlock::Passphrase(&pass), clock)?
        }
    };
    if !opened.damaged_pages.is_empty() {
        eprintln!(
            "privreg: the register file is damaged ({} page(s) failed their check); it is opened read-only",
            opened.damaged_pages.len()
        );
    }
    report_journal(&opened.journal.reapplied, &opened.journal.check);
    report_changes(opened.journal.changes, opened.journal.unopened);
    Ok(opened.register)
}

/// Says on stderr what the receipts journals did to the file just opened or restored.
/// Says what later deletions and corrections were carried out again (or could not be).
pub fn report_changes(changes: usize, unopened: usize) {
    if changes > 0 {
        eprintln!(
            "privreg: {changes} later deletion(s), anonymisation(s) or correction(s) were applied again from the erasure receipts journal"
        );
    }
    if unopened > 0 {
        eprintln!(
            "privreg: {unopened} later correction(s) could not be applied: this copy is older than the person's key; check their details"
        );
    }
}

pub fn report_journal(reapplied: &[String], check: &JournalCheck) {
    if !reapplied.is_empty() {
        eprintln!(
            "privreg: {} erasure(s) made after this copy of the register were applied again from the erasure receipts journal",
            reapplied.len()
        );
    }
    if check.altered > 0 {
        eprintln!(
            "privreg: {} line(s) of the erasure receipts journal were changed or damaged and were not applied",
            check.altered
        );
    }
    if check.missing > 0 {
        eprintln!(
            "privreg: lines are missing from the erasure receipts journal ({} place(s)); an erasure may not have been applied",
            check.missing
        );
    }
    if check.unreadable > 0 {
        eprintln!(
            "privreg: {} line(s) of the erasure receipts journal could not be read and were skipped",
            check.unreadable
        );
    }
}

fn keychain_attempt(
    path: &Path,
    use_keychain: bool,
    clock: Arc<SystemClock>,
) -> Result<Option<Opened>, CliError> {
    if !use_keychain {
        return Ok(None);
    }
    if let Err(why) = keychain_ready() {
        eprintln!("privreg: no keychain on this computer ({why}); using the passphrase");
        return Ok(None);
    }
    Ok(
        match opening::open_with_keychain(path, &SystemKeychain, clock)? {
            FromKeychain::Opened(opened) => Some(*opened),
            FromKeychain::NotKept => None,
            FromKeychain::Unavailable(why) => {
                eprintln!("privreg: the keychain cannot be used ({why}); using the passphrase");
                None
            }
            FromKeychain::Stale => {
                eprintln!(
                    "privreg: the key kept in the keychain does not open this file; using the passphrase"
                );
                None
            }
        },
    )
}

/// The keychain the CLI may use, or `None` (`--no-keychain`, or none on this computer).
pub fn keychain(use_keychain: bool) -> Option<&'static SystemKeychain> {
    static KEYCHAIN: SystemKeychain = SystemKeychain;
    (use_keychain && keychain_ready().is_ok()).then_some(&KEYCHAIN)
}
