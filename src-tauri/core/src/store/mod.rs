//! The register file: one SQLCipher database holding everything. [`Register`] is the
//! one entry point for changes; every change writes its audit event in the same
//! transaction (see [`Register::write`]).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::SecondsFormat;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{Error, Result, VaultError};
use crate::keychain::Keychain;
use crate::secret::{new_salt, Passphrase, RawKey, RecoveryKey, SALT_LEN};

pub mod activities;
pub mod audit;
pub mod backup;
pub mod breaches;
pub mod changes;
pub mod clients;
pub mod controller;
pub mod erasure;
pub mod merge;
pub mod migrations;
pub mod notice;
pub mod notify;
pub mod overview;
pub mod processors;
pub mod requests;
pub mod retention;
pub mod search;
pub mod side_log;
pub mod subjects;
pub mod suppression;

/// `PRAGMA application_id` of a register file: "PREG".
pub const APPLICATION_ID: i32 = 0x5052_4547;
/// The id of an unencrypted register (it has no salt to be named by).
const UNENCRYPTED_ID: &str = "unencrypted";
const PAGE_SIZE: u64 = 4096;

/// How to unlock a register.
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    Passphrase(&'a Passphrase),
    /// The raw key, from the keychain.
    Key(&'a RawKey),
    Recovery(&'a RecoveryKey),
}

/// What a change runs with: the time and who did it.
pub(crate) struct Ctx<'a> {
    pub now: String,
    pub today: chrono::NaiveDate,
    pub actor: &'a str,
    /// The key of the suppression list's hashes.
    pub suppression: &'a suppression::SuppressionKey,
    /// The key of the audit events' text hashes.
    pub audit_text: &'a audit::AuditTextKey,
    /// The register's id (what journal lines and tags name).
    pub register: &'a str,
    /// Set while a journal is applied: its changes are not journaled again.
    pub replaying: std::cell::Cell<bool>,
    /// Set when the transaction kept a change for the journal (store/changes.rs).
    pub journal_pending: std::cell::Cell<bool>,
    /// The chain's head as this transaction last wrote it (saves a read per event).
    head: std::cell::RefCell<Option<(i64, String)>>,
}

impl Ctx<'_> {
    /// Appends an audit event in the transaction of the change.
    pub(crate) fn audit(&self, tx: &Connection, ev: audit::NewEvent) -> Result<()> {
        let head = self.head.borrow_mut().take();
        let event = audit::append(tx, &self.now, self.actor, &ev, head, self.audit_text)?;
        *self.head.borrow_mut() = Some((event.seq, event.hash));
        Ok(())
    }
}

/// The advisory lock of a register file: every program that has the register open
/// holds it shared (SQLite serialises their writes), and a restore takes it alone before
/// it swaps the file, so no file is ever replaced under a running app or `privreg`. It
/// is a file in this user's temporary folder named by a hash of the register's full
/// path (nothing is left beside the register), locked with the OS's file locks
/// (`flock`, `LockFileEx`), which are released when the register closes or the
/// program ends.
fn lock_path(path: &Path) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    let full = path.canonicalize().ok().or_else(|| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
        Some(parent.canonicalize().ok()?.join(path.file_name()?))
    })?;
    let dir = std::env::temp_dir().join("privacy-register-locks");
    fs::create_dir_all(&dir).ok()?;
    let digest = Sha256::digest(full.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{}.lock", hex::encode(&digest[..16]))))
}

fn open_lock_file(path: &Path) -> Option<fs::File> {
    let lock = lock_path(path)?;
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
        .ok()?;
    let _ = crate::files::restrict_to_owner(&lock);
    Some(file)
}

/// An open register's shared lock, and the note beside it that names this program, so
/// that a restore refused while the register is open can say who has it. The note is
/// locked by its writer while it is open; one nobody holds is left by a program that
/// ended without closing, and is removed.
pub(crate) struct OpenLock {
    _file: fs::File,
    note: Option<(PathBuf, fs::File)>,
}

