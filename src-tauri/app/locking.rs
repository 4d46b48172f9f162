//! What locks the register besides the Lock button, the way a password manager does
//! it: the key is forgotten whenever nobody may be at the computer.
//!
//! - **Idle time, by the wall clock.** The ticker ([`ticker`], every [`TICK`]) asks the
//!   state whether the chosen minutes passed since the last activity
//!   ([`AppState::tick`]). Time is the wall clock (an injected `Clock`), not a monotonic
//!   one, which stops while the computer sleeps: a laptop that slept past the idle limit
//!   is locked when it wakes.
//! - **A suspend, noticed portably.** The ticker runs every few seconds; when the wall
//!   clock has moved more than [`crate::state::SUSPEND_GAP`] (a minute) since its last
//!   tick, the computer slept (or its clock was set forward, when locking is the safe
//!   side), and the register locks with the reason `suspend`, whatever the idle limit.
//!   This works on every OS without asking it anything; the lock then happens on waking,
//!   before anyone can use the window.
//! - **The OS, where it tells us.** On Linux, logind over the system D-Bus (zbus, which
//!   the keychain's Secret Service store already uses): `PrepareForSleep(true)` on
//!   `org.freedesktop.login1.Manager` locks before the computer sleeps, and the session's
//!   `Lock` signal (`loginctl lock-session`, and desktops that lock through logind) or
//!   its `LockedHint` turning true locks with the screen. Where there is no system bus
//!   or no logind (containers, headless CI) the listeners end quietly. Windows (WTS
//!   session notifications) and macOS (NSWorkspace's screen-lock and sleep
//!   notifications) are not listened to: the crates this project has do not reach them
//!   safely, so there the ticker's suspend check covers sleep, and a screen lock without
//!   sleep locks the register only by idle time (see the README).
//! - **Closing the window and quitting** ([`lock_on_close`]): the daily automatic backup
//!   first (as every lock makes it, `AppState::lock`), then the lock.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::menu;
use crate::state::{AppState, LockReason};

/// How often the ticker looks at the clock.
pub const TICK: Duration = Duration::from_secs(5);

/// Sent to the window when the open register turned read-only after it was opened
/// (the background check of a large file's pages found damage): it asks for the status
/// again and shows the read-only banner.
pub const DAMAGED_EVENT: &str = "register-damaged";

/// Managed by the real app only (as `menu::NativeMenu`): the OS's signals are listened
/// to there, never in the tests on the mock runtime.
pub struct OsSignals;

/// Tells the window that the register locked (`register-locked` with the reason) and
/// puts the title and the menu in step.
pub fn announce<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    let _ = app.emit(
        "register-locked",
        serde_json::json!({ "reason": reason.code() }),
    );
    menu::update_title(app, &app.state::<AppState>());
}

/// Locks the open register for `reason` (making the day's backup first) and tells the
/// window; false when none was unlocked.
pub fn lock_for<R: Runtime>(app: &AppHandle<R>, reason: LockReason) -> bool {
    let locked = app.state::<AppState>().lock_now();
    if locked {
        announce(app, reason);
    }
    locked
}

/// The window is closing or the app is quitting: the daily automatic backup (when a
/// backup folder is set and none was made today), then the lock. True if a register
/// was unlocked.
pub fn lock_on_close<R: Runtime>(app: &AppHandle<R>) -> bool {
    lock_for(app, LockReason::Close)
}

/// One tick: locks after a suspend or when idle (and says so), else keeps the title's
/// breach clock current. The reason when it locked.
pub fn tick<R: Runtime>(app: &AppHandle<R>) -> Option<LockReason> {
    let state = app.state::<AppState>();
    let locked = state.tick();
    match locked {
        Some(reason) => announce(app, reason),
        None => menu::refresh_title(app, &state),
    }
    if locked.is_none() && state.newly_read_only() {
        let _ = app.emit(DAMAGED_EVENT, serde_json::json!({}));
    }
    locked
}

/// The ticker: [`tick`] every [`TICK`], for as long as the app runs.
pub fn ticker<R: Runtime>(app: AppHandle<R>) {
    loop {
        std::thread::sleep(TICK);
        tick(&app);
    }
}

