//! The CSV file being imported, held between the import wizard's commands: read once in
//! Rust, kept until the wizard closes or the register locks. The state holds it (and
//! clears it on lock); `transfer_commands` fills and reads it.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

use privreg_core::transfer::CsvTable;

pub(crate) struct LoadedCsv {
    pub(crate) path: PathBuf,
    pub(crate) table: CsvTable,
}

/// The CSV file being imported, and the cancel switch of a running check or import.
#[derive(Default)]
pub struct CsvFiles {
    loaded: Mutex<Option<LoadedCsv>>,
    pub(crate) cancel: AtomicBool,
}

impl CsvFiles {
    pub(crate) fn loaded(&self) -> MutexGuard<'_, Option<LoadedCsv>> {
        self.loaded.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets the file's rows (on close, lock and leaving the wizard).
    pub fn clear(&self) {
        *self.loaded() = None;
    }
}
