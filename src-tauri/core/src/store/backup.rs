//! Backups and restore.
//!
//! A backup is a copy of the encrypted register made with SQLite's online backup API,
//! under the same key and salt, so it opens with the same passphrase (and recovery key)
//! as the register had when the copy was made. It is written as `.NAME.partial` in the
//! chosen folder, verified (it opens with the key, every page's HMAC and SQLite's
//! integrity check pass, the row counts match the register's), synced, and only then
//! renamed to `NAME`: a crash leaves either no backup or a whole one. Backups are named
//! `<register>-backup-<UTC time>.privreg`, so names sort by age.
//!
//! The folder also holds the erasure receipts journal (see [`super::erasure`]): each
//! backup brings it up to date, and the register appends to it after every erasure.
//!
//! Restoring copies a backup to a temporary file next to the target, opens it with the
//! passphrase (or the recovery key), checks it, and re-applies every erasure receipt it
//! has not applied (from the journal beside the backup, the one in the backup folder it
//! remembers, any journals given, and the register being replaced when it still
//! opens), so erased subjects stay erased. A restore that finds no journal and no
//! register to replace refuses unless the user confirms that none exists. Only then is
//! the result renamed into place. A register that is replaced is kept beside it as
//! `<name>.before-restore` (then `-2`, `-3`..., with its `-wal` and `-shm`), never
//! deleted.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::audit::NewEvent;
use super::erasure::{apply_entries, receipts_with_tags, JournalCheck, JournalEntry, JOURNAL_FILE};
use super::{read_salt, sync_dir, Register, Unlock};
use crate::clock::Clock;
use crate::error::{Error, InputError, Result, VaultError};
use crate::secret::RawKey;

/// How many automatic backups are kept unless told otherwise.
pub const DEFAULT_KEEP: usize = 10;

/// Row counts compared between a register and its backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCounts {
    pub activities: i64,
    pub processors: i64,
    pub subjects: i64,
    pub records: i64,
    pub consent_events: i64,
    pub requests: i64,
    pub erasure_receipts: i64,
    pub audit_events: i64,
}

fn counts(conn: &Connection) -> Result<BackupCounts> {
    let n = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupCounts {
        activities: n("activities")?,
        processors: n("processors")?,
        subjects: n("subjects")?,
        records: n("records")?,
        consent_events: n("consent_events")?,
        requests: n("requests")?,
        erasure_receipts: n("erasure_receipts")?,
        audit_events: n("audit_events")?,
    })
}

/// A backup written and verified.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub taken_at: DateTime<Utc>,
    pub bytes: u64,
    pub counts: BackupCounts,
    /// Receipts written to the folder's journal by this backup.
    pub journal_added: usize,
    /// Older automatic backups removed to keep the last N.
    pub pruned: Vec<PathBuf>,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RestoreReport {
    pub backup: PathBuf,
    pub restored_to: PathBuf,
    /// When the backup was taken (from inside it).
    pub backup_taken_at: Option<DateTime<Utc>>,
    /// Receipts whose subject the backup still held: erased again.
    pub reapplied: Vec<String>,
    /// Receipts of subjects the backup never held: recorded.
    pub recorded: Vec<String>,
    /// Later deletions, anonymisations and rectifications applied again.
    pub changes: usize,
    /// Later rectifications the backup could not open (older than the person's key).
    pub unopened: usize,
    /// What reading the journals found (lines cut short, changed or missing).
    pub journal: JournalCheck,
    /// Where the register that was replaced now is.
    pub replaced: Option<PathBuf>,
}

fn io(op: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |e| {
        VaultError::Io {
            op,
            path,
            source: e,
        }
        .into()
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_with_sidecars(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(with_suffix(path, suffix));
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn stem(register: &Path) -> String {
    register
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "register".to_string())
}

/// Opens a copy with the register's key: `None` for an unencrypted register.
fn open_keyed(path: &Path, key: Option<&RawKey>, salt: Option<&[u8; 16]>) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if let Some(key) = key {
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&key.pragma("key", salt))?;
    }
    Ok(conn)
}

/// Opens the written copy and checks it: pages, structure, counts. Leaves it as one
/// self-contained file (rollback journal, not WAL).
fn verify_copy(path: &Path, key: Option<&RawKey>, expected: &BackupCounts) -> Result<()> {
    let damaged = || -> Error { VaultError::Damaged { pages: Vec::new() }.into() };
    let conn = open_keyed(path, key, None)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(damaged());
    }
    if key.is_some() && !super::failed_pages(&conn)?.is_empty() {
        return Err(damaged());
    }
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(damaged());
    }
    if &counts(&conn)? != expected {
        return Err(Error::Corrupt(
            "the backup's row counts differ from the register's".into(),
        ));
    }
    conn.close().map_err(|(_, e)| Error::from(e))?;
    Ok(())
}

