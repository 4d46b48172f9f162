//! End-to-end: the real app window driven through WebDriver (`tauri-driver` in front of
//! `WebKitWebDriver`) under a display (Xvfb on CI). Without the drivers or a display the
//! test is skipped locally; with CI=true that is a failure. A failing step saves a
//! screenshot to tests/artifacts/.
//!
//! Every process a test starts ends with it ([`ProcessGroup`]): `tauri-driver` runs in a
//! process group of its own, with `WebKitWebDriver` (named with `--native-driver`), the
//! app and the app's WebKit helpers in it. At the end the session is closed, the whole
//! group is sent SIGTERM and then SIGKILL, and each of its processes is reaped:
//! `tauri-driver` exits without waiting for `WebKitWebDriver`, so on Linux this test
//! process makes itself the "child subreaper" of what it starts and collects them
//! itself, instead of leaving zombies for a PID 1 that may never reap them.
//! `tests/run.sh` checks afterwards that none of them is left.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "support/damage.rs"]
mod damage;

fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 JSON client for the WebDriver protocol on loopback. An empty
/// answer (the proxy dropped the connection) is asked again, a few times.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    for _ in 0..5 {
        if let Some(v) = http_once(port, method, path, body) {
            return v;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    panic!("{method} {path}: no answer from tauri-driver");
}

fn http_once(port: u16, method: &str, path: &str, body: Option<&Value>) -> Option<Value> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to tauri-driver");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    // Some responses end in a reset instead of a clean close; what arrived is whole.
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let mut payload = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = &payload[..];
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap().trim(), 16)
                    .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
            rest = &rest[line_end + 2 + size + 2..];
        }
        payload = out;
    }
    Some(serde_json::from_slice(&payload).unwrap_or(Value::Null))
}

/// `tauri-driver` and everything it starts (`WebKitWebDriver`, the app, the app's
/// WebKit processes), in a process group of its own; ended and reaped when dropped.
struct ProcessGroup {
    child: Child,
}

impl ProcessGroup {
    /// Starts `command` as the leader of a new process group.
    fn spawn(mut command: Command) -> ProcessGroup {
        #[cfg(target_os = "linux")]
        reaper::become_subreaper();
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        ProcessGroup {
            child: command.spawn().expect("start tauri-driver"),
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let leader = self.child.id();
        // Who is in the group now: after the signals, those whose parent died come to
        // this process (the subreaper) and are reaped here.
        #[cfg(target_os = "linux")]
        let mut members = reaper::group_members(leader);
        #[cfg(unix)]
        {
            let group = format!("-{leader}");
            for signal in ["-TERM", "-KILL"] {
                let _ = Command::new("kill")
                    .args([signal, "--", &group])
                    .stderr(Stdio::null())
                    .status();
                if signal == "-TERM" {
                    std::thread::sleep(Duration::from_millis(300));
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        #[cfg(target_os = "linux")]
        {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                for pid in reaper::group_members(leader) {
                    if !members.contains(&pid) {
                        members.push(pid);
                    }
                }
                members.retain(|&pid| pid != leader && !reaper::reap(pid));
                if members.is_empty() || Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !members.is_empty() {
                eprintln!("e2e: processes of the test's group still there: {members:?}");
            }
        }
    }
}

/// Linux: this process as the reaper of the processes its tests start (see the
/// module's documentation). Two libc calls, declared here: the project has no `libc`
/// dependency, and the standard library links the C library anyway.
#[cfg(target_os = "linux")]
mod reaper {
    use std::os::raw::{c_int, c_ulong};
    use std::path::Path;

    extern "C" {
        fn prctl(option: c_int, ...) -> c_int;
        fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int;
    }
    const PR_SET_CHILD_SUBREAPER: c_int = 36;
    const WNOHANG: c_int = 1;

    /// Orphans among this process's descendants are re-parented to it (not to PID 1),
    /// so it can reap them. Once per process.
    pub fn become_subreaper() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: prctl(PR_SET_CHILD_SUBREAPER, 1) changes only this process's
            // attribute and reads no memory.
            unsafe {
                prctl(PR_SET_CHILD_SUBREAPER, 1 as c_ulong);
            }
        });
    }

    /// Process `pid`'s state, parent and process group, from /proc/PID/stat.
    fn stat(pid: u32) -> Option<(char, u32, u32)> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // "PID (COMM) STATE PPID PGRP ...": COMM may hold spaces and parentheses.
        let rest = &text[text.rfind(')')? + 1..];
        let mut fields = rest.split_whitespace();
        let state = fields.next()?.chars().next()?;
        let ppid = fields.next()?.parse().ok()?;
        let pgrp = fields.next()?.parse().ok()?;
        Some((state, ppid, pgrp))
    }

    /// The processes (zombies too) in process group `group`.
    pub fn group_members(group: u32) -> Vec<u32> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| stat(pid).is_some_and(|(_, _, pgrp)| pgrp == group))
            .collect()
    }

    /// Reaps `pid` if it is an ended child of this process; true once it is gone.
    pub fn reap(pid: u32) -> bool {
        let mut status: c_int = 0;
        // SAFETY: waitpid writes the exit status into `status`, a live local; WNOHANG
        // makes it return at once. Only this pid is waited for, so no other test's
        // child is reaped from under it.
        let got = unsafe { waitpid(pid as c_int, &mut status, WNOHANG) };
        got == pid as c_int || !Path::new(&format!("/proc/{pid}")).exists()
    }
}

struct Driver {
    /// Dropped after `Driver::drop` has closed the session: ends every process.
    _group: ProcessGroup,
    port: u16,
    session: String,
    artifacts: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The session first: WebKitWebDriver closes the app's window (which locks the
        // register, after its daily backup) and ends the app. Then `_group` ends the rest.
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(|| {
                http(
                    self.port,
                    "DELETE",
                    &format!("/session/{}", self.session),
                    None,
                )
            });
        }
    }
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    fn start(data_dir: &Path) -> Option<Driver> {
        let on_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let missing = |what: &str| {
            if on_ci {
                panic!("end-to-end test cannot run on CI: {what}");
            }
            eprintln!("skipping the end-to-end test: {what}");
        };
        let Some(tauri_driver) = find_program("tauri-driver") else {
            missing("tauri-driver is not installed (cargo install tauri-driver --locked)");
            return None;
        };
        let Some(native) = find_program("WebKitWebDriver") else {
            missing("WebKitWebDriver is not installed (apt install webkit2gtk-driver)");
            return None;
        };
        if std::env::var_os("DISPLAY").is_none() {
            missing("no DISPLAY (run under Xvfb)");
            return None;
        }
        let port = free_port();
        let mut command = Command::new(tauri_driver);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .arg("--native-driver")
            .arg(native)
            .env("PRIVREG_DATA_DIR", data_dir)
            .env("PRIVREG_TEST_SAVE_DIR", data_dir)
            .env("PRIVREG_TEST_OPEN_DIR", data_dir)
            .env("LANG", "en_GB.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Owned at once: a panic below (the driver does not start) still ends it.
        let group = ProcessGroup::spawn(command);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
        let mut d = Driver {
            _group: group,
            port,
            session: String::new(),
            artifacts,
        };
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "tauri:options": { "application": env!("CARGO_BIN_EXE_privacy-register") }
        } } });
        let r = d.post("/session", &caps);
        d.session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Some(d)
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        http(self.port, "POST", path, Some(body))
    }
    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let v = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        );
        if let Some(err) = v["value"]["error"].as_str() {
            panic!(
                "WebDriver {method} {path}: {err}: {}",
                v["value"]["message"]
            );
        }
        v["value"].clone()
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let shot = http(
            self.port,
            "GET",
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        let b64 = shot["value"].as_str().unwrap_or_default();
        std::fs::create_dir_all(&self.artifacts).unwrap();
        let path = self.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, base64_decode(b64)).unwrap();
        path
    }

    /// Waits for an element matching `css` and returns its id.
    fn wait(&self, css: &str) -> String {
        self.wait_until(css, |_| true)
    }

    fn wait_until(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = http(
                self.port,
                "POST",
                &format!("/session/{}/element", self.session),
                Some(&json!({ "using": "css selector", "value": css })),
            );
            if let Some(id) = v["value"][ELEMENT].as_str() {
                if ok(&self.text(id)) {
                    return id.to_string();
                }
            }
            if Instant::now() > deadline {
                let shot = self.screenshot("e2e-timeout");
                panic!(
                    "timed out waiting for {css} (screenshot {})",
                    shot.display()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn count(&self, css: &str) -> usize {
        self.cmd(
            "POST",
            "/elements",
            Some(&json!({ "using": "css selector", "value": css })),
        )
        .as_array()
        .map_or(0, Vec::len)
    }
    /// Runs `steps` on the element matching `css`. The window re-renders as data
    /// arrives, so an element found a moment ago may have been replaced ("stale") or
    /// be disabled while a load runs: then it is found again, for up to 10 seconds.
    fn on_element(&self, css: &str, steps: &[(&str, Value)]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        'retry: loop {
            let id = self.wait(css);
            for (action, body) in steps {
                let path = format!("/session/{}/element/{id}/{action}", self.session);
                let v = http(self.port, "POST", &path, Some(body));
                if let Some(err) = v["value"]["error"].as_str() {
                    let transient =
                        err == "stale element reference" || err == "invalid element state";
                    if transient && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(200));
                        continue 'retry;
                    }
                    panic!(
                        "WebDriver {action} on {css}: {err}: {}",
                        v["value"]["message"]
                    );
                }
            }
            return;
        }
    }
    /// Clicks the element as a person would, after bringing it to the middle of the
    /// window: WebKitWebDriver's own scrolling can leave an element at the window's
    /// edge, where the click silently lands on nothing.
    fn click(&self, css: &str) {
        let id = self.wait(css);
        // A stale element is found again by the click below.
        let _ = http(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({
                "script": "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                "args": [{ "element-6066-11e4-a52e-4f735466cecf": id }],
            })),
        );
        self.on_element(css, &[("click", json!({}))]);
    }
    fn type_into(&self, css: &str, text: &str) {
        self.on_element(
            css,
            &[("clear", json!({})), ("value", json!({ "text": text }))],
        );
    }
    fn text(&self, id: &str) -> String {
        http(
            self.port,
            "GET",
            &format!("/session/{}/element/{id}/text", self.session),
            None,
        )["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": js, "args": [] })),
        )
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let table = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(table) {
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}

/// Runs the steps; on a panic saves a screenshot before passing the panic on.
fn with_screenshot_on_failure(d: &Driver, steps: impl FnOnce(&Driver) + std::panic::UnwindSafe) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| steps(d)));
    if let Err(panic) = result {
        let shot = d.screenshot("e2e-failure");
        eprintln!("screenshot of the failure: {}", shot.display());
        std::panic::resume_unwind(panic);
    }
}

/// Starts the app with an empty data directory, opens the demo register from the
/// welcome screen (it is created on first use) and runs `steps`.
fn with_demo_register(steps: impl FnOnce(&Driver) + std::panic::UnwindSafe) {
    let data = tempfile::tempdir().unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-demo");
        d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));
        steps(d);
    });
}

#[test]
fn demo_register_overview_search_lock_unlock_and_language() {
    with_demo_register(|d| {
        d.screenshot("overview-en");

        // Subjects: search as you type, with Norwegian letters.
        go(d, "subjects");
        d.type_into("#subject-search", "ø");
        d.wait("tr[data-subject-id]");
        assert!(d.count("tr[data-subject-id]") >= 1);
        let body = d.script("return document.querySelector('table.subjects tbody').textContent;");
        assert!(
            body.as_str().unwrap().to_lowercase().contains('ø'),
            "{body}"
        );

        // Lock, a wrong passphrase, then the right one.
        d.click("#lock-button");
        d.type_into("#unlock-passphrase", "not the demo passphrase\u{E007}");
        d.wait_until("#unlock-error", |t| !t.trim().is_empty());
        d.screenshot("unlock-wrong-passphrase");
        d.type_into("#unlock-passphrase", "privacy register demo\u{E007}");
        d.wait("#lock-button");

        // Norwegian, switched at run time.
        go(d, "settings");
        d.click("#settings-language option[value='nb']");
        d.wait_until("#nav-overview", |t| t == "Oversikt");
        go(d, "overview");
        d.wait_until("main", |t| {
            t.contains("Behandlingsaktiviteter") || t.contains("behandlingsaktiviteter")
        });
        d.screenshot("overview-nb");
        d.script("document.querySelector('#export-register').scrollIntoView();");
        d.screenshot("overview-nb-export");

        // A narrow window still shows the navigation.
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 420, "height": 760 })),
        );
        d.wait("#lock-button");
        d.screenshot("overview-nb-narrow");
    });
}

