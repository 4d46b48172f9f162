//! The IPC bridge for the node UI tests (`tests/ui/bridge.mjs`): the real app, built on
//! Tauri's mock runtime as `tests/app.rs` builds it, answering IPC calls read as JSON
//! lines on stdin with JSON lines on stdout. Dev-only: a Cargo example of the root
//! package (`cargo build --example ipc-bridge`), never shipped.
//!
//! In, one JSON object a line:
//! - `{"id":N,"cmd":"app_status","args":{…}}`: an IPC call, as the window's
//!   `invoke(cmd, args)` makes it;
//! - `{"id":N,"harness":VERB,…}`: what a test needs that the window cannot do:
//!   `"reset"` (a fresh app: new data folder, nothing open, default settings; with
//!   `"keychain":"why"` one without a keychain), `"create"` (`name`, `passphrase`,
//!   `remember`: a register created as `create_register` does it, without its
//!   recovery-key dialog; answers `{path, recovery_key}`), `"fresh"` (`name`,
//!   `passphrase`: a new, empty register opened from the keychain, without the seconds
//!   a debug build spends deriving the key; answers `{path}`), `"idle"` (the register idle
//!   past its auto-lock time, then the auto-lock check; answers whether it locked).
//!
//! Out: `{"ready":{"dialogs":DIR}}` once (the folder the app's save and open dialogs
//! answer from, see `test_save_path`), then `{"id":N,"ok":VALUE}` or
//! `{"id":N,"err":ERROR}` per call, in the order they finish, and
//! `{"event":NAME,"payload":VALUE}` for each event the window listens to.
//!
//! Its files live in a temporary folder that it removes when stdin closes, then it exits.

use std::cell::{Cell, RefCell};
use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use privacy_register_app::AppState;
use privreg_core::{keychain, Passphrase};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager, WebviewWindow};

/// The events `ui/lib/ipc.js` listens to.
const EVENTS: [&str; 3] = ["register-locked", "menu", "csv-progress"];

type Out = Arc<Mutex<std::io::Stdout>>;

fn send(out: &Out, line: &Value) {
    let mut out = out.lock().unwrap_or_else(|p| p.into_inner());
    // A closed stdout means the test process is gone; stdin closes next.
    let _ = writeln!(out, "{line}").and_then(|_| out.flush());
}

/// One app as a fresh start of the program would have it.
struct Instance {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    /// Where `create` puts registers.
    files: PathBuf,
}

impl Instance {
    fn new(dir: &Path, keychain: Result<(), String>, out: &Out) -> Instance {
        let files = dir.join("files");
        std::fs::create_dir_all(&files).expect("create the bridge's folder");
        let state = AppState::new(keychain, Some(dir.join("appdata")));
        let app = privacy_register_app::builder(tauri::test::mock_builder(), state)
            .build(privacy_register_app::context())
            .expect("build the app on the mock runtime");
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("open the mock window");
        for name in EVENTS {
            let out = out.clone();
            app.listen_any(name, move |event| {
                let payload = serde_json::from_str::<Value>(event.payload()).unwrap_or(Value::Null);
                send(&out, &json!({ "event": name, "payload": payload }));
            });
        }
        Instance { app, window, files }
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }
}

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    match catch_unwind(AssertUnwindSafe(|| get_ipc_response(window, request))) {
        Ok(Ok(body)) => body
            .deserialize::<Value>()
            .map_err(|e| json!(format!("the answer to {cmd} is not JSON: {e}"))),
        Ok(Err(err)) => Err(err),
        Err(_) => Err(json!(format!("the command {cmd} panicked"))),
    }
}

/// The main thread's: it reads the input and answers the harness verbs; calls run on
/// threads of their own with a handle to the window.
struct Bridge {
    root: PathBuf,
    dialogs: PathBuf,
    out: Out,
    current: RefCell<Rc<Instance>>,
    /// Earlier instances stay alive (their auto-lock threads hold handles to them).
    retired: RefCell<Vec<Rc<Instance>>>,
    generation: Cell<u32>,
    /// The register `fresh` copies, and the passphrase it was made with.
    template: RefCell<Option<(PathBuf, String)>>,
}

impl Bridge {
    fn instance(&self) -> Rc<Instance> {
        self.current.borrow().clone()
    }

    fn next(&self) -> u32 {
        self.generation.set(self.generation.get() + 1);
        self.generation.get()
    }

    fn reset(&self, keychain: Result<(), String>) -> Result<Value, Value> {
        let n = self.next();
        // The open dialogs answer with the newest file there: start empty.
        let _ = std::fs::remove_dir_all(&self.dialogs);
        std::fs::create_dir_all(&self.dialogs).map_err(|e| json!(e.to_string()))?;
        let fresh = Rc::new(Instance::new(
            &self.root.join(format!("app-{n}")),
            keychain,
            &self.out,
        ));
        let old = self.current.replace(fresh);
        old.state().close();
        self.retired.borrow_mut().push(old);
        Ok(Value::Null)
    }

