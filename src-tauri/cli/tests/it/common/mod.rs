//! What the CLI tests share: running `privreg` on a register with the test passphrase
//! and reading its output. (`cli.rs` has its own runner, which also tests how the
//! passphrase is asked for.)
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const PASS: &str = "sjøsprøyt og tåke 2026";

pub fn privreg(reg: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privreg"))
        .arg("--no-keychain")
        .args(["--register", reg.to_str().unwrap()])
        .args(args)
        .stdin(Stdio::null())
        .env_remove("PRIVREG_REGISTER")
        .env("PRIVREG_PASSPHRASE", PASS)
        .output()
        .unwrap()
}

pub fn ok(reg: &Path, args: &[&str]) -> String {
    let out = privreg(reg, args);
    assert!(
        out.status.success(),
        "privreg {args:?} failed ({:?})\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn json(reg: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(reg, &all)).expect("valid JSON")
}

/// Expects failure; returns stderr.
pub fn fails(reg: &Path, args: &[&str]) -> String {
    let out = privreg(reg, args);
    assert!(!out.status.success(), "privreg {args:?} should have failed");
    String::from_utf8(out.stderr).unwrap()
}

pub fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(fs::read(path).unwrap()).to_vec()
}