#[test]
fn a_subject_is_opened_rectified_with_hostile_text_and_erased() {
    with_demo_register(|d| {
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        d.wait_until("table.subjects tbody", |t| {
            !t.is_empty() && t.to_lowercase().matches("nordmann").count() >= 1
        });
        d.wait_until("tr[data-subject-id]", |t| {
            t.to_lowercase().contains("nordmann")
        });
        d.screenshot("subjects-search-en");
        d.click("tr[data-subject-id] button");
        d.wait_until("subject-page h1", |t| t.to_lowercase().contains("nordmann"));
        d.wait("#rectify-button");
        d.screenshot("subject-page");

        // A name that would run script if it were ever parsed as HTML.
        let hostile = "<img src=x onerror=\"window.__xss=1\">\"><script>window.__xss=2</script>";
        d.click("#rectify-button");
        d.type_into("#rectify-name", hostile);
        d.type_into("#rectify-reason", "the person asked, by e-mail");
        d.click("#rectify-save");
        d.wait_until("subject-page h1", |t| t == hostile);
        let ran = d.script("return [window.__xss === undefined, document.querySelectorAll('subject-page img, subject-page script').length];");
        assert_eq!(ran, json!([true, 0]), "the hostile name was parsed as HTML");
        d.wait_until("subject-page", |t| {
            t.contains("the person asked, by e-mail")
        });

        d.click("#erase-button");
        d.type_into("#erase-reason", "erasure request");
        d.click("#erase-confirm");
        d.wait("#erase-result");
        d.screenshot("erasure-result");
        d.click("#subject-back");
        d.type_into("#subject-search", "onerror");
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            d.count("tr[data-subject-id]"),
            0,
            "the erased subject is still listed"
        );
    });
}

#[test]
fn the_controller_profile_is_edited_and_shown_on_the_overview() {
    with_demo_register(|d| {
        go(d, "controller");
        let org = d.wait("#controller-organisation");
        let value = d.cmd("GET", &format!("/element/{org}/property/value"), None);
        assert_eq!(value, json!("Fjordlys Rådgivning AS"));
        d.type_into("#controller-org-number", "912 345 678");
        d.click("#has-dpo");
        d.type_into("#dpo-name", "Ingrid Personvern");
        d.type_into("#dpo-email", "personvernombud@fjordlys.example.no");
        d.click("#controller-save");
        d.wait_until("#controller-saved", |t| !t.trim().is_empty());
        d.screenshot("controller-page");
        go(d, "overview");
        d.wait_until("main", |t| t.contains("912 345 678"));
    });
}

/// The week-one path of a new user: create a register, add an activity from a template,
/// add a person with a record, find them, correct the record, erase them, switch to
/// Norwegian, lock and unlock.
#[test]
fn a_new_register_is_filled_from_a_template_and_a_person_comes_and_goes() {
    let data = tempfile::tempdir().unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    let pass = "fjord og fjell 2026";
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-create");
        d.click("#create-path");
        d.wait_until("create-register", |t| {
            t.contains("privacy-register.privreg")
        });
        d.type_into("#create-passphrase", pass);
        d.type_into("#create-repeat", pass);
        d.click("create-register button[type=submit]");
        d.wait("#lock-button");
        assert!(data.path().join("privacy-register.privreg").is_file());

        // An activity from the "courses" template, renamed, with its processor.
        go(d, "activities");
        d.wait("#activities-empty");
        d.click("#activity-from-template");
        d.click("button[data-template='courses']");
        d.wait("#activity-template-note");
        let name = d.wait("#activity-name");
        let value = d.cmd("GET", &format!("/element/{name}/property/value"), None);
        assert_eq!(value, json!("Courses and training"));
        assert!(
            d.count("#new-processor-0") == 1,
            "the template's processor is offered"
        );
        d.type_into("#activity-name", "Courses in process improvement");
        d.screenshot("activity-from-template");
        d.click("#activity-save");
        d.wait_until("#activity-saved", |t| !t.trim().is_empty());
        d.click("#activity-back");
        d.wait_until("activity-list tbody", |t| {
            t.contains("Courses in process improvement")
        });

        // Approving it without security measures is refused next to the field.
        d.click("tr[data-activity-id] button");
        d.wait("#activity-security");
        d.type_into("#activity-security", " ");
        d.click("#activity-status option[value='approved']");
        d.click("#activity-save");
        d.wait_until("#activity-security-measures-error", |t| {
            !t.trim().is_empty()
        });
        d.click("#activity-cancel");

        // The processor came with it.
        go(d, "processors");
        d.wait_until("processor-list tbody", |t| {
            t.contains("Mintra Trainingportal") && t.contains("Courses in process improvement")
        });

        // A person with one record.
        go(d, "subjects");
        d.click("#subject-add");
        // The form is ready once the activities have loaded into the first record row.
        d.wait(".record-row input[id^='new-record-value-']");
        d.type_into("#new-subject-name", "Åse Ødegård");
        d.type_into("#new-subject-email", "aase@example.no");
        d.type_into(
            ".record-row input[id^='new-record-value-']",
            "GDPR course, 12 March",
        );
        d.screenshot("subject-new");
        d.click("#new-subject-save");
        d.wait_until("subject-page h1", |t| t == "Åse Ødegård");
        d.wait_until("subject-page", |t| t.contains("GDPR course, 12 March"));

        // Found by a part of a record value.
        d.click("#subject-back");
        d.type_into("#subject-search", "12 marc");
        d.wait_until("tr[data-subject-id]", |t| t.contains("Åse Ødegård"));
        d.click("tr[data-subject-id] button");

        // The record corrected, with a reason.
        d.click("button.record-rectify");
        d.type_into("#record-value", "GDPR course, 14 March");
        d.type_into("#record-reason", "wrong date");
        d.click("#record-save");
        d.wait_until("subject-page", |t| {
            t.contains("GDPR course, 14 March") && t.contains("wrong date")
        });

        // Erased; the receipt says what went.
        d.click("#erase-button");
        d.type_into("#erase-reason", "asked to be forgotten");
        d.click("#erase-confirm");
        d.wait_until("#erase-result", |t| {
            t.contains("Courses in process improvement")
        });
        d.click("#subject-back");
        d.wait_until("subject-list", |t| !t.contains("Åse"));

        // Norwegian, then lock and unlock.
        go(d, "settings");
        d.click("#settings-language option[value='nb']");
        d.wait_until("#nav-activities", |t| t == "Behandlingsaktiviteter");
        go(d, "activities");
        d.wait_until("activity-list", |t| t.contains("Ny fra mal"));
        d.screenshot("activities-nb");
        d.click("#lock-button");
        d.type_into("#unlock-passphrase", &format!("{pass}\u{E007}"));
        d.wait("#lock-button");
        go(d, "activities");
        d.wait_until("activity-list tbody", |t| {
            t.contains("Courses in process improvement")
        });
    });
}

/// Art. 17 from the person's page to the receipt: file an erasure request, check the
/// identity, complete it, and see the receipt; the person is gone from the register.
#[test]
fn an_erasure_request_is_filed_completed_and_leaves_a_receipt() {
    with_demo_register(|d| {
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        d.wait_until("tr[data-subject-id]", |t| {
            t.to_lowercase().contains("nordmann")
        });
        let id =
            d.script("return document.querySelector('tr[data-subject-id]').dataset.subjectId;");
        let id = id.as_str().unwrap().to_string();
        d.click("tr[data-subject-id] button");
        d.click("#subject-request-new");
        d.wait("#request-person-chosen");
        d.click("#request-kind option[value='erasure']");
        d.type_into("#request-notes", "Asked by e-mail to be forgotten");
        d.click("#request-save");
        d.wait_until("request-page h1", |t| t.contains("Erasure"));
        d.wait_until("request-page", |t| t.contains("days left"));

        // Completing before the identity check is not offered.
        d.wait_until("#request-complete-panel", |t| {
            t.contains("identity check first")
        });
        // Proof asked for first, and recorded.
        d.type_into(
            "#request-ask-how",
            "Asked by e-mail for a reply from the address we hold",
        );
        d.click("#request-ask-save");
        d.wait_until("#request-done", |t| {
            t.contains("proof of identity was asked for")
        });
        d.type_into(
            "#request-verify-how",
            "Replied from the e-mail address we hold",
        );
        d.click("#request-verify-save");
        d.wait_until("#request-done", |t| !t.trim().is_empty());
        d.screenshot("request-before-erasure");
        d.click("#request-complete");
        d.wait_until("#request-receipt", |t| t.contains("Receipt"));
        d.wait_until("request-page", |t| t.contains("Completed"));
        let receipt = d.script("return document.querySelector('#request-receipt').textContent;");
        assert!(
            !receipt
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("nordmann"),
            "the receipt holds no name: {receipt}"
        );
        d.screenshot("request-receipt");

        // Closed: the overview lists the demo's own four open requests, not this one.
        go(d, "overview");
        d.wait_until("#overview-requests", |t| {
            t.contains("4 open,") && !t.to_lowercase().contains("nordmann")
        });
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            d.count(&format!("tr[data-subject-id='{id}']")),
            0,
            "the erased person is still listed"
        );
    });
}

/// The file in `dir` whose name starts with `prefix` (what a save dialog answered).
fn saved_file(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no file {prefix}* was saved"))
}

/// The text of a PDF, through poppler's `pdftotext` (installed by .ci/run).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_art30_record_and_an_access_report_are_saved_as_pdf() {
    let data = tempfile::tempdir().unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-demo");
        d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));

        // The record of processing activities, in Norwegian, from the overview.
        d.click("#export-art30-format option[value='pdf']");
        d.click("#export-art30-lang option[value='nb']");
        d.click("#export-art30");
        d.wait_until("#export-art30-done", |t| t.contains(".pdf"));
        let art30 = saved_file(data.path(), "protokoll-over-behandlingsaktiviteter");
        // The whole register as JSON, from the same panel.
        d.click("#export-register");
        d.wait_until("#export-register-done", |t| t.contains(".json"));
        d.screenshot("overview-export-done");
        let export: Value = serde_json::from_slice(
            &std::fs::read(saved_file(data.path(), "privacy-register-export-")).unwrap(),
        )
        .unwrap();
        assert_eq!(export["format"], "privacy-register-export");
        let text = pdf_text(&art30);
        assert!(text.contains("Fjordlys Rådgivning AS"), "{text}");
        assert!(text.contains("Side 1 av"), "Norwegian page numbers: {text}");
        assert!(text.contains("Nyhetsbrev") || text.contains("Newsletter"));

        // A person's access report, in English, from their page.
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        d.wait_until("tr[data-subject-id]", |t| {
            t.to_lowercase().contains("nordmann")
        });
        d.click("tr[data-subject-id] button");
        d.click("#export-access-format option[value='pdf']");
        d.click("#export-access-lang option[value='en']");
        d.click("#export-access");
        d.wait_until("#export-access-done", |t| t.contains(".pdf"));
        let access = saved_file(data.path(), "access-report-");
        let text = pdf_text(&access);
        assert!(text.to_lowercase().contains("nordmann"), "{text}");
        assert!(text.contains("Datatilsynet"), "the right to complain");
        assert!(text.contains("Page 1 of"), "page numbers: {text}");
        d.screenshot("access-report-saved");
    });
}

#[test]
fn a_csv_file_is_imported_into_an_activity_through_the_wizard() {
    let data = tempfile::tempdir().unwrap();
    // Excel's "CSV" on a Norwegian Windows: semicolons and Windows-1252 (Æ, Å, ø).
    let text = "Fornavn;Etternavn;E-post;Notat\r\n\
                Ærlig;Åsheim;aerlig.asheim@example.no;Møtt på kurs\r\n\
                Per;Uten;ikke-en-adresse;x\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'Æ' => 0xC6,
            'Å' => 0xC5,
            'ø' => 0xF8,
            c => c as u8,
        })
        .collect();
    std::fs::write(data.path().join("kontakter.csv"), bytes).unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-demo");
        d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));
        go(d, "activities");
        d.click("[id^='activity-import-csv-']");
        d.click("#csv-choose");
        d.wait_until("#csv-preview", |t| t.contains("Åsheim"));
        assert_eq!(
            d.script("return document.querySelector('#csv-encoding').value;"),
            "windows1252"
        );
        // The note goes into one of the activity's data categories.
        d.click("#csv-map-3 option[value^='category:']");
        d.click("#csv-check");
        d.wait_until("#csv-count-rejected", |t| t.trim() == "1");
        d.wait_until("#csv-count-new", |t| t.trim() == "1");
        d.wait_until("#csv-rejected", |t| t.contains('3'));
        d.screenshot("csv-import-checked");
        d.click("#csv-mode-good");
        d.click("#csv-import");
        d.wait_until("#csv-result", |t| !t.trim().is_empty());
        d.screenshot("csv-import-done");

        go(d, "subjects");
        d.type_into("#subject-search", "åsheim");
        d.wait_until("tr[data-subject-id]", |t| t.contains("Ærlig Åsheim"));

        // In Norwegian, in a narrow window: the mapping is remembered for the activity.
        go(d, "settings");
        d.click("#settings-language option[value='nb']");
        d.wait_until("#nav-overview", |t| t == "Oversikt");
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 420, "height": 760 })),
        );
        go(d, "activities");
        d.click("[id^='activity-import-csv-']");
        d.wait_until("csv-import h1", |t| t.contains("Importer fra CSV"));
        d.click("#csv-choose");
        d.wait_until("#csv-mapping-note", |t| t.contains("forrige import"));
        d.screenshot("csv-import-nb-narrow");
        d.script("document.querySelector('#csv-mapping').scrollIntoView();");
        d.screenshot("csv-import-nb-narrow-mapping");
    });
}