impl Drop for OpenLock {
    fn drop(&mut self) {
        if let Some((path, _)) = &self.note {
            let _ = fs::remove_file(path);
        }
    }
}

/// How this program names itself to another that finds the register open.
fn this_program() -> String {
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = if stem == "privreg" {
        "privreg".to_string()
    } else {
        "Privacy Register".to_string()
    };
    format!("{name} (process {})", std::process::id())
}

fn note_path(lock: &Path) -> PathBuf {
    let mut name = lock.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.holder", std::process::id()));
    lock.with_file_name(name)
}

/// The programs whose notes say they have the register open (stale notes removed).
fn holders(path: &Path) -> String {
    let mut by = Vec::new();
    if let Some(lock) = lock_path(path) {
        let prefix = format!(
            "{}.",
            lock.file_name().unwrap_or_default().to_string_lossy()
        );
        if let Ok(dir) = fs::read_dir(lock.parent().unwrap_or(Path::new("."))) {
            for entry in dir.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if !(name.starts_with(&prefix) && name.ends_with(".holder")) {
                    continue;
                }
                let Ok(f) = fs::File::open(entry.path()) else {
                    continue;
                };
                if f.try_lock_shared().is_ok() {
                    // Nobody holds it: its program ended without closing.
                    drop(f);
                    let _ = fs::remove_file(entry.path());
                    continue;
                }
                if let Ok(text) = fs::read_to_string(entry.path()) {
                    let text: String = text.chars().take(80).collect();
                    if !text.trim().is_empty() {
                        by.push(text.trim().to_string());
                    }
                }
            }
        }
    }
    by.sort();
    if by.is_empty() {
        "Privacy Register / privreg".to_string()
    } else {
        by.join(", ")
    }
}

