//! Writing a report file atomically: the bytes go to a temporary file in the same
//! directory, which is flushed to disk and then renamed over the target. A reader sees
//! the old file or the whole new one, never a half-written one, and a failed write
//! leaves the old file as it was.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::ReportError;

fn io_err(op: &'static str, path: &Path, source: io::Error) -> ReportError {
    ReportError::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
}

/// A temporary file next to `target`, removed on drop unless it was renamed.
pub(crate) struct Pending {
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

impl Pending {
    /// Writes the content with `write` into a new temporary file beside `target` and
    /// syncs it to disk. Nothing is renamed yet.
    pub(crate) fn prepare(
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<Pending, ReportError> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if target.file_name().is_none() {
            return Err(io_err(
                "writing",
                target,
                io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
            ));
        }
        // A name of our own making (not the user's file name, which may be long or
        // contain anything): hidden, with the process id and a counter.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".privreg-report-{}-{n}.tmp", std::process::id()));
        let pending = Pending {
            tmp,
            target: target.to_path_buf(),
            done: false,
        };
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&pending.tmp)
            .map_err(|e| io_err("creating a temporary file for", target, e))?;
        write(&mut f).map_err(|e| io_err("writing", target, e))?;
        f.flush().map_err(|e| io_err("writing", target, e))?;
        f.sync_all()
            .map_err(|e| io_err("flushing to disk", target, e))?;
        drop(f);
        Ok(pending)
    }

    /// Renames the temporary file over the target and syncs the directory.
    pub(crate) fn commit(mut self) -> Result<(), ReportError> {
        fs::rename(&self.tmp, &self.target)
            .map_err(|e| io_err("renaming into place", &self.target, e))?;
        self.done = true;
        sync_dir(&self.target);
        Ok(())
    }
}

#[cfg(unix)]
fn sync_dir(path: &Path) {
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
fn sync_dir(_: &Path) {}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, fsync,
/// rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    Pending::prepare(path, |w| w.write_all(bytes))?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.pdf");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second version").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second version");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_intact_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.pdf");
        write_atomic(&p, b"the old report").unwrap();
        // The disk fills up half-way through the new report.
        let err = Pending::prepare(&p, |w| {
            w.write_all(b"half of the new")?;
            Err(io::Error::other("no space left on device"))
        })
        .err()
        .expect("the write fails");
        assert!(err.to_string().contains("report.pdf"), "{err}");
        assert_eq!(fs::read(&p).unwrap(), b"the old report");
        assert!(leftovers(dir.path()).is_empty());

        // Prepared but never committed (the audit transaction failed): same.
        let pending = Pending::prepare(&p, |w| w.write_all(b"new")).unwrap();
        drop(pending);
        assert_eq!(fs::read(&p).unwrap(), b"the old report");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/report.pdf");
        let err = write_atomic(&p, b"x").unwrap_err();
        assert_eq!(err.kind(), "report.io");
        assert!(err.to_string().contains("report.pdf"));
    }
}