/// A register at `live` with Kari Østby and Ola Nordmann, backed up into `backups`
/// (with its receipts journal), then Kari erased at her request. Returns the backup.
fn kari_erased_after_a_backup(live: &Path, backups: &Path, pass: &str) -> PathBuf {
    use privreg_core::model::SubjectFields;
    use privreg_core::{Passphrase, Register, SystemClock};
    let (mut reg, _) = Register::create(
        live,
        &Passphrase::new(pass),
        std::sync::Arc::new(SystemClock),
    )
    .unwrap();
    let person = |name: &str, email: &str| SubjectFields {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
    };
    let kari = reg
        .add_subject(&person("Kari Østby", "kari@example.no"))
        .unwrap()
        .id;
    reg.add_subject(&person("Ola Nordmann", "ola@example.no"))
        .unwrap();
    let backup = reg.backup(backups).unwrap().path;
    reg.erase_subject(kari, "Art. 17(1)(a): asked by e-mail")
        .unwrap();
    reg.close().unwrap();
    backup
}

#[test]
fn a_backup_opened_in_the_window_loses_everyone_erased_since_and_says_so() {
    const PASS: &str = "sikkerhetskopi i skuffen 2026";
    let data = tempfile::tempdir().unwrap();
    let live_dir = tempfile::tempdir().unwrap();
    // The live register backs up into the folder the open dialog answers from; then
    // Kari is erased. The disk dies, and the manager opens last week's backup.
    kari_erased_after_a_backup(&live_dir.path().join("register.privreg"), data.path(), PASS);
    drop(live_dir);

    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-open");
        d.type_into("#unlock-passphrase", &format!("{PASS}\u{E007}"));
        let said = d.text(&d.wait_until("#journal-reapplied", |t| !t.trim().is_empty()));
        assert!(said.contains("1 erasure"), "{said}");
        assert_eq!(d.count("#journal-problem"), 0);
        d.screenshot("backup-opened-erasure-reapplied-en");
        go(d, "subjects");
        d.wait("tr[data-subject-id]");
        assert_eq!(d.count("tr[data-subject-id]"), 1);
        let body = d.script("return document.querySelector('table.subjects tbody').textContent;");
        let body = body.as_str().unwrap();
        assert!(
            body.contains("Ola Nordmann") && !body.contains("Østby"),
            "{body}"
        );

        go(d, "settings");
        d.click("#settings-language option[value='nb']");
        d.wait_until("#journal-reapplied", |t| t.contains("sletting"));
        d.screenshot("backup-opened-erasure-reapplied-nb");
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 480, "height": 760 })),
        );
        d.wait("#journal-reapplied");
        d.screenshot("backup-opened-erasure-reapplied-nb-480");
    });
}

/// On the subjects page: opens the new-person form and types a name and an e-mail.
fn fill_new_person(d: &Driver, name: &str, email: &str) {
    d.click("#subject-add");
    // The form is ready once the activities have loaded into the first record row.
    d.wait(".record-row input[id^='new-record-value-']");
    d.type_into("#new-subject-name", name);
    d.type_into("#new-subject-email", email);
}

/// On a person's page: erases them, with the reason, and waits for the receipt.
fn erase_open_person(d: &Driver, reason: &str) {
    d.click("#erase-button");
    d.type_into("#erase-reason", reason);
    d.click("#erase-confirm");
    d.wait("#erase-result");
}

/// Saves the new-person form, expects the suppression list's refusal with the field
/// for a reason, and returns what the form said.
fn saved_and_refused(d: &Driver) -> String {
    d.click("#new-subject-save");
    // Someone with the address may still be registered (an erasure that keeps what the
    // law requires leaves the person until it is done): that is asked first.
    wait_true(
        d,
        "!!document.getElementById('new-subject-anyway') || \
         !!document.getElementById('new-subject-error')?.textContent.trim()",
    );
    if d.script("return !!document.getElementById('new-subject-anyway');") == json!(true) {
        d.click("#new-subject-anyway");
    }
    let said = d.text(&d.wait_until("#new-subject-error", |t| !t.trim().is_empty()));
    d.wait("#new-subject-override-reason");
    said
}

#[test]
fn a_person_erased_at_their_request_is_refused_when_added_again_until_a_reason_is_given() {
    with_demo_register(|d| {
        // A person with an e-mail address, added and then erased at her request.
        go(d, "subjects");
        fill_new_person(d, "Åse Ødegård", "aase.odegard@example.no");
        d.type_into(".record-row input[id^='new-record-value-']", "Nyhetsbrev");
        d.click("#new-subject-save");
        d.wait_until("subject-page h1", |t| t == "Åse Ødegård");
        erase_open_person(d, "Art. 17(1)(a): asked by e-mail");

        // Next month's CRM list has her again; the manager types her in.
        d.click("#subject-back");
        fill_new_person(d, "Åse Ø.", "AASE.odegard@example.no");
        let said = saved_and_refused(d);
        assert!(said.contains("erased at their request on"), "{said}");
        assert!(said.contains("(receipt "), "{said}");
        d.screenshot("subject-suppressed-en");
        // Without a reason nothing happens; with one she is added, and it is audited.
        d.click("#new-subject-override");
        d.wait_until("#new-subject-error", |t| t.contains("Write why"));
        d.type_into(
            "#new-subject-override-reason",
            "New consent at the trade fair, 1 December",
        );
        d.click("#new-subject-override");
        d.wait_until("subject-page h1", |t| t == "Åse Ø.");

        // In Norwegian, at 480 px: erased again, and refused again.
        in_bokmal_at_480(d);
        open_person(d, "Åse Ø.");
        d.wait_until("subject-page h1", |t| t == "Åse Ø.");
        erase_open_person(d, "Art. 17(1)(a): ba om det igjen");
        d.click("#subject-back");
        fill_new_person(d, "Åse Ødegård", "aase.odegard@example.no");
        let said = saved_and_refused(d);
        assert!(said.contains("ble slettet etter eget krav"), "{said}");
        d.script("document.querySelector('#new-subject-override-box').scrollIntoView();");
        d.screenshot("subject-suppressed-nb-480");
    });
}

/// Starts the app in bokmål (as a Norwegian user's settings have it) and opens the demo
/// register from the welcome screen: it is made in the window's language.
fn with_demo_register_in_bokmal(steps: impl FnOnce(&Driver) + std::panic::UnwindSafe) {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("settings.json"),
        r#"{"language": "nb", "auto_lock_minutes": 5}"#,
    )
    .unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-demo");
        d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));
        steps(d);
    });
}

/// Opens the page of the person with exactly this name (other names may contain it).
fn open_person_named(d: &Driver, name: &str) {
    go(d, "subjects");
    d.type_into("#subject-search", name);
    d.wait_until("table.subjects tbody", |t| t.contains(name));
    d.script(&format!(
        "[...document.querySelectorAll('tr[data-subject-id] th button')]\
           .find((b) => b.textContent === {name:?}).click();"
    ));
    d.wait_until("subject-page h1", |t| t == name);
}

/// Issue 17: adding a person whose e-mail address or phone number is already registered
/// warns and offers the person already there; in English, then in bokmål at 480 px.
#[test]
fn adding_a_person_already_registered_warns_and_opens_the_one_there() {
    with_demo_register(|d| {
        go(d, "subjects");
        fill_new_person(d, "Ingrid Solheim-Berg", "INGRID.SOLHEIM@example.no");
        d.type_into(
            ".record-row input[id^='new-record-value-']",
            "Met at the trade fair",
        );
        d.click("#new-subject-save");
        let warned =
            d.text(&d.wait_until("#new-subject-duplicates", |t| t.contains("Ingrid Solheim")));
        assert!(
            warned.contains("the same e-mail address (ingrid.solheim@example.no)"),
            "{warned}"
        );
        assert_eq!(d.count("#new-subject-duplicates-list li"), 1);
        d.script("document.querySelector('#new-subject-duplicates').scrollIntoView();");
        d.screenshot("subject-duplicate-en");
        d.click("#new-subject-duplicates-list li .duplicate-open");
        d.wait_until("subject-page h1", |t| t == "Ingrid Solheim");
        // Nothing was added.
        d.click("#subject-back");
        d.type_into("#subject-search", "Solheim-Berg");
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            d.count("tr[data-subject-id]"),
            0,
            "the warning added no one"
        );

        // Her mobile number typed another way finds both records of her; added anyway.
        in_bokmal_at_480(d);
        go(d, "subjects");
        d.click("#subject-add");
        d.wait(".record-row input[id^='new-record-value-']");
        d.type_into("#new-subject-name", "Ingrid S.");
        d.type_into("#new-subject-phone", "415 55 210");
        d.type_into(
            ".record-row input[id^='new-record-value-']",
            "Møtt på messen",
        );
        d.click("#new-subject-save");
        d.wait_until("#new-subject-duplicates", |t| {
            t.contains("samme telefonnummer")
        });
        assert_eq!(d.count("#new-subject-duplicates-list li"), 2);
        d.script("document.querySelector('#new-subject-duplicates').scrollIntoView();");
        d.screenshot("subject-duplicate-nb-480");
        assert!(fits_width(d), "the warning is wider than 480 px");
        d.click("#new-subject-anyway");
        d.wait_until("subject-page h1", |t| t == "Ingrid S.");
    });
}

/// Issue 17: the demo's one person registered twice is merged from her page: the other
/// record is found by search, what moves is counted first, the reason is required, and
/// the page then shows her with everything; in English, then the panel in bokmål at
/// 480 px.
#[test]
fn the_demo_pair_is_merged_from_the_persons_page() {
    with_demo_register(|d| {
        // The demo's requests: overdue, due within the week, extended, waiting.
        go(d, "requests");
        d.wait_until("request-list", |t| {
            t.contains("Oliver Bennett") && t.contains("Grace Whitfield")
        });
        d.screenshot("demo-requests-en");

        open_person_named(d, "Ingrid Solheim");
        d.click("#merge-button");
        d.type_into("#merge-search", "Solheim");
        d.wait_until("#merge-results", |t| t.contains("Ingrid M. Solheim"));
        assert_eq!(d.count("#merge-results li"), 1, "not the person herself");
        d.click("#merge-results li .merge-choose");
        let moves = d.text(&d.wait_until("#merge-moves", |t| t.contains("Records")));
        assert!(moves.contains("Records: 3"), "{moves}");
        let fields = d.text(&d.wait("#merge-fields"));
        assert!(fields.contains("Phone: the same"), "{fields}");
        assert!(
            fields.contains("E-mail: differs, and is kept in the records"),
            "{fields}"
        );
        d.script("document.querySelector('#merge-panel').scrollIntoView();");
        d.screenshot("merge-preview-en");
        d.click("#merge-confirm");
        d.wait_until("#merge-error", |t| t.contains("Write why"));
        d.type_into(
            "#merge-reason",
            "The same person: her account on the course portal",
        );
        d.click("#merge-confirm");
        d.wait_until("#subject-saved", |t| t.contains("Merged: 3 records"));
        d.wait_until("subject-page h1", |t| t == "Ingrid Solheim");
        let page = d.text(&d.wait("subject-page"));
        assert!(page.contains("Courses and training"), "{page}");
        assert!(
            page.contains("Merged with another record of the person"),
            "{page}"
        );
        d.screenshot("merge-done-en");
        d.click("#subject-back");
        d.type_into("#subject-search", "Solheim");
        d.wait_until("tr[data-subject-id]", |t| t.contains("Ingrid Solheim"));
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            d.count("tr[data-subject-id]"),
            1,
            "one record of her is left"
        );

        // In bokmål at 480 px: the panel with a preview, then cancelled.
        in_bokmal_at_480(d);
        open_person_named(d, "Ingrid Solheim");
        d.click("#merge-button");
        d.type_into("#merge-search", "Nordmann");
        d.wait("#merge-results li .merge-choose");
        d.click("#merge-results li .merge-choose");
        d.wait_until("#merge-moves", |t| t.contains("Opplysninger"));
        d.script("document.querySelector('#merge-panel').scrollIntoView();");
        d.screenshot("merge-preview-nb-480");
        assert!(fits_width(d), "the merge panel is wider than 480 px");
        d.click("#merge-cancel");
        d.wait("#merge-button");
        assert_eq!(d.count("#merge-panel"), 0);
    });
}