/// Takes the shared lock for an open register. A folder where no lock file can be made
/// (a read-only medium) opens without one.
fn lock_shared(path: &Path) -> Result<Option<OpenLock>> {
    let Some(file) = open_lock_file(path) else {
        return Ok(None);
    };
    match file.try_lock_shared() {
        Ok(()) => {
            let note = lock_path(path).and_then(|lock| {
                use std::io::Write;
                let p = note_path(&lock);
                let mut f = fs::File::create(&p).ok()?;
                let _ = crate::files::restrict_to_owner(&p);
                f.write_all(this_program().as_bytes()).ok()?;
                f.try_lock().ok()?;
                Some((p, f))
            });
            Ok(Some(OpenLock { _file: file, note }))
        }
        Err(fs::TryLockError::WouldBlock) => Err(VaultError::InUse {
            path: path.to_path_buf(),
            by: holders(path),
        }
        .into()),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// Takes the register's lock alone (for a restore), or says which program has it open.
pub(crate) fn lock_exclusive(path: &Path) -> Result<Option<fs::File>> {
    let Some(file) = open_lock_file(path) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Err(VaultError::InUse {
            path: path.to_path_buf(),
            by: holders(path),
        }
        .into()),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

pub struct Register {
    conn: Connection,
    path: PathBuf,
    id: String,
    /// `None` for an unencrypted register (benchmarks and byte-level tests only).
    key: Option<RawKey>,
    clock: Arc<dyn Clock>,
    actor: String,
    read_only: bool,
    /// What this session verified of the audit chain, and the stored checkpoint as it
    /// found it (see `verify_audit` and store/audit.rs).
    audit_session: std::sync::Mutex<audit::Session>,
    /// The shared open lock (see [`lock_shared`]); released on close.
    _lock: Option<OpenLock>,
    /// The key that signs the receipts journal, and the suppression list's key and the
    /// audit texts' key from it.
    journal_key: erasure::JournalKey,
    suppression_key: suppression::SuppressionKey,
    audit_text_key: audit::AuditTextKey,
    /// The key of the audit checkpoint's MAC, from the journal key too.
    checkpoint_key: audit::CheckpointKey,
    /// The check of every page still running in the background, when the register was
    /// opened so ([`Register::check_pages_in_background`]); writes wait for it.
    page_check: Option<Arc<PageCheck>>,
}

/// A check of every page's HMAC on a second, read-only connection of its own, in a
/// thread, while the register is read on the first (SQLCipher refuses every later read
/// on a connection that met a damaged page, so the check cannot share it).
#[derive(Debug, Default)]
struct PageCheck {
    /// The failed pages, once the check ended (or why it could not run).
    outcome: std::sync::Mutex<Option<Result<Vec<u32>>>>,
    done: std::sync::Condvar,
    /// Set as soon as the check found a damaged page.
    damaged: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Register {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Register")
            .field("path", &self.path)
            .field("id", &self.id)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// The register's id: the hex of the file's random 16-byte salt. It names the keychain
/// entry and is readable without the key.
pub fn register_id(path: &Path) -> Result<String> {
    Ok(hex::encode(read_salt(path)?))
}

fn read_salt(path: &Path) -> Result<[u8; SALT_LEN]> {
    let mut f = fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VaultError::Missing {
            path: path.to_path_buf(),
        },
        _ => VaultError::Io {
            op: "opening",
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let not_register = |reason| VaultError::NotARegister {
        path: path.to_path_buf(),
        reason,
    };
    if len < PAGE_SIZE {
        return Err(not_register("it is too small").into());
    }
    let mut salt = [0u8; SALT_LEN];
    f.read_exact(&mut salt).map_err(|e| VaultError::Io {
        op: "reading",
        path: path.to_path_buf(),
        source: e,
    })?;
    if &salt == b"SQLite format 3\0" {
        return Err(not_register("it is an unencrypted SQLite database").into());
    }
    if len % PAGE_SIZE != 0 {
        return Err(not_register("its size is not a whole number of pages").into());
    }
    Ok(salt)
}

fn now_string(clock: &dyn Clock) -> String {
    clock.now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn default_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "operator".to_string())
}

/// Page numbers from `PRAGMA cipher_integrity_check` rows such as
/// "HMAC verification failed for page 5".
fn failed_pages(conn: &Connection) -> Result<Vec<u32>> {
    let mut st = conn.prepare("PRAGMA cipher_integrity_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut pages = Vec::new();
    for row in rows {
        let line = row?;
        if let Some(idx) = line.find("page ") {
            let digits: String = line[idx + 5..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(p) = digits.parse::<u32>() {
                if !pages.contains(&p) {
                    pages.push(p);
                }
            }
        }
    }
    Ok(pages)
}

fn set_pragmas(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -65536;
         PRAGMA temp_store = MEMORY;
         PRAGMA wal_autocheckpoint = 8192;",
    )?;
    Ok(())
}

pub(crate) use crate::files::sync_dir;

/// What a new register file starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// Its creation time in `meta` and a `register.created` audit event.
    Created,
    /// Nothing but the schema: an import fills it, audit log included.
    Blank,
}

/// Builds a new register file under a temporary name and renames it into place, so a
/// crash never leaves a half-made register at `path`.
fn build_file(
    path: &Path,
    key: Option<(&RawKey, &[u8; SALT_LEN])>,
    clock: &dyn Clock,
    start: Start,
) -> Result<()> {
    if path.exists() {
        return Err(VaultError::AlreadyExists {
            path: path.to_path_buf(),
        }
        .into());
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".creating");
    let tmp = PathBuf::from(tmp);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
    {
        // Owner-only before SQLite opens it: its `-wal` file takes the same mode.
        crate::files::restrict_to_owner(&tmp)?;
        let mut conn = Connection::open(&tmp)?;
        if let Some((key, salt)) = key {
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
            conn.execute_batch(&key.pragma("key", Some(salt)))?;
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        set_pragmas(&conn)?;
        let now = now_string(clock);
        migrations::migrate(&mut conn, &now)?;
        if start == Start::Created {
            // The audit texts' key, as the register will derive it when it is opened.
            let id = key.map_or_else(|| UNENCRYPTED_ID.to_string(), |(_, salt)| hex::encode(salt));
            let journal_key = erasure::JournalKey::load(&conn, key.map(|(k, _)| k), &id)?;
            let text_key = audit::AuditTextKey::derive(journal_key.as_bytes());
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('created_at', ?1)",
                [&now],
            )?;
            audit::append(
                &tx,
                &now,
                &default_actor(),
                &audit::NewEvent::new("register.created", "register", None),
                None,
                &text_key,
            )?;
            tx.commit()?;
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        conn.close().map_err(|(_, e)| Error::from(e))?;
    }
    fs::rename(&tmp, path).map_err(|e| VaultError::Io {
        op: "renaming into place",
        path: path.to_path_buf(),
        source: e,
    })?;
    sync_dir(path);
    Ok(())
}

impl Register {
    /// Creates a new encrypted register at `path` (which must not exist) and returns it
    /// open, with the recovery key to show once.
    pub fn create(
        path: &Path,
        passphrase: &Passphrase,
        clock: Arc<dyn Clock>,
    ) -> Result<(Register, RecoveryKey)> {
        Register::create_as(path, passphrase, clock, Start::Created)
    }

    pub(crate) fn create_as(
        path: &Path,
        passphrase: &Passphrase,
        clock: Arc<dyn Clock>,
        start: Start,
    ) -> Result<(Register, RecoveryKey)> {
        passphrase.check_strength()?;
        let salt = new_salt();
        let key = RawKey::derive(passphrase, &salt);
        build_file(path, Some((&key, &salt)), clock.as_ref(), start)?;
        let reg = Register::open(path, Unlock::Key(&key), clock)?;
        Ok((reg, RecoveryKey::from_key(&key)))
    }

    /// An unencrypted register built by the same code, for benchmarks (what encryption
    /// costs) and tests that read the bytes on disk. Never offered to users.
    pub fn create_unencrypted(path: &Path, clock: Arc<dyn Clock>) -> Result<Register> {
        Register::create_unencrypted_as(path, clock, Start::Created)
    }

    pub(crate) fn create_unencrypted_as(
        path: &Path,
        clock: Arc<dyn Clock>,
        start: Start,
    ) -> Result<Register> {
        build_file(path, None, clock.as_ref(), start)?;
        Register::open_unencrypted(path, clock)
    }

    /// Opens a register made by [`Register::create_unencrypted`].
    pub fn open_unencrypted(path: &Path, clock: Arc<dyn Clock>) -> Result<Register> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Register::finish_open(conn, path, UNENCRYPTED_ID.into(), None, clock)
    }

    /// Opens and unlocks a register. A wrong key changes nothing on disk.
    pub fn open(path: &Path, unlock: Unlock, clock: Arc<dyn Clock>) -> Result<Register> {
        let salt = read_salt(path)?;
        let key = match unlock {
            Unlock::Passphrase(p) => RawKey::derive(p, &salt),
            Unlock::Key(k) => k.clone(),
            Unlock::Recovery(r) => r.key().clone(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&key.pragma("key", None))?;
        if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            return Err(match Error::from(e) {
                Error::Vault(VaultError::Damaged { .. }) => {
                    // A wrong key fails on every page; a right key on a damaged file only
                    // on the damaged ones.
                    let pages = failed_pages(&conn).unwrap_or_default();
                    let total =
                        fs::metadata(path).map(|m| m.len() / PAGE_SIZE).unwrap_or(0) as usize;
                    if !pages.is_empty() && pages.len() < total {
                        VaultError::Damaged { pages }.into()
                    } else {
                        VaultError::WrongKey.into()
                    }
                }
                other => other,
            });
        }
        Register::finish_open(conn, path, hex::encode(salt), Some(key), clock)
    }

    fn finish_open(
        mut conn: Connection,
        path: &Path,
        id: String,
        key: Option<RawKey>,
        clock: Arc<dyn Clock>,
    ) -> Result<Register> {
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(VaultError::NotARegister {
                path: path.to_path_buf(),
                reason: "it is an encrypted database of another program",
            }
            .into());
        }
        let lock = lock_shared(path)?;
        set_pragmas(&conn)?;
        migrations::migrate(&mut conn, &now_string(clock.as_ref()))?;
        let journal_key = erasure::JournalKey::load(&conn, key.as_ref(), &id)?;
        let suppression_key = suppression::SuppressionKey::derive(journal_key.as_bytes());
        let audit_text_key = audit::AuditTextKey::derive(journal_key.as_bytes());
        let checkpoint_key = audit::CheckpointKey::derive(journal_key.as_bytes());
        Ok(Register {
            conn,
            path: path.to_path_buf(),
            id,
            key,
            clock,
            actor: default_actor(),
            read_only: false,
            audit_session: std::sync::Mutex::new(audit::Session::default()),
            _lock: lock,
            journal_key,
            suppression_key,
            audit_text_key,
            checkpoint_key,
            page_check: None,
        })
    }

    /// Opens with the key kept in this computer's keychain.
    pub fn open_with_keychain(
        path: &Path,
        keychain: &dyn Keychain,
        clock: Arc<dyn Clock>,
    ) -> Result<Register> {
        let key = keychain.load(&register_id(path)?)?;
        Register::open(path, Unlock::Key(&key), clock)
    }

    pub fn remember_in_keychain(&self, keychain: &dyn Keychain) -> Result<()> {
        let key = self.key.as_ref().ok_or(VaultError::NotEncrypted)?;
        Ok(keychain.store(&self.id, key)?)
    }

    pub fn forget_in_keychain(&self, keychain: &dyn Keychain) -> Result<()> {
        Ok(keychain.forget(&self.id)?)
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn is_read_only(&self) -> bool {
        self.read_only
            || self
                .page_check
                .as_ref()
                .is_some_and(|c| c.damaged.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// Starts checking every page's HMAC in a background thread, on a read-only
    /// connection of its own, and returns at once: for a large file, whose check takes
    /// seconds (about 15 s at a million people), so that it can be read meanwhile.
    /// Nothing is written until the check has passed: [`Register::write`] waits for it,
    /// and a damaged file turns read-only, as [`Register::check_pages`] makes it.
    pub fn check_pages_in_background(&mut self) -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        if let Some(key) = &self.key {
            conn.execute_batch(&key.pragma("key", None))?;
        }
        let check = Arc::new(PageCheck::default());
        let shared = check.clone();
        std::thread::Builder::new()
            .name("privreg-page-check".into())
            .spawn(move || {
                let outcome = failed_pages(&conn);
                drop(conn);
                if matches!(&outcome, Ok(pages) if !pages.is_empty()) {
                    shared
                        .damaged
                        .store(true, std::sync::atomic::Ordering::SeqCst);
                }
                *shared.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
                shared.done.notify_all();
            })
            .map_err(|source| VaultError::Io {
                op: "checking",
                path: self.path.clone(),
                source,
            })?;
        self.page_check = Some(check);
        Ok(())
    }

    /// Whether a background check of the pages ([`Register::check_pages_in_background`])
    /// is still running.
    pub fn page_check_running(&self) -> bool {
        self.page_check.as_ref().is_some_and(|c| {
            c.outcome
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_none()
        })
    }

    /// Waits for the background check of the pages, if one runs, and returns the pages
    /// it found damaged (the register is then read-only). A check that could not run
    /// leaves the register read-only too, and says why.
    pub fn finish_page_check(&mut self) -> Result<Vec<u32>> {
        let Some(check) = self.page_check.take() else {
            return Ok(Vec::new());
        };
        let mut outcome = check.outcome.lock().unwrap_or_else(|p| p.into_inner());
        while outcome.is_none() {
            outcome = check.done.wait(outcome).unwrap_or_else(|p| p.into_inner());
        }
        match outcome.take().expect("the check ended") {
            Ok(pages) => {
                if !pages.is_empty() {
                    self.read_only = true;
                }
                Ok(pages)
            }
            Err(e) => {
                self.read_only = true;
                Err(e)
            }
        }
    }
    /// Who changes are attributed to in the audit log (default: the OS user name).
    pub fn set_actor(&mut self, actor: &str) {
        if !actor.trim().is_empty() {
            self.actor = actor.trim().to_string();
        }
    }
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Read access for the query modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The suppression list's key, for looking a person up outside a write.
    pub(crate) fn suppression_key(&self) -> &suppression::SuppressionKey {
        &self.suppression_key
    }

    /// Runs `f` in one immediate transaction with a context for audit events; commits
    /// only if `f` succeeds. Refused when the file is damaged. Private to the core: other
    /// crates change the register through its named verbs only (a tidy check in
    /// `tests/tidy.sh` keeps SQL and audit appends out of them).
    ///
    /// The same transaction stores the audit checkpoint when this session verified the
    /// chain beyond the stored one (see store/audit.rs, "The checkpoint"): it commits or
    /// rolls back with the change. Storing it can only fail into a longer first check
    /// next session, never into a refused change.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &Ctx) -> Result<T>,
    ) -> Result<T> {
        // Nothing is written to a file whose pages are still being checked.
        if self.page_check.is_some() {
            let _ = self.finish_page_check();
        }
        if self.read_only {
            return Err(VaultError::ReadOnly.into());
        }
        let now = self.clock.now();
        let ctx = Ctx {
            now: now.to_rfc3339_opts(SecondsFormat::Micros, true),
            today: self.clock.today(),
            actor: &self.actor,
            suppression: &self.suppression_key,
            audit_text: &self.audit_text_key,
            register: &self.id,
            replaying: std::cell::Cell::new(false),
            journal_pending: std::cell::Cell::new(false),
            head: std::cell::RefCell::new(None),
        };
        let checkpoint = self
            .audit_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .to_store();
        let checkpoint_key = &self.checkpoint_key;
        let mut checkpoint_stored = false;
        let result: Result<T> = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx, &ctx)?;
            if let Some((events, hash)) = &checkpoint {
                checkpoint_stored =
                    audit::store_checkpoint(&tx, checkpoint_key, *events, hash).is_ok();
            }
            tx.commit()?;
            Ok(value)
        })();
        if let (Ok(_), true, Some((events, _))) = (&result, checkpoint_stored, &checkpoint) {
            self.audit_session
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .stored = *events;
        }
        let journal = result.is_ok() && ctx.journal_pending.get();
        drop(ctx);
        if let Err(e) = &result {
            if e.is_damage() {
                self.read_only = true;
            }
        }
        if journal {
            // Best effort, as for receipts: the next backup writes what this misses.
            let _ = self.journal_changes();
        }
        result
    }

    /// Checks every page's HMAC. Damage makes the register read-only and is returned as
    /// [`VaultError::Damaged`] with the pages.
    pub fn check_pages(&mut self) -> Result<()> {
        let pages = failed_pages(&self.conn)?;
        if pages.is_empty() {
            Ok(())
        } else {
            self.read_only = true;
            Err(VaultError::Damaged { pages }.into())
        }
    }

    /// The full check: every page's HMAC, SQLite's structure and the whole audit chain,
    /// with the texts of the events written under this register's key (see
    /// `store/audit.rs`), and the stored audit checkpoint's state (read, never used).
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.verify_with_head(None)
    }

    /// As [`Register::verify`], and with `head`, the audit chain's head an earlier
    /// report printed, the answer to whether the history up to that report was
    /// rewritten ([`VerifyReport::head`]; `privreg verify --head`, `--against`).
    pub fn verify_with_head(&mut self, head: Option<&audit::PrintedHead>) -> Result<VerifyReport> {
        let damaged_pages = failed_pages(&self.conn)?;
        let mut structure = Vec::new();
        match self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut st| {
                st.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            }) {
            Ok(lines) => structure.extend(lines.into_iter().filter(|l| l != "ok")),
            Err(e) => structure.push(format!(
                "the structure could not be checked: {}",
                Error::from(e)
            )),
        }
        let (audit, audit_error) = match self.walk_whole_chain() {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let head = match (&audit, head) {
            (Some(chain), Some(head)) => Some(audit::check_head(&self.conn, chain.clone(), head)?),
            _ => None,
        };
        let report = VerifyReport {
            damaged_pages,
            structure,
            audit,
            audit_error,
            head,
        };
        if !report.damaged_pages.is_empty() || !report.structure.is_empty() {
            self.read_only = true;
        }
        Ok(report)
    }

    /// Changes the passphrase: the file is re-encrypted with the new key and the old
    /// passphrase and the old recovery key stop working. Returns the new recovery key.
    pub fn change_passphrase(&mut self, current: Unlock, new: &Passphrase) -> Result<RecoveryKey> {
        self.change_passphrase_from(current, new).map(|(k, _)| k)
    }

    /// As [`Register::change_passphrase`], and also gives the old key (to re-key the
    /// backups with, see [`crate::opening::change_passphrase`]).
    pub(crate) fn change_passphrase_from(
        &mut self,
        current: Unlock,
        new: &Passphrase,
    ) -> Result<(RecoveryKey, RawKey)> {
        // A re-key rewrites every page: never under a check still reading them.
        let _ = self.finish_page_check();
        if self.read_only {
            return Err(VaultError::ReadOnly.into());
        }
        new.check_strength()?;
        let salt: [u8; SALT_LEN] = hex::decode(&self.id)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or(VaultError::WrongKey)?;
        let given = match current {
            Unlock::Passphrase(p) => RawKey::derive(p, &salt),
            Unlock::Key(k) => k.clone(),
            Unlock::Recovery(r) => r.key().clone(),
        };
        if Some(&given) != self.key.as_ref() {
            return Err(VaultError::WrongKey.into());
        }
        let new_key = RawKey::derive(new, &salt);
        // The journal key stays what it was (it is derived from the old key otherwise).
        self.keep_journal_key()?;
        // SQLCipher re-keys in rollback-journal mode; the journal makes it crash-safe.
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        let rekeyed = self.conn.execute_batch(&new_key.pragma("rekey", None));
        self.conn.execute_batch("PRAGMA journal_mode = WAL;")?;
        rekeyed?;
        self.key = Some(new_key);
        self.write(|tx, ctx| {
            ctx.audit(
                tx,
                audit::NewEvent::new("register.passphrase_changed", "register", None),
            )
        })?;
        Ok((
            RecoveryKey::from_key(self.key.as_ref().expect("set above")),
            given,
        ))
    }

    /// Folds the write-ahead log into the file and empties it.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Locks: checkpoints, closes the file and forgets the key.
    /// Stores the audit checkpoint this session verified when it is beyond the stored
    /// one, which a write does anyway (see `write`): for a session that only read, so
    /// the next one's first check starts from it too. Not while the pages are still
    /// being checked (closing never waits for that), nor on a read-only register.
    /// True if it stored one.
    pub fn store_audit_checkpoint(&mut self) -> Result<bool> {
        let due = self
            .audit_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .to_store()
            .is_some();
        if !due || self.is_read_only() || self.page_check_running() {
            return Ok(false);
        }
        self.write(|_, _| Ok(()))?;
        Ok(true)
    }

    pub fn close(mut self) -> Result<()> {
        let _ = self.store_audit_checkpoint();
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        self.conn.close().map_err(|(_, e)| Error::from(e))
    }

    pub fn audit_log(&self, filter: audit::Filter, limit: u32) -> Result<Vec<audit::AuditEvent>> {
        audit::list(&self.conn, filter, limit)
    }
}

/// The result of [`Register::verify`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Pages whose HMAC failed: the file was changed or damaged on disk.
    pub damaged_pages: Vec<u32>,
    /// Problems SQLite's `integrity_check` found.
    pub structure: Vec<String>,
    pub audit: Option<audit::AuditCheck>,
    pub audit_error: Option<String>,
    /// The comparison with an earlier report's head, when one was given
    /// ([`Register::verify_with_head`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<audit::HeadCheck>,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.damaged_pages.is_empty()
            && self.structure.is_empty()
            && self.audit_error.is_none()
            && self.audit.as_ref().is_some_and(|a| {
                // A checkpoint whose event has another hash now: the history before it
                // was rewritten since it was written (see store/audit.rs).
                let rewritten = a
                    .checkpoint
                    .as_ref()
                    .is_some_and(|c| c.state == audit::CheckpointState::Changed);
                a.first_broken.is_none() && !rewritten
            })
            && self.head.as_ref().is_none_or(|h| h.is_intact())
    }
}

