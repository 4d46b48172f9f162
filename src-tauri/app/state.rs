//! What the shell holds between commands: the open register (or the locked file), the
//! settings, the keychain's availability and the time of the last activity.
//!
//! Idle time is measured by the wall clock, through an injected [`Clock`] (a
//! [`privreg_core::FixedClock`] in the tests): a monotonic clock stops while the computer
//! sleeps, so a laptop that slept past the idle limit would wake up unlocked. The
//! ticker that asks for the lock (`locking.rs`) also notices a suspend: the wall clock
//! jumped far past its tick ([`AppState::tick`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};

use privreg_core::keychain::{Keychain, SystemKeychain};
use privreg_core::opening::{self, FromKeychain, Opened};
use privreg_core::store::backup::{RestoreOptions, RestoreReport};
use privreg_core::store::erasure::JournalApplied;
use privreg_core::{
    demo, templates, Clock, Error, KeychainError, Passphrase, RecoveryKey, Register, SystemClock,
    Unlock,
};
use serde::Serialize;

use crate::error::{IpcError, IpcResult};
use crate::settings::Settings;

/// The demo register's passphrase; the demo holds only synthetic people.
pub const DEMO_PASSPHRASE: &str = "privacy register demo";
pub const DEMO_SUBJECTS: usize = 300;

pub struct Session {
    path: Option<PathBuf>,
    register: Option<Register>,
    settings: Settings,
    /// By the wall clock (see the module's documentation).
    last_activity: DateTime<Utc>,
    /// What the receipts journals did when the open register was opened, if anything.
    journal: Option<JournalNotice>,
    /// The window has been told the register is read-only (a background check of a
    /// large file's pages can find damage after it was opened).
    read_only_told: bool,
}

/// Erasures the core applied again when the register was opened (a backup or an older
/// copy opened directly), and what was wrong with the journals, for the window to say.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JournalNotice {
    pub reapplied: usize,
    /// Later deletions, anonymisations and corrections carried out again.
    pub changes: usize,
    /// Later corrections this copy could not open (older than the person's key).
    pub unopened: usize,
    pub altered: usize,
    pub missing: usize,
    pub unreadable: usize,
}

impl JournalNotice {
    fn of(applied: &JournalApplied) -> Option<Self> {
        let n = JournalNotice {
            reapplied: applied.reapplied.len(),
            changes: applied.changes,
            unopened: applied.unopened,
            altered: applied.check.altered,
            missing: applied.check.missing,
            unreadable: applied.check.unreadable,
        };
        (n.reapplied + n.changes + n.unopened + n.altered + n.missing + n.unreadable > 0)
            .then_some(n)
    }
}

/// Why the register locked, as the `register-locked` event names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// The Lock button or the menu.
    User,
    /// The chosen minutes without activity passed, by the wall clock.
    Idle,
    /// The computer slept (the ticker's gap, or logind's PrepareForSleep).
    Suspend,
    /// The OS session was locked (logind's Lock or LockedHint).
    Session,
    /// The window closed or the app quit.
    Close,
}

impl LockReason {
    /// The reason as the window reads it (`{"reason": "idle"}`).
    pub fn code(self) -> &'static str {
        match self {
            LockReason::User => "user",
            LockReason::Idle => "idle",
            LockReason::Suspend => "suspend",
            LockReason::Session => "session",
            LockReason::Close => "close",
        }
    }
}

/// A gap in the ticker's wall-clock times longer than this is a suspend (or the clock
/// was set forward): the ticker runs every few seconds, so only a computer that slept,
/// or a process stopped for a minute, misses a whole minute of it.
pub const SUSPEND_GAP: Duration = Duration::from_secs(60);