/// Issue 17: the demo made in bokmål holds Norwegian people and texts, and shows the
/// product: requests overdue, due soon, extended and waiting; an open breach; a legal
/// hold; records due; at 1180 and at 480 px.
#[test]
fn the_demo_in_bokmal_shows_norwegian_data_and_everything_the_register_does() {
    with_demo_register_in_bokmal(|d| {
        d.wait_until("#nav-overview", |t| t == "Oversikt");
        let requests = d.text(&d.wait_until("#overview-requests", |t| t.contains("4 åpne")));
        assert!(requests.contains("1 over fristen"), "{requests}");
        for name in ["Henrik Aasland", "Eva Lindqvist", "Jonas Fjeld", "Thea Vik"] {
            assert!(requests.contains(name), "{name}: {requests}");
        }
        d.wait_until("#overview-extension-reminders", |t| {
            t.contains("første måneden")
        });
        let breaches = d.text(&d.wait("#overview-breaches"));
        assert!(breaches.contains("Deltakerlisten"), "{breaches}");
        assert!(d.text(&d.wait("overview-page")).contains("Nyhetsbrev"));
        d.screenshot("demo-overview-nb");

        // Norwegian people, Norwegian addresses and numbers.
        go(d, "subjects");
        d.wait("tr[data-subject-id]");
        let body = d.script("return document.querySelector('table.subjects tbody').textContent;");
        let body = body.as_str().unwrap();
        assert!(
            body.contains("example.no") && !body.contains(".co.uk"),
            "{body}"
        );
        assert!(!body.contains("+44"), "{body}");
        d.screenshot("demo-subjects-nb");

        go(d, "requests");
        let list = d.text(&d.wait_until("request-list", |t| t.contains("Henrik Aasland")));
        assert!(list.contains("Forlenget"), "{list}");
        d.screenshot("demo-requests-nb");

        // The retention page: the hold on a disputed invoice, and records due after an
        // unsubscribe and a closed recruitment.
        go(d, "retention");
        d.wait_until("#holds-table", |t| t.contains("Omstridt faktura"));
        d.wait_until("retention-page", |t| {
            t.contains("Linn Aune") && t.contains("Sofie Dahl")
        });
        d.screenshot("demo-retention-nb");

        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 480, "height": 900 })),
        );
        go(d, "overview");
        d.wait_until("#overview-requests", |t| t.contains("4 åpne"));
        d.screenshot("demo-overview-nb-480");
        assert!(fits_width(d), "the overview is wider than 480 px");
        go(d, "requests");
        d.wait_until("request-list", |t| t.contains("Henrik Aasland"));
        d.screenshot("demo-requests-nb-480");
        // The people, searched, at 480 px: the table scrolls inside its frame.
        go(d, "subjects");
        d.wait("tr[data-subject-id]");
        d.type_into("#subject-search", "hansen");
        d.wait_until("subject-list .summary", |t| t.contains("treff"));
        d.screenshot("demo-subjects-search-nb-480");
        assert!(fits_width(d), "the searched list is wider than 480 px");
    });
}

#[test]
fn legal_holds_are_placed_and_released_from_the_retention_page_and_a_persons_page() {
    with_demo_register(|d| {
        go(d, "retention");
        d.wait("#hold-form");
        // A hold on an activity, with a last day.
        d.click("#hold-activity option:nth-child(1)");
        d.type_into(
            "#hold-reason",
            "Bookkeeping Act § 13: kept for 5 years after the financial year",
        );
        // (A date field takes its value in the browser's own order; set it as the
        // date picker would.)
        d.script("document.querySelector('#hold-until').value = '2031-12-31';");
        d.click("#hold-add");
        d.wait_until("#holds-done", |t| t.contains("in force"));
        d.wait_until("#holds-table", |t| t.contains("Bookkeeping Act § 13"));
        d.screenshot("legal-holds-en");

        // A hold on an activity from the activity's page: only its own holds there.
        go(d, "activities");
        d.wait("activity-list [data-activity-id] button");
        d.click("activity-list [data-activity-id] button");
        d.wait_until("activity-editor #holds-title", |t| {
            t == "Legal holds on this activity"
        });
        d.type_into("activity-editor #hold-reason", "Audit of the 2025 accounts");
        d.click("activity-editor #hold-add");
        d.wait_until("activity-editor #holds-table", |t| {
            t.contains("Audit of the 2025 accounts")
        });
        // The first activity is the one held from the retention page: both are listed.
        let held = d.text(&d.wait("activity-editor #holds-table"));
        assert!(held.contains("Bookkeeping Act § 13"), "{held}");
        assert_eq!(d.count("activity-editor #holds-table tbody tr"), 2);
        d.script("document.querySelector('activity-editor #holds-title').scrollIntoView();");
        d.screenshot("legal-holds-activity-en");

        // A hold on a person, from their page.
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        d.wait_until("tr[data-subject-id]", |t| {
            t.to_lowercase().contains("nordmann")
        });
        d.click("tr[data-subject-id] button");
        d.wait("#hold-button");
        d.click("#hold-button");
        d.type_into("#hold-person-reason", "Dispute, case 26-1234");
        d.click("#hold-person-save");
        d.wait("#rectify-button");
        // Erasing the person keeps what the hold covers (Art. 17(3)(e)), restricted, and
        // says so; the page then shows the erasure under way.
        d.click("#erase-button");
        d.type_into("#erase-reason", "asked by e-mail");
        d.click("#erase-confirm");
        let title = d.text(&d.wait("#erase-result-title"));
        assert!(title.contains("except what the law requires"), "{title}");
        let kept = d.text(&d.wait("#erase-kept"));
        assert!(kept.contains("legal hold #"), "{kept}");
        assert!(kept.contains("until the hold is released"), "{kept}");
        d.screenshot("erasure-kept-en");
        d.click("#subject-reopen");
        let pending = d.text(&d.wait("#pending-erasure"));
        assert!(pending.contains("Erasure under way"), "{pending}");
        d.screenshot("erasure-pending-en");

        // Both listed on the retention page; released there, in Norwegian, at 480 px.
        in_bokmal_at_480(d);
        // The person's page in Norwegian at 480 px: the erasure under way.
        go(d, "subjects");
        d.type_into("#subject-search", "nordmann");
        d.wait_until("tr[data-subject-id]", |t| {
            t.to_lowercase().contains("nordmann")
        });
        d.click("tr[data-subject-id] button");
        let pending = d.text(&d.wait("#pending-erasure"));
        assert!(pending.contains("Sletting pågår"), "{pending}");
        assert!(pending.contains("til slettestoppen oppheves"), "{pending}");
        d.script("document.querySelector('#pending-erasure').scrollIntoView();");
        d.screenshot("erasure-pending-nb-480");
        go(d, "retention");
        d.wait_until("#holds-table", |t| t.contains("Dispute, case 26-1234"));
        assert_eq!(d.count("#holds-table tbody tr"), 4);
        d.script("document.querySelector('#holds-table').scrollIntoView();");
        d.screenshot("legal-holds-nb-480");
        // Newest first: the person's hold, then the two on the activity, then the
        // demo's own hold on a disputed invoice.
        d.click("button.hold-release");
        d.type_into("#hold-release-reason", "Saken er avsluttet");
        d.script("document.querySelector('#hold-release-form').scrollIntoView();");
        d.screenshot("legal-holds-release-nb-480");
        d.click("#hold-release-confirm");
        d.wait_until("#holds-done", |t| t.contains("opphevet"));
        assert_eq!(d.count("#holds-table tbody tr"), 3);

        // The erasure waits on the retention page; with the person's hold released,
        // finishing erases what it kept.
        // (The page loads the queue again once the hold is released.)
        d.wait_until("#pending-erasures", |t| t.contains("kan slettes nå"));
        std::thread::sleep(Duration::from_millis(500));
        d.script("document.querySelector('#pending-erasures').scrollIntoView();");
        d.screenshot("erasure-waiting-nb-480");
        d.click("#finish-erasures");
        let done = d.text(&d.wait_until("#retention-done", |t| !t.trim().is_empty()));
        assert!(done.contains("kom videre"), "{done}");
    });
}

#[test]
fn a_backup_is_restored_from_the_settings_page_and_erasures_made_since_stay() {
    use std::time::SystemTime;
    const PASS: &str = "gjenoppretting fra skuffen 2026";
    let data = tempfile::tempdir().unwrap();
    let live = data.path().join("register.privreg");
    let backup = kari_erased_after_a_backup(&live, data.path(), PASS);
    // The open dialog answers with the newest register file of the folder: first the
    // live one, then (below) the backup.
    let touch = |path: &Path, secs: u64| {
        std::fs::File::options()
            .append(true)
            .open(path)
            .unwrap()
            .set_modified(SystemTime::now() + Duration::from_secs(secs))
            .unwrap();
    };
    touch(&live, 60);

    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-open");
        d.type_into("#unlock-passphrase", &format!("{PASS}\u{E007}"));
        d.wait("#lock-button");
        go(d, "settings");
        d.wait("#restore-choose");
        touch(&backup, 3600);
        d.click("#restore-choose");
        d.wait("#restore-form");
        d.type_into("#restore-passphrase", PASS);
        d.screenshot("restore-form-en");
        d.click("#restore-confirm");
        let said = d.text(&d.wait_until("#backup-done", |t| !t.trim().is_empty()));
        assert!(said.contains("1 erasure made after the backup"), "{said}");
        assert!(said.contains("register.privreg.before-restore"), "{said}");
        d.wait("#journal-reapplied");
        d.screenshot("restored-en");
        go(d, "subjects");
        d.wait("tr[data-subject-id]");
        assert_eq!(d.count("tr[data-subject-id]"), 1);
        let body = d.script("return document.querySelector('table.subjects tbody').textContent;");
        assert!(!body.as_str().unwrap().contains("Østby"), "{body}");

        // In Norwegian at 480 px: the form before restoring.
        in_bokmal_at_480(d);
        touch(&backup, 7200);
        d.click("#restore-choose");
        d.wait("#restore-form");
        d.script("document.querySelector('#restore-form').scrollIntoView();");
        d.screenshot("restore-form-nb-480");
    });
}

/// Goes to a page of the navigation as a person would: in a narrow window the list of
/// pages is behind the menu button (#nav-toggle), which is opened first.
fn go(d: &Driver, page: &str) {
    let button = format!("#nav-{page}");
    d.wait(&button);
    let collapsed = d.script(
        "const b = document.getElementById('nav-toggle'); \
         return !!b && getComputedStyle(b).display !== 'none' \
           && b.getAttribute('aria-expanded') !== 'true';",
    );
    if collapsed == json!(true) {
        d.click("#nav-toggle");
    }
    d.click(&button);
}

