//! The desktop shell's commands through Tauri's IPC on the mock runtime: what the
//! window can ask, and what it gets back. (End-to-end tests of the real window are in
//! tests/e2e.rs.)

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use privacy_register_app::{locking, AppState, LockReason};
use privreg_core::{keychain, FixedClock, Passphrase};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager, WebviewWindow};

#[allow(dead_code)]
#[path = "support/damage.rs"]
mod damage;

const PASS: &str = "nordlys over Tromsø 7";

struct Harness {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness() -> Harness {
    harness_with(|appdata| AppState::new(Ok(()), Some(appdata)))
}

/// A harness whose idle time and auto-lock ticker run on `clock` (the registers keep
/// the system clock).
fn harness_with_clock(clock: Arc<FixedClock>) -> Harness {
    harness_with(move |appdata| AppState::with_clock(Ok(()), Some(appdata), clock))
}

fn harness_with(state: impl FnOnce(PathBuf) -> AppState) -> Harness {
    keychain::use_mock_store();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let state = state(dir.join("appdata"));
    let app = privacy_register_app::builder(tauri::test::mock_builder(), state)
        .build(privacy_register_app::context())
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: tmp,
        dir,
        app,
        window,
    }
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap())
    }
    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }
    /// A register created the way the create command does it (without its dialog).
    fn create(&self, name: &str, remember: bool) -> PathBuf {
        let path = self.dir.join(name);
        self.state()
            .create(&path, &Passphrase::new(PASS), remember)
            .unwrap();
        path
    }
}

fn sha(p: &Path) -> String {
    hex::encode(Sha256::digest(fs::read(p).unwrap()))
}

#[test]
fn lock_and_unlock_with_the_keychain_and_with_the_passphrase() {
    let h = harness();
    assert_eq!(h.ok("app_status", json!({}))["state"], "welcome");
    let path = h.create("kontor.privreg", true);
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["file_name"], "kontor.privreg");
    assert_eq!(status["keychain"]["has_key"], true);

    assert_eq!(h.ok("lock", json!({}))["state"], "locked");
    assert_eq!(
        h.call("overview", json!({})).unwrap_err()["kind"],
        "app.locked"
    );
    // Selecting the file again unlocks from the keychain without typing.
    let status = h.ok("open_register", json!({ "path": path }));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(
        h.state().title(),
        "kontor.privreg — Privacy Register",
        "the window title names the file"
    );

    h.ok("lock", json!({}));
    let err = h
        .call(
            "unlock",
            json!({ "passphrase": "not it at all", "remember_on_device": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "vault.wrong_passphrase");
    assert!(
        !err.to_string().contains("not it at all"),
        "the passphrase is not echoed"
    );
    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(status["state"], "unlocked");

    let overview = h.ok("overview", json!({}));
    assert_eq!(overview["counts"]["subjects"], 0);
    assert_eq!(overview["audit"]["first_broken"], Value::Null);
    assert_eq!(h.ok("close_register", json!({}))["state"], "welcome");
    assert_eq!(h.ok("app_status", json!({}))["recent"][0], json!(path));
}

#[test]
fn what_the_window_receives_holds_no_key_material() {
    let h = harness();
    h.create("k.privreg", true);
    h.ok("lock", json!({}));
    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": true }),
    );
    let id = privreg_core::register_id(&h.dir.join("k.privreg")).unwrap();
    let key = keychain::SystemKeychain.load_for_test(&id);
    let text = status.to_string() + &h.ok("overview", json!({})).to_string();
    assert!(!text.contains(&key), "the raw key reached the window");
    assert!(!text.contains(PASS));
}

trait LoadForTest {
    fn load_for_test(&self, id: &str) -> String;
}
impl LoadForTest for keychain::SystemKeychain {
    fn load_for_test(&self, id: &str) -> String {
        use keychain::Keychain;
        hex::encode(self.load(id).unwrap().as_bytes())
    }
}