pub struct AppState {
    session: Mutex<Session>,
    /// The wall clock that idle time and the ticker's gaps are measured by.
    clock: Arc<dyn Clock>,
    /// The wall-clock time of the ticker's last tick (see [`AppState::tick`]).
    last_tick: Mutex<Option<DateTime<Utc>>>,
    data_dir: OnceLock<PathBuf>,
    keychain_store: Result<(), String>,
    keychain_probe: OnceLock<Result<(), String>>,
    keychain: Arc<dyn Keychain>,
    /// The CSV file being imported (its rows are forgotten when the register locks).
    pub csv: crate::csv_files::CsvFiles,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeychainStatus {
    pub available: bool,
    pub has_key: bool,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub state: &'static str,
    pub path: Option<PathBuf>,
    pub file_name: Option<String>,
    pub read_only: bool,
    pub keychain: KeychainStatus,
    pub settings: StatusSettings,
    pub recent: Vec<PathBuf>,
    pub version: &'static str,
    /// Set after an open that applied erasures again or found a journal changed.
    pub journal: Option<JournalNotice>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusSettings {
    pub language: String,
    pub auto_lock_minutes: u32,
}

impl AppState {
    /// `keychain_store` says whether the platform store could be installed;
    /// `data_dir` overrides the app data directory (tests, portable use).
    pub fn new(keychain_store: Result<(), String>, data_dir: Option<PathBuf>) -> Self {
        AppState::with_clock(keychain_store, data_dir, Arc::new(SystemClock))
    }

    /// As [`AppState::new`], with the wall clock that idle time is measured by (the tests
    /// give a `FixedClock`). Registers keep the system clock.
    pub fn with_clock(
        keychain_store: Result<(), String>,
        data_dir: Option<PathBuf>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let state = AppState {
            session: Mutex::new(Session {
                path: None,
                register: None,
                settings: Settings::default(),
                last_activity: clock.now(),
                journal: None,
                read_only_told: false,
            }),
            clock,
            last_tick: Mutex::new(None),
            data_dir: OnceLock::new(),
            keychain_store,
            keychain_probe: OnceLock::new(),
            keychain: Arc::new(SystemKeychain),
            csv: Default::default(),
        };
        if let Some(dir) = data_dir {
            state.init_data_dir(dir);
        }
        state
    }

    /// Sets the data directory (first call wins) and loads the settings from it.
    pub fn init_data_dir(&self, dir: PathBuf) {
        if self.data_dir.set(dir).is_ok() {
            let settings = Settings::load(&self.settings_path());
            self.session().settings = settings;
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.data_dir
            .get()
            .cloned()
            .unwrap_or_else(|| std::env::temp_dir().join("privacy-register"))
    }

    fn settings_path(&self) -> PathBuf {
        self.data_dir().join("settings.json")
    }

    /// The demo register in `lang` ("en", "nb"): one per language, each in its own
    /// folder (so the file and its receipts journal keep the name `demo.privreg`), so
    /// the demo opens in the window's language whichever it was first made in.
    pub fn demo_path(&self, lang: &str) -> PathBuf {
        self.data_dir()
            .join(format!("demo-{lang}"))
            .join("demo.privreg")
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a keychain works here. Asked once: on Linux without a Secret Service the
    /// store exists but every call fails.
    fn keychain_works(&self) -> Result<(), String> {
        self.keychain_store.clone()?;
        self.keychain_probe
            .get_or_init(
                || match self.keychain.load("privacy-register-availability-probe") {
                    Ok(_) | Err(KeychainError::NoEntry) => Ok(()),
                    Err(KeychainError::Unavailable(why)) => Err(why),
                },
            )
            .clone()
    }

    fn keychain_status(&self, session: &Session) -> KeychainStatus {
        match self.keychain_works() {
            Ok(()) => {
                let has_key = session
                    .path
                    .as_deref()
                    .and_then(|p| privreg_core::register_id(p).ok())
                    .is_some_and(|id| self.keychain.load(&id).is_ok());
                KeychainStatus {
                    available: true,
                    has_key,
                    message: None,
                }
            }
            Err(why) => KeychainStatus {
                available: false,
                has_key: false,
                message: Some(why),
            },
        }
    }

    pub fn status(&self) -> Status {
        let s = self.session();
        let state = match (&s.path, &s.register) {
            (_, Some(_)) => "unlocked",
            (Some(_), None) => "locked",
            (None, None) => "welcome",
        };
        Status {
            state,
            file_name: s
                .path
                .as_deref()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned()),
            path: s.path.clone(),
            read_only: s.register.as_ref().is_some_and(Register::is_read_only),
            keychain: self.keychain_status(&s),
            settings: StatusSettings {
                language: s.settings.language.clone(),
                auto_lock_minutes: s.settings.auto_lock_minutes,
            },
            recent: s.settings.recent.clone(),
            version: env!("CARGO_PKG_VERSION"),
            journal: s.register.as_ref().and(s.journal.clone()),
        }
    }

    pub fn language(&self) -> String {
        self.session().settings.language.clone()
    }

    /// Title for the window: the open file's name.
    pub fn title(&self) -> String {
        let s = self.session();
        match s.path.as_deref().and_then(Path::file_name) {
            Some(name) if s.register.is_some() => {
                let clock = s
                    .register
                    .as_ref()
                    .and_then(|reg| breach_clock_title(reg, &s.settings.language));
                match clock {
                    Some(c) => format!("{c} — {} — Privacy Register", name.to_string_lossy()),
                    None => format!("{} — Privacy Register", name.to_string_lossy()),
                }
            }
            Some(name) => format!("{} (locked) — Privacy Register", name.to_string_lossy()),
            None => "Privacy Register".into(),
        }
    }

    fn save_settings_locked(&self, s: &Session) {
        if let Err(e) = s.settings.save(&self.settings_path()) {
            eprintln!("privacy-register: saving the settings: {e}");
        }
    }

    /// Runs `f` with the open register; counts as activity.
    pub fn with_register<T>(
        &self,
        f: impl FnOnce(&mut Register) -> privreg_core::Result<T>,
    ) -> IpcResult<T> {
        let mut s = self.session();
        s.last_activity = self.clock.now();
        let has_path = s.path.is_some();
        match s.register.as_mut() {
            Some(reg) => Ok(f(reg)?),
            None if has_path => Err(IpcError::locked()),
            None => Err(IpcError::no_register()),
        }
    }

    /// Puts an unlocked register in place. The core checked its pages when it opened
    /// it ([`opening::open`]): a damaged file stays open read-only.
    fn install(&self, s: &mut Session, opened: Opened, path: &Path) {
        if !opened.damaged_pages.is_empty() {
            eprintln!(
                "privacy-register: vault.damaged: {} damaged page(s); opened read-only",
                opened.damaged_pages.len()
            );
        }
        s.journal = JournalNotice::of(&opened.journal);
        let reg = opened.register;
        s.settings.touch_recent(path);
        self.save_settings_locked(s);
        s.path = Some(path.to_path_buf());
        s.read_only_told = reg.is_read_only();
        s.register = Some(reg);
        s.last_activity = self.clock.now();
    }

    /// The keychain, where one works here.
    fn usable_keychain(&self) -> Option<&dyn Keychain> {
        self.keychain_works().ok().map(|()| self.keychain.as_ref())
    }

    fn remember(&self, reg: &Register, remember: bool) {
        if remember && self.keychain_works().is_ok() {
            if let Err(e) = reg.remember_in_keychain(self.keychain.as_ref()) {
                eprintln!("privacy-register: keeping the key in the keychain: {e}");
            }
        }
    }

    pub fn create(
        &self,
        path: &Path,
        passphrase: &Passphrase,
        remember: bool,
    ) -> IpcResult<RecoveryKey> {
        let (reg, recovery) = Register::create(path, passphrase, Arc::new(SystemClock))?;
        self.remember(&reg, remember);
        let mut s = self.session();
        if let Some(old) = s.register.take() {
            let _ = old.close();
        }
        let opened = Opened {
            register: reg,
            damaged_pages: Vec::new(),
            journal: Default::default(),
        };
        self.install(&mut s, opened, path);
        Ok(recovery)
    }

    /// Selects a file; unlocks it at once when this computer's keychain holds its key.
    pub fn open_path(&self, path: &Path) -> IpcResult<()> {
        // Fails early on a missing file or one that is not a register.
        privreg_core::register_id(path)?;
        let mut s = self.session();
        if let Some(old) = s.register.take() {
            let _ = old.close();
        }
        s.path = Some(path.to_path_buf());
        s.settings.touch_recent(path);
        self.save_settings_locked(&s);
        if let Some(keychain) = self.usable_keychain() {
            match opening::open_with_keychain_checking(
                path,
                keychain,
                Arc::new(SystemClock),
                opening::CheckPages::InBackgroundIfLarge,
            )? {
                FromKeychain::Opened(opened) => self.install(&mut s, *opened, path),
                FromKeychain::Stale => eprintln!(
                    "privacy-register: the key kept in the keychain does not open this file; asking for the passphrase"
                ),
                FromKeychain::NotKept | FromKeychain::Unavailable(_) => {}
            }
        }
        Ok(())
    }

    pub fn unlock(&self, passphrase: &Passphrase, remember: bool) -> IpcResult<()> {
        let path = self
            .session()
            .path
            .clone()
            .ok_or_else(IpcError::no_register)?;
        let opened =
            opening::open_for_window(&path, Unlock::Passphrase(passphrase), Arc::new(SystemClock))?;
        self.remember(&opened.register, remember);
        let mut s = self.session();
        self.install(&mut s, opened, &path);
        Ok(())
    }

    /// Opens with the recovery key and sets a new passphrase at once; returns the new
    /// recovery key (the old one stops working with the old passphrase).
    pub fn unlock_with_recovery_key(
        &self,
        typed: &str,
        new_passphrase: &Passphrase,
    ) -> IpcResult<RecoveryKey> {
        let path = self
            .session()
            .path
            .clone()
            .ok_or_else(IpcError::no_register)?;
        let (opened, changed) = opening::recover(
            &path,
            typed,
            new_passphrase,
            self.usable_keychain(),
            Arc::new(SystemClock),
        )?;
        let mut s = self.session();
        self.install(&mut s, opened, &path);
        Ok(changed.recovery_key)
    }

    /// Changes the open register's passphrase and returns the new recovery key. A key
    /// this computer's keychain held is replaced by the new one.
    pub fn change_passphrase(
        &self,
        current: &Passphrase,
        new: &Passphrase,
    ) -> IpcResult<RecoveryKey> {
        let keychain = self.usable_keychain();
        self.with_register(|reg| {
            opening::change_passphrase(reg, Unlock::Passphrase(current), new, keychain).map(
                |changed| {
                    for p in &changed.backups.failed {
                        eprintln!(
                            "privacy-register: a backup was not re-encrypted with the new passphrase: {}",
                            p.display()
                        );
                    }
                    changed.recovery_key
                },
            )
        })
    }

    /// Restores `backup` (opened with `passphrase`, the backup's own) over the open
    /// register's file, by the core's rules (`Register::restore_over`): every erasure
    /// the backup lacks is applied again, the replaced file is kept beside it, and the
    /// window is told how many erasures came back into force. A failed restore leaves
    /// the register open as it was.
    pub fn restore_backup(
        &self,
        backup: &Path,
        passphrase: &Passphrase,
        no_journal: bool,
    ) -> IpcResult<RestoreReport> {
        let mut s = self.session();
        let path = s.path.clone().ok_or_else(IpcError::no_register)?;
        let reg = s.register.take().ok_or_else(IpcError::locked)?;
        let options = RestoreOptions {
            no_journal,
            ..Default::default()
        };
        match reg.restore_over(backup, Unlock::Passphrase(passphrase), &options) {
            Ok((register, report)) => {
                let opened = Opened {
                    register,
                    damaged_pages: Vec::new(),
                    journal: JournalApplied {
                        reapplied: report.reapplied.clone(),
                        recorded: report.recorded.clone(),
                        changes: report.changes,
                        unopened: report.unopened,
                        check: report.journal.clone(),
                    },
                };
                self.install(&mut s, opened, &path);
                Ok(report)
            }
            Err((again, e)) => {
                s.register = again;
                Err(e.into())
            }
        }
    }

    /// Keeps the open register's key in this computer's keychain, or removes it.
    pub fn set_keychain(&self, remember: bool) -> IpcResult<()> {
        self.keychain_works()
            .map_err(|why| IpcError::from(Error::Keychain(KeychainError::Unavailable(why))))?;
        let keychain = self.keychain.clone();
        self.with_register(|reg| {
            if remember {
                reg.remember_in_keychain(keychain.as_ref())
            } else {
                reg.forget_in_keychain(keychain.as_ref())
            }
        })
    }

    /// Opens the demo register in the window's language, creating it on first use.
    pub fn open_demo(&self) -> IpcResult<()> {
        let lang = templates::Lang::parse(&self.language()).unwrap_or(templates::Lang::En);
        let path = self.demo_path(lang.code());
        let pass = Passphrase::new(DEMO_PASSPHRASE);
        let opened = if path.exists() {
            opening::open(&path, Unlock::Passphrase(&pass), Arc::new(SystemClock))?
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    IpcError::new("app.io", format!("creating {}: {e}", dir.display()))
                })?;
            }
            let (mut reg, _) = Register::create(&path, &pass, Arc::new(SystemClock))?;
            demo::fill(
                &mut reg,
                &demo::Options {
                    subjects: DEMO_SUBJECTS,
                    seed: 2026,
                    lang,
                    batch: 100,
                    showcase: true,
                },
                |_| {},
            )?;
            Opened {
                register: reg,
                damaged_pages: Vec::new(),
                journal: Default::default(),
            }
        };
        let mut s = self.session();
        if let Some(old) = s.register.take() {
            let _ = old.close();
        }
        self.install(&mut s, opened, &path);
        Ok(())
    }

