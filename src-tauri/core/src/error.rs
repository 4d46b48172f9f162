//! Errors. One enum per concern, gathered in [`Error`]. Messages are lower case, name
//! what failed, and never contain personal data: a field is named, its value is not.
//! [`Error::kind`] gives a stable code the UI translates.

use std::path::PathBuf;

use crate::model::Id;

/// A value that does not pass validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {problem}")]
pub struct InputError {
    field: String,
    problem: String,
}

impl InputError {
    pub fn invalid(field: &str, problem: impl Into<String>) -> Self {
        InputError {
            field: field.to_string(),
            problem: problem.into(),
        }
    }
    /// The field that failed, e.g. `email` or `data_categories`.
    pub fn field(&self) -> &str {
        &self.field
    }
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

pub type InputResult<T> = std::result::Result<T, InputError>;

/// Opening, creating and re-keying the encrypted file.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the passphrase or key does not open this register")]
    WrongKey,
    #[error("{path} is not a Privacy Register file: {reason}")]
    NotARegister { path: PathBuf, reason: &'static str },
    #[error("the register file is damaged: {}; nothing was written", describe_pages(.pages))]
    Damaged { pages: Vec<u32> },
    #[error("the register file is damaged and opened read-only; changes are refused")]
    ReadOnly,
    #[error("the register was made by a newer version (schema {found}, this program knows up to {supported})")]
    NewerVersion { found: i64, supported: i64 },
    #[error("{path} already exists")]
    AlreadyExists { path: PathBuf },
    #[error("{path} does not exist")]
    Missing { path: PathBuf },
    #[error("the passphrase is too short: use at least {min} characters")]
    WeakPassphrase { min: usize },
    #[error("this register is not encrypted")]
    NotEncrypted,
    #[error("{path} is open in another program ({by}); close it there first")]
    InUse {
        path: PathBuf,
        /// The programs that have it open, as they named themselves ("privreg
        /// (process 4711)"), or "Privacy Register / privreg" when none could be read.
        by: String,
    },
    #[error("the recovery key is not valid: {0}")]
    BadRecoveryKey(&'static str),
    #[error("{op} {path}: {source}")]
    Io {
        op: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn describe_pages(pages: &[u32]) -> String {
    match pages {
        [] => "the database structure is inconsistent".to_string(),
        [p] => format!("page {p} failed its integrity check"),
        [first, ..] => format!(
            "{} pages failed their integrity check, the first is page {first}",
            pages.len()
        ),
    }
}

/// The OS keychain (Keychain on macOS, Credential Manager on Windows, Secret Service on Linux).
#[derive(Debug, Clone, thiserror::Error)]
pub enum KeychainError {
    #[error("no keychain is available on this computer ({0}); use the passphrase")]
    Unavailable(String),
    #[error("this register's key is not in the keychain of this computer")]
    NoEntry,
}

/// Getting data in and out: CSV files and the JSON export.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("the CSV file cannot be read: {0}")]
    Csv(String),
    #[error("the file is larger than {max_mb} MB")]
    TooLarge { max_mb: usize },
    #[error("{op} {path}: {source}")]
    Io {
        op: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the import was cancelled; nothing was written")]
    Cancelled,
    #[error("the file was exported by a newer version of Privacy Register (format {found}; this program reads formats up to {supported}); update the program to import it")]
    NewerFormat { found: u64, supported: u64 },
    #[error("not a Privacy Register export: {0}")]
    NotAnExport(String),
    #[error("the export file cannot be imported: {0}")]
    BadExport(String),
}

/// The crate-level error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: Id },
    #[error("{entity} {id} is still in use by {users}")]
    InUse {
        entity: &'static str,
        id: Id,
        users: String,
    },
    #[error("subject {id} is restricted (Art. 18): its data is frozen")]
    Restricted { id: Id },
    #[error("{entity} {id} is under a legal hold: its data must be kept")]
    OnHold { entity: &'static str, id: Id },
    #[error("this person was {}; add them again only with a reason", .0.describe())]
    Suppressed(crate::store::suppression::Suppression),
    #[error("database error: {0}")]
    Sql(#[source] rusqlite::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
}

impl Error {
    /// A stable code for the UI and scripts, e.g. `vault.wrong_passphrase`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Input(_) => "input.invalid",
            Error::Vault(v) => match v {
                VaultError::WrongKey => "vault.wrong_passphrase",
                VaultError::NotARegister { .. } => "vault.not_a_register",
                VaultError::Damaged { .. } => "vault.damaged",
                VaultError::ReadOnly => "vault.read_only",
                VaultError::NewerVersion { .. } => "vault.newer_version",
                VaultError::AlreadyExists { .. } => "vault.exists",
                VaultError::Missing { .. } => "vault.missing",
                VaultError::WeakPassphrase { .. } => "vault.weak_passphrase",
                VaultError::BadRecoveryKey(_) => "vault.bad_recovery_key",
                VaultError::NotEncrypted => "vault.not_encrypted",
                VaultError::InUse { .. } => "vault.in_use",
                VaultError::Io { .. } => "vault.io",
            },
            Error::Keychain(KeychainError::Unavailable(_)) => "keychain.unavailable",
            Error::Keychain(KeychainError::NoEntry) => "keychain.no_entry",
            Error::Transfer(t) => match t {
                TransferError::Csv(_) => "transfer.csv",
                TransferError::TooLarge { .. } => "transfer.too_large",
                TransferError::Io { .. } => "transfer.io",
                TransferError::Cancelled => "transfer.cancelled",
                TransferError::NewerFormat { .. } => "transfer.newer_format",
                TransferError::NotAnExport(_) => "transfer.not_an_export",
                TransferError::BadExport(_) => "transfer.bad_export",
            },
            Error::NotFound { .. } => "not_found",
            Error::InUse { .. } => "in_use",
            Error::Restricted { .. } => "subject.restricted",
            Error::Suppressed(_) => "subject.suppressed",
            Error::OnHold { .. } => "retention.on_hold",
            Error::Sql(_) => "storage.sql",
            Error::Corrupt(_) => "storage.corrupt",
        }
    }

    /// Details the UI may show next to the message: the field, the pages. Never values.
    pub fn details(&self) -> serde_json::Value {
        match self {
            Error::Input(e) => serde_json::json!({ "field": e.field(), "problem": e.problem() }),
            Error::Vault(VaultError::Damaged { pages }) => serde_json::json!({ "pages": pages }),
            Error::Vault(VaultError::WeakPassphrase { min }) => serde_json::json!({ "min": min }),
            Error::Vault(VaultError::InUse { by, .. }) => serde_json::json!({ "by": by }),
            Error::Vault(VaultError::NewerVersion { found, supported }) => {
                serde_json::json!({ "found": found, "supported": supported })
            }
            Error::Transfer(TransferError::NewerFormat { found, supported }) => {
                serde_json::json!({ "found": found, "supported": supported })
            }
            Error::NotFound { entity, id } => serde_json::json!({ "entity": entity, "id": id }),
            Error::InUse { entity, id, .. } => serde_json::json!({ "entity": entity, "id": id }),
            Error::OnHold { entity, id } => serde_json::json!({ "entity": entity, "id": id }),
            Error::Restricted { id } => serde_json::json!({ "entity": "subject", "id": id }),
            Error::Suppressed(s) => serde_json::json!({
                "reason": s.reason,
                "on": s.on,
                "receipt": s.receipt_id.as_deref().map(crate::store::suppression::short_receipt),
            }),
            _ => serde_json::Value::Null,
        }
    }

    /// True when the file itself is damaged (as opposed to a wrong key or bad input).
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            Error::Vault(VaultError::Damaged { .. } | VaultError::ReadOnly)
        )
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                Error::Vault(VaultError::Damaged { pages: Vec::new() })
            }
            _ => Error::Sql(e),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde_json's message names the position and the expected type, not the data.
        Error::Corrupt(e.to_string())
    }
}

impl From<crate::files::FileError> for TransferError {
    fn from(e: crate::files::FileError) -> Self {
        TransferError::Io {
            op: e.op,
            path: e.path,
            source: e.source,
        }
    }
}

impl From<crate::files::FileError> for Error {
    fn from(e: crate::files::FileError) -> Self {
        Error::Transfer(e.into())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