    fn harness(&self, verb: &str, line: &Value) -> Result<Value, Value> {
        match verb {
            "reset" => self.reset(match &line["keychain"] {
                Value::String(why) => Err(why.clone()),
                _ => Ok(()),
            }),
            "create" => {
                let instance = self.instance();
                let path = instance.files.join(file_name(line)?);
                let passphrase = Passphrase::new(line["passphrase"].as_str().unwrap_or_default());
                let remember = line["remember"].as_bool().unwrap_or(false);
                let recovery = instance
                    .state()
                    .create(&path, &passphrase, remember)
                    .map_err(|e| serde_json::to_value(e).unwrap_or(Value::Null))?;
                privacy_register_app::commands::update_title(
                    instance.app.handle(),
                    &instance.state(),
                );
                Ok(json!({ "path": path, "recovery_key": recovery.display().as_str() }))
            }
            "fresh" => {
                let instance = self.instance();
                let path = instance.files.join(file_name(line)?);
                let passphrase = line["passphrase"].as_str().unwrap_or_default();
                // A copy of a register created once, opened as a register whose key this
                // computer's keychain holds: a new, empty register without deriving a key
                // from the passphrase (seconds in a debug build) for every test.
                for stale in [false, true] {
                    let template = self.template(passphrase, stale)?;
                    std::fs::copy(&template, &path).map_err(|e| json!(e.to_string()))?;
                    let state = instance.state();
                    state
                        .open_path(&path)
                        .map_err(|e| serde_json::to_value(e).unwrap_or(Value::Null))?;
                    if state.status().state == "unlocked" {
                        privacy_register_app::commands::update_title(instance.app.handle(), &state);
                        return Ok(json!({ "path": path }));
                    }
                    // The keychain no longer holds the template's key (a test changed
                    // the passphrase or forgot the key): make a new template.
                }
                Err(json!(
                    "fresh: the register did not open from the keychain (none in this app?)"
                ))
            }
            "idle" => {
                let instance = self.instance();
                instance
                    .state()
                    .set_idle_for(Duration::from_secs(60 * 60 * 24));
                Ok(json!(privacy_register_app::lock_if_idle(
                    instance.app.handle()
                )))
            }
            other => Err(json!(format!("unknown harness verb {other:?}"))),
        }
    }
}

/// A file name for a register in the app's folder.
fn file_name(line: &Value) -> Result<&str, Value> {
    let name = line["name"].as_str().unwrap_or("register.privreg");
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(json!("a plain file name, please"));
    }
    Ok(name)
}

impl Bridge {
    /// The register `fresh` copies: created once with `passphrase` (again when `stale`),
    /// its key kept in the (mock) keychain, closed.
    fn template(&self, passphrase: &str, stale: bool) -> Result<PathBuf, Value> {
        if let Some((path, made_with)) = self.template.borrow().as_ref() {
            if !stale && made_with == passphrase {
                return Ok(path.clone());
            }
        }
        let n = self.next();
        let dir = self.root.join(format!("template-{n}"));
        std::fs::create_dir_all(&dir).map_err(|e| json!(e.to_string()))?;
        let path = dir.join("template.privreg");
        let fail = |e: privreg_core::Error| json!(format!("the template register: {e}"));
        let (reg, _) = privreg_core::Register::create(
            &path,
            &Passphrase::new(passphrase),
            Arc::new(privreg_core::SystemClock),
        )
        .map_err(fail)?;
        reg.remember_in_keychain(&keychain::SystemKeychain)
            .map_err(fail)?;
        reg.close().map_err(fail)?;
        *self.template.borrow_mut() = Some((path.clone(), passphrase.to_string()));
        Ok(path)
    }
}

fn main() {
    keychain::use_mock_store();
    let tmp = tempfile::Builder::new()
        .prefix("privreg-ipc-bridge-")
        .tempdir()
        .expect("a temporary folder");
    let root = tmp.path().to_path_buf();
    let dialogs = root.join("dialogs");
    std::fs::create_dir_all(&dialogs).expect("the dialogs folder");
    // Before any thread starts: the save and open dialogs answer from this folder.
    std::env::set_var("PRIVREG_TEST_SAVE_DIR", &dialogs);
    std::env::set_var("PRIVREG_TEST_OPEN_DIR", &dialogs);

    let out: Out = Arc::new(Mutex::new(std::io::stdout()));
    let first = Rc::new(Instance::new(&root.join("app-0"), Ok(()), &out));
    let bridge = Bridge {
        root,
        dialogs: dialogs.clone(),
        out: out.clone(),
        current: RefCell::new(first),
        retired: RefCell::new(Vec::new()),
        generation: Cell::new(0),
        template: RefCell::new(None),
    };
    send(&out, &json!({ "ready": { "dialogs": dialogs } }));
    let running = Arc::new(AtomicUsize::new(0));

    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let message: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                send(
                    &out,
                    &json!({ "id": null, "err": format!("not JSON: {e}") }),
                );
                continue;
            }
        };
        let id = message["id"].clone();
        if let Some(verb) = message["harness"].as_str() {
            // In order: a test waits for these before its next call.
            let answer = bridge.harness(verb, &message);
            send(&out, &reply(id, answer));
        } else if let Some(cmd) = message["cmd"].as_str() {
            // Each call on its own thread, as the window's calls run side by side (a
            // CSV import is cancelled while it runs).
            let cmd = cmd.to_string();
            let args = match message.get("args") {
                Some(Value::Object(_)) => message["args"].clone(),
                _ => json!({}),
            };
            let window = bridge.instance().window.clone();
            let out = out.clone();
            let running = Arc::clone(&running);
            running.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let answer = reply(id, call(&window, &cmd, args));
                send(&out, &answer);
                running.fetch_sub(1, Ordering::SeqCst);
            });
        } else {
            send(&out, &reply(id, Err(json!("neither cmd nor harness"))));
        }
    }
    // stdin closed: the test file is done. A call still running (a test that failed
    // while waiting) gets a moment to finish, so that nothing writes into the folder
    // as it is removed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while running.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    bridge.instance().state().close();
    let _ = tmp.close();
    std::process::exit(0);
}

fn reply(id: Value, answer: Result<Value, Value>) -> Value {
    match answer {
        Ok(value) => json!({ "id": id, "ok": value }),
        Err(err) => json!({ "id": id, "err": err }),
    }
}