impl Register {
    /// Checks the audit chain only (cheaper than [`Register::verify`]), and the texts as
    /// [`Register::verify`] does. The first check of a session starts from the stored
    /// checkpoint (store/audit.rs, "The checkpoint"): its MAC must verify and the event it
    /// names must still have its hash, and every event after it is verified in full; a
    /// checkpoint that is absent, cannot be trusted or no longer matches makes it walk
    /// the whole chain, and [`audit::AuditCheck::checkpoint`] says which. Later checks of
    /// the session start from the head the last one found (that event must still be
    /// there with the same hash). So the overview and the reports stay fast in a
    /// register with a million events. [`Register::verify`] (`privreg verify`) and
    /// [`Register::check_head`] always walk the whole chain; a broken chain is checked
    /// again from the checkpoint on by the next check.
    pub fn verify_audit(&self) -> Result<audit::AuditCheck> {
        let mut session = self.audit_session.lock().unwrap_or_else(|p| p.into_inner());
        let (start, checkpoint) = match session.verified.clone() {
            Some(known) => (Some(known), session.checkpoint.clone()),
            None => {
                let (mut found, start) = audit::read_checkpoint(&self.conn, &self.checkpoint_key)?;
                found.used = start.is_some();
                session.stored = if start.is_some() { found.events } else { 0 };
                session.checkpoint = Some(found.clone());
                (start, Some(found))
            }
        };
        let mut check =
            audit::verify_since(&self.conn, start.as_ref(), Some(&self.audit_text_key))?;
        check.checkpoint = checkpoint;
        session.verified = match &check.first_broken {
            None => Some((check.events, check.head_hash.clone())),
            Some(_) => None,
        };
        Ok(check)
    }

