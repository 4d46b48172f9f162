//! Getting the register open: keychain first, then `PRIVREG_PASSPHRASE`, then a prompt.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use privreg_core::keychain::SystemKeychain;
use privreg_core::{Error, KeychainError, Passphrase, Register, SystemClock, Unlock};

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

/// Opens the register, from the keychain when it holds the key.
pub fn open(path: &Path, use_keychain: bool) -> Result<Register, CliError> {
    let clock = Arc::new(SystemClock);
    if use_keychain {
        match keychain_ready() {
            Ok(()) => match Register::open_with_keychain(path, &SystemKeychain, clock.clone()) {
                Ok(reg) => return Ok(reg),
                Err(Error::Keychain(KeychainError::NoEntry)) => {}
                Err(Error::Keychain(KeychainError::Unavailable(why))) => {
                    eprintln!("privreg: the keychain cannot be used ({why}); using the passphrase");
                }
                Err(e) if e.kind() == "vault.wrong_passphrase" => {
                    eprintln!(
                        "privreg: the key in the keychain is out of date; using the passphrase"
                    );
                }
                Err(e) => return Err(e.into()),
            },
            Err(why) => {
                eprintln!("privreg: no keychain on this computer ({why}); using the passphrase")
            }
        }
    }
    let pass = passphrase_from_env_or_prompt("PRIVREG_PASSPHRASE", "Passphrase: ", false)?;
    Ok(Register::open(path, Unlock::Passphrase(&pass), clock)?)
}