    /// Closes the register and forgets its key; the file stays selected.
    pub fn lock(&self) {
        self.lock_now();
    }

    /// Locks (the day's backup first) if a register is unlocked; true if it did. Two
    /// callers at once (the ticker and the window closing) lock it once.
    pub fn lock_now(&self) -> bool {
        self.lock_when(|_| true)
    }

    /// Locks when `due` says so: decided and done under one hold of the session, so
    /// that no command runs on a half-closed register and only one caller locks it.
    /// True if it locked.
    fn lock_when(&self, due: impl FnOnce(&mut Session) -> bool) -> bool {
        let locked = {
            let mut s = self.session();
            let now = s.register.is_some() && due(&mut s);
            if now {
                if let Some(mut reg) = s.register.take() {
                    auto_backup(&mut reg);
                    if let Err(e) = reg.close() {
                        eprintln!("privacy-register: closing the register: {e}");
                    }
                }
            }
            now
        };
        // After the session's lock is released (an import holds this one first), and
        // only when it locked: the ticker asks every few seconds, and a file chosen for
        // import stays open until then.
        if locked {
            self.csv.clear();
        }
        locked
    }

    pub fn close(&self) {
        self.lock();
        self.session().path = None;
    }

    pub fn save_settings(&self, language: &str, auto_lock_minutes: u32) -> IpcResult<()> {
        Settings::validate(language, auto_lock_minutes).map_err(Error::from)?;
        let mut s = self.session();
        s.settings.language = language.to_string();
        s.settings.auto_lock_minutes = auto_lock_minutes;
        self.save_settings_locked(&s);
        Ok(())
    }

