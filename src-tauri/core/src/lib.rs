//! Privacy Register's core: the domain model of a GDPR register, its encrypted storage
//! (SQLCipher), the hash-chained audit log and search. It knows nothing of Tauri or of
//! any user interface; the desktop shell and the `privreg` CLI are thin layers over it.
//!
//! Paths, secrets and the clock come in as arguments. Personal data never appears in
//! errors or `Debug` output.

pub mod bench;
pub mod clock;
pub mod deadline;
pub mod demo;
pub mod error;
pub mod files;
pub mod keychain;
pub mod labels;
pub mod lang;
pub mod model;
pub mod opening;
pub mod secret;
pub mod store;
pub mod templates;
pub mod transfer;
pub mod vocab;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, InputError, KeychainError, Result, TransferError, VaultError};
pub use lang::Lang;
pub use secret::{Passphrase, RawKey, RecoveryKey};
pub use store::audit::{
    AuditCheck, AuditEvent, Checkpoint, CheckpointState, Filter as AuditFilter, HeadCheck,
    HeadOutcome, PrintedHead,
};
pub use store::erasure::{ErasureReceipt, ErasureSummary, ErasureTrigger};
pub use store::subjects::{SubjectPage, SubjectSort, SubjectSummary, SubjectView};
pub use store::{register_id, Register, Unlock, VerifyReport};