    /// Walks the whole chain (the stored checkpoint read and reported, not used); an
    /// intact chain's head becomes what this session verified.
    fn walk_whole_chain(&self) -> Result<audit::AuditCheck> {
        let (found, _) = audit::read_checkpoint(&self.conn, &self.checkpoint_key)?;
        let mut check = audit::verify(&self.conn, Some(&self.audit_text_key))?;
        if check.first_broken.is_none() {
            let mut session = self.audit_session.lock().unwrap_or_else(|p| p.into_inner());
            session.stored = if found.state == audit::CheckpointState::Valid {
                found.events
            } else {
                0
            };
            session.verified = Some((check.events, check.head_hash.clone()));
            session.checkpoint = Some(found.clone());
        }
        check.checkpoint = Some(found);
        Ok(check)
    }

    /// Whether the history up to an earlier report was rewritten: walks the whole chain
    /// (never from the checkpoint, which whoever holds the register's key could rewrite
    /// along with the events) and compares event COUNT with the hash the report printed
    /// ([`audit::PrintedHead`]). The overview's "Check against an earlier report".
    pub fn check_head(&self, head: &audit::PrintedHead) -> Result<audit::HeadCheck> {
        let chain = self.walk_whole_chain()?;
        audit::check_head(&self.conn, chain, head)
    }

    /// Removes the stored audit checkpoint and forgets what this session verified, so
    /// that the next check walks the whole chain (the benchmark's "without").
    pub(crate) fn forget_audit_checkpoint(&self) -> Result<()> {
        audit::forget_checkpoint(&self.conn)?;
        *self.audit_session.lock().unwrap_or_else(|p| p.into_inner()) = audit::Session::default();
        Ok(())
    }
}