/// What a passphrase change did to the backups in the register's backup folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupsRekeyed {
    /// The backup folder, when the register has one.
    pub dir: Option<PathBuf>,
    /// Backups re-encrypted with the new key: they no longer open with the old
    /// passphrase or the old recovery key.
    pub rekeyed: usize,
    /// Backups that open with neither the old key nor the new one (made before an
    /// earlier passphrase change, say), or that could not be written: left as they are.
    pub failed: Vec<PathBuf>,
}

/// Re-encrypts one backup from `old` to `new` (the salt stays, so the register id and
/// the new passphrase fit it). `false` when it already has the new key. SQLCipher
/// re-keys in rollback-journal mode, which makes it all or nothing on a crash.
fn rekey_file(path: &Path, old: &RawKey, new: &RawKey) -> Result<bool> {
    let opens = |key: &RawKey| -> Result<Option<Connection>> {
        let conn = open_keyed(path, Some(key), None)?;
        let ok = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .is_ok();
        Ok(ok.then_some(conn))
    };
    if let Some(conn) = opens(new)? {
        conn.close().map_err(|(_, e)| Error::from(e))?;
        return Ok(false);
    }
    let conn = opens(old)?.ok_or(VaultError::WrongKey)?;
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    conn.execute_batch(&new.pragma("rekey", None))?;
    conn.close().map_err(|(_, e)| Error::from(e))?;
    Ok(true)
}

/// Backups of the register `id` in `dir` made by this program, oldest first.
pub fn list_backups(dir: &Path, register: &Path, id: &str) -> Result<Vec<PathBuf>> {
    let prefix = format!("{}-backup-", stem(register));
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io("reading", dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".privreg"))
        })
        .filter(|p| super::register_id(p).ok().as_deref() == Some(id) || id == "unencrypted")
        .collect();
    found.sort();
    Ok(found)
}

impl Register {
    /// Writes a verified backup into `dir` (made if missing) and brings the receipts
    /// journal there up to date. The folder is remembered for the journal.
    pub fn backup(&mut self, dir: &Path) -> Result<BackupInfo> {
        fs::create_dir_all(dir).map_err(io("creating", dir))?;
        if !dir.is_dir() {
            return Err(InputError::invalid("backup_dir", "not a folder").into());
        }
        let dir = dir.canonicalize().map_err(io("opening", dir))?;
        let taken = self.clock().now();
        let taken_s = taken.to_rfc3339_opts(SecondsFormat::Micros, true);
        let base = format!("{}-backup-{}", stem(self.path()), stamp(taken));
        let mut name = format!("{base}.privreg");
        let mut n = 2;
        while dir.join(&name).exists() {
            name = format!("{base}-{n}.privreg");
            n += 1;
        }
        let target = dir.join(&name);
        let partial = dir.join(format!(".{name}.partial"));
        remove_with_sidecars(&partial);

        // The copy carries the journal key, and the time it was taken.
        self.keep_journal_key()?;
        let dir_s = dir.to_string_lossy().to_string();
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('backup_taken_at', ?1), ('backup_dir', ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&taken_s, &dir_s],
            )?;
            Ok(())
        })?;
        self.checkpoint()?;
        let expected = counts(self.conn())?;
        let salt: Option<[u8; 16]> = match &self.key {
            Some(_) => Some(read_salt(self.path())?),
            None => None,
        };
        let result = (|| -> Result<()> {
            crate::files::restrict_to_owner(&partial)?;
            let mut dest = open_keyed(&partial, self.key.as_ref(), salt.as_ref())?;
            {
                let backup = Backup::new(&self.conn, &mut dest)?;
                let mut tries = 0;
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More => {}
                        _ => {
                            tries += 1;
                            if tries > 50 {
                                return Err(Error::Sql(rusqlite::Error::SqliteFailure(
                                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                                    Some("the register stayed busy during the backup".into()),
                                )));
                            }
                            std::thread::sleep(std::time::Duration::from_millis(100));
                        }
                    }
                }
            }
            dest.close().map_err(|(_, e)| Error::from(e))?;
            verify_copy(&partial, self.key.as_ref(), &expected)?;
            fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(io("syncing", &partial))?;
            fs::rename(&partial, &target).map_err(io("renaming into place", &target))?;
            sync_dir(&target);
            Ok(())
        })();
        if let Err(e) = result {
            remove_with_sidecars(&partial);
            return Err(e);
        }
        let journal_added = self.sync_journal(&dir)?;
        let file_field = format!("file:{name}");
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('last_backup_on', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [ctx.today.to_string()],
            )?;
            ctx.audit(
                tx,
                NewEvent::new("register.backed_up", "register", None)
                    .fields(&[file_field.as_str()]),
            )
        })?;
        Ok(BackupInfo {
            bytes: fs::metadata(&target).map(|m| m.len()).unwrap_or(0),
            path: target,
            taken_at: taken,
            counts: expected,
            journal_added,
            pruned: Vec::new(),
        })
    }

    /// For "on close": a backup into `dir` unless one was made today already (local
    /// date), then keeps the newest `keep` backups of this register there (default
    /// [`DEFAULT_KEEP`]). `None` when today's backup exists.
    pub fn auto_backup(&mut self, dir: &Path, keep: usize) -> Result<Option<BackupInfo>> {
        if keep == 0 {
            return Err(InputError::invalid("keep", "keep at least one backup").into());
        }
        let last: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_backup_on'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if last.as_deref() == Some(self.clock().today().to_string().as_str()) {
            return Ok(None);
        }
        let mut info = self.backup(dir)?;
        let dir = info
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let all = list_backups(&dir, self.path(), self.id())?;
        if all.len() > keep {
            for old in &all[..all.len() - keep] {
                fs::remove_file(old).map_err(io("removing", old))?;
                info.pruned.push(old.clone());
            }
            sync_dir(&info.path);
        }
        Ok(Some(info))
    }

    /// After a passphrase change from `old`: re-encrypts every backup of this register
    /// in its backup folder with the register's new key, so that none of them opens
    /// with the old passphrase or the old recovery key (copies kept elsewhere still do).
    pub(crate) fn rekey_backups(&self, old: &RawKey) -> BackupsRekeyed {
        let mut out = BackupsRekeyed::default();
        let (Some(new), Ok(Some(dir))) = (self.key.as_ref(), self.backup_dir()) else {
            return out;
        };
        out.dir = Some(dir.clone());
        let Ok(found) = list_backups(&dir, self.path(), self.id()) else {
            return out;
        };
        for path in found {
            match rekey_file(&path, old, new) {
                Ok(true) => out.rekeyed += 1,
                Ok(false) => {}
                Err(_) => out.failed.push(path),
            }
        }
        out
    }

    /// When the last backup was made (local date), if ever.
    pub fn last_backup_on(&self) -> Result<Option<chrono::NaiveDate>> {
        let v: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'last_backup_on'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        v.map(|s| super::requests::date(&s)).transpose()
    }
}