#[test]
fn subjects_are_listed_and_searched_through_ipc() {
    let h = harness();
    h.create("s.privreg", false);
    h.state()
        .with_register(|reg| {
            for (name, email) in [
                ("Ærlige Åsmund", "asmund@example.no"),
                ("Ola Nordmann", "ola@example.no"),
            ] {
                reg.add_subject(&privreg_core::model::SubjectFields {
                    name: name.into(),
                    email: email.into(),
                    phone: String::new(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    let hits = h.ok("search_subjects", json!({ "query": "ÅSMUND", "limit": 10 }));
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["name"], "Ærlige Åsmund");
    let page = h.ok(
        "list_subjects",
        json!({ "offset": 0, "limit": 1, "sort": "name", "descending": false }),
    );
    assert_eq!(page["total"], 2);
    assert_eq!(
        page["items"][0]["name"], "Ola Nordmann",
        "Æ sorts after O, as in the Norwegian alphabet"
    );
    let err = h
        .call(
            "list_subjects",
            json!({ "offset": 0, "limit": 1, "sort": "shoe_size", "descending": true }),
        )
        .unwrap_err();
    assert!(err.to_string().contains("shoe_size"), "{err}");
}

#[test]
fn a_damaged_file_opens_read_only_and_is_not_written() {
    let h = harness();
    let path = h.create("d.privreg", false);
    h.state()
        .with_register(|reg| {
            let batch: Vec<_> = (0..200)
                .map(|i| {
                    (
                        privreg_core::model::SubjectFields {
                            name: format!("Person {i}"),
                            email: String::new(),
                            phone: String::new(),
                        },
                        vec![],
                    )
                })
                .collect();
            reg.add_subjects(&batch)?;
            Ok(())
        })
        .unwrap();
    h.ok("lock", json!({}));
    let mut bytes = fs::read(&path).unwrap();
    let page = bytes.len() / 4096 - 2;
    bytes[page * 4096 + 3000] ^= 0x42;
    fs::write(&path, bytes).unwrap();
    let damaged = sha(&path);

    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(status["read_only"], true);
    let err = h
        .state()
        .with_register(|reg| {
            reg.add_subject(&privreg_core::model::SubjectFields {
                name: "Ny".into(),
                ..Default::default()
            })
            .map(|_| ())
        })
        .unwrap_err();
    assert_eq!(err.kind, "vault.read_only");
    h.ok("lock", json!({}));
    assert_eq!(sha(&path), damaged);
}

#[test]
fn files_that_are_not_registers_are_refused_with_a_translatable_kind() {
    let h = harness();
    let text = h.dir.join("notes.privreg");
    fs::write(&text, "just some notes that are long enough? no").unwrap();
    let err = h
        .call("open_register", json!({ "path": text }))
        .unwrap_err();
    assert_eq!(err["kind"], "vault.not_a_register");
    let err = h
        .call(
            "open_register",
            json!({ "path": h.dir.join("missing.privreg") }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "vault.missing");
    assert_eq!(h.ok("app_status", json!({}))["state"], "welcome");
    let err = h
        .call(
            "unlock",
            json!({ "passphrase": PASS, "remember_on_device": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "app.no_register");
}

#[test]
fn idle_registers_lock_themselves() {
    let h = harness();
    h.create("idle.privreg", false);
    h.ok(
        "save_settings",
        json!({ "language": "nb", "auto_lock_minutes": 2 }),
    );
    h.state().set_idle_for(Duration::from_secs(90));
    assert!(!h.state().lock_if_idle(), "locked too early");
    h.ok("ping", json!({}));
    h.state().set_idle_for(Duration::from_secs(121));
    assert!(h.state().lock_if_idle());
    assert_eq!(h.ok("app_status", json!({}))["state"], "locked");
}

/// The reasons of every `register-locked` event the app sends from now on.
fn lock_reasons(h: &Harness) -> Arc<Mutex<Vec<String>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    h.app.listen_any("register-locked", move |event| {
        let payload: Value = serde_json::from_str(event.payload()).unwrap_or(Value::Null);
        let reason = payload["reason"].as_str().unwrap_or_default().to_string();
        sink.lock().unwrap().push(reason);
    });
    seen
}

fn state_of(h: &Harness) -> String {
    h.ok("app_status", json!({}))["state"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn idle_time_is_counted_by_the_wall_clock_so_time_asleep_counts() {
    // No real time passes in this test: only the wall clock moves, in steps the ticker
    // sees as ordinary (a monotonic clock, which stops while the computer sleeps, would
    // say nothing happened).
    let clock = Arc::new(FixedClock::at("2026-11-23T10:00:00Z"));
    let h = harness_with_clock(clock.clone());
    let reasons = lock_reasons(&h);
    h.create("wall.privreg", false);
    h.ok(
        "save_settings",
        json!({ "language": "en", "auto_lock_minutes": 2 }),
    );
    for _ in 0..3 {
        clock.advance(chrono::Duration::seconds(30));
        locking::tick(h.app.handle());
    }
    assert_eq!(state_of(&h), "unlocked", "locked after 90 s of 120");
    // Activity starts the count again.
    h.ok("ping", json!({}));
    for _ in 0..3 {
        clock.advance(chrono::Duration::seconds(30));
        locking::tick(h.app.handle());
    }
    assert_eq!(
        state_of(&h),
        "unlocked",
        "the ping did not count as activity"
    );
    clock.advance(chrono::Duration::seconds(30));
    locking::tick(h.app.handle());
    assert_eq!(state_of(&h), "locked");
    assert_eq!(*reasons.lock().unwrap(), ["idle"]);
}

#[test]
fn a_computer_that_slept_is_locked_when_it_wakes_whatever_the_idle_limit() {
    let clock = Arc::new(FixedClock::at("2026-11-23T10:00:00Z"));
    let h = harness_with_clock(clock.clone());
    let reasons = lock_reasons(&h);
    h.create("sleep.privreg", false);
    h.ok(
        "save_settings",
        json!({ "language": "en", "auto_lock_minutes": 240 }),
    );
    locking::tick(h.app.handle());
    clock.advance(chrono::Duration::seconds(5));
    assert_eq!(locking::tick(h.app.handle()), None, "an ordinary tick");
    assert_eq!(state_of(&h), "unlocked");
    // The lid is closed for two hours, less than the four the idle limit allows: the
    // ticker's wall clock jumped far past its five seconds.
    clock.advance(chrono::Duration::hours(2));
    locking::tick(h.app.handle());
    assert_eq!(state_of(&h), "locked");
    assert_eq!(*reasons.lock().unwrap(), ["suspend"]);
    assert_eq!(LockReason::Suspend.code(), "suspend");
}

#[test]
fn closing_the_window_makes_the_days_backup_then_locks() {
    let h = harness();
    let reasons = lock_reasons(&h);
    h.create("close.privreg", false);
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann" }, "records": [] }),
    );
    let dir = h.dir.join("backups");
    fs::create_dir_all(&dir).unwrap();
    h.state()
        .with_register(|reg| reg.set_backup_dir(&dir))
        .unwrap();

    assert!(locking::lock_on_close(h.app.handle()));
    assert_eq!(state_of(&h), "locked");
    assert_eq!(*reasons.lock().unwrap(), ["close"]);
    let backups: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "privreg"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    // The backup was made before the key was forgotten, and holds the person.
    let copy = privreg_core::Register::open(
        &backups[0],
        privreg_core::Unlock::Passphrase(&Passphrase::new(PASS)),
        Arc::new(privreg_core::SystemClock),
    )
    .unwrap();
    assert_eq!(copy.counts().unwrap().subjects, 1);
    // The app's exit after the window closed finds nothing to lock and backs up nothing.
    assert!(!locking::lock_on_close(h.app.handle()));
    let after = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "privreg"))
        .count();
    assert_eq!(after, backups.len(), "no second backup");
}

/// A damaged register (a flipped byte) opens read-only; its intact people are listed,
/// viewed and exported, and each view and export goes into the side log beside the file
/// (no personal data) and into the report. Once an intact copy is back in place, the
/// next open writes them into the audit log and removes the side log.
#[test]
fn a_damaged_register_shows_and_exports_its_intact_people_and_logs_it_aside() {
    let h = harness();
    let dir = dialog_dir();
    let path = h.dir.join("rescue.privreg");
    let damaged = damage::register_with_a_damaged_page(&path, PASS);
    let kari = damaged.kari;
    let as_damaged = sha(&path);
    h.ok("open_register", json!({ "path": path }));
    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(status["read_only"], true);
    let page = h.ok(
        "list_subjects",
        json!({ "offset": 0, "limit": 50, "sort": "name", "descending": false }),
    );
    assert_eq!(page["items"][0]["name"], "Kari Nordmann", "{page}");
    let view = h.ok("view_subject", json!({ "id": kari }));
    assert_eq!(view["subject"]["name"], "Kari Nordmann");
    let exported = h.ok(
        "export_access",
        json!({ "subject_id": kari, "format": "json", "lang": "en" }),
    );
    let file = PathBuf::from(exported["path"].as_str().unwrap());
    assert!(file.starts_with(&dir));
    let report: Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert!(report.to_string().contains("Kari Nordmann"));
    let note = &report["audit"]["read_only"];
    assert_eq!(
        note["side_log"], "rescue.privreg.side-log.jsonl",
        "{report}"
    );
    assert!(note["statement"]
        .as_str()
        .unwrap()
        .contains("damaged register"));
    // The whole register as JSON needs every table whole, and is refused.
    let err = h.call("export_register", json!({})).unwrap_err();
    assert_eq!(err["kind"], "vault.read_only");

    let side_log = h.dir.join("rescue.privreg.side-log.jsonl");
    let text = fs::read_to_string(&side_log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<(&str, i64)> = lines
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap(),
                l["subject_id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("subject.viewed", kari), ("report.created", kari)],
        "{text}"
    );
    assert!(
        !text.contains("Kari") && !text.contains("kari@"),
        "personal data in the side log: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&side_log).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }
    // Others were lost: the rest of the list reaches the damaged page. (Last: once
    // SQLCipher has read a page that fails its HMAC, the connection refuses every
    // further read until the register is opened again.)
    let err = h
        .call(
            "list_subjects",
            json!({ "offset": 49, "limit": 500, "sort": "name", "descending": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "vault.damaged", "{err}");
    h.ok("lock", json!({}));
    assert_eq!(sha(&path), as_damaged, "the damaged file was written");

    // An intact copy back in place: the next open writes what was logged aside.
    fs::write(&path, &damaged.good).unwrap();
    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(status["read_only"], false);
    assert!(!side_log.exists(), "the side log was not removed");
    let history = h
        .state()
        .with_register(|reg| reg.audit_log(privreg_core::AuditFilter::Subject(kari), 50))
        .unwrap();
    for action in ["subject.viewed", "report.created"] {
        let ev = history
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| panic!("no {action} in {history:?}"));
        assert!(ev.fields.iter().any(|f| f == "side_log"), "{:?}", ev.fields);
        assert!(
            ev.fields.iter().any(|f| f.starts_with("logged_at:")),
            "{:?}",
            ev.fields
        );
    }
    let check = h.state().with_register(|reg| reg.verify_audit()).unwrap();
    assert!(check.first_broken.is_none());
}

#[test]
fn settings_are_checked_and_remembered() {
    let h = harness();
    let err = h
        .call(
            "save_settings",
            json!({ "language": "de", "auto_lock_minutes": 5 }),
        )
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["details"]["field"].as_str()),
        (Some("input.invalid"), Some("language"))
    );
    let err = h
        .call(
            "save_settings",
            json!({ "language": "nb", "auto_lock_minutes": 0 }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "auto_lock_minutes");
    let status = h.ok(
        "save_settings",
        json!({ "language": "nb", "auto_lock_minutes": 15 }),
    );
    assert_eq!(
        status["settings"],
        json!({ "language": "nb", "auto_lock_minutes": 15 })
    );
    // A new start of the app reads them back.
    let again = AppState::new(Ok(()), Some(h.dir.join("appdata")));
    assert_eq!(again.status().settings.language, "nb");
    assert_eq!(again.status().settings.auto_lock_minutes, 15);
}

#[test]
fn without_a_keychain_the_passphrase_is_asked_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let state = AppState::new(
        Err("no Secret Service on this computer".into()),
        Some(tmp.path().join("a")),
    );
    let path = tmp.path().join("r.privreg");
    state.create(&path, &Passphrase::new(PASS), true).unwrap();
    let st = state.status();
    assert!(!st.keychain.available);
    assert!(st.keychain.message.unwrap().contains("Secret Service"));
    state.lock();
    state.open_path(&path).unwrap();
    assert_eq!(
        state.status().state,
        "locked",
        "nothing to unlock with but the passphrase"
    );
    state.unlock(&Passphrase::new(PASS), true).unwrap();
    assert_eq!(state.status().state, "unlocked");
}

#[test]
fn the_demo_register_opens_with_synthetic_data() {
    let h = harness();
    let status = h.ok("open_demo", json!({}));
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["file_name"], "demo.privreg");
    let overview = h.ok("overview", json!({}));
    assert_eq!(overview["counts"]["subjects"], 300);
    assert!(overview["counts"]["activities"].as_i64().unwrap() >= 10);
    assert!(overview["controller"]["organisation"]
        .as_str()
        .unwrap()
        .contains("Fjordlys"));
    // Opening it again reuses the file.
    h.ok("close_register", json!({}));
    assert_eq!(h.ok("open_demo", json!({}))["state"], "unlocked");
    assert_eq!(h.ok("overview", json!({}))["counts"]["subjects"], 300);
}

/// The new-person form asks before a second record of someone is made; the demo's one
/// person registered twice is merged from her page.
#[test]
fn a_possible_duplicate_is_found_before_saving_and_the_demo_pair_is_merged_through_ipc() {
    let h = harness();
    h.ok("open_demo", json!({}));
    // Her mobile number as a third person would type it.
    let found = h.ok(
        "possible_duplicates",
        json!({ "subject": { "name": "I. Solheim", "email": "", "phone": "+47 41 55 52 10" } }),
    );
    let found = found.as_array().unwrap();
    let names: Vec<&str> = found
        .iter()
        .map(|m| m["summary"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ingrid Solheim", "Ingrid M. Solheim"]);
    assert!(found
        .iter()
        .all(|m| m["by_phone"] == true && m["by_email"] == false));
    let keep = found[0]["subject_id"].as_i64().unwrap();
    let other = found[1]["subject_id"].as_i64().unwrap();
    let by_email = h.ok(
        "possible_duplicates",
        json!({ "subject": { "name": "x", "email": "Ingrid.Solheim@EXAMPLE.no", "phone": "" } }),
    );
    assert_eq!(by_email.as_array().unwrap().len(), 1);
    assert_eq!(by_email[0]["subject_id"], keep);
    let nobody = h.ok(
        "possible_duplicates",
        json!({ "subject": { "name": "Ny Person", "email": "ny.person@example.no", "phone": "" } }),
    );
    assert_eq!(nobody, json!([]));

    let preview = h.ok("merge_preview", json!({ "keep": keep, "other": other }));
    assert_eq!(preview["keep"]["name"], "Ingrid Solheim");
    assert_eq!(preview["other"]["name"], "Ingrid M. Solheim");
    let records = preview["moves"]["records"].as_i64().unwrap();
    assert!(records > 0);
    let phone = preview["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "phone")
        .unwrap()
        .clone();
    assert_eq!(phone["outcome"], "same", "one number, written two ways");
    let err = h
        .call("merge_preview", json!({ "keep": keep, "other": keep }))
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    let err = h
        .call(
            "merge_subjects",
            json!({ "keep": keep, "other": other, "reason": " " }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    assert_eq!(err["details"]["field"], "reason");

    let done = h.ok(
        "merge_subjects",
        json!({ "keep": keep, "other": other, "reason": "The same person, from the course portal" }),
    );
    assert_eq!(done["receipt"]["kept"], keep);
    assert_eq!(done["receipt"]["merged"], other);
    assert_eq!(done["receipt"]["moved"]["records"], records);
    assert_eq!(done["page"]["subject"]["id"], keep);
    assert_eq!(done["page"]["history"][0]["action"], "subject.merged");
    let err = h.call("view_subject", json!({ "id": other })).unwrap_err();
    assert_eq!(err["kind"], "not_found");
    let overview = h.ok("overview", json!({}));
    assert_eq!(overview["counts"]["subjects"], 299);

    // Locked, the window can ask nothing.
    h.ok("lock", json!({}));
    let err = h
        .call(
            "possible_duplicates",
            json!({ "subject": { "name": "x", "email": "a@b.no", "phone": "" } }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "app.locked");
}

#[test]
fn the_window_cannot_call_what_the_capability_does_not_list() {
    let h = harness();
    // The dialog plugin is loaded for Rust's use; its commands are not the window's.
    let err = h
        .call("plugin:dialog|open", json!({ "options": {} }))
        .unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
    let err = h
        .call("plugin:dialog|message", json!({ "message": "hi" }))
        .unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
    // No file-system or shell plugin exists at all.
    assert!(h
        .call("plugin:fs|read_file", json!({ "path": "/etc/passwd" }))
        .is_err());
    assert!(h
        .call("plugin:shell|execute", json!({ "program": "sh" }))
        .is_err());
}

#[test]
fn a_subject_page_is_viewed_rectified_and_erased_through_ipc() {
    use privreg_core::model::*;
    let h = harness();
    h.create("p.privreg", false);
    let (subject, record) = h
        .state()
        .with_register(|reg| {
            let p = reg.add_processor(&Processor {
                name: "Mintra Trainingportal".into(),
                ..Default::default()
            })?;
            let activity = reg.add_activity(&Activity {
                name: "Kurs".into(),
                data_categories: vec![DataCategory::new("Fødselsdato", CategoryGroup::Identity)],
                processor_ids: vec![p.id],
                ..Default::default()
            })?;
            let s = reg.add_subject(&SubjectFields {
                name: "Åse Ødegård".into(),
                email: "ase@example.no".into(),
                phone: String::new(),
            })?;
            let r = reg.add_record(
                s.id,
                &NewRecord {
                    activity_id: activity.id,
                    category: "Fødselsdato".into(),
                    value: "1980-02-29".into(),
                    source: String::new(),
                    collected_on: None,
                },
            )?;
            Ok((s.id, r.id))
        })
        .unwrap();

    let page = h.ok("view_subject", json!({ "id": subject }));
    assert_eq!(page["subject"]["name"], "Åse Ødegård");
    assert_eq!(page["records"][0]["value"], "1980-02-29");
    assert_eq!(page["activities"][0]["name"], "Kurs");
    assert_eq!(page["history"][0]["action"], "subject.viewed");

    let err = h
        .call("rectify_subject", json!({ "id": subject, "name": "Åse Ødegård", "email": "not an email", "phone": "", "reason": "typo" }))
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["details"]["field"].as_str()),
        (Some("input.invalid"), Some("email"))
    );
    let err = h
        .call("rectify_subject", json!({ "id": subject, "name": "Åse Ødegård", "email": "ase@fjord.no", "phone": "", "reason": "" }))
        .unwrap_err();
    assert_eq!(err["details"]["field"], "reason");
    let page = h.ok(
        "rectify_subject",
        json!({ "id": subject, "name": "Åse Ødegård", "email": "ase@fjord.no", "phone": "", "reason": "new address, by phone" }),
    );
    assert_eq!(page["subject"]["email"], "ase@fjord.no");
    // Art. 19: the page lists the recipients now to be told of the correction.
    assert_eq!(page["history"][0]["action"], "notifications.created");
    assert_eq!(page["history"][1]["action"], "subject.rectified");
    assert_eq!(page["history"][1]["fields"], json!(["email"]));
    let tasks = page["notifications"].as_array().unwrap();
    assert!(!tasks.is_empty());
    assert!(tasks.iter().all(|n| n["cause"] == "rectification"
        && n["status"] == "open"
        && n["subject_name"] == "Åse Ødegård"));

    let page = h.ok(
        "rectify_record",
        json!({ "id": record, "value": "1980-03-01", "reason": "wrong date" }),
    );
    assert_eq!(page["records"][0]["value"], "1980-03-01");
    let page = h.ok(
        "delete_record",
        json!({ "id": record, "reason": "no longer needed" }),
    );
    assert_eq!(page["records"], json!([]));

    let summary = h.ok(
        "erase_subject",
        json!({ "id": subject, "reason": "request by e-mail" }),
    );
    assert_eq!(summary["subject_id"], subject);
    assert_eq!(
        h.call("view_subject", json!({ "id": subject }))
            .unwrap_err()["kind"],
        "not_found"
    );
    assert_eq!(
        h.ok(
            "search_subjects",
            json!({ "query": "ødegård", "limit": 10 })
        ),
        json!([])
    );
}

#[test]
fn the_passphrase_is_changed_and_the_keychain_follows() {
    let h = harness();
    let path = h.create("pw.privreg", true);
    let wrong = h
        .state()
        .change_passphrase(
            &Passphrase::new("not the passphrase"),
            &Passphrase::new("ny og lang passordfrase"),
        )
        .unwrap_err();
    assert_eq!(wrong.kind, "vault.wrong_passphrase");
    let weak = h
        .state()
        .change_passphrase(&Passphrase::new(PASS), &Passphrase::new("kort"))
        .unwrap_err();
    assert_eq!(weak.kind, "vault.weak_passphrase");
    h.state()
        .change_passphrase(
            &Passphrase::new(PASS),
            &Passphrase::new("ny og lang passordfrase"),
        )
        .unwrap();

    // The keychain holds the new key: selecting the file unlocks it.
    h.ok("lock", json!({}));
    assert_eq!(
        h.ok("open_register", json!({ "path": path }))["state"],
        "unlocked"
    );
    // The old passphrase no longer opens it; the new one does.
    h.ok("lock", json!({}));
    let err = h
        .call(
            "unlock",
            json!({ "passphrase": PASS, "remember_on_device": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "vault.wrong_passphrase");
    h.ok(
        "unlock",
        json!({ "passphrase": "ny og lang passordfrase", "remember_on_device": false }),
    );

    // Forgetting the key: the next selection asks for the passphrase.
    let status = h.ok("set_keychain", json!({ "remember": false }));
    assert_eq!(status["keychain"]["has_key"], false);
    h.ok("lock", json!({}));
    assert_eq!(
        h.ok("open_register", json!({ "path": path }))["state"],
        "locked"
    );
    h.ok(
        "unlock",
        json!({ "passphrase": "ny og lang passordfrase", "remember_on_device": false }),
    );
    assert_eq!(
        h.ok("set_keychain", json!({ "remember": true }))["keychain"]["has_key"],
        true
    );
}

#[test]
fn the_controller_profile_is_saved_and_checked() {
    let h = harness();
    h.create("c.privreg", false);
    assert_eq!(h.ok("controller_profile", json!({})), Value::Null);
    let mut c = json!({
        "organisation": "ProsessPilotene AS", "org_number": "897 658 372", "address": "Oslo",
        "email": "post@example.no", "phone": "+47 22 00 00 00", "website": "",
        "contact_person": { "name": "Daglig leder", "email": "", "phone": "", "address": "" },
        "dpo": null, "representative": null, "supervisory_authority": "Datatilsynet"
    });
    let saved = h.ok("save_controller", json!({ "controller": c }));
    assert_eq!(saved["organisation"], "ProsessPilotene AS");
    assert_eq!(
        h.ok("controller_profile", json!({}))["org_number"],
        "897 658 372"
    );
    assert_eq!(
        h.ok("overview", json!({}))["controller"]["organisation"],
        "ProsessPilotene AS"
    );

    c["email"] = json!("post(at)example.no");
    let err = h
        .call("save_controller", json!({ "controller": c }))
        .unwrap_err();
    assert_eq!(err["details"]["field"], "email");
    c["email"] = json!("post@example.no");
    c["organisation"] = json!("  ");
    let err = h
        .call("save_controller", json!({ "controller": c }))
        .unwrap_err();
    assert_eq!(err["details"]["field"], "organisation");
    assert_eq!(
        h.ok("controller_profile", json!({}))["organisation"],
        "ProsessPilotene AS",
        "nothing changed"
    );
}

#[test]
fn activities_start_from_templates_and_processors_are_kept_in_step() {
    let h = harness();
    h.create("a.privreg", false);
    h.ok(
        "save_settings",
        json!({ "language": "nb", "auto_lock_minutes": 5 }),
    );
    let list = h.ok("activity_templates", json!({}));
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Kurs og opplæring"), "{titles:?}");
    assert!(titles.contains(&"Nyhetsbrev"), "{titles:?}");

    // From a template: filled in, in Norwegian, with its processors still to be added.
    let form = h.ok("new_activity", json!({ "template": "courses" }));
    assert_eq!(form["id"], Value::Null);
    assert_eq!(form["activity"]["name"], "Kurs og opplæring");
    assert_eq!(form["activity"]["status"], "draft");
    assert!(!form["activity"]["purposes"].as_array().unwrap().is_empty());
    // Its retention and its DPIA and automated-decision answers are proposals to confirm.
    assert_eq!(
        form["activity"]["proposals"],
        json!(["retention", "dpia", "automated_decisions"])
    );
    assert_eq!(form["new_processors"][0]["name"], "Mintra Trainingportal");
    let mut activity = form["activity"].clone();
    activity["name"] = json!("Kurs i prosessforbedring");
    let saved = h.ok(
        "save_activity",
        json!({ "id": null, "activity": activity, "new_processors": form["new_processors"] }),
    );
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(saved["name"], "Kurs i prosessforbedring");
    let processors = h.ok("list_processors", json!({}));
    assert_eq!(processors[0]["name"], "Mintra Trainingportal");
    assert_eq!(processors[0]["activities"][0]["id"], id);

    // The same template again links the processor that is there now.
    let again = h.ok("new_activity", json!({ "template": "courses" }));
    assert_eq!(again["new_processors"], json!([]));
    assert_eq!(
        again["activity"]["processor_ids"],
        json!([processors[0]["id"]])
    );

    // Approving without the Art. 30 fields names the first one missing; nothing changes.
    let mut edit = h.ok("edit_activity", json!({ "id": id }));
    edit["activity"]["status"] = json!("approved");
    edit["activity"]["security_measures"] = json!([]);
    let err = h
        .call(
            "save_activity",
            json!({ "id": id, "activity": edit["activity"], "new_processors": [] }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    assert_eq!(err["details"]["field"], "security_measures");
    let summary = &h.ok("list_activities", json!({}))[0];
    assert_eq!(summary["status"], "draft");

    // A person with a record in it; then the activity and its processor are in use.
    let subject = h.ok(
        "add_subject",
        json!({
            "subject": { "name": "Åse Øvrebø", "email": "ase@example.no", "phone": "" },
            "records": [{ "activity_id": id, "category": edit["activity"]["data_categories"][0]["name"],
                          "value": "Kurs 12. mars", "source": "Mintra", "collected_on": "2026-03-12" }]
        }),
    );
    let page = h.ok("view_subject", json!({ "id": subject }));
    assert_eq!(page["records"][0]["value"], "Kurs 12. mars");
    let edit = h.ok("edit_activity", json!({ "id": id }));
    assert_eq!(edit["records"], 1);
    assert_eq!(
        edit["categories_in_use"],
        json!([edit["activity"]["data_categories"][0]["name"]])
    );
    assert_eq!(
        h.call("delete_activity", json!({ "id": id })).unwrap_err()["kind"],
        "in_use"
    );
    let pid = processors[0]["id"].clone();
    assert_eq!(
        h.call("delete_processor", json!({ "id": pid }))
            .unwrap_err()["kind"],
        "in_use"
    );

    // A processor of its own: added, renamed, and deleted while unused.
    let p = h.ok(
        "save_processor",
        json!({ "id": null, "processor": { "name": "Regnskapsbyrå", "country": "Norge", "role": "processor",
                "dpa_reference": "", "contact": "", "notes": "" } }),
    );
    let mut body = p.clone();
    body["name"] = json!("Regnskapsbyrået AS");
    let renamed = h.ok(
        "save_processor",
        json!({ "id": p["id"], "processor": body }),
    );
    assert_eq!(renamed["name"], "Regnskapsbyrået AS");
    let err = h
        .call(
            "save_processor",
            json!({ "id": p["id"], "processor": { "name": " " } }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "name");
    h.ok("delete_processor", json!({ "id": p["id"] }));
    assert_eq!(
        h.ok("list_processors", json!({})).as_array().unwrap().len(),
        1
    );

    // A person whose record names a category the activity does not have is refused whole.
    let err = h
        .call(
            "add_subject",
            json!({ "subject": { "name": "Ola" }, "records": [{ "activity_id": id, "category": "Skostørrelse", "value": "44" }] }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    assert_eq!(h.ok("overview", json!({}))["counts"]["subjects"], 1);
}

#[test]
fn locking_backs_up_once_a_day_into_the_chosen_folder() {
    let h = harness();
    h.create("b.privreg", false);
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann" }, "records": [] }),
    );
    let status = h.ok("backup_status_of", json!({}));
    assert_eq!(status["dir"], Value::Null);
    assert_eq!(status["last_backup_on"], Value::Null);
    let err = h.call("backup_now", json!({})).unwrap_err();
    assert_eq!(err["details"]["field"], "backup_dir");

    let dir = h.dir.join("backups");
    fs::create_dir_all(&dir).unwrap();
    h.state()
        .with_register(|reg| reg.set_backup_dir(&dir))
        .unwrap();
    // Locking makes the day's backup...
    h.ok("lock", json!({}));
    h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    let status = h.ok("backup_status_of", json!({}));
    assert_eq!(status["backups"].as_array().unwrap().len(), 1, "{status}");
    assert!(status["last_backup_on"].is_string());
    // ...and only one a day; "Back up now" makes another.
    h.ok("lock", json!({}));
    h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(
        h.ok("backup_status_of", json!({}))["backups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let status = h.ok("backup_now", json!({}));
    assert_eq!(status["backups"].as_array().unwrap().len(), 2);
    // A backup opens with the passphrase and holds the person.
    let name = status["backups"][1].as_str().unwrap();
    let copy = privreg_core::Register::open(
        &dir.join(name),
        privreg_core::Unlock::Passphrase(&Passphrase::new(PASS)),
        std::sync::Arc::new(privreg_core::SystemClock),
    )
    .unwrap();
    assert_eq!(copy.counts().unwrap().subjects, 1);
}

#[test]
fn records_past_retention_are_listed_and_erased_by_activity() {
    let h = harness();
    h.create("r.privreg", false);
    let activity = h.ok(
        "save_activity",
        json!({ "id": null, "new_processors": [], "activity": {
            "name": "Contact form", "purposes": ["Answer enquiries"], "legal_bases": ["legitimate_interests"],
            "data_categories": [{ "name": "Message", "group": "other",
                "retention": { "trigger": "collected", "duration": { "amount": 1, "unit": "years" }, "justification": "" } }] } }),
    );
    let aid = activity["id"].clone();
    let record = |value: &str, on: &str| json!({ "activity_id": aid, "category": "Message", "value": value, "collected_on": on });
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Old Enquirer" }, "records": [record("Question from 2020", "2020-02-01")] }),
    );
    let today = chrono::Local::now().date_naive().to_string();
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "New Enquirer" }, "records": [record("Question from today", &today)] }),
    );

    let queue = h.ok("retention_queue", json!({}));
    assert_eq!(queue["total"], 1, "{queue}");
    let item = &queue["groups"][0]["items"][0];
    assert_eq!(item["subject_name"], "Old Enquirer");
    assert_eq!(item["due_on"], "2021-02-01");

    let err = h
        .call(
            "apply_retention",
            json!({ "selection": { "records": [] }, "action": "erase", "note": "" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "records");
    let done = h.ok(
        "apply_retention",
        json!({ "selection": { "activity": aid }, "action": "erase", "note": "yearly clean-up" }),
    );
    assert_eq!(done["outcome"]["records"], 1);
    assert_eq!(
        done["outcome"]["erased_subjects"].as_array().unwrap().len(),
        1
    );
    assert_eq!(done["queue"]["total"], 0);
    let hits = h.ok(
        "search_subjects",
        json!({ "query": "enquirer", "limit": 10 }),
    );
    let names: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["New Enquirer"]);
}

/// The folder native dialogs answer from in these tests (see `test_save_path` and
/// `test_open_path`): one per test process, since the answer comes from the
/// environment; the CSV test below and the breach test use it.
fn dialog_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("privreg-dialogs-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        std::env::set_var("PRIVREG_TEST_SAVE_DIR", &dir);
        std::env::set_var("PRIVREG_TEST_OPEN_DIR", &dir);
        dir
    })
    .clone()
}

fn audit_events(h: &Harness) -> i64 {
    h.state()
        .with_register(|reg| reg.verify_audit().map(|c| c.events))
        .unwrap()
}

/// The overview's "Check against an earlier report": an Art. 30 record saved as JSON,
/// more changes, then the report chosen in the open dialog and its head pasted as
/// HASH:COUNT (intact); a head the log never reached, another hash at the count and a
/// malformed head; and the audit checkpoint that the next session's first check starts
/// from.
#[test]
fn an_earlier_report_is_checked_against_the_register_through_ipc() {
    let h = harness();
    let dir = dialog_dir();
    let path = h.create("rapportert.privreg", true);
    let first = h.ok("overview", json!({}));
    assert_eq!(
        first["audit"]["checkpoint"]["state"], "absent",
        "a new register has none yet: {first}"
    );
    let saved = h.ok("export_art30", json!({ "format": "json", "lang": "nb" }));
    let report = PathBuf::from(saved["path"].as_str().unwrap());
    assert!(report.starts_with(&dir), "{saved}");
    // The open dialog answers with the newest .json in the shared folder: this one,
    // whatever another test saves there meanwhile.
    fs::File::options()
        .write(true)
        .open(&report)
        .unwrap()
        .set_modified(SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    let hash = saved["audit_head"].as_str().unwrap().to_string();
    let events = saved["audit_events"].as_i64().unwrap();
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann" }, "records": [] }),
    );

    let checked = h.ok("check_against_report", json!({}));
    assert_eq!(checked["outcome"], "intact", "{checked}");
    assert_eq!(checked["head"], json!({ "hash": hash, "events": events }));
    assert!(
        checked["log_events"].as_i64().unwrap() > events,
        "the changes after the report are in the log: {checked}"
    );
    assert_eq!(checked["chain"]["first_broken"], Value::Null);
    let pasted = h.ok(
        "check_against_head",
        json!({ "head": format!(" {}:{events}\n", hash.to_uppercase()) }),
    );
    assert_eq!(pasted["outcome"], "intact", "{pasted}");
    let beyond = h.ok(
        "check_against_head",
        json!({ "head": format!("{hash}:{}", events + 1000) }),
    );
    assert_eq!(beyond["outcome"], "beyond_log");
    let other = h.ok(
        "check_against_head",
        json!({ "head": format!("{}:{events}", "0".repeat(64)) }),
    );
    assert_eq!(other["outcome"], "changed");
    let err = h
        .call("check_against_head", json!({ "head": "Kari Nordmann:3" }))
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["details"]["field"].as_str()),
        (Some("input.invalid"), Some("head"))
    );
    assert!(!err.to_string().contains("Kari"), "{err}");

    // The writes above stored the checkpoint: the next session's first check starts
    // from it, and finds the chain intact.
    h.ok("lock", json!({}));
    assert_eq!(
        h.ok("open_register", json!({ "path": path }))["state"],
        "unlocked"
    );
    let next = h.ok("overview", json!({}));
    let checkpoint = &next["audit"]["checkpoint"];
    assert_eq!(
        (checkpoint["state"].as_str(), checkpoint["used"].as_bool()),
        (Some("valid"), Some(true)),
        "{next}"
    );
    assert!(checkpoint["events"].as_i64().unwrap() >= events);
    assert_eq!(next["audit"]["first_broken"], Value::Null);
}

#[test]
fn a_csv_file_is_previewed_checked_imported_and_the_register_saved_through_ipc() {
    let h = harness();
    let dir = dialog_dir();
    h.create("csv.privreg", false);
    let activity = h.ok(
        "save_activity",
        json!({ "id": null, "new_processors": [], "activity": {
            "name": "Nyhetsbrev", "purposes": ["Sende nyhetsbrev"], "legal_bases": ["consent"],
            "data_categories": [{ "name": "E-post", "group": "connection_data" }, { "name": "Interesser", "group": "other" }] } }),
    );
    let aid = activity["id"].as_i64().unwrap();

    // Excel's "CSV" on a Norwegian Windows: semicolons, Windows-1252.
    let text = "Fornavn;Etternavn;E-post;Interesser\r\n\
                Åse;Ødegård;ase@example.no;Kurs\r\n\
                Bjørn;Dæhlie;bjorn@example.no;Ski\r\n\
                Åse;Ødegård;ASE@example.no ;Kurs igjen\r\n\
                ;;;\r\n\
                Per;;ikke-en-adresse;Kaffe\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'Å' => 0xC5,
            'Ø' => 0xD8,
            'ø' => 0xF8,
            'æ' => 0xE6,
            'å' => 0xE5,
            c => c as u8,
        })
        .collect();
    fs::write(dir.join("nyhetsbrev.csv"), &bytes).unwrap();

    let opened = h.ok("csv_choose", json!({ "activity_id": aid }));
    assert_eq!(opened["file_name"], "nyhetsbrev.csv");
    assert_eq!(opened["encoding"], "windows1252", "{opened}");
    assert_eq!(opened["delimiter"], ";");
    assert_eq!(
        opened["headers"],
        json!(["Fornavn", "Etternavn", "E-post", "Interesser"])
    );
    assert_eq!(
        opened["rows"][0],
        json!(["Åse", "Ødegård", "ase@example.no", "Kurs"])
    );
    assert_eq!(opened["total_rows"], 5, "a line of empty fields is a row");
    assert_eq!(opened["remembered"], false);
    assert_eq!(opened["activity"], "Nyhetsbrev");
    assert_eq!(opened["categories"], json!(["E-post", "Interesser"]));
    let mapping = opened["mapping"].clone();
    let targets = |m: &Value, col: &str| -> Vec<Value> {
        m["columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["column"] == col)
            .map(|c| c["target"].clone())
            .collect()
    };
    assert_eq!(targets(&mapping, "Fornavn"), [json!("first_name")]);
    assert!(
        targets(&mapping, "E-post").contains(&json!("email")),
        "{mapping}"
    );

    // The dry run counts and writes nothing.
    assert_eq!(
        targets(&mapping, "Interesser"),
        [json!({ "category": "Interesser" })],
        "a column named like a data category is suggested for it"
    );
    // The user sends the phone-less file's e-mail column to the subject only.
    let mut mapping = mapping;
    mapping["columns"]
        .as_array_mut()
        .unwrap()
        .retain(|c| !(c["column"] == "E-post" && c["target"] != json!("email")));
    let before = audit_events(&h);
    let plan = h.ok(
        "csv_plan",
        json!({ "activity_id": aid, "mapping": mapping }),
    );
    assert_eq!(plan["rows"], 5);
    assert_eq!(plan["skipped"], 1, "the empty row is skipped: {plan}");
    assert_eq!(plan["new_subjects"], 2, "{plan}");
    assert_eq!(
        plan["merged"], 1,
        "the same e-mail in other case is one person"
    );
    assert_eq!(plan["rejected"], 1);
    assert_eq!(plan["rejected_rows"][0]["line"], 6);
    assert_eq!(plan["written"], false);
    assert!(
        !plan.to_string().contains("ikke-en-adresse"),
        "a rejection names the column, not the value"
    );
    assert_eq!(audit_events(&h), before);

    // All or nothing with a rejected row writes nothing either.
    let none = h.ok(
        "csv_import",
        json!({ "activity_id": aid, "mapping": mapping, "mode": "all_or_nothing", "collected_on": "2026-11-01" }),
    );
    assert_eq!(none["written"], false);
    assert_eq!(audit_events(&h), before);

    let done = h.ok(
        "csv_import",
        json!({ "activity_id": aid, "mapping": mapping, "mode": "good_rows", "collected_on": "2026-11-01" }),
    );
    assert_eq!(done["written"], true, "{done}");
    assert_eq!(done["new_subjects"], 2);
    assert_eq!(
        audit_events(&h),
        before + 1,
        "one audit event for the import"
    );
    let hits = h.ok("search_subjects", json!({ "query": "ødeg", "limit": 10 }));
    assert_eq!(hits[0]["name"], "Åse Ødegård", "{hits}");

    // The mapping is remembered for the activity.
    let again = h.ok("csv_choose", json!({ "activity_id": aid }));
    assert_eq!(again["remembered"], true);
    assert_eq!(
        targets(&again["mapping"], "Interesser"),
        [json!({ "category": "Interesser" })]
    );

    // Read with the wrong delimiter, the file has one column; the mapping no longer
    // fits and the check says so, naming the mapping.
    let comma = h.ok(
        "csv_reread",
        json!({ "activity_id": aid, "delimiter": ",", "encoding": null }),
    );
    assert_eq!(comma["headers"].as_array().unwrap().len(), 1);
    let err = h
        .call(
            "csv_plan",
            json!({ "activity_id": aid, "mapping": mapping }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    assert_eq!(err["details"]["field"], "mapping");

    // The lock ticker's checks that do not lock leave the chosen file open: the same
    // mapping is refused for its column again, not for a file no longer there.
    for _ in 0..3 {
        assert_eq!(locking::tick(h.app.handle()), None);
    }
    let err = h
        .call(
            "csv_plan",
            json!({ "activity_id": aid, "mapping": mapping }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "mapping", "{err}");

    // Closing forgets the file; locking does too.
    h.ok("csv_close", json!({}));
    let err = h
        .call(
            "csv_plan",
            json!({ "activity_id": aid, "mapping": mapping }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "transfer.no_csv");
    h.ok("csv_choose", json!({ "activity_id": aid }));
    h.ok("lock", json!({}));
    h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert!(h
        .call(
            "csv_plan",
            json!({ "activity_id": aid, "mapping": mapping })
        )
        .is_err());

    // The whole register as JSON, where the save dialog answered.
    let summary = h.ok("export_register", json!({}));
    let path = PathBuf::from(summary["path"].as_str().unwrap());
    assert!(path.starts_with(&dir));
    let file: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(file["format"], "privacy-register-export");
    assert_eq!(file["tables"]["subjects"].as_array().unwrap().len(), 2);
    let subjects = summary["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0] == "subjects")
        .unwrap()
        .clone();
    assert_eq!(subjects[1], 2);

    // The reports: the Art. 30 record and a person's access report, audited.
    let before = audit_events(&h);
    let art30 = h.ok("export_art30", json!({ "format": "pdf", "lang": "nb" }));
    let pdf = fs::read(art30["path"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF was written");
    assert_eq!(audit_events(&h), before + 1);
    let err = h
        .call("export_art30", json!({ "format": "docx", "lang": "nb" }))
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid");
    // The regulators' layouts and the DPV export: each with its own file name and
    // extension, and audited like the others.
    for (format, file, magic) in [
        ("xlsx-datatilsynet", "-datatilsynet-", &b"PK"[..]),
        ("xlsx-ico", "-ico-", &b"PK"[..]),
        ("dpv", "-dpv-", &b"{"[..]),
    ] {
        let done = h.ok("export_art30", json!({ "format": format, "lang": "nb" }));
        assert_eq!(done["format"], format);
        let path = PathBuf::from(done["path"].as_str().unwrap());
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.contains(file), "{name}");
        let want = if format == "dpv" { "jsonld" } else { "xlsx" };
        assert_eq!(path.extension().unwrap(), want, "{name}");
        let bytes = fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{name}");
        if format == "dpv" {
            let doc: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(doc["@context"]["dpv"], "https://w3id.org/dpv#");
        }
    }
    assert_eq!(audit_events(&h), before + 4);

    let ase = hits[0]["id"].as_i64().unwrap();
    let access = h.ok(
        "export_access",
        json!({ "subject_id": ase, "format": "json", "lang": "en" }),
    );
    let report: Value =
        serde_json::from_slice(&fs::read(access["path"].as_str().unwrap()).unwrap()).unwrap();
    assert!(report.to_string().contains("Ødegård"), "{report}");

    // An access request is completed by making the report; not before the identity
    // is checked.
    let request = h.ok(
        "add_request",
        json!({ "request": { "kind": "access", "subject_id": ase, "channel": "email" } }),
    );
    let rid = request["id"].clone();
    let err = h
        .call(
            "complete_access_request",
            json!({ "id": rid, "format": "pdf", "lang": "nb" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "verified_on");
    h.ok(
        "verify_request",
        json!({ "id": rid, "how": "Svar fra registrert e-postadresse", "on": null }),
    );
    let page = h.ok(
        "complete_access_request",
        json!({ "id": rid, "format": "pdf", "lang": "nb" }),
    );
    assert_eq!(page["status"], "completed", "{page}");

    // An objection to direct marketing needs no identity check (Art. 21(3)): the page
    // says so and it completes at once.
    let objection = h.ok(
        "add_request",
        json!({ "request": { "kind": "objection", "subject_id": ase, "channel": "email" } }),
    );
    assert_eq!(objection["needs_identity"], false);
    assert_eq!(request["needs_identity"], true);
    let page = h.ok(
        "complete_request",
        json!({ "id": objection["id"], "completion": { "action": "objection" } }),
    );
    assert_eq!(page["status"], "completed", "{page}");
}

/// In the open register: Kari and Ola, a backup folder and a backup, then Kari erased
/// at her request. Returns the backup.
fn backed_up_then_kari_erased(h: &Harness) -> PathBuf {
    let kari = h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann", "email": "kari@example.no" }, "records": [] }),
    );
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Ola Nordmann" }, "records": [] }),
    );
    let dir = h.dir.join("backups");
    fs::create_dir_all(&dir).unwrap();
    h.state()
        .with_register(|reg| reg.set_backup_dir(&dir))
        .unwrap();
    let status = h.ok("backup_now", json!({}));
    let backup = dir.join(status["backups"][0].as_str().unwrap());
    h.ok(
        "erase_subject",
        json!({ "id": kari, "reason": "Art. 17(1)(a): she asked" }),
    );
    backup
}

#[test]
fn a_backup_opened_in_the_app_loses_everyone_erased_since_and_the_window_is_told() {
    let h = harness();
    h.create("live.privreg", false);
    let backup = backed_up_then_kari_erased(&h);
    assert_eq!(h.ok("app_status", json!({}))["journal"], Value::Null);

    // The disk dies; the manager opens last week's backup with File, Open.
    h.ok("open_register", json!({ "path": backup }));
    let status = h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    let status = if status.is_object() && status.get("journal").is_some() {
        status
    } else {
        h.ok("app_status", json!({}))
    };
    assert_eq!(status["state"], "unlocked");
    assert_eq!(status["journal"]["reapplied"], 1, "{status}");
    assert_eq!(status["journal"]["altered"], 0);
    let page = h.ok(
        "list_subjects",
        json!({ "offset": 0, "limit": 50, "sort": "name", "descending": false }),
    );
    assert_eq!(page["total"], 1, "only Ola is back: {page}");
    assert_eq!(page["items"][0]["name"], "Ola Nordmann");
    // Locked and opened again, there is nothing left to say.
    h.ok("lock", json!({}));
    h.ok(
        "unlock",
        json!({ "passphrase": PASS, "remember_on_device": false }),
    );
    assert_eq!(h.ok("app_status", json!({}))["journal"], Value::Null);
}

#[test]
fn legal_holds_are_placed_listed_and_released_through_ipc_and_bind_deletion_by_hand() {
    let h = harness();
    h.create("holds.privreg", false);
    let activity = h.ok(
        "save_activity",
        json!({ "id": null, "activity": {
            "name": "Regnskap", "purposes": ["Bokføring"], "legal_bases": ["legal_obligation"],
            "data_categories": [{ "name": "Faktura", "group": "financial" }]
        }, "new_processors": [] }),
    );
    let activity_id = activity["id"].as_i64().unwrap();
    let kari = h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann" }, "records": [
            { "activity_id": activity_id, "category": "Faktura", "value": "Faktura 2026-031", "source": "", "collected_on": "2026-03-15" }
        ] }),
    );
    let page = h.ok("view_subject", json!({ "id": kari }));
    let record = page["records"][0]["id"].as_i64().unwrap();

    // Neither a person nor an activity, or both: refused with the field named.
    let err = h
        .call(
            "add_legal_hold",
            json!({ "subject_id": null, "activity_id": null, "reason": "x", "until": null }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "target");
    let hold = h.ok(
        "add_legal_hold",
        json!({ "subject_id": null, "activity_id": activity_id, "reason": "Bokføringsloven § 13", "until": "2031-12-31" }),
    );
    let listed = h.ok("legal_holds", json!({ "include_released": false }));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["label"], "Regnskap");
    assert_eq!(listed[0]["target"]["activity"], activity_id);
    assert_eq!(listed[0]["active"], true);
    assert_eq!(listed[0]["until"], "2031-12-31");

    // Deleting the invoice by hand, or erasing Kari, is refused while the hold stands.
    let err = h
        .call(
            "delete_record",
            json!({ "id": record, "reason": "rydding" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "retention.on_hold", "{err}");

    // A hold on the person, from their page, is listed with their name.
    h.ok(
        "add_legal_hold",
        json!({ "subject_id": kari, "activity_id": null, "reason": "Tvist, sak 26-1234", "until": null }),
    );
    let listed = h.ok("legal_holds", json!({ "include_released": false }));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["label"] == "Kari Nordmann"));

    // Released with a reason (audited), both: the record can go.
    let err = h
        .call(
            "release_legal_hold",
            json!({ "id": hold["id"], "reason": "" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "reason");
    for row in listed.as_array().unwrap() {
        h.ok(
            "release_legal_hold",
            json!({ "id": row["id"], "reason": "Saken er avsluttet" }),
        );
    }
    assert_eq!(
        h.ok("legal_holds", json!({ "include_released": false }))
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        h.ok("legal_holds", json!({ "include_released": true }))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    h.ok(
        "delete_record",
        json!({ "id": record, "reason": "rydding" }),
    );
}

/// Art. 17(3): erasing a client from the window keeps exactly the invoice the
/// Bookkeeping Act requires and the record under a legal hold, restricted; the person's
/// page, the retention queue and the receipt say what was kept and until when, and
/// finishing erases the held record once the hold is released.
#[test]
fn an_erasure_from_the_window_keeps_what_the_law_or_a_hold_requires() {
    let h = harness();
    h.create("kept.privreg", false);
    let save = |name: &str, basis: &str, category: &str, rule: Value| {
        h.ok(
            "save_activity",
            json!({ "id": null, "activity": {
                "name": name, "purposes": ["P"], "legal_bases": [basis],
                "data_categories": [{ "name": category, "group": "other", "retention": rule }]
            }, "new_processors": [] }),
        )["id"]
            .as_i64()
            .unwrap()
    };
    let books = save(
        "Regnskap",
        "legal_obligation",
        "Faktura",
        json!({ "trigger": "financial_year_end", "duration": { "amount": 5, "unit": "years" } }),
    );
    let clients = save("Kunder", "contract", "Notater", Value::Null);
    let news = save("Nyhetsbrev", "consent", "E-post", Value::Null);
    // Collected today (the organisation's calendar day, as the core counts it).
    let kari = h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann", "email": "kari@example.no" }, "records": [
            { "activity_id": books, "category": "Faktura", "value": "Faktura 2026-031", "source": "" },
            { "activity_id": clients, "category": "Notater", "value": "Tvist om faktura", "source": "" },
            { "activity_id": news, "category": "E-post", "value": "kari@example.no", "source": "" }
        ] }),
    );
    let before = h.ok("view_subject", json!({ "id": kari }));
    let collected: chrono::NaiveDate = before["records"][0]["collected_on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let hold = h.ok(
        "add_legal_hold",
        json!({ "subject_id": null, "activity_id": clients, "reason": "Tvist, sak 26-1234", "until": null }),
    );
    let summary = h.ok(
        "erase_subject",
        json!({ "id": kari, "reason": "Art. 17(1)(a)" }),
    );
    let kept = summary["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 2, "{summary}");
    assert_eq!(kept[0]["activity"], "Regnskap");
    assert_eq!(kept[0]["because"]["by"], "legal_obligation");
    assert_eq!(kept[0]["because"]["trigger"], "financial_year_end");
    let year_end =
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&collected) + 6, 1, 1).unwrap();
    assert_eq!(kept[0]["may_go_on"], year_end.to_string());
    assert_eq!(kept[1]["activity"], "Kunder");
    assert_eq!(kept[1]["because"]["by"], "hold");
    assert_eq!(kept[1]["because"]["hold_id"], hold["id"]);
    assert_eq!(kept[1]["may_go_on"], Value::Null);
    assert_eq!(summary["records"], 1, "the newsletter address went");
    assert_eq!(summary["receipt"]["completed_at"], Value::Null);

    let page = h.ok("view_subject", json!({ "id": kari }));
    assert_eq!(page["subject"]["restricted"], true);
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    assert_eq!(page["pending_erasure"]["kept"], summary["kept"]);
    let queue = h.ok("retention_queue", json!({}));
    assert_eq!(queue["erasures"][0]["subject_id"], kari);
    assert_eq!(queue["erasures"][0]["free"], 0);
    let none = h.ok("finish_erasures", json!({ "note": "" }));
    assert_eq!(none["done"].as_array().unwrap().len(), 0);

    // The hold ends: finishing erases the disputed note; the invoice stays its five years.
    h.ok(
        "release_legal_hold",
        json!({ "id": hold["id"], "reason": "Saken er avsluttet" }),
    );
    let queue = h.ok("retention_queue", json!({}));
    assert_eq!(queue["erasures"][0]["free"], 1);
    let done = h.ok("finish_erasures", json!({ "note": "" }));
    assert_eq!(done["done"].as_array().unwrap().len(), 1);
    assert_eq!(done["done"][0]["kept"].as_array().unwrap().len(), 1);
    let page = h.ok("view_subject", json!({ "id": kari }));
    assert_eq!(page["records"].as_array().unwrap().len(), 1);
    assert_eq!(page["records"][0]["value"], "Faktura 2026-031");
}

/// Issue 14: the person's rights from their page, through IPC: an unsubscribe starts
/// the activity's retention clock (shown first as a preview), an Art. 21(1) objection
/// restricts until it is decided, and lifting a restriction asks when the person was
/// told (Art. 18(3)).
#[test]
fn consents_objections_restriction_and_retention_dates_from_the_persons_page() {
    let h = harness();
    h.create("rights.privreg", false);
    let save = |name: &str, dm: bool, trigger: &str| {
        h.ok(
            "save_activity",
            json!({ "id": null, "activity": {
                "name": name, "purposes": [format!("{name} purpose")], "legal_bases": ["consent"],
                "direct_marketing": dm,
                "data_categories": [{ "name": "E-post", "group": "identity",
                    "retention": { "trigger": trigger, "duration": { "amount": 1, "unit": "months" } } }]
            }, "new_processors": [] }),
        )["id"]
            .as_i64()
            .unwrap()
    };
    let news = save("Nyhetsbrev", true, "unsubscribed");
    let clients = save("Kunder", false, "relationship_ended");
    let kari = h.ok(
        "add_subject",
        json!({ "subject": { "name": "Kari Nordmann", "email": "kari@example.no" }, "records": [
            { "activity_id": news, "category": "E-post", "value": "kari@example.no", "source": "" },
            { "activity_id": clients, "category": "E-post", "value": "kari@example.no", "source": "" }
        ] }),
    );
    let page = h.ok("view_subject", json!({ "id": kari }));
    let rules = page["activity_rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["direct_marketing"], true);
    assert_eq!(rules[0]["triggers"], json!(["unsubscribed"]));

    // Unsubscribing: the date is set by the core.
    let page = h.ok(
        "add_consent_event",
        json!({ "subject_id": kari, "event": {
            "activity_id": news, "purpose": "Nyhetsbrev purpose", "kind": "consent_withdrawn",
            "method": "avmeldingslenke", "at": null } }),
    );
    assert_eq!(page["retention_dates"][0]["trigger"], "unsubscribed");
    assert_eq!(page["consents"][0]["kind"], "consent_withdrawn");

    // A relationship that ended: previewed, then set.
    let preview = h.ok(
        "preview_retention_date",
        json!({ "subject_id": kari, "activity_id": clients, "trigger": "relationship_ended", "on": "2026-01-31" }),
    );
    assert_eq!(
        preview[0]["due_on"], "2026-02-28",
        "one month, clamped to February"
    );
    let err = h
        .call(
            "preview_retention_date",
            json!({ "subject_id": kari, "activity_id": clients, "trigger": "collected", "on": "2026-01-31" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "trigger");
    let page = h.ok(
        "set_retention_date",
        json!({ "subject_id": kari, "activity_id": clients, "trigger": "relationship_ended", "on": "2026-01-31" }),
    );
    assert_eq!(page["retention_dates"].as_array().unwrap().len(), 2);

    // Art. 21(1): an objection to the client activity restricts until decided.
    let page = h.ok(
        "add_consent_event",
        json!({ "subject_id": kari, "event": {
            "activity_id": clients, "purpose": "Kunder purpose", "kind": "objection",
            "method": "e-post", "at": null } }),
    );
    assert_eq!(page["subject"]["restricted"], true);
    assert_eq!(page["objections_pending"][0]["activity_id"], clients);
    let page = h.ok(
        "decide_objection",
        json!({ "id": kari, "activity_id": clients, "decision": "continue",
                "reason": "Tvingende berettigede grunner: pågående kontrakt" }),
    );
    assert_eq!(page["subject"]["restricted"], false);
    assert_eq!(page["objections_pending"], json!([]));
    assert_eq!(
        page["records"].as_array().unwrap().len(),
        2,
        "carrying on keeps the data"
    );

    // Restriction set and lifted; lifting needs the day the person was told.
    let page = h.ok(
        "restrict_subject",
        json!({ "id": kari, "reason": "Bestrider e-postadressen" }),
    );
    assert_eq!(page["subject"]["restricted"], true);
    let err = h
        .call(
            "lift_restriction",
            json!({ "id": kari, "reason": "Rettet", "told_on": null }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "told_on");
    let page = h.ok(
        "lift_restriction",
        json!({ "id": kari, "reason": "Rettet", "told_on": "2026-01-31" }),
    );
    assert_eq!(page["subject"]["restricted"], false);
}

#[test]
fn a_backup_is_restored_from_the_window_and_no_erasure_comes_back() {
    let h = harness();
    let live = h.create("restore.privreg", false);
    let backup = backed_up_then_kari_erased(&h);

    // A wrong passphrase restores nothing and leaves the register open as it was.
    let err = h
        .call(
            "restore_backup",
            json!({ "path": backup, "passphrase": "not the passphrase", "no_journal": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "vault.wrong_passphrase");
    assert_eq!(h.ok("app_status", json!({}))["state"], "unlocked");

    let done = h.ok(
        "restore_backup",
        json!({ "path": backup, "passphrase": PASS, "no_journal": false }),
    );
    assert_eq!(done["report"]["reapplied"].as_array().unwrap().len(), 1);
    assert_eq!(done["status"]["state"], "unlocked");
    assert_eq!(
        done["status"]["journal"]["reapplied"], 1,
        "the window says so"
    );
    let kept = done["report"]["replaced"].as_str().unwrap();
    assert!(kept.ends_with("restore.privreg.before-restore"), "{kept}");
    assert!(Path::new(kept).exists());
    let page = h.ok(
        "list_subjects",
        json!({ "offset": 0, "limit": 50, "sort": "name", "descending": false }),
    );
    assert_eq!(page["total"], 1, "Kari stays erased: {page}");
    assert!(live.exists());
}

/// A time `hours` ago (negative: ahead), as the window sends it (UTC, RFC 3339).
fn hours_ago(hours: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours)).to_rfc3339()
}

/// Personal data breaches (Art. 33, 34) from the window: a breach recorded (the clock
/// runs from when the organisation became aware), the people affected counted and
/// then chosen, the assessment, the notification, the log and the letters, closing;
/// bad input refused with the field named.
#[test]
fn a_breach_is_recorded_counted_assessed_notified_and_closed_through_ipc() {
    let h = harness();
    let dir = dialog_dir();
    h.create("avvik.privreg", false);
    let activity = h.ok(
        "save_activity",
        json!({ "id": null, "new_processors": [{ "name": "Mintra Trainingportal", "country": "Norway" }], "activity": {
            "name": "Kurs", "purposes": ["Kursadministrasjon"], "legal_bases": ["contract"],
            "data_categories": [{ "name": "Navn", "group": "identity" }, { "name": "E-post", "group": "connection_data" }] } }),
    );
    let aid = activity["id"].as_i64().unwrap();
    let processor = h.ok("list_processors", json!({}))[0]["id"]
        .as_i64()
        .unwrap();
    let record = |category: &str, value: &str| json!({ "activity_id": aid, "category": category, "value": value, "source": "", "collected_on": "2026-03-12" });
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Åse Ødegård", "email": "ase@example.no", "phone": "" },
                "records": [record("Navn", "Åse Ødegård"), record("E-post", "ase@example.no")] }),
    );
    h.ok(
        "add_subject",
        json!({ "subject": { "name": "Ola Nordmann", "email": "", "phone": "" },
                "records": [record("Navn", "Ola Nordmann")] }),
    );

    // Refused, each with its field: no title, no kind, aware before it was discovered.
    let facts = json!({
        "title": "Bærbar PC stjålet fra bilen", "discovered_at": hours_ago(31), "aware_at": hours_ago(30),
        "kinds": ["confidentiality"], "cause": "Innbrudd i bil", "description": "PC-en var ikke kryptert",
        "processor_id": processor, "processor_told_at": hours_ago(30),
    });
    for (field, value) in [
        ("title", json!("  ")),
        ("kinds", json!([])),
        ("aware_at", json!(hours_ago(40))),
    ] {
        let mut bad = facts.clone();
        bad[field] = value;
        let err = h.call("add_breach", json!({ "facts": bad })).unwrap_err();
        assert_eq!(err["kind"], "input.invalid", "{field}: {err}");
        assert_eq!(err["details"]["field"], field, "{err}");
    }
    let page = h.ok("add_breach", json!({ "facts": facts }));
    let id = page["id"].as_i64().unwrap();
    assert!(!page["reference"].as_str().unwrap().is_empty(), "{page}");
    assert_eq!(page["title"], "Bærbar PC stjålet fra bilen");
    assert_eq!(page["status"], "open");
    assert_eq!(page["processor"], "Mintra Trainingportal");
    assert_eq!(page["clock"]["running"], true);
    let left = page["clock"]["minutes_left"].as_i64().unwrap();
    assert!((41 * 60..=42 * 60).contains(&left), "42 hours left: {left}");
    assert_eq!(page["activities"][0]["id"], aid);
    assert_eq!(
        page["activities"][0]["categories"],
        json!(["Navn", "E-post"])
    );
    assert_eq!(page["processors"][0]["name"], "Mintra Trainingportal");
    assert_eq!(page["needs_delay_reason"], false);

    // The people: counted first (nothing saved), then chosen.
    let everyone = json!({ "activity_ids": [aid], "categories": [], "collected_from": null, "collected_to": null, "subject_ids": [] });
    let count = h.ok("count_affected", json!({ "selection": everyone }));
    assert_eq!(
        (count["people"].clone(), count["records"].clone()),
        (json!(2), json!(3)),
        "{count}"
    );
    let email = json!({ "activity_ids": [aid], "categories": ["E-post"], "collected_from": null, "collected_to": null, "subject_ids": [] });
    let count = h.ok("count_affected", json!({ "selection": email }));
    assert_eq!(
        (count["people"].clone(), count["records"].clone()),
        (json!(1), json!(1)),
        "{count}"
    );
    assert_eq!(count["categories"], json!([["E-post", 1]]));
    assert_eq!(
        h.ok("breach_page", json!({ "id": id }))["affected"],
        Value::Null,
        "a count saves nothing"
    );
    let page = h.ok("set_affected", json!({ "id": id, "selection": email }));
    assert_eq!(page["affected"]["people"], 1);
    assert_eq!(page["linked_people"], 1);
    assert_eq!(page["selection"]["categories"], json!(["E-post"]));

    // The assessment: a high risk not told needs an Art. 34(3) exception.
    let mut assessment = json!({
        "risk": "high", "notify_authority": true, "authority_reasons": "Ukryptert disk med e-postadresser",
        "notify_subjects": false, "subjects_reasons": "Vi varsler ikke", "art34_exception": null, "decided_by": "Daglig leder",
    });
    let err = h
        .call(
            "assess_breach",
            json!({ "id": id, "assessment": assessment }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "art34_exception", "{err}");
    assessment["notify_subjects"] = json!(true);
    assessment["subjects_reasons"] = json!("De bør se etter phishing");
    let page = h.ok(
        "assess_breach",
        json!({ "id": id, "assessment": assessment }),
    );
    assert_eq!(page["assessment"]["risk"], "high");
    assert!(page["assessment"]["decided_at"].is_string(), "{page}");

    // The text for Datatilsynet, in the language asked for.
    let text = h.ok("breach_notice_text", json!({ "id": id, "lang": "nb" }));
    assert!(!text.as_str().unwrap().trim().is_empty());
    let err = h
        .call("breach_notice_text", json!({ "id": id, "lang": "de" }))
        .unwrap_err();
    assert_eq!(err["details"]["field"], "lang");

    // Notified within the 72 hours: the clock stops.
    let page = h.ok(
        "record_breach_notice",
        json!({ "id": id, "notice": { "kind": "initial", "sent_at": null, "reference": "AR123456" } }),
    );
    assert_eq!(page["notices"][0]["kind"], "initial");
    assert_eq!(page["notices"][0]["reference"], "AR123456");
    assert_eq!(page["clock"]["running"], false);
    assert_eq!(page["clock"]["minutes_left"], Value::Null);

    // The letters, one per person still linked; then recorded as the communication.
    let err = h
        .call(
            "export_breach_letters",
            json!({ "id": id, "lang": "nb", "format": "docx", "one_per_person": true }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "format");
    let letters = h.ok(
        "export_breach_letters",
        json!({ "id": id, "lang": "nb", "format": "txt", "one_per_person": true }),
    );
    assert_eq!(letters["letters"], 1, "{letters}");
    let path = PathBuf::from(letters["path"].as_str().unwrap());
    assert!(path.starts_with(&dir) && path.is_file(), "{letters}");
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("varsel-"));
    let page = h.ok(
        "record_breach_notice",
        json!({ "id": id, "notice": { "kind": "subjects", "sent_at": null, "reference": "Brev på e-post", "letters": 1 } }),
    );
    assert_eq!(page["notices"][1]["letters"], 1);

    // A second breach, found 80 hours ago and not yet notified: the notification needs
    // the reasons for the delay; its letters need the people chosen first.
    let late = h.ok(
        "add_breach",
        json!({ "facts": { "title": "E-post til feil liste", "discovered_at": hours_ago(80), "aware_at": hours_ago(80), "kinds": ["confidentiality"] } }),
    );
    let late_id = late["id"].as_i64().unwrap();
    assert_eq!(late["clock"]["overdue"], true);
    assert_eq!(late["needs_delay_reason"], true);
    let err = h
        .call(
            "record_breach_notice",
            json!({ "id": late_id, "notice": { "kind": "initial", "sent_at": null, "reference": "AR2" } }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "delay_reason", "{err}");
    let err = h
        .call(
            "export_breach_letters",
            json!({ "id": late_id, "lang": "en", "format": "pdf", "one_per_person": true }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "selection", "{err}");

    // Closed, it changes no more; the open one is listed first and on the overview.
    let page = h.ok(
        "close_breach",
        json!({ "id": id, "note": "Tiltakene er gjennomført" }),
    );
    assert_eq!(page["status"], "closed");
    assert!(page["closed_at"].is_string());
    assert_eq!(page["closing_note"], "Tiltakene er gjennomført");
    let err = h
        .call("update_breach", json!({ "id": id, "facts": facts }))
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid", "{err}");
    let list = h.ok("list_breaches", json!({}));
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![late_id, id]);
    let overview = h.ok("overview", json!({}));
    assert_eq!(overview["counts"]["breaches_open"], 1);
    assert_eq!(overview["breaches"][0]["id"], late_id);

    // The breach log, in both breaches.
    let log = h.ok(
        "export_breach_log",
        json!({ "format": "json", "lang": "en" }),
    );
    let path = PathBuf::from(log["path"].as_str().unwrap());
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("breach-log-"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(page["reference"].as_str().unwrap()), "{text}");
    let err = h
        .call(
            "export_breach_log",
            json!({ "format": "docx", "lang": "en" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "format");
}

/// Issue 15: while a breach's clock runs, the window title says so, with the reference
/// only, in the window's language; overdue once the 72 hours pass; nothing once
/// Datatilsynet is notified.
#[test]
fn the_window_title_carries_the_running_breach_clock() {
    use privacy_register_app::state::breach_clock_title;
    use privreg_core::store::breaches::*;
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(privreg_core::FixedClock::at("2027-05-10T08:00:00Z"));
    let (mut reg, _) = privreg_core::Register::create(
        &dir.path().join("t.privreg"),
        &privreg_core::Passphrase::new("tittel og klokke 2027"),
        clock.clone(),
    )
    .unwrap();
    assert_eq!(breach_clock_title(&reg, "en"), None);
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let b = reg
        .add_breach(&BreachFacts {
            title: "Tapt minnepinne".into(),
            discovered_at: Some(at("2027-05-10T08:00:00Z")),
            aware_at: Some(at("2027-05-10T08:00:00Z")),
            kinds: vec![BreachKind::Availability],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        breach_clock_title(&reg, "en").as_deref(),
        Some("Breach 2027-001: 72 h left")
    );
    clock.set(at("2027-05-13T07:30:00Z"));
    assert_eq!(
        breach_clock_title(&reg, "nb").as_deref(),
        Some("Avvik 2027-001: 30 min igjen")
    );
    clock.set(at("2027-05-13T08:01:00Z"));
    assert_eq!(
        breach_clock_title(&reg, "nb").as_deref(),
        Some("Avvik 2027-001: fristen er passert")
    );
    reg.record_breach_notice(
        b.id,
        &NewNotice {
            kind: NoticeKind::Initial,
            sent_at: None,
            reference: "Altinn".into(),
            delay_reason: "Oppdaget i ferien".into(),
            note: String::new(),
            letters: None,
        },
    )
    .unwrap();
    assert_eq!(breach_clock_title(&reg, "en"), None);
}

/// Issue 16, the processor's record (Art. 30(2)): a controller the organisation
/// processes personal data for is added with a sub-processor and a transfer, listed,
/// read, changed (an unknown sub-processor refused, naming the field), counted on the
/// overview; the processor it uses cannot be deleted; the record is saved in
/// Datatilsynet's layout and as PDF where the save dialog answers, audited; the
/// controller is removed, and then the processor can go.
#[test]
fn the_processors_record_is_kept_and_saved_through_ipc() {
    let h = harness();
    let dir = dialog_dir();
    h.create("konsulent.privreg", false);
    let p = h.ok(
        "save_processor",
        json!({ "id": null, "processor": { "name": "Visma eAccounting", "country": "Norge", "role": "sub_processor",
                "dpa_reference": "Visma DPA", "contact": "", "notes": "" } }),
    );
    let pid = p["id"].clone();
    let client = json!({
        "name": "Havbris Regnskap AS",
        "org_number": "912 345 678",
        "address": "Kaigata 5, 6002 Ålesund",
        "email": "post@havbris.example.no",
        "phone": "",
        "representative": null,
        "dpo": { "name": "Åse Ombudsen", "email": "ombud@havbris.example.no", "phone": "", "address": "" },
        "dpa_reference": "Databehandleravtale HB-2026-04",
        "dpa_date": "2026-04-01",
        "processing": ["Lønnskjøring for de ansatte"],
        "sub_processor_ids": [pid],
        "transfers": [{ "country": "USA", "recipient": "Brukerstøtte", "safeguard": "standard_contractual_clauses", "documentation": "" }],
        "security_measures": ["Tofaktorinnlogging"],
        "status": "active",
        "notes": ""
    });
    let added = h.ok("add_client", json!({ "client": client }));
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["sub_processor_ids"], json!([pid]));
    assert_eq!(added["dpa_date"], "2026-04-01");
    let list = h.ok("list_clients", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["sub_processors"], json!(["Visma eAccounting"]));
    assert_eq!(list[0]["transfers"], 1);
    assert_eq!(list[0]["missing_fields"], json!([]));
    assert_eq!(h.ok("overview", json!({}))["counts"]["clients"], 1);

    let got = h.ok("get_client", json!({ "id": id }));
    assert_eq!(got["dpo"]["name"], "Åse Ombudsen");
    let mut bad = got.clone();
    bad["sub_processor_ids"] = json!([4711]);
    let err = h
        .call("update_client", json!({ "id": id, "client": bad }))
        .unwrap_err();
    assert_eq!(err["kind"], "input.invalid", "{err}");
    assert_eq!(err["details"]["field"], "sub_processor_ids");
    assert_eq!(
        h.call("delete_processor", json!({ "id": pid }))
            .unwrap_err()["kind"],
        "in_use"
    );
    let mut ended = got.clone();
    ended["status"] = json!("ended");
    let updated = h.ok("update_client", json!({ "id": id, "client": ended }));
    assert_eq!(updated["status"], "ended");
    assert_eq!(
        updated["processing"],
        json!(["Lønnskjøring for de ansatte"])
    );

    // The record in Datatilsynet's layout, then as PDF; each one audit event.
    let before = audit_events(&h);
    let saved = h.ok(
        "export_processor_record",
        json!({ "format": "xlsx-datatilsynet", "lang": "nb" }),
    );
    let path = PathBuf::from(saved["path"].as_str().unwrap());
    assert!(path.starts_with(&dir));
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("protokoll-databehandler-") && name.ends_with("-datatilsynet.xlsx"),
        "{name}"
    );
    assert!(fs::read(&path).unwrap().starts_with(b"PK"));
    assert_eq!(saved["format"], "xlsx-datatilsynet");
    let pdf = h.ok(
        "export_processor_record",
        json!({ "format": "pdf", "lang": "en" }),
    );
    let pdf_path = PathBuf::from(pdf["path"].as_str().unwrap());
    assert!(pdf_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("processors-record-"));
    assert!(fs::read(&pdf_path).unwrap().starts_with(b"%PDF"));
    assert_eq!(audit_events(&h), before + 2);
    let err = h
        .call(
            "export_processor_record",
            json!({ "format": "docx", "lang": "en" }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "format");

    h.ok("remove_client", json!({ "id": id }));
    assert_eq!(
        h.call("get_client", json!({ "id": id })).unwrap_err()["kind"],
        "not_found"
    );
    assert_eq!(h.ok("list_clients", json!({})), json!([]));
    h.ok("delete_processor", json!({ "id": pid }));
}

/// Base64 (RFC 4648, with padding), as a content security policy writes a hash.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Issue 16: the privacy notice (Art. 13, 14) from the window, on the demo register:
/// previewed, published, out of date once a retention period changes (on the overview
/// too, naming the change), published again, the two versions compared, and saved as
/// HTML (the register now, and a version as it was published) and PDF.
#[test]
fn the_privacy_notice_is_previewed_published_compared_and_saved_through_ipc() {
    let dir = dialog_dir();
    let h = harness();
    h.ok("open_demo", json!({}));
    let overview = h.ok("overview", json!({}));
    assert_eq!(
        overview["notice"]["published"],
        json!([]),
        "never published"
    );
    assert!(overview["notice"]["activities"].as_i64().unwrap() >= 5);
    assert!(!overview["notice"]["drafts_left_out"]
        .as_array()
        .unwrap()
        .is_empty());

    let preview = h.ok("notice_preview", json!({ "lang": "en" }));
    assert_eq!(preview["lang"], "en");
    assert_eq!(preview["drift"], Value::Null);
    let html = preview["html"].as_str().unwrap().to_string();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("Fjordlys Rådgivning AS"));
    assert!(!html.contains("<script"));
    let nb = h.ok("notice_preview", json!({ "lang": "nb" }));
    assert!(nb["html"].as_str().unwrap().contains("Personvernerklæring"));
    let err = h
        .call("notice_preview", json!({ "lang": "de" }))
        .unwrap_err();
    assert_eq!(err["details"]["field"], "lang");

    let v1 = h.ok("publish_notice", json!({ "lang": "en" }));
    assert_eq!(v1["lang"], "en");
    let v1_id = v1["id"].as_i64().unwrap();
    let preview = h.ok("notice_preview", json!({ "lang": "en" }));
    assert_eq!(preview["drift"]["changes"], json!([]));

    // The newsletter keeps the names two months after unsubscribing, not one.
    let activities = h.ok("list_activities", json!({}));
    let news = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Newsletter" || a["name"] == "Nyhetsbrev")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut editor = h.ok("edit_activity", json!({ "id": news }));
    assert_eq!(editor["activity"]["in_notice"], true);
    assert!(editor["activity"]["notice_text"].as_str().unwrap().len() > 20);
    editor["activity"]["data_categories"][0]["retention"]["duration"]["amount"] = json!(2);
    h.ok(
        "save_activity",
        json!({ "id": news, "activity": editor["activity"], "new_processors": [] }),
    );
    let overview = h.ok("overview", json!({}));
    let drift = &overview["notice"]["published"][0];
    assert_eq!(drift["lang"], "en");
    assert_eq!(drift["version_id"], v1_id);
    let change = &drift["changes"][0];
    assert_eq!(change["kind"], "retention_changed");
    assert_eq!(change["activity"], editor["activity"]["name"]);
    assert_eq!(
        change["category"],
        editor["activity"]["data_categories"][0]["name"]
    );
    assert_eq!(
        change["from"]["duration"],
        json!({ "amount": 1, "unit": "months" })
    );
    assert_eq!(
        change["to"]["duration"],
        json!({ "amount": 2, "unit": "months" })
    );

    // Published again; the versions, newest first, and what changed between them.
    let v2_id = h.ok("publish_notice", json!({ "lang": "en" }))["id"]
        .as_i64()
        .unwrap();
    let list = h.ok("list_notices", json!({}));
    assert_eq!(list[0]["id"], v2_id);
    assert_eq!(list[1]["id"], v1_id);
    let diff = h.ok("notice_diff", json!({ "a": v1_id, "b": v2_id }));
    assert_eq!(diff.as_array().unwrap().len(), 1);
    assert_eq!(diff[0]["kind"], "retention_changed");
    let err = h
        .call("notice_diff", json!({ "a": v1_id, "b": 999 }))
        .unwrap_err();
    assert_eq!(err["kind"], "not_found");

    // Saved: the notice now as HTML and PDF, and the first version as it was published.
    let saved = h.ok(
        "export_notice",
        json!({ "lang": "en", "format": "html", "version": null }),
    );
    let path = PathBuf::from(saved["path"].as_str().unwrap());
    assert!(path.starts_with(&dir));
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("privacy-notice-"));
    let now = h.ok("notice_preview", json!({ "lang": "en" }));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        now["html"].as_str().unwrap()
    );
    let old = h.ok(
        "export_notice",
        json!({ "lang": "nb", "format": "html", "version": v1_id }),
    );
    assert_eq!(old["lang"], "en", "a version is saved in its own language");
    let old_text = fs::read_to_string(old["path"].as_str().unwrap()).unwrap();
    assert_eq!(
        old_text, html,
        "the first version, exactly as it was published"
    );
    let pdf = h.ok(
        "export_notice",
        json!({ "lang": "nb", "format": "pdf", "version": null }),
    );
    let pdf_path = PathBuf::from(pdf["path"].as_str().unwrap());
    assert!(pdf_path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("personvernerklaering-"));
    assert!(fs::read(&pdf_path).unwrap().starts_with(b"%PDF-"));
    let err = h
        .call(
            "export_notice",
            json!({ "lang": "en", "format": "docx", "version": null }),
        )
        .unwrap_err();
    assert_eq!(err["details"]["field"], "format");
}

/// The preview frame shows the notice's own inline style: the window's content security
/// policy lists the SHA-256 of exactly that style, and nothing else inline.
#[test]
fn the_window_policy_allows_the_notice_style_by_its_hash() {
    let conf: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap(),
    )
    .unwrap();
    let style = conf["app"]["security"]["csp"]["style-src"]
        .as_str()
        .unwrap();
    let hash = base64(&Sha256::digest(
        privreg_reports::notice::NOTICE_CSS.as_bytes(),
    ));
    assert_eq!(style, format!("'self' 'sha256-{hash}'"));
    assert!(!style.contains("unsafe-inline"));
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE=");
}

#[test]
fn settings_round_trip_and_recent_list_is_bounded() {
    use privacy_register_app::settings::{Settings, MAX_RECENT};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/settings.json");
    let mut s = Settings {
        language: "nb".into(),
        auto_lock_minutes: 15,
        recent: vec![],
    };
    for i in 0..12 {
        s.touch_recent(Path::new(&format!("/r/{i}.privreg")));
    }
    s.touch_recent(Path::new("/r/5.privreg"));
    assert_eq!(s.recent.len(), MAX_RECENT);
    assert_eq!(s.recent[0], Path::new("/r/5.privreg"));
    s.save(&path).unwrap();
    assert_eq!(Settings::load(&path), s);
    fs::write(&path, "{ broken").unwrap();
    assert_eq!(
        Settings::load(&path).auto_lock_minutes,
        5,
        "a damaged file falls back to defaults"
    );
    assert!(Settings::validate("de", 5).is_err());
    assert!(Settings::validate("nb", 0).is_err());
    assert!(Settings::validate("en", 240).is_ok());
}
