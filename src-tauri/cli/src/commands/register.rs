//! The register itself: creating it (init, demo), restoring, backing up and checking
//! it, its audit log and overview, and its passphrase and keychain.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use privreg_core::templates::Lang;
use privreg_core::{
    demo, AuditFilter, Checkpoint, CheckpointState, Error, PrintedHead, Register, SystemClock,
    Unlock,
};
use serde::Serialize;

use super::requests::request_line;
use super::{print, register_path, CliError, Out};
use crate::args::*;
use crate::unlock;

pub(super) fn init(cli: &Cli) -> Out {
    let path = register_path(cli)?;
    let pass =
        unlock::passphrase_from_env_or_prompt("PRIVREG_PASSPHRASE", "New passphrase: ", true)?;
    let (reg, recovery) = Register::create(&path, &pass, Arc::new(SystemClock))?;
    remember_if_possible(cli, &reg);
    #[derive(Serialize)]
    struct Created<'a> {
        path: &'a Path,
        register_id: &'a str,
        recovery_key: &'a str,
    }
    let shown = recovery.display();
    print(
        cli.json,
        &Created {
            path: &path,
            register_id: reg.id(),
            recovery_key: &shown,
        },
        |c| {
            println!("Created {}", c.path.display());
            println!();
            println!("Recovery key (shown this once; print it or write it down and keep it safe):");
            println!();
            println!("    {}", c.recovery_key);
            println!();
            println!("It opens the register if the passphrase is forgotten.");
        },
    );
    reg.close()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn run_demo(
    cli: &Cli,
    path: &Path,
    subjects: usize,
    seed: u64,
    l: Lang,
    batch: usize,
    progress: bool,
) -> Out {
    let pass = unlock::passphrase_from_env_or_prompt(
        "PRIVREG_PASSPHRASE",
        "Passphrase for the demo register: ",
        true,
    )?;
    let (mut reg, recovery) = Register::create(path, &pass, Arc::new(SystemClock))?;
    if let Some(actor) = &cli.actor {
        reg.set_actor(actor);
    }
    let opts = demo::Options {
        subjects,
        seed,
        lang: l,
        batch: batch.max(1),
        showcase: true,
    };
    let summary = demo::fill(&mut reg, &opts, |done| {
        if progress {
            println!("committed {done}");
        }
    })?;
    remember_if_possible(cli, &reg);
    print(cli.json, &summary, |s| {
        println!(
            "Created the demo register {} with {} activities, {} processors, {} subjects and {} records.",
            path.display(),
            s.activities,
            s.processors,
            s.subjects,
            s.records
        );
        if let Some(show) = &s.showcase {
            let (keep, other) = show.duplicate_pair;
            println!(
                "It shows {} open requests, legal hold #{}, breach #{} and one person registered twice: \
                 merge them with `privreg subject merge {keep} {other} --reason \"...\"`.",
                show.requests, show.legal_hold, show.breach
            );
        }
        println!(
            "Recovery key (shown this once): {}",
            recovery.display().as_str()
        );
    });
    reg.close()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn restore(
    cli: &Cli,
    file: &Path,
    options: &privreg_core::store::backup::RestoreOptions,
    by_recovery_key: bool,
) -> Out {
    let target = register_path(cli)?;
    let (pass, recovery);
    let unlock = if by_recovery_key {
        let typed = unlock::passphrase_from_env_or_prompt(
            "PRIVREG_RECOVERY_KEY",
            "Recovery key of the backup: ",
            false,
        )?;
        recovery = privreg_core::RecoveryKey::parse(typed.expose())
            .map_err(|e| CliError::from(privreg_core::Error::from(e)))?;
        Unlock::Recovery(&recovery)
    } else {
        pass = unlock::passphrase_from_env_or_prompt(
            "PRIVREG_PASSPHRASE",
            "Passphrase of the backup: ",
            false,
        )?;
        Unlock::Passphrase(&pass)
    };
    let (reg, report) = privreg_core::store::backup::restore(
        file,
        unlock,
        &target,
        options,
        Arc::new(SystemClock),
    )?;
    unlock::report_journal(&[], &report.journal);
    unlock::report_changes(report.changes, report.unopened);
    print(cli.json, &report, |r| {
        println!(
            "Restored {} to {}",
            r.backup.display(),
            r.restored_to.display()
        );
        if let Some(t) = r.backup_taken_at {
            println!("The backup was taken {t}.");
        }
        println!(
            "Erasures it lacked, applied again: {}; receipts recorded: {}",
            r.reapplied.len(),
            r.recorded.len()
        );
        if let Some(old) = &r.replaced {
            println!("The register it replaced is kept as {}", old.display());
        }
    });
    reg.close()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn backup(json: bool, reg: &mut Register, dir: &Path, auto: bool, keep: usize) -> Out {
    let info = if auto {
        reg.auto_backup(dir, keep)?
    } else {
        Some(reg.backup(dir)?)
    };
    print(json, &info, |i| match i {
        Some(i) => {
            println!(
                "Backed up to {} ({} bytes; {} subjects, {} records; verified)",
                i.path.display(),
                i.bytes,
                i.counts.subjects,
                i.counts.records
            );
            for p in &i.pruned {
                println!("Removed the older backup {}", p.display());
            }
        }
        None => println!("A backup was made today already."),
    });
    Ok(ExitCode::SUCCESS)
}

/// `privreg verify [--head HASH:COUNT | --against FILE]`: the full check, and with a
/// head printed by an earlier report, whether the history up to it was rewritten.
pub(super) fn verify(
    json: bool,
    reg: &mut Register,
    head: Option<&str>,
    against: Option<&Path>,
) -> Out {
    let head = match (head, against) {
        (Some(text), _) => {
            Some(PrintedHead::from_text(text).map_err(|e| CliError::usage(e.to_string()))?)
        }
        (None, Some(file)) => Some(privreg_reports::read_report_head(file)?),
        (None, None) => None,
    };
    let report = reg.verify_with_head(head.as_ref())?;
    let ok = report.is_ok();
    print(json, &report, |r| {
        match r.damaged_pages.as_slice() {
            [] => println!("pages:      ok (every page's HMAC verified)"),
            pages => println!("pages:      DAMAGED: {:?}", pages),
        }
        if r.structure.is_empty() {
            println!("structure:  ok");
        } else {
            for line in &r.structure {
                println!("structure:  {line}");
            }
        }
        match (&r.audit, &r.audit_error) {
            (Some(a), _) => {
                match &a.first_broken {
                    None => println!(
                        "audit log:  ok ({} events, head {}:{})",
                        a.events, a.head_hash, a.events
                    ),
                    Some(b) => println!("audit log:  BROKEN at event {}: {}", b.seq, b.problem),
                }
                if let Some(c) = &a.checkpoint {
                    println!("checkpoint: {}", checkpoint_line(c));
                }
            }
            (None, Some(e)) => println!("audit log:  could not be read: {e}"),
            (None, None) => {}
        }
        if let Some(h) = &r.head {
            println!("report:     head {}", h.head);
            println!("history:    {}", h.describe());
        }
    });
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The stored audit checkpoint's state in words (what `privreg verify` found; it walks
/// the whole chain whatever the state).
fn checkpoint_line(c: &Checkpoint) -> String {
    match c.state {
        CheckpointState::Absent => {
            "none stored yet (the first change after a check stores one)".to_string()
        }
        CheckpointState::Valid => format!(
            "ok (events 1 to {} were verified earlier: the first check of a session starts after them)",
            c.events
        ),
        CheckpointState::Invalid => "NOT TRUSTED: it cannot be read or its MAC does not verify (damaged, or not written for this register); checks walk the whole chain until a change stores a new one".to_string(),
        CheckpointState::Changed => format!(
            "CHANGED: event {} no longer has the hash the checkpoint recorded: the history up to it was rewritten",
            c.events
        ),
    }
}

pub(super) fn audit(json: bool, reg: &mut Register, subject: Option<i64>, limit: u32) -> Out {
    let filter = match subject {
        Some(id) => AuditFilter::Subject(id),
        None => AuditFilter::All,
    };
    let events = reg.audit_log(filter, limit)?;
    print(json, &events, |events| {
        for e in events {
            let id = e.entity_id.map(|i| format!("#{i}")).unwrap_or_default();
            let reason = if e.reason.is_empty() {
                String::new()
            } else {
                format!("  \"{}\"", e.reason)
            };
            println!(
                "{:>6} {} {:<12} {:<26} {}{} [{}]{}",
                e.seq,
                &e.at[..19],
                e.actor,
                e.action,
                e.entity,
                id,
                e.fields.join(","),
                reason
            );
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub(super) fn overview(json: bool, reg: &mut Register) -> Out {
    let counts = reg.counts()?;
    let controller = reg.controller()?;
    let requests = reg.request_deadlines()?;
    let notice = reg.notice_status()?;
    let value = serde_json::json!({
        "controller": controller,
        "counts": counts,
        "requests": requests,
        "notice": notice,
    });
    print(json, &value, |_| {
        if let Some(c) = &controller {
            println!("{} ({})", c.organisation, c.org_number);
        }
        println!(
            "{} activities ({} drafts, {} missing fields, {} due for review, {} with proposals to confirm), {} processors, {} subjects, {} records",
            counts.activities,
            counts.drafts,
            counts.missing_fields,
            counts.review_overdue,
            counts.unconfirmed_proposals,
            counts.processors,
            counts.subjects,
            counts.records
        );
        println!(
            "{} open requests: {} overdue, {} due within 7 days",
            requests.open, requests.overdue, requests.due_soon
        );
        for r in requests
            .requests
            .iter()
            .filter(|r| r.deadline.overdue || r.deadline.due_soon)
        {
            println!("  {}", request_line(r));
        }
        if notice.published.is_empty() {
            println!("The privacy notice has never been published (privreg notice publish).");
        }
        for d in &notice.published {
            if !d.changes.is_empty() {
                println!(
                    "The privacy notice published in {} is out of date: {} changes (privreg notice drift --lang {}).",
                    d.lang.code(),
                    d.changes.len(),
                    d.lang.code()
                );
            }
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub(super) fn passphrase(cli: &Cli, reg: &mut Register, cmd: &PassphraseCmd) -> Out {
    let json = cli.json;
    match cmd {
        PassphraseCmd::Change => {
            let current = unlock::passphrase_from_env_or_prompt(
                "PRIVREG_PASSPHRASE",
                "Current passphrase: ",
                false,
            )?;
            let new = unlock::passphrase_from_env_or_prompt(
                "PRIVREG_NEW_PASSPHRASE",
                "New passphrase: ",
                true,
            )?;
            let changed = privreg_core::opening::change_passphrase(
                reg,
                Unlock::Passphrase(&current),
                &new,
                unlock::keychain(!cli.no_keychain)
                    .map(|k| k as &dyn privreg_core::keychain::Keychain),
            )?;
            let shown = changed.recovery_key.display();
            let b = &changed.backups;
            print(
                json,
                &serde_json::json!({
                    "recovery_key": shown.as_str(),
                    "backups_rekeyed": b.rekeyed,
                    "backups_not_rekeyed": b.failed,
                }),
                |_| {
                    println!("The passphrase is changed; the old one and the old recovery key no longer open this file.");
                    if let Some(dir) = &b.dir {
                        println!(
                            "{} backup(s) in {} were re-encrypted with the new passphrase.",
                            b.rekeyed,
                            dir.display()
                        );
                    }
                    for p in &b.failed {
                        println!(
                            "Not re-encrypted (it opens with neither passphrase): {}",
                            p.display()
                        );
                    }
                    println!("Copies of the register kept anywhere else still open with the old passphrase and the old recovery key.");
                    println!("New recovery key (shown this once): {}", shown.as_str());
                },
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn keychain(json: bool, reg: &mut Register, cmd: &KeychainCmd) -> Out {
    match cmd {
        KeychainCmd::Remember => {
            unlock::keychain_ready().map_err(|why| {
                CliError::from(Error::Keychain(privreg_core::KeychainError::Unavailable(
                    why,
                )))
            })?;
            reg.remember_in_keychain(&privreg_core::keychain::SystemKeychain)?;
            print(json, &serde_json::json!({ "remembered": true }), |_| {
                println!("This computer's keychain now holds the key.")
            });
        }
        KeychainCmd::Forget => {
            unlock::keychain_ready().map_err(|why| {
                CliError::from(Error::Keychain(privreg_core::KeychainError::Unavailable(
                    why,
                )))
            })?;
            reg.forget_in_keychain(&privreg_core::keychain::SystemKeychain)?;
            print(json, &serde_json::json!({ "remembered": false }), |_| {
                println!("The key is no longer kept in this computer's keychain.")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn remember_if_possible(cli: &Cli, reg: &Register) {
    if cli.no_keychain {
        return;
    }
    match unlock::keychain_ready()
        .map_err(|e| e.to_string())
        .and_then(|_| {
            reg.remember_in_keychain(&privreg_core::keychain::SystemKeychain)
                .map_err(|e| e.to_string())
        }) {
        Ok(()) => eprintln!("privreg: the key is kept in this computer's keychain"),
        Err(why) => eprintln!(
            "privreg: the key is not kept in a keychain ({why}); the passphrase will be needed"
        ),
    }
}
