//! Keeping a register's key in the operating system's keychain, so that the owner's own
//! computer unlocks it without typing. The entry is named by the register's id (the
//! file's random salt), so it follows the file when it is moved or renamed.
//!
//! [`SystemKeychain`] goes through `keyring-core`'s default store: the shell and the CLI
//! install the platform store at start-up (`keyring`'s v1 feature); tests install
//! `keyring_core::mock::Store`. Without any store, or without a running Secret Service
//! on Linux, every call says [`KeychainError::Unavailable`] and callers fall back to
//! the passphrase.

use crate::error::KeychainError;
use crate::secret::RawKey;

pub const SERVICE: &str = "no.privacyregister.register-key";

pub trait Keychain: Send + Sync {
    fn load(&self, register_id: &str) -> Result<RawKey, KeychainError>;
    fn store(&self, register_id: &str, key: &RawKey) -> Result<(), KeychainError>;
    /// Removes the entry; removing an entry that is not there is not an error.
    fn forget(&self, register_id: &str) -> Result<(), KeychainError>;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemKeychain;

fn entry(register_id: &str) -> Result<keyring_core::Entry, KeychainError> {
    keyring_core::Entry::new(SERVICE, register_id).map_err(map_err)
}

fn map_err(e: keyring_core::Error) -> KeychainError {
    match e {
        keyring_core::Error::NoEntry => KeychainError::NoEntry,
        keyring_core::Error::NoDefaultStore => {
            KeychainError::Unavailable("no credential store".into())
        }
        // Platform messages describe the store ("no such interface", "locked"), not secrets.
        other => KeychainError::Unavailable(other.to_string()),
    }
}

impl Keychain for SystemKeychain {
    fn load(&self, register_id: &str) -> Result<RawKey, KeychainError> {
        let secret = zeroize::Zeroizing::new(entry(register_id)?.get_secret().map_err(map_err)?);
        RawKey::from_bytes(&secret)
            .ok_or_else(|| KeychainError::Unavailable("the stored key has the wrong length".into()))
    }
    fn store(&self, register_id: &str, key: &RawKey) -> Result<(), KeychainError> {
        entry(register_id)?
            .set_secret(key.as_bytes())
            .map_err(map_err)
    }
    fn forget(&self, register_id: &str) -> Result<(), KeychainError> {
        match entry(register_id)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

/// Installs the in-memory mock store as `keyring-core`'s default, once per process (so
/// tests running in parallel share one store); for tests.
pub fn use_mock_store() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        if let Ok(store) = keyring_core::mock::Store::new() {
            keyring_core::set_default_store(store);
        }
    });
}
