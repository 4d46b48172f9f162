//! The one way to write a file outside the register that can hold personal data: a
//! report, an export, an OpenDSR file, a backup's companion files. Every such file is
//!
//! - written to a new temporary file beside the target (a hidden name of our own,
//!   created exclusively, so nothing else is ever overwritten by the temporary file);
//! - readable and writable by its owner only where the OS has such modes (0600 on
//!   Unix; on Windows the file inherits the folder's ACL, the user's own by default);
//! - flushed and synced to disk before it is renamed over the target, and the folder
//!   is synced after the rename, so after a crash the target is the old file or the
//!   whole new one, never a half-written one;
//! - never renamed when writing failed: the target stays as it was and the temporary
//!   file is removed (also when the [`Pending`] file is dropped without a commit).
//!
//! [`Pending`] splits the write from the rename so a caller can rename inside a
//! transaction (see [`crate::Register::record_report`]).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A file could not be written. Names the operation and the path, never the content.
#[derive(Debug, thiserror::Error)]
#[error("{op} {path}: {source}")]
pub struct FileError {
    pub op: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn fail<'a>(op: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> FileError + 'a {
    move |source| FileError {
        op,
        path: path.to_path_buf(),
        source,
    }
}

/// A new file written and synced under a temporary name beside its target, waiting to
/// be renamed into place by [`Pending::commit`]; removed when dropped uncommitted.
#[derive(Debug)]
pub struct Pending {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Creates `path` new, owner-only where the OS allows.
fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

impl Pending {
    /// Writes the content with `write` into a new owner-only temporary file beside
    /// `target` and syncs it to disk. Nothing is renamed yet; an error from `write`
    /// comes back as it is.
    pub fn prepare<E: From<FileError>>(
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<Pending, E> {
        let name = target.file_name().ok_or_else(|| FileError {
            op: "writing",
            path: target.to_path_buf(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        })?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // Hidden, with the process id and a counter: never the name of a real file, and
        // two writes in one process never share it.
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut tmp_name = std::ffi::OsString::from(".");
        // The start of the target's name helps a user who finds one after a crash.
        let start: String = name.to_string_lossy().chars().take(40).collect();
        tmp_name.push(format!("{start}.{}-{n}.partial", std::process::id()));
        let pending = Pending {
            tmp: dir.join(tmp_name),
            target: target.to_path_buf(),
            done: false,
        };
        let file =
            create_private(&pending.tmp).map_err(fail("creating a temporary file for", target))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        write(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| fail("writing", target)(e.into_error()))?;
        file.sync_all().map_err(fail("flushing to disk", target))?;
        Ok(pending)
    }

    /// Renames the temporary file over the target and syncs the folder.
    pub fn commit(mut self) -> Result<(), FileError> {
        fs::rename(&self.tmp, &self.target).map_err(fail("renaming into place", &self.target))?;
        self.done = true;
        sync_dir(&self.target);
        Ok(())
    }

    /// Where the file will go.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// Writes `bytes` to `path` the private, atomic way (see the module's documentation).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    Pending::prepare(path, |w| {
        w.write_all(bytes).map_err(fail("writing", path))?;
        Ok::<(), FileError>(())
    })?
    .commit()
}

/// Writes `path` with `write`, the private, atomic way.
pub fn write_private_with<E: From<FileError>>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    Ok(Pending::prepare(path, write)?.commit()?)
}

/// Makes `path` readable and writable by its owner only, where the OS has such modes,
/// creating it empty if it does not exist. Called before SQLite opens a new register or
/// backup there: SQLite keeps an existing file's mode and gives its `-wal`, `-shm` and
/// journal files the same one.
pub fn restrict_to_owner(path: &Path) -> Result<(), FileError> {
    if !path.exists() {
        create_private(path).map_err(fail("creating", path))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(fail("setting the permissions of", path))?;
    }
    Ok(())
}

/// Syncs the folder that holds `path`, so a rename into it survives a crash.
#[cfg(unix)]
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
#[cfg(not(unix))]
pub(crate) fn sync_dir(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect()
    }

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.pdf");
        write_private(&p, b"first").unwrap();
        write_private(&p, b"second version").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second version");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_by_its_owner_only_even_when_it_replaces_an_open_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("export.json");
        fs::write(&p, b"old, world-readable").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&p, b"{}").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_intact_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.pdf");
        write_private(&p, b"the old report").unwrap();
        // The disk fills up half-way through the new report.
        let err = Pending::prepare(&p, |w| {
            w.write_all(b"half of the new")
                .map_err(fail("writing", &p))?;
            Err(FileError {
                op: "writing",
                path: p.clone(),
                source: io::Error::other("no space left on device"),
            })
        })
        .expect_err("the write fails");
        assert!(err.to_string().contains("report.pdf"), "{err}");
        assert_eq!(fs::read(&p).unwrap(), b"the old report");
        assert!(leftovers(dir.path()).is_empty());

        // Prepared but never committed (the audit transaction failed): the same.
        let pending = Pending::prepare(&p, |w| {
            w.write_all(b"new").map_err(fail("writing", &p))?;
            Ok::<(), FileError>(())
        })
        .unwrap();
        drop(pending);
        assert_eq!(fs::read(&p).unwrap(), b"the old report");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_path_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/report.pdf");
        let err = write_private(&p, b"x").unwrap_err();
        assert!(err.to_string().contains("report.pdf"), "{err}");
        assert!(!dir.path().join("no").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_database_file_made_owner_only_first_keeps_that_mode_for_its_wal() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.db");
        restrict_to_owner(&p).unwrap();
        let conn = rusqlite::Connection::open(&p).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
        for f in [p.clone(), dir.path().join("r.db-wal")] {
            let mode = fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} has mode {mode:o}", f.display());
        }
    }

    #[test]
    fn a_path_without_a_file_name_is_refused() {
        let err = write_private(Path::new("/"), b"x").unwrap_err();
        assert_eq!(err.op, "writing");
    }
}