/// How a restore is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// More receipts journals to read besides those the backup answers to (the one
    /// beside it and the one in the backup folder it remembers).
    pub journals: Vec<PathBuf>,
    /// Replace a register at the target; it is kept beside it as `.before-restore`
    /// (numbered when one is there already), never deleted.
    pub replace: bool,
    /// The user confirmed that no receipts journal exists. Without it, a restore that
    /// finds no journal and no register to replace refuses: erasures made after the
    /// backup could not be applied again.
    pub no_journal: bool,
}

/// Restores `backup` to `target` (see the module documentation). Returns the restored
/// register, open.
pub fn restore(
    backup: &Path,
    unlock: Unlock,
    target: &Path,
    options: &RestoreOptions,
    clock: Arc<dyn Clock>,
) -> Result<(Register, RestoreReport)> {
    super::register_id(backup)?;
    if target.exists() && !options.replace {
        return Err(VaultError::AlreadyExists {
            path: target.to_path_buf(),
        }
        .into());
    }
    if target.exists() && target.canonicalize().ok() == backup.canonicalize().ok() {
        return Err(InputError::invalid("target", "the backup itself cannot be the target").into());
    }
    // Refused at once while a program has the register open (taken again for the swap).
    drop(super::lock_exclusive(target)?);

    // The register being replaced, when it still opens, knows every receipt it made.
    let mut entries: Vec<JournalEntry> = Vec::new();
    let mut journal_paths: Vec<PathBuf> = options.journals.clone();
    if let Some(dir) = backup.parent() {
        journal_paths.push(dir.join(JOURNAL_FILE));
    }
    let mut replaced_opened = false;
    if target.exists() {
        if let Ok(current) = Register::open(target, unlock, clock.clone()) {
            for (r, tag) in receipts_with_tags(current.conn())? {
                entries.push(JournalEntry::from_receipt(current.id(), &r, &tag));
            }
            if let Ok(Some(dir)) = current.backup_dir() {
                journal_paths.push(dir.join(JOURNAL_FILE));
            }
            current.close()?;
            replaced_opened = true;
        }
    }

    let temp = with_suffix(target, ".restoring");
    remove_with_sidecars(&temp);
    fs::copy(backup, &temp).map_err(io("copying", backup))?;
    crate::files::restrict_to_owner(&temp)?;
    let result = (|| -> Result<RestoreReport> {
        let mut reg = Register::open(&temp, unlock, clock.clone())?;
        let report = reg.verify()?;
        if !report.is_ok() {
            return Err(VaultError::Damaged {
                pages: report.damaged_pages,
            }
            .into());
        }
        if let Ok(Some(dir)) = reg.backup_dir() {
            journal_paths.push(dir.join(JOURNAL_FILE));
        }
        let (journaled, check) = reg.read_journals(&journal_paths)?;
        if check.journals == 0 && !replaced_opened && !options.no_journal {
            return Err(InputError::invalid(
                "journal",
                "no erasure receipts journal was found beside the backup or in its backup \
                 folder, so erasures made after the backup could not be applied again; \
                 give the journal, or confirm that none exists",
            )
            .into());
        }
        entries.extend(journaled);
        let taken: Option<String> = reg
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'backup_taken_at'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let taken = match taken {
            Some(t) => Some(t),
            None => reg
                .conn()
                .query_row("SELECT max(at) FROM audit_events", [], |r| r.get(0))
                .optional()?
                .flatten(),
        };
        let taken = taken.as_deref().map(super::processors::time).transpose()?;
        let register_id = reg.id().to_string();
        let backup_name = backup
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let applied = reg.write(|tx, ctx| {
            let applied = apply_entries(
                tx,
                ctx,
                &register_id,
                &entries,
                &format!("restored from {backup_name}"),
            )?;
            let fields = [
                format!("file:{backup_name}"),
                format!("reapplied:{}", applied.reapplied.len()),
                format!("recorded:{}", applied.recorded.len()),
                format!("changes:{}", applied.changes),
            ];
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("register.restored", "register", None).fields(&fields),
            )?;
            Ok(applied)
        })?;
        if applied.changes > 0 || !applied.reapplied.is_empty() {
            reg.checkpoint()?;
        }
        reg.close()?;
        Ok(RestoreReport {
            backup: backup.to_path_buf(),
            restored_to: target.to_path_buf(),
            backup_taken_at: taken,
            reapplied: applied.reapplied,
            recorded: applied.recorded,
            changes: applied.changes,
            unopened: applied.unopened,
            journal: check,
            replaced: None,
        })
    })();
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            remove_with_sidecars(&temp);
            return Err(e);
        }
    };
    // Nothing is swapped under a program that has the register open.
    let lock = match super::lock_exclusive(target) {
        Ok(lock) => lock,
        Err(e) => {
            remove_with_sidecars(&temp);
            return Err(e);
        }
    };
    if target.exists() {
        // Every earlier copy is kept: the first is `.before-restore`, then `-2`, `-3`...
        let mut aside = with_suffix(target, ".before-restore");
        let mut n = 2;
        while aside.exists() {
            aside = with_suffix(target, &format!(".before-restore-{n}"));
            n += 1;
        }
        for suffix in ["-wal", "-shm"] {
            let from = with_suffix(target, suffix);
            if from.exists() {
                fs::rename(&from, with_suffix(&aside, suffix))
                    .map_err(io("moving aside", &from))?;
            }
        }
        fs::rename(target, &aside).map_err(io("moving aside", target))?;
        report.replaced = Some(aside);
    }
    fs::rename(&temp, target).map_err(io("renaming into place", target))?;
    sync_dir(target);
    drop(lock);
    let mut reg = Register::open(target, unlock, clock)?;
    // A damaged register replaced by its backup: what was viewed and exported from it
    // while it was read-only goes into the restored one's audit log
    // (store/side_log.rs). Best effort: the side log stays for the next open otherwise.
    let _ = reg.apply_side_log();
    Ok((reg, report))
}

impl Register {
    /// Restores `backup` over this register's own file (a restore needs the file alone,
    /// so this register is closed first; see [`restore`]). On success the restored
    /// register comes back open; on failure this register is opened again as it was, with
    /// its key, and handed back with the error (`None` only if even that fails).
    #[allow(clippy::result_large_err)]
    pub fn restore_over(
        self,
        backup: &Path,
        unlock: Unlock,
        options: &RestoreOptions,
    ) -> std::result::Result<(Register, RestoreReport), (Option<Register>, Error)> {
        let path = self.path().to_path_buf();
        let key = self.key.clone();
        let clock = self.clock.clone();
        if let Err(e) = self.close() {
            return Err((None, e));
        }
        let options = RestoreOptions {
            replace: true,
            ..options.clone()
        };
        match restore(backup, unlock, &path, &options, clock.clone()) {
            Ok(done) => Ok(done),
            Err(e) => {
                let again = match &key {
                    Some(k) => Register::open(&path, Unlock::Key(k), clock).ok(),
                    None => Register::open_unencrypted(&path, clock).ok(),
                };
                Err((again, e))
            }
        }
    }
}