/// Waits until the expression `js` is true in the window.
fn wait_true(d: &Driver, js: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while d.script(&format!("return !!({js});")) != json!(true) {
        if Instant::now() > deadline {
            let shot = d.screenshot("e2e-timeout");
            panic!("timed out waiting for {js} (screenshot {})", shot.display());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The window in Norwegian bokmål, 480 px wide (how every page is looked at narrow).
fn in_bokmal_at_480(d: &Driver) {
    go(d, "settings");
    d.click("#settings-language option[value='nb']");
    // Read from the DOM: in a narrow window the list of pages is closed (not shown).
    wait_true(
        d,
        "document.getElementById('nav-overview')?.textContent === 'Oversikt'",
    );
    d.cmd(
        "POST",
        "/window/rect",
        Some(&json!({ "width": 480, "height": 900 })),
    );
}

/// Finds a person by their full name on the people page and opens their page.
fn open_person(d: &Driver, name: &str) {
    go(d, "subjects");
    d.type_into("#subject-search", name);
    d.wait_until("tr[data-subject-id]", |t| t.contains(name));
    d.click("tr[data-subject-id] button");
}

/// Picks the option of a select by its text, as a person would, and tells the page.
fn choose(d: &Driver, select: &str, text: &str) {
    let js = format!(
        "const s = document.querySelector({select:?}); \
         const o = [...s.options].find((o) => o.textContent.trim() === {text:?}); \
         s.value = o.value; s.dispatchEvent(new Event('change', {{ bubbles: true }}));"
    );
    d.script(&js);
}

/// Issue 14, the first flows: a newsletter subscriber unsubscribes from their page and
/// comes due for deletion under the newsletter's rule; an objection to the client
/// follow-up (Art. 21(1)) restricts the person until the manager decides; in English
/// and in bokmål at 480 px.
#[test]
fn an_unsubscribe_comes_due_and_an_objection_restricts_until_decided() {
    with_demo_register(|d| {
        // A recruitment closed: one date for every applicant without one, shown first.
        go(d, "activities");
        d.wait_until("activity-list", |t| t.contains("Job applicants"));
        d.script(
            "[...document.querySelectorAll('activity-list [data-activity-id] button')]\
               .find((b) => b.textContent.trim() === 'Job applicants').click();",
        );
        d.wait("#retention-bulk");
        let closed = (chrono::Local::now().date_naive() - chrono::Days::new(14)).to_string();
        d.script(&format!(
            "const i = document.querySelector('#bulk-on'); i.value = '{closed}'; \
             i.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ));
        d.click("#bulk-preview-button");
        let preview = d.text(&d.wait("#bulk-preview"));
        assert!(preview.contains("without this date"), "{preview}");
        d.script("document.querySelector('#retention-bulk').scrollIntoView();");
        d.screenshot("retention-bulk-en");
        d.click("#bulk-save");
        let done = d.text(&d.wait_until("#bulk-done", |t| !t.trim().is_empty()));
        assert!(done.contains("The date is set for"), "{done}");

        open_person(d, "Bjørn Jensen");
        d.wait("#rights-consent");
        choose(d, "#consent-activity", "Newsletter");
        d.click("#consent-kind option[value='consent_withdrawn']");
        let hint = d.text(&d.wait("#consent-kind-hint"));
        assert!(hint.contains("audience"), "{hint}");
        d.type_into("#consent-method", "unsubscribe link");
        // Six weeks ago, as a date picker would set it.
        let then = (chrono::Local::now().date_naive() - chrono::Days::new(42)).to_string();
        d.script(&format!(
            "document.querySelector('#consent-date').value = '{then}';"
        ));
        d.click("#consent-save");
        d.wait_until("#rights-done", |t| !t.trim().is_empty());
        d.wait_until("#retention-dates", |t| t.contains("Unsubscribing"));
        d.script("document.querySelector('#rights-consent').scrollIntoView();");
        d.screenshot("rights-unsubscribed-en");
        // The newsletter's rule (one month after unsubscribing): due now.
        // His e-mail address (the statistics were due already) is listed with the rule.
        go(d, "retention");
        d.wait_until("retention-page", |t| t.contains("Bjørn Jensen"));
        let rows = d.script(
            "return [...document.querySelectorAll('retention-page tr[data-record-id]')]\
               .map((r) => r.textContent).filter((t) => t.includes('Bjørn Jensen'));",
        );
        let rows = rows.to_string();
        assert!(
            rows.contains("E-mail address") && rows.contains("unsubscribing"),
            "{rows}"
        );

        // Art. 21(1): Sigrid Nilsen objects to the client follow-up.
        open_person(d, "Sigrid Nilsen");
        d.wait("#rights-consent");
        choose(d, "#consent-activity", "Client information");
        d.click("#consent-kind option[value='objection']");
        let hint = d.text(&d.wait("#consent-kind-hint"));
        assert!(hint.contains("21(1)"), "{hint}");
        d.type_into("#consent-method", "e-mail");
        d.click("#consent-save");
        d.wait_until(".subject-badges", |t| t.contains("Restricted"));
        let pending = d.text(&d.wait("#objections-pending"));
        assert!(pending.contains("Client information"), "{pending}");

        in_bokmal_at_480(d);
        open_person(d, "Sigrid Nilsen");
        d.wait("#objections-pending");
        d.script("document.querySelector('#rights-restriction').scrollIntoView();");
        d.screenshot("rights-objection-nb-480");
        d.type_into(
            ".objection-reason",
            "Tvingende berettigede grunner: løpende avtale og reklamasjonsfrist",
        );
        d.click(".objection-continue");
        d.wait_until("#rights-done", |t| !t.trim().is_empty());
        assert_eq!(d.count("#objections-pending"), 0);
        assert_eq!(
            d.count(".subject-badges .badge.warning"),
            0,
            "no longer restricted"
        );
        d.script("document.querySelector('#rights-restriction').scrollIntoView();");
        d.screenshot("rights-objection-decided-nb-480");

        // The client relationship ended: the dates the records then become due are shown
        // before the date is saved.
        d.click("#retention-trigger option[value='relationship_ended']");
        let ended = (chrono::Local::now().date_naive() - chrono::Days::new(30)).to_string();
        d.script(&format!(
            "const i = document.querySelector('#retention-on'); i.value = '{ended}'; \
             i.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ));
        d.click("#retention-preview");
        let preview = d.text(&d.wait("#retention-preview-list"));
        assert!(!preview.trim().is_empty(), "the preview lists the records");
        d.script("document.querySelector('#retention-preview-list').scrollIntoView();");
        d.screenshot("rights-retention-preview-nb-480");
        d.click("#retention-save");
        d.wait_until("#retention-dates", |t| t.contains("Forholdet avsluttet"));
    });
}

/// Issue 14: "we hold no data about you", the most common honest answer, for a request
/// that matches no one; and an erasure refused under Art. 17(3)(b), the ground chosen
/// from those the law gives for an erasure; in English and in bokmål at 480 px.
#[test]
fn a_request_is_answered_no_data_held_and_an_erasure_refused_on_its_ground() {
    with_demo_register(|d| {
        go(d, "requests");
        d.click("#request-add");
        d.wait("#request-requester-name");
        d.type_into("#request-requester-name", "Per Ukjent");
        d.type_into("#request-requester-email", "per.ukjent@example.no");
        d.click("#request-save");
        d.wait("#request-no-data");
        d.screenshot("request-no-data-en");
        d.click("#request-no-data-save");
        d.wait_until("#request-done", |t| t.contains("no personal data held"));
        d.wait_until("request-page", |t| t.contains("Completed"));
        // The letter that says so, in English, as PDF; then it is recorded as sent.
        d.wait("#reply-letter");
        d.click("#reply-letter-lang option[value='en']");
        d.click("#reply-letter-save");
        let done = d.text(&d.wait_until("#request-done", |t| t.contains(".pdf")));
        let letter = pdf_text(&saved_path(&done));
        for want in [
            "Per Ukjent",
            "Fjordlys Rådgivning AS",
            "no personal data",
            "Postboks 458 Sentrum",
            "Art. 79",
        ] {
            assert!(letter.contains(want), "{want}: {letter}");
        }
        d.type_into("#request-reply-how", "E-mail to per.ukjent@example.no");
        d.click("#request-reply-save");
        d.wait_until("#request-reply-sent", |t| {
            t.contains("E-mail to per.ukjent")
        });
        d.script("document.querySelector('#request-reply').scrollIntoView();");
        d.screenshot("request-no-data-letter-en");

        in_bokmal_at_480(d);
        open_person(d, "Sigrid Nilsen");
        d.click("#subject-request-new");
        d.wait("#request-person-chosen");
        d.click("#request-kind option[value='erasure']");
        d.click("#request-save");
        d.wait("#request-refuse-ground");
        let grounds = d.text(&d.wait("#request-refuse-ground"));
        assert!(grounds.contains("bokstav b"), "{grounds}");
        assert!(
            !grounds.contains("art. 21"),
            "Art. 21(1) does not refuse an erasure: {grounds}"
        );
        d.click("#request-refuse-ground option[value='legal_obligation']");
        d.type_into(
            "#request-refuse-reason",
            "Fakturaene må oppbevares i fem år etter bokføringsloven § 13",
        );
        d.script("document.querySelector('#request-refuse').scrollIntoView();");
        d.screenshot("request-refuse-nb-480");
        d.click("#request-refuse-save");
        d.wait_until("request-page", |t| t.contains("Avslått"));
        let facts = d.text(&d.wait("request-page"));
        assert!(
            facts.contains("En rettslig forpliktelse krever opplysningene"),
            "{facts}"
        );
        // The refusal letter, in the window's language: the ground with its article,
        // the reasons, the complaint to Datatilsynet and the courts.
        d.click("#reply-letter-save");
        let done = d.text(&d.wait_until("#request-done", |t| t.contains(".pdf")));
        let letter = pdf_text(&saved_path(&done));
        for want in [
            "Sigrid Nilsen",
            "art. 17 nr. 3 bokstav b",
            "bokføringsloven § 13",
            "Datatilsynet",
            "domstolene",
        ] {
            assert!(letter.contains(want), "{want}: {letter}");
        }
        d.script("document.querySelector('#request-reply').scrollIntoView();");
        d.screenshot("request-refusal-letter-nb-480");
    });
}

/// How many elements matching `css` contain `text`.
fn count_with(d: &Driver, css: &str, text: &str) -> usize {
    let n = d.script(&format!(
        "return [...document.querySelectorAll({css:?})].filter((e) => e.textContent.includes({text:?})).length;"
    ));
    n.as_u64().unwrap_or(0) as usize
}

/// The file a "Saved to PATH." message names.
fn saved_path(message: &str) -> PathBuf {
    let start = message.find('/').expect("a path in the message");
    let rest = &message[start..];
    let end = [".pdf", ".txt", ".json", ".csv", ".xlsx"]
        .iter()
        .filter_map(|ext| rest.find(ext).map(|i| i + ext.len()))
        .min()
        .expect("a file extension in the message");
    PathBuf::from(&rest[..end])
}

/// Issue 14: a correction on a person's page makes one Art. 19 task per recipient of
/// their activities; one is marked told, one impossible, and the rest stay on the
/// requests page until they are done; in English, then in bokmål at 480 px.
#[test]
fn a_rectification_makes_art_19_tasks_that_are_marked_told() {
    with_demo_register(|d| {
        open_person(d, "Sigrid Nilsen");
        d.click("#rectify-button");
        d.type_into("#rectify-phone", "+47 400 00 001");
        d.type_into("#rectify-reason", "new number, she wrote");
        d.click("#rectify-save");
        let tasks = d.text(&d.wait_until("#art19-panel", |t| t.contains("Dynamics 365")));
        assert!(
            tasks.contains("Processor") && tasks.contains("Rectification"),
            "{tasks}"
        );
        assert!(
            !tasks.contains("Microsoft as processor"),
            "a recipient that names a processor is that processor: {tasks}"
        );
        d.script("document.querySelector('#art19-panel').scrollIntoView();");
        d.screenshot("art19-person-en");
        let first = d.script(
            "return [...document.querySelectorAll('li[data-notification-id]')]\
               .find((li) => li.textContent.includes('Dynamics 365')).dataset.notificationId;",
        );
        let first = first.as_str().unwrap().to_string();
        d.click(&format!("li[data-notification-id='{first}'] .art19-told"));
        d.type_into("#art19-how", "e-mail to the Dynamics 365 admin");
        d.click("#art19-save");
        d.wait_until(&format!("li[data-notification-id='{first}']"), |t| {
            t.contains("Told") && t.contains("e-mail to the Dynamics 365 admin")
        });
        let open_before = d.count("li[data-notification-id] .art19-told");
        assert!(open_before >= 1, "other recipients are still to be told");

        // The requests page lists what is outstanding, for everyone: hers, and the
        // demo's own (a rectification, an objection being assessed).
        go(d, "requests");
        let list = d.text(&d.wait_until("#art19-list", |t| t.contains("Sigrid Nilsen")));
        assert!(
            !list.contains("Dynamics 365 admin"),
            "told is no longer outstanding: {list}"
        );
        assert_eq!(
            count_with(d, "#art19-list li", "Sigrid Nilsen"),
            open_before
        );
        assert!(d.count("#art19-list li") > open_before, "{list}");

        in_bokmal_at_480(d);
        go(d, "requests");
        d.wait_until("#art19-panel", |t| {
            t.contains("Mottakere som skal underrettes")
        });
        let all_before = d.count("#art19-list li");
        d.click("#art19-list li .art19-impossible");
        d.type_into(
            "#art19-how",
            "Mottakeren har ingen kontaktpunkt for slike meldinger",
        );
        d.script("document.querySelector('#art19-form').scrollIntoView();");
        d.screenshot("art19-requests-nb-480");
        d.click("#art19-save");
        d.wait_until("#art19-done", |t| t.contains("Registrert"));
        assert_eq!(d.count("#art19-list li"), all_before - 1);
        go(d, "overview");
        let overview = d.text(&d.wait("overview-page"));
        assert!(overview.contains("ikke underrettet"), "{overview}");
    });
}

/// Issue 14: in the last week of the first month the request page reminds that an
/// extension must be decided and told now (Art. 12(3)); the extension, told the same
/// day, is logged; in bokmål at 480 px.
#[test]
fn an_extension_is_reminded_before_the_first_month_ends_and_logged() {
    with_demo_register(|d| {
        in_bokmal_at_480(d);
        go(d, "requests");
        d.click("#request-add");
        d.wait("#request-requester-name");
        d.type_into("#request-requester-name", "Lise Lang");
        d.type_into("#request-requester-email", "lise.lang@example.no");
        let received = chrono::Local::now()
            .date_naive()
            .checked_sub_months(chrono::Months::new(1))
            .unwrap()
            + chrono::Days::new(3);
        d.script(&format!(
            "const i = document.querySelector('#request-received'); i.value = '{received}'; \
             i.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ));
        d.click("#request-save");
        let reminder = d.text(&d.wait("#request-extension-reminder"));
        // Three days, or four when a short month clamped the receipt date.
        let today = chrono::Local::now().date_naive();
        let left = (privreg_core::deadline::due_date(received, 0) - today).num_days();
        assert!(
            reminder.contains(&format!("{left} dager")) && reminder.contains("art. 12 nr. 3"),
            "{left}: {reminder}"
        );
        d.screenshot("request-extension-reminder-nb-480");
        go(d, "overview");
        d.wait_until("#overview-extension-reminders", |t| {
            t.contains("første måneden")
        });

        go(d, "requests");
        d.wait_until("request-list", |t| t.contains("Lise Lang"));
        d.script(
            "[...document.querySelectorAll('request-list tr[data-request-id]')]\
               .find((r) => r.textContent.includes('Lise Lang')).click();",
        );
        d.wait("#request-extend");
        d.type_into("#request-extend-reason", "Mange dokumenter må gjennomgås");
        let today = chrono::Local::now().date_naive().to_string();
        d.script(&format!(
            "document.querySelector('#request-extend-told').value = '{today}';"
        ));
        d.click("#request-extend-save");
        d.wait_until("#request-actions", |t| t.contains("Fristen forlenget"));
        assert_eq!(
            d.count("#request-extension-reminder"),
            0,
            "decided: no reminder"
        );
        let reply = d.text(&d.wait("#request-reply"));
        assert!(reply.contains("Varselet om forlenget frist"), "{reply}");
    });
}

/// Sets an input's value as a date or time picker would, and tells the page.
fn set_input(d: &Driver, css: &str, value: &str) {
    d.script(&format!(
        "const i = document.querySelector({css:?}); i.value = {value:?}; \
         i.dispatchEvent(new Event('change', {{ bubbles: true }}));"
    ));
}

/// A local time `hours` ago as a datetime-local input holds it.
fn local_hours_ago(hours: i64) -> String {
    (chrono::Local::now() - chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Whether the page fits the window's width (nothing to scroll sideways).
fn fits_width(d: &Driver) -> bool {
    d.script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1;",
    ) == json!(true)
}

/// Breaches (Art. 33, 34): on the demo register a breach reported by a processor is
/// recorded and its 72-hour clock shown on the overview; the people affected by two
/// activities and one data category are counted before they are saved; it is assessed;
/// the text for Datatilsynet holds the count and is copied; the notification is
/// recorded and the clock stops; the letters are saved and recorded as the
/// communication to the people; it is closed. In English, then the pages in bokmål at
/// 480 px, with a second breach past its 72 hours.
#[test]
fn a_breach_is_recorded_assessed_notified_told_and_closed() {
    with_demo_register(|d| {
        // The demo's own breach is open, its clock running.
        go(d, "breaches");
        d.wait_until("#breaches-open", |t| {
            t.contains("Participant list e-mailed")
        });
        d.click("#breach-add");
        d.wait_until("#breach-processor", |t| t.contains("Mintra Trainingportal"));
        let aware = local_hours_ago(30);
        set_input(d, "#breach-discovered-at", &aware);
        set_input(d, "#breach-aware-at", &aware);
        d.type_into(
            "#breach-title",
            "Course portal showed other participants' e-mail addresses",
        );
        d.click("#breach-kind-confidentiality");
        d.type_into(
            "#breach-description",
            "After an update the course portal listed every participant's e-mail address to the others on the course.",
        );
        d.type_into("#breach-cause", "A configuration error at the processor");
        choose(d, "#breach-processor", "Mintra Trainingportal");
        d.wait("#breach-processor-told-at");
        set_input(d, "#breach-processor-told-at", &aware);
        d.type_into("#breach-measures-taken", "The list was hidden the same day");
        d.screenshot("breach-new-en");
        d.click("#breach-facts-save");
        d.wait_until("#breach-done", |t| t.contains("The breach is recorded"));
        let clock = d.text(&d.wait("#breach-clock"));
        assert!(
            clock == "41 hours left" || clock == "42 hours left",
            "{clock}"
        );
        let reported = d.text(&d.wait("#breach-reported-by"));
        assert!(reported.contains("Mintra Trainingportal"), "{reported}");

        // The overview shows the clock and who reported it, and leads back to the breach.
        go(d, "overview");
        let panel = d.text(&d.wait_until("#overview-breaches", |t| t.contains("hours left")));
        assert!(
            panel.contains("Reported by the processor Mintra Trainingportal"),
            "{panel}"
        );
        d.screenshot("overview-breach-en");
        d.script(
            "[...document.querySelectorAll('#overview-breaches li[data-breach-id] button')]\
               .find((b) => b.textContent.includes('Course portal')).click();",
        );
        d.wait("#breach-affected");

        // The people: two activities, one data category; the count comes before saving.
        assert_eq!(
            d.count("#breach-affected-save"),
            0,
            "nothing to save uncounted"
        );
        d.click("#breach-activities input[data-name='Newsletter']");
        d.click("#breach-activities input[data-name='Courses and training']");
        d.click("#breach-categories input[data-name='E-mail address']");
        d.click("#breach-count");
        let result = d.text(&d.wait("#breach-count-result"));
        assert!(
            result.contains("People:") && result.contains("E-mail address"),
            "{result}"
        );
        let people =
            d.script("return document.querySelector('#breach-count-result').dataset.people;");
        let people = people.as_str().unwrap().to_string();
        assert!(people.parse::<i64>().unwrap() > 0, "{result}");
        d.script("document.querySelector('#breach-count-result').scrollIntoView();");
        d.screenshot("breach-count-en");
        d.click("#breach-affected-save");
        d.wait_until("#breach-affected-done", |t| !t.trim().is_empty());
        d.wait_until("#breach-affected-saved", |t| {
            t.contains(&format!("{people} people"))
        });

        // The assessment: a high risk; Datatilsynet notified and the people told.
        d.click("#breach-risk option[value='high']");
        d.type_into(
            "#breach-authority-reasons",
            "E-mail addresses were seen by people outside the organisation",
        );
        d.type_into(
            "#breach-subjects-reasons",
            "They may receive phishing that refers to the course",
        );
        d.type_into("#breach-decided-by", "General manager");
        d.click("#breach-assess-save");
        d.wait_until("#breach-assess-done", |t| !t.trim().is_empty());

        // The text for Datatilsynet's form holds the count; it is copied.
        d.click("#breach-text-lang option[value='en']");
        d.click("#breach-text-show");
        let area = d.wait("#breach-text-value");
        let text = d.cmd("GET", &format!("/element/{area}/property/value"), None);
        let text = text.as_str().unwrap_or_default().to_string();
        assert!(text.contains(&people), "the count {people} in: {text}");
        d.click("#breach-text-copy");
        d.wait_until("#breach-text-copied", |t| !t.trim().is_empty());
        d.script("document.querySelector('#breach-text').scrollIntoView();");
        d.screenshot("breach-text-en");

        // The notification, within the 72 hours: the clock stops.
        d.type_into("#breach-notice-reference", "AR-2026-0042");
        d.click("#breach-notice-save");
        d.wait_until("#breach-notices", |t| {
            t.contains("Notification to Datatilsynet")
        });
        d.wait_until("#breach-clock", |t| t == "Datatilsynet notified");

        // The letters, one per person, in English; then recorded as the communication.
        d.click("#breach-letters-lang option[value='en']");
        d.click("#breach-letters-format option[value='pdf']");
        d.click("#breach-letters-mode option[value='each']");
        d.click("#breach-letters-save");
        let done = d.text(&d.wait_until("#breach-letters-done", |t| t.contains(".pdf")));
        let letters = pdf_text(&saved_path(&done));
        assert!(letters.contains("Fjordlys Rådgivning AS"), "{letters}");
        d.wait("#breach-letters-record");
        d.script("document.querySelector('#breach-letters').scrollIntoView();");
        d.screenshot("breach-letters-en");
        d.click("#breach-letters-record-save");
        d.wait_until("#breach-notices", |t| {
            t.contains("Communication to the people affected")
        });

        // Closed with a note; listed with the closed ones.
        d.type_into(
            "#breach-close-note",
            "The processor fixed the portal; the participants were told.",
        );
        d.click("#breach-close-save");
        d.wait_until("#breach-status", |t| t == "Closed");
        d.wait("#breach-closed");
        assert_eq!(
            d.count("#breach-notice-form"),
            0,
            "a closed breach changes no more"
        );
        d.click("#breach-back");
        d.wait_until("#breaches-closed", |t| t.contains("Course portal"));
        let open = d.text(&d.wait("#breaches-open"));
        assert!(
            !open.contains("Course portal") && open.contains("Participant list"),
            "{open}"
        );

        // In bokmål at 480 px: the list, the closed breach, and a new one past its 72 hours.
        in_bokmal_at_480(d);
        go(d, "breaches");
        d.wait_until("breach-list", |t| t.contains("Lukket"));
        d.screenshot("breach-list-nb-480");
        assert!(fits_width(d), "the breach list is wider than 480 px");
        d.click("#breaches-closed li[data-breach-id] button");
        d.wait_until("#breach-status", |t| t == "Lukket");
        d.screenshot("breach-closed-nb-480");
        assert!(fits_width(d), "the closed breach is wider than 480 px");

        d.click("#breach-back");
        d.click("#breach-add");
        d.wait_until("#breach-facts", |t| t.contains("personopplysninger"));
        d.screenshot("breach-new-nb-480");
        assert!(fits_width(d), "the new breach form is wider than 480 px");
        let late = local_hours_ago(80);
        set_input(d, "#breach-discovered-at", &late);
        set_input(d, "#breach-aware-at", &late);
        d.type_into(
            "#breach-title",
            "Nyhetsbrev sendt med alle mottakerne synlige",
        );
        d.click("#breach-kind-confidentiality");
        d.click("#breach-facts-save");
        d.wait_until("#breach-done", |t| t.contains("Avviket er registrert"));
        d.wait_until("#breach-clock", |t| t.contains("over fristen"));
        d.screenshot("breach-page-nb-480");
        assert!(fits_width(d), "the breach page is wider than 480 px");
        for section in [
            "#breach-affected",
            "#breach-assessment",
            "#breach-notices-panel",
            "#breach-letters",
        ] {
            d.script(&format!(
                "document.querySelector({section:?}).scrollIntoView();"
            ));
            d.screenshot(&format!(
                "breach-{}-nb-480",
                section.trim_start_matches("#breach-")
            ));
        }
        // The notification now needs the reasons for the delay (Art. 33(1)).
        assert_eq!(
            d.count("#breach-notice-delay"),
            1,
            "the delay reason is asked"
        );
        go(d, "overview");
        d.wait_until("#overview-breaches", |t| t.contains("timer over fristen"));
        d.script("document.querySelector('#overview-breaches').scrollIntoView();");
        d.screenshot("overview-breaches-nb-480");
    });
}

const CONTROL: &str = "\u{E009}";
const ESCAPE: &str = "\u{E00C}";

/// Presses `key` with the `modifiers` held (WebDriver key actions), as a person would:
/// it goes to the element that has the focus.
fn press(d: &Driver, modifiers: &[&str], key: &str) {
    let mut steps: Vec<Value> = modifiers
        .iter()
        .map(|m| json!({ "type": "keyDown", "value": m }))
        .collect();
    steps.push(json!({ "type": "keyDown", "value": key }));
    steps.push(json!({ "type": "keyUp", "value": key }));
    steps.extend(
        modifiers
            .iter()
            .rev()
            .map(|m| json!({ "type": "keyUp", "value": m })),
    );
    d.cmd(
        "POST",
        "/actions",
        Some(&json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": steps }] })),
    );
    // Nothing stays held for the next step (an old driver without it is no failure).
    let _ = http(
        d.port,
        "DELETE",
        &format!("/session/{}/actions", d.session),
        None,
    );
}

/// How the navigation lies in the window: each page button's lines of text and whether
/// it is cut off or outside the window, the menu button, the side bar's and the
/// page's boxes.
fn nav_layout(d: &Driver) -> Value {
    d.script(
        "const buttons = [...document.querySelectorAll('#main-nav button')]; \
         const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el); \
           return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; }; \
         const box = (el) => { const r = el.getBoundingClientRect(); \
           return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; }; \
         const nav = document.getElementById('main-nav'); \
         return { \
           pages: buttons.map((b) => b.id.slice(4)), \
           wrapped: buttons.filter((b) => lines(b) !== 1).map((b) => b.id), \
           cut: buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.id), \
           outside: buttons.filter((b) => { const r = b.getBoundingClientRect(); \
             return r.width === 0 || r.top < 0 || r.bottom > innerHeight || r.right > innerWidth; }).map((b) => b.id), \
           navShown: nav.getClientRects().length > 0, \
           toggleShown: getComputedStyle(document.getElementById('nav-toggle')).display !== 'none', \
           expanded: document.getElementById('nav-toggle').getAttribute('aria-expanded'), \
           header: box(document.querySelector('header.app-header')), \
           column: box(document.querySelector('.main-column')), \
           lock: box(document.getElementById('lock-button')), \
           width: innerWidth, height: innerHeight, \
         };",
    )
}

/// Issue 17, item 7: at the default size (1180 px) every page of the navigation is in
/// a side bar, each on one line and in the window, in English and in bokmål, and the
/// page has the rest of the width; at 480 px a menu button opens the list, which
/// reaches every page and closes on the choice and on Escape; Ctrl+K goes to the
/// people search, Ctrl+N opens the form for a new person (also from the search field),
/// "?" lists the shortcuts, and Ctrl+L locks.
#[test]
fn the_navigation_fits_both_widths_in_both_languages_and_the_shortcuts_act() {
    with_demo_register(|d| {
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 1180, "height": 780 })),
        );
        for (lang, overview) in [("en", "Overview"), ("nb", "Oversikt")] {
            if lang == "nb" {
                go(d, "settings");
                d.click("#settings-language option[value='nb']");
                d.wait_until("#nav-overview", |t| t == overview);
                go(d, "overview");
            }
            d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));
            let l = nav_layout(d);
            assert!(
                !l["toggleShown"].as_bool().unwrap(),
                "{lang}: a menu button at 1180 px: {l}"
            );
            assert!(l["navShown"].as_bool().unwrap(), "{lang}: {l}");
            assert!(l["pages"].as_array().unwrap().len() >= 9, "{lang}: {l}");
            assert_eq!(
                l["wrapped"],
                json!([]),
                "{lang}: page names on two lines: {l}"
            );
            assert_eq!(l["cut"], json!([]), "{lang}: page names cut off: {l}");
            assert_eq!(
                l["outside"],
                json!([]),
                "{lang}: pages outside the window: {l}"
            );
            let (header, column, width) =
                (&l["header"], &l["column"], l["width"].as_f64().unwrap());
            let side = header["width"].as_f64().unwrap();
            assert!(
                side <= 0.3 * width,
                "{lang}: the side bar takes {side} of {width} px"
            );
            assert!(
                (column["left"].as_f64().unwrap() - header["right"].as_f64().unwrap()).abs() <= 1.0
                    && column["width"].as_f64().unwrap() >= width - side - 2.0,
                "{lang}: the page does not have the rest of the width: {l}"
            );
            assert!(
                l["lock"]["bottom"].as_f64().unwrap() <= l["height"].as_f64().unwrap(),
                "{lang}: Lock is below the window: {l}"
            );
            assert!(fits_width(d), "{lang}: wider than 1180 px");
            d.screenshot(&format!("navigation-{lang}-1180"));
        }

        // 480 px, in bokmål (the longer names), then in English.
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 480, "height": 900 })),
        );
        for lang in ["nb", "en"] {
            if lang == "en" {
                go(d, "settings");
                d.click("#settings-language option[value='en']");
                wait_true(
                    d,
                    "document.getElementById('nav-overview')?.textContent === 'Overview'",
                );
            }
            wait_true(d, "innerWidth <= 480");
            let l = nav_layout(d);
            assert!(
                l["toggleShown"].as_bool().unwrap(),
                "{lang}: no menu button at 480 px: {l}"
            );
            assert_eq!(l["expanded"], json!("false"), "{lang}: {l}");
            assert!(
                !l["navShown"].as_bool().unwrap(),
                "{lang}: the list is open before it is asked for: {l}"
            );
            let bar = l["header"]["height"].as_f64().unwrap();
            assert!(
                bar <= 0.15 * l["height"].as_f64().unwrap(),
                "{lang}: the bar is {bar} px high: {l}"
            );
            d.screenshot(&format!("navigation-{lang}-480"));

            d.click("#nav-toggle");
            let open = nav_layout(d);
            assert_eq!(open["expanded"], json!("true"), "{lang}: {open}");
            assert!(open["navShown"].as_bool().unwrap(), "{lang}: {open}");
            assert_eq!(
                open["cut"],
                json!([]),
                "{lang}: page names cut off at 480 px: {open}"
            );
            assert!(fits_width(d), "{lang}: the open menu is wider than 480 px");
            d.screenshot(&format!("navigation-{lang}-480-menu"));
            // Escape closes it, and the menu button has the focus again.
            press(d, &[], ESCAPE);
            wait_true(
                d,
                "document.getElementById('nav-toggle').getAttribute('aria-expanded') === 'false'",
            );
            wait_true(d, "document.activeElement?.id === 'nav-toggle'");

            // Every page, through the menu: it closes on the choice.
            for page in open["pages"].as_array().unwrap() {
                let page = page.as_str().unwrap();
                go(d, page);
                wait_true(
                    d,
                    &format!("document.getElementById('nav-{page}').getAttribute('aria-current') === 'page'"),
                );
                let after = nav_layout(d);
                assert_eq!(after["expanded"], json!("false"), "{lang}: {page}: {after}");
                assert!(
                    !after["navShown"].as_bool().unwrap(),
                    "{lang}: {page}: the list stayed open"
                );
                assert!(fits_width(d), "{lang}: {page} is wider than 480 px");
            }
        }

        // The shortcuts, in bokmål at 480 px.
        go(d, "settings");
        d.click("#settings-language option[value='nb']");
        wait_true(
            d,
            "document.getElementById('nav-overview')?.textContent === 'Oversikt'",
        );
        press(d, &[CONTROL], "k");
        wait_true(d, "document.activeElement?.id === 'subject-search'");
        d.wait_until("subject-list h1", |t| t == "Registrerte");
        press(d, &[CONTROL], "n");
        d.wait_until("subject-new h1", |t| !t.trim().is_empty());
        d.wait("#new-subject-name");
        d.screenshot("shortcut-new-person-nb-480");
        d.click("#new-subject-back");
        d.wait("subject-list");

        // "?" lists them (not typed in a field); then English at 1180 px, where Ctrl+N
        // works from a text field.
        d.script("document.activeElement?.blur();");
        press(d, &[], "?");
        wait_true(
            d,
            "document.getElementById('shortcuts-dialog')?.open === true",
        );
        d.wait_until("#shortcuts-title", |t| t == "Hurtigtaster");
        d.wait_until("#shortcut-lock", |t| t.contains("Ctrl+L"));
        d.screenshot("shortcuts-nb-480");
        d.click("#shortcuts-close");
        wait_true(
            d,
            "document.getElementById('shortcuts-dialog')?.open === false",
        );

        go(d, "settings");
        d.click("#settings-language option[value='en']");
        wait_true(
            d,
            "document.getElementById('nav-overview')?.textContent === 'Overview'",
        );
        d.cmd(
            "POST",
            "/window/rect",
            Some(&json!({ "width": 1180, "height": 780 })),
        );
        d.script("document.activeElement?.blur();");
        press(d, &[], "?");
        d.wait_until("#shortcuts-title", |t| t == "Keyboard shortcuts");
        d.wait_until("#shortcut-search", |t| {
            t.contains("Ctrl+F") && t.contains("Ctrl+K")
        });
        d.screenshot("shortcuts-en-1180");
        d.click("#shortcuts-close");
        wait_true(
            d,
            "document.getElementById('shortcuts-dialog')?.open === false",
        );
        go(d, "subjects");
        d.click("#subject-search");
        d.type_into("#subject-search", "Kari");
        press(d, &[CONTROL], "n");
        d.wait("#new-subject-name");
        wait_true(
            d,
            "document.getElementById('nav-subjects').getAttribute('aria-current') === 'page'",
        );

        // Ctrl+L locks, from anywhere.
        go(d, "overview");
        press(d, &[CONTROL], "l");
        d.wait("#unlock-passphrase");
        d.screenshot("shortcut-locked-en-1180");
    });
}

/// Issue 17: the overview checks the register against an earlier report. An Art. 30
/// record saved as JSON, then more changes (a person's page opened, which the audit log
/// records), then "Check against an earlier report" with the saved file, a malformed
/// head typed, and the report's head pasted as HASH:COUNT; in bokmål at 480 px.
#[test]
fn the_overview_checks_the_register_against_an_earlier_report() {
    with_demo_register(|d| {
        in_bokmal_at_480(d);
        go(d, "overview");
        d.click("#export-art30-format option[value='json']");
        d.click("#export-art30-lang option[value='nb']");
        d.click("#export-art30");
        let done = d.wait_until("#export-art30-done", |t| t.contains(".json"));
        let saved = saved_path(&d.text(&done));
        let report: Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
        let head = format!(
            "{}:{}",
            report["audit"]["head_hash"].as_str().unwrap(),
            report["audit"]["events"].as_i64().unwrap()
        );
        // The open dialog answers with the newest JSON file of the folder: the report.
        std::fs::File::options()
            .append(true)
            .open(&saved)
            .unwrap()
            .set_modified(std::time::SystemTime::now() + Duration::from_secs(60))
            .unwrap();

        // A change after the report: opening a person's page is recorded.
        go(d, "subjects");
        d.click("tr[data-subject-id] button");
        d.wait("subject-page h1");

        go(d, "overview");
        d.click("#audit-against-file");
        let result = d.wait_until("#audit-against-result", |t| t.starts_with("Intakt"));
        // The report's event, as the window writes numbers ("1 234" in bokmål).
        let text: String = d
            .text(&result)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(&format!(
                "Hendelse{}",
                report["audit"]["events"].as_i64().unwrap()
            )),
            "{text}"
        );
        d.script("document.querySelector('#audit-against').scrollIntoView();");
        d.screenshot("overview-check-against-report-nb-480");
        assert!(fits_width(d), "the overview is wider than 480 px");

        // A malformed head is refused next to the field; the report's head checks out.
        d.type_into("#audit-against-head", "ikke en hash");
        d.click("#audit-against-check");
        d.wait_until("#audit-against-error", |t| !t.trim().is_empty());
        d.type_into("#audit-against-head", &head);
        d.click("#audit-against-check");
        d.wait_until("#audit-against-result", |t| t.starts_with("Intakt"));
        d.wait_until("#audit-against-error", |t| t.trim().is_empty());
        d.script("document.querySelector('#audit-against').scrollIntoView();");
        d.screenshot("overview-check-against-head-nb-480");
    });
}