    pub fn touch(&self) {
        self.session().last_activity = self.clock.now();
    }

    /// Whether a register is open and unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.session().register.is_some()
    }

    /// Locks when the register has been idle for the chosen minutes by the wall clock
    /// (time asleep counts); true if it did. A clock set back starts the count again.
    pub fn lock_if_idle(&self) -> bool {
        let now = self.clock.now();
        self.lock_when(|s| {
            if now < s.last_activity {
                s.last_activity = now;
            }
            let limit = chrono::Duration::minutes(i64::from(s.settings.auto_lock_minutes));
            now - s.last_activity >= limit
        })
    }

    /// Notes the ticker's wall-clock time; true when it moved more than
    /// [`SUSPEND_GAP`] since the ticker's last call (the computer slept, or its clock was
    /// set forward: locking then is the safe side).
    fn noticed_suspend(&self, now: DateTime<Utc>) -> bool {
        let mut last = self.last_tick.lock().unwrap_or_else(|p| p.into_inner());
        let gap = chrono::Duration::from_std(SUSPEND_GAP).unwrap_or(chrono::Duration::MAX);
        let slept = last.as_ref().is_some_and(|t| now - *t > gap);
        *last = Some(now);
        slept
    }

    /// One tick of the auto-lock ticker (every few seconds, `locking.rs`): locks after a
    /// suspend, or when the register was idle for the chosen minutes. The reason when it
    /// locked.
    /// True once, when the open register turned read-only after it was opened: the
    /// background check of a large file's pages found damage
    /// ([`opening::open_for_window`]). The window is then told to ask for the status.
    pub fn newly_read_only(&self) -> bool {
        let mut s = self.session();
        let now = s.register.as_ref().is_some_and(Register::is_read_only);
        let news = now && !s.read_only_told;
        s.read_only_told = now;
        news
    }

    pub fn tick(&self) -> Option<LockReason> {
        let slept = self.noticed_suspend(self.clock.now());
        if slept && self.lock_now() {
            return Some(LockReason::Suspend);
        }
        self.lock_if_idle().then_some(LockReason::Idle)
    }

    #[doc(hidden)]
    /// For tests: pretend the last activity was `ago` in the past.
    pub fn set_idle_for(&self, ago: Duration) {
        let now = self.clock.now();
        let ago = chrono::Duration::from_std(ago).unwrap_or(chrono::Duration::MAX);
        self.session().last_activity = now.checked_sub_signed(ago).unwrap_or(now);
    }
}