/// Starts listening to the OS's sleep and session-lock signals where this platform has
/// a listener (Linux: logind); elsewhere does nothing (see the module's documentation).
pub fn listen_to_os<R: Runtime>(app: AppHandle<R>) {
    #[cfg(target_os = "linux")]
    logind::listen(app);
    #[cfg(not(target_os = "linux"))]
    drop(app);
}

/// logind (`org.freedesktop.login1`) on the system bus. Every failure (no bus, no
/// logind, no session) ends the listener quietly: the ticker still locks on waking.
#[cfg(target_os = "linux")]
mod logind {
    use std::collections::HashMap;

    use tauri::{AppHandle, Runtime};
    use zbus::blocking::{Connection, Proxy};
    use zbus::zvariant::{OwnedObjectPath, OwnedValue};

    use super::lock_for;
    use crate::state::LockReason;

    const LOGIN1: &str = "org.freedesktop.login1";
    const MANAGER_PATH: &str = "/org/freedesktop/login1";
    const MANAGER: &str = "org.freedesktop.login1.Manager";
    const SESSION: &str = "org.freedesktop.login1.Session";
    const PROPERTIES: &str = "org.freedesktop.DBus.Properties";

    pub fn listen<R: Runtime>(app: AppHandle<R>) {
        let Ok(conn) = Connection::system() else {
            return;
        };
        let (sleep_conn, sleep_app) = (conn.clone(), app.clone());
        let _ = std::thread::Builder::new()
            .name("logind-sleep".into())
            .spawn(move || {
                let _ = watch_sleep(&sleep_conn, &sleep_app);
            });
        let Ok(session) = this_session(&conn) else {
            return;
        };
        let (lock_conn, lock_app, lock_session) = (conn.clone(), app.clone(), session.clone());
        let _ = std::thread::Builder::new()
            .name("logind-lock".into())
            .spawn(move || {
                let _ = watch_lock(&lock_conn, &lock_session, &lock_app);
            });
        let _ = std::thread::Builder::new()
            .name("logind-locked-hint".into())
            .spawn(move || {
                let _ = watch_locked_hint(&conn, &session, &app);
            });
    }

    /// `PrepareForSleep(true)`: the computer is about to sleep (false: it woke).
    fn watch_sleep<R: Runtime>(conn: &Connection, app: &AppHandle<R>) -> zbus::Result<()> {
        let manager = Proxy::new(conn, LOGIN1, MANAGER_PATH, MANAGER)?;
        for signal in manager.receive_signal("PrepareForSleep")? {
            let body = signal.body();
            if body.deserialize::<bool>().unwrap_or(false) {
                lock_for(app, LockReason::Suspend);
            }
        }
        Ok(())
    }

    /// The object path of the logind session this process runs in.
    fn this_session(conn: &Connection) -> zbus::Result<OwnedObjectPath> {
        let manager = Proxy::new(conn, LOGIN1, MANAGER_PATH, MANAGER)?;
        manager
            .call("GetSessionByPID", &(std::process::id(),))
            .or_else(|_| manager.call("GetSession", &("auto",)))
    }

    /// The session's `Lock` signal: the session is to be locked.
    fn watch_lock<R: Runtime>(
        conn: &Connection,
        session: &OwnedObjectPath,
        app: &AppHandle<R>,
    ) -> zbus::Result<()> {
        let proxy = Proxy::new(conn, LOGIN1, session.as_str(), SESSION)?;
        for _ in proxy.receive_signal("Lock")? {
            lock_for(app, LockReason::Session);
        }
        Ok(())
    }

    /// The session's `LockedHint` turning true: the desktop locked its screen.
    fn watch_locked_hint<R: Runtime>(
        conn: &Connection,
        session: &OwnedObjectPath,
        app: &AppHandle<R>,
    ) -> zbus::Result<()> {
        let proxy = Proxy::new(conn, LOGIN1, session.as_str(), PROPERTIES)?;
        for signal in proxy.receive_signal_with_args("PropertiesChanged", &[(0, SESSION)])? {
            let body = signal.body();
            let Ok((_, changed, _)) =
                body.deserialize::<(String, HashMap<String, OwnedValue>, Vec<String>)>()
            else {
                continue;
            };
            let locked = changed
                .get("LockedHint")
                .and_then(|v| bool::try_from(v).ok());
            if locked == Some(true) {
                lock_for(app, LockReason::Session);
            }
        }
        Ok(())
    }
}