/// Issue 16, the processor's record (Art. 30(2)), in bokmål at 480 px: a controller the
/// organisation processes personal data for is added in the window with a
/// sub-processor chosen from the processors and a transfer, and shown in the list; its
/// page keeps what was chosen; the processor's record is saved as PDF (whose text holds
/// the controller's fields) and in Datatilsynet's layout.
#[test]
fn a_client_controller_is_added_and_the_processors_record_saved_in_bokmal_at_480() {
    with_demo_register(|d| {
        in_bokmal_at_480(d);
        go(d, "clients");
        d.wait_until("client-list", |t| {
            t.contains("Databehandlers protokoll") && t.contains("Ingen behandlingsansvarlige ennå")
        });
        d.screenshot("clients-empty-nb-480");
        assert!(fits_width(d), "the empty list is wider than 480 px");

        d.click("#client-add");
        d.wait_until("#client-sub-processors", |t| {
            t.contains("Mintra Trainingportal")
        });
        d.type_into("#client-name", "Havbris Regnskap AS");
        d.type_into("#client-org-number", "912 345 678");
        d.type_into("#client-address", "Kaigata 5, 6002 Ålesund");
        d.type_into("#client-email", "post@havbris.example.no");
        d.type_into("#client-dpo-name", "Åse Ombudsen");
        d.type_into("#client-dpo-email", "ombud@havbris.example.no");
        d.type_into("#client-dpa", "Databehandleravtale HB-2026-04");
        set_input(d, "#client-dpa-date", "2026-04-01");
        set_input(
            d,
            "#client-processing",
            "Lønnskjøring for de ansatte\nRegnskapsføring",
        );
        d.click("#client-sub-processors input[data-name='Mintra Trainingportal']");
        d.click("#client-add-transfer");
        d.type_into("#client-transfers input[data-field='country']", "USA");
        d.type_into(
            "#client-transfers input[data-field='recipient']",
            "Brukerstøtte hos leverandøren",
        );
        d.click(
            "#client-transfers select[data-field='safeguard'] option[value='standard_contractual_clauses']",
        );
        set_input(
            d,
            "#client-security",
            "Tofaktorinnlogging\nKryptering av lagrede data",
        );
        d.screenshot("client-new-nb-480");
        // With a transfer row and its safeguard chosen (a select as wide as its longest
        // option), the form still fits.
        assert!(fits_width(d), "the controller's form is wider than 480 px");
        d.script("document.querySelector('#client-transfers').scrollIntoView();");
        d.screenshot("client-new-transfers-nb-480");
        d.click("#client-save");

        // In the list: its processing, sub-processor and transfer.
        d.wait_until("#clients-saved", |t| t.contains("Havbris Regnskap AS"));
        let row = d.text(&d.wait_until("#client-rows li[data-client-id]", |t| {
            t.contains("Havbris Regnskap AS")
        }));
        for v in [
            "Aktiv",
            "Lønnskjøring for de ansatte",
            "Mintra Trainingportal",
            "1 overføring ut av EØS",
            "Databehandleravtale HB-2026-04",
        ] {
            assert!(row.contains(v), "{v} not in {row}");
        }
        d.screenshot("clients-list-nb-480");
        assert!(fits_width(d), "the list is wider than 480 px");

        // Its page keeps the sub-processor and the transfer.
        d.click("#client-rows li[data-client-id] button");
        let sub = d.wait("#client-sub-processors input[data-name='Mintra Trainingportal']");
        assert_eq!(
            d.cmd("GET", &format!("/element/{sub}/selected"), None),
            json!(true)
        );
        let country = d.wait("#client-transfers input[data-field='country']");
        assert_eq!(
            d.cmd("GET", &format!("/element/{country}/property/value"), None),
            json!("USA")
        );
        d.screenshot("client-page-nb-480");
        d.click("#client-back");

        // The processor's record as PDF, in bokmål.
        d.wait("#processor-record-save");
        d.click("#processor-record-format option[value='pdf']");
        d.click("#processor-record-lang option[value='nb']");
        d.click("#processor-record-save");
        let done = d.text(&d.wait_until("#processor-record-done", |t| t.contains(".pdf")));
        let text = pdf_text(&saved_path(&done));
        for v in [
            "Databehandlers protokoll",
            "Fjordlys Rådgivning AS",
            "Havbris Regnskap AS",
            "912 345 678",
            "post@havbris.example.no",
            "Åse Ombudsen",
            "Databehandleravtale HB-2026-04",
            "2026-04-01",
            "Lønnskjøring for de ansatte",
            "Regnskapsføring",
            "Mintra Trainingportal",
            "Brukerstøtte hos leverandøren",
            "Standard personvernbestemmelser",
            "Tofaktorinnlogging",
            "Kryptering av lagrede data",
        ] {
            assert!(text.contains(v), "{v} not in the PDF: {text}");
        }
        d.script("document.querySelector('#processor-record-panel').scrollIntoView();");
        d.screenshot("processor-record-saved-nb-480");
        assert!(fits_width(d), "the export panel is wider than 480 px");

        // And in Datatilsynet's layout.
        d.click("#processor-record-format option[value='xlsx-datatilsynet']");
        d.click("#processor-record-save");
        let done = d.text(&d.wait_until("#processor-record-done", |t| {
            t.contains("datatilsynet.xlsx")
        }));
        let xlsx = std::fs::read(saved_path(&done)).unwrap();
        assert!(xlsx.starts_with(b"PK"), "an XLSX was written");
    });
}