/// On lock and close: a backup into the register's backup folder, at most once a day,
/// keeping the newest ten. A failure is logged (kind only) and never stops the lock.
fn auto_backup(reg: &mut Register) {
    if reg.is_read_only() {
        return;
    }
    let dir = match reg.backup_dir() {
        Ok(Some(dir)) => dir,
        Ok(None) => return,
        Err(e) => {
            eprintln!("privacy-register: backup folder: {}", e.kind());
            return;
        }
    };
    if let Err(e) = reg.auto_backup(&dir, privreg_core::store::backup::DEFAULT_KEEP) {
        eprintln!("privacy-register: automatic backup failed: {}", e.kind());
    }
}

/// The most urgent running breach clock (Art. 33(1)) for the window title, in the
/// window's language: "Breach 2026-001: 29 h left", "Avvik 2026-001: fristen er
/// passert". None when no clock runs. Only the breach's reference is shown.
pub fn breach_clock_title(reg: &Register, language: &str) -> Option<String> {
    let open = reg.open_breaches().ok()?;
    let b = open.into_iter().find(|b| b.clock.running)?;
    let minutes = b.clock.minutes_left?;
    let nb = language == "nb";
    Some(match (nb, minutes < 0) {
        (false, true) => format!("Breach {}: notification overdue", b.reference),
        (true, true) => format!("Avvik {}: fristen er passert", b.reference),
        (false, false) if minutes < 60 => format!("Breach {}: {minutes} min left", b.reference),
        (true, false) if minutes < 60 => format!("Avvik {}: {minutes} min igjen", b.reference),
        (false, false) => format!("Breach {}: {} h left", b.reference, minutes / 60),
        (true, false) => format!("Avvik {}: {} t igjen", b.reference, minutes / 60),
    })
}