/// Issue 16: the privacy notice written from the register. On the demo register the
/// overview says no notice is published yet; the notice page shows the HTML file in its
/// sandboxed frame (read inside the frame, as a browser shows it); it is published in
/// English; a retention period is changed in the activity editor; the overview then
/// says the published notice is out of date, naming the change. Then in bokmål at
/// 480 px, and the notice saved as PDF.
#[test]
fn the_published_privacy_notice_goes_out_of_date_when_a_retention_period_changes() {
    let data = tempfile::tempdir().unwrap();
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-demo");
        d.wait_until("main", |t| t.contains("Fjordlys Rådgivning AS"));
        d.wait_until("#overview-notice", |t| {
            t.contains("No privacy notice has been published")
        });
        d.click("#overview-notice-open");
        d.wait_until("#notice-drift", |t| {
            t.contains("has not been published in English")
        });
        // The frame runs no script: sandboxed with nothing allowed.
        assert_eq!(
            d.script("return document.querySelector('#notice-preview').getAttribute('sandbox');"),
            json!("")
        );
        let frame = d.wait("#notice-preview");
        d.cmd(
            "POST",
            "/frame",
            Some(&json!({ "id": { "element-6066-11e4-a52e-4f735466cecf": frame } })),
        );
        let shown = d.text(&d.wait_until("body", |t| t.contains("Your rights")));
        for what in [
            "Fjordlys Rådgivning AS",
            "Newsletter",
            "Mintra Trainingportal",
            "1 month after unsubscribing",
            "Consent (Art. 6(1)(a))",
            "Datatilsynet",
        ] {
            assert!(shown.contains(what), "the preview lacks {what}: {shown}");
        }
        assert!(
            !shown.contains("Google Analytics"),
            "no activity in the notice uses it"
        );
        d.cmd("POST", "/frame/parent", Some(&json!({})));
        d.screenshot("notice-en");

        d.click("#notice-publish");
        d.click("#notice-publish-confirm");
        d.wait_until("#notice-published", |t| t.contains("Published in English"));
        d.wait_until("#notice-drift", |t| t.contains("is up to date"));
        d.wait_until("#notice-versions", |t| t.contains("English"));

        // The newsletter keeps the names two months after unsubscribing, not one.
        go(d, "activities");
        d.wait_until("activity-list", |t| t.contains("Newsletter"));
        d.script(
            "[...document.querySelectorAll('activity-list [data-activity-id] button')]\
               .find((b) => b.textContent.trim() === 'Newsletter').click();",
        );
        d.wait("#activity-in-notice");
        assert_eq!(
            d.script("return document.querySelector('#activity-in-notice').checked;"),
            json!(true)
        );
        set_input(d, "#activity-data tbody input[type='number']", "2");
        d.click("#activity-save");
        d.wait_until("#activity-saved", |t| !t.trim().is_empty());

        go(d, "overview");
        let panel = d.text(&d.wait_until("#overview-notice", |t| t.contains("out of date")));
        assert!(
            panel.contains(
                "Retention of Name in Newsletter changed from 1 month after unsubscribing to 2 months after unsubscribing."
            ),
            "{panel}"
        );
        d.script("document.querySelector('#overview-notice').scrollIntoView();");
        d.screenshot("overview-notice-out-of-date-en");

        // In bokmål, 480 px wide.
        in_bokmal_at_480(d);
        go(d, "overview");
        let panel = d.text(&d.wait_until("#overview-notice", |t| t.contains("er utdatert")));
        assert!(
            panel.contains("Lagringstiden for Name i Newsletter er endret fra 1 måned etter avmelding til 2 måneder etter avmelding."),
            "{panel}"
        );
        d.script("document.querySelector('#overview-notice').scrollIntoView();");
        assert!(fits_width(d), "the overview fits 480 px");
        d.screenshot("overview-notice-nb-480");
        d.click("#overview-notice-open");
        d.wait_until("#notice-drift", |t| {
            t.contains("er ikke publisert på norsk bokmål")
        });
        assert!(fits_width(d), "the notice page fits 480 px");
        d.screenshot("notice-nb-480");

        // Saved as PDF, in bokmål.
        d.click("#notice-format option[value='pdf']");
        d.click("#notice-save");
        let saved = d.text(&d.wait_until("#notice-saved", |t| t.contains(".pdf")));
        let text = pdf_text(&saved_path(&saved));
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for what in [
            "Personvernerklæring",
            "Fjordlys Rådgivning AS",
            "2 måneder etter avmelding",
            "Klage til Datatilsynet",
            "Side 1 av",
        ] {
            assert!(words.contains(what), "the PDF lacks {what}: {text}");
        }
    });
}

/// Issue 17: a damaged register (a flipped byte, on a page that holds other people)
/// opens read-only; its intact people are listed, opened and exported from the window,
/// each export says it was made from a damaged register, and the view and the exports
/// wait in the side log beside the file, without personal data; in English, then in
/// bokmål at 480 px. The damaged file itself is never written.
#[test]
fn a_damaged_register_shows_its_intact_people_and_exports_them() {
    const PASS: &str = "skadet fil men ikke alt er tapt";
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("rescue.privreg");
    let Some(d) = Driver::start(data.path()) else {
        return;
    };
    // Made while the window shows its welcome screen; the open dialog answers with it.
    let damaged = damage::register_with_a_damaged_page(&path, PASS);
    with_screenshot_on_failure(&d, |d| {
        d.click("#welcome-open");
        d.type_into("#unlock-passphrase", &format!("{PASS}\u{E007}"));
        d.wait_until("body", |t| t.contains("Read-only: the file is damaged"));
        d.wait("#lock-button");
        d.screenshot("damaged-register-overview-en");

        // Kari is listed and opened; the people on the damaged page are what is lost.
        go(d, "subjects");
        d.wait_until("tr[data-subject-id]", |t| t.contains("Kari Nordmann"));
        d.screenshot("damaged-register-people-en");
        open_person(d, "Kari Nordmann");
        d.wait_until("main h1", |t| t.contains("Kari Nordmann"));
        d.click("#export-access-format option[value='json']");
        d.click("#export-access-lang option[value='en']");
        d.click("#export-access");
        d.wait_until("#export-access-done", |t| t.contains(".json"));
        let report: Value = serde_json::from_slice(
            &std::fs::read(saved_file(data.path(), "access-report-")).unwrap(),
        )
        .unwrap();
        assert!(report.to_string().contains("Kari Nordmann"));
        assert_eq!(
            report["audit"]["read_only"]["side_log"], "rescue.privreg.side-log.jsonl",
            "{}",
            report["audit"]
        );
        d.screenshot("damaged-register-access-saved-en");

        // The record of processing activities says where it came from, too.
        go(d, "overview");
        d.click("#export-art30-format option[value='pdf']");
        d.click("#export-art30-lang option[value='en']");
        d.click("#export-art30");
        d.wait_until("#export-art30-done", |t| t.contains(".pdf"));
        let text = pdf_text(&saved_file(data.path(), "record-of-processing-activities"));
        let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squashed.contains("Madefromadamagedregister")
                && squashed.contains("rescue.privreg.side-log.jsonl"),
            "{text}"
        );

        // The view and both exports wait in the side log, without personal data.
        let side =
            std::fs::read_to_string(data.path().join("rescue.privreg.side-log.jsonl")).unwrap();
        let actions: Vec<String> = side
            .lines()
            .map(|l| {
                let line: Value = serde_json::from_str(l).unwrap();
                line["action"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        let count = |action: &str| actions.iter().filter(|a| a.as_str() == action).count();
        assert_eq!(
            actions.first().map(String::as_str),
            Some("subject.viewed"),
            "{side}"
        );
        assert_eq!(count("report.created"), 2, "{side}");
        assert!(!side.contains("Kari") && !side.contains("kari@"), "{side}");

        in_bokmal_at_480(d);
        d.wait_until("body", |t| t.contains("Skrivebeskyttet"));
        d.screenshot("damaged-register-nb-480");
    });
    drop(d);
    let mut expected = damaged.good.clone();
    damage::flip(&mut expected, damaged.page);
    assert!(
        std::fs::read(&path).unwrap() == expected,
        "the damaged file was written"
    );
}
