//! Retention and legal holds: records past their retention period, trigger dates,
//! erasing or anonymising due records, and the holds that keep data.

use std::process::ExitCode;

use privreg_core::model::*;
use privreg_core::store::retention::{
    Blocker, HoldTarget, RetentionAction, RetentionQueue, Selection,
};
use privreg_core::Register;

use super::subjects::print_receipt;
use super::{parse_json_enum, print, CliError, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &RetentionCmd) -> Out {
    match cmd {
        RetentionCmd::Due { activity } => {
            let q = reg.retention_due(*activity)?;
            print(json, &q, print_queue);
        }
        RetentionCmd::Apply {
            activity,
            records,
            action,
            note,
        } => {
            let action: RetentionAction = parse_json_enum("action (erase or anonymise)", action)?;
            let selection = match activity {
                Some(a) => Selection::Activity(*a),
                None => Selection::Records(records.clone()),
            };
            let out = reg.apply_retention(&selection, action, note)?;
            print(json, &out, |o| {
                println!(
                    "{} {} records ({} held, left alone); {} subjects erased, {} anonymised",
                    match o.action {
                        RetentionAction::Erase => "Erased",
                        RetentionAction::Anonymise => "Anonymised",
                    },
                    o.records,
                    o.skipped,
                    o.erased_subjects.len(),
                    o.anonymised_subjects.len()
                );
                for e in &o.erased_subjects {
                    print_receipt(e);
                }
            });
        }
        RetentionCmd::Finish { note } => {
            let done = reg.finish_erasures(note)?;
            print(json, &done, |done| {
                if done.is_empty() {
                    println!("No erasure that kept records can go further today.");
                }
                for e in done {
                    print_receipt(e);
                }
            });
        }
        RetentionCmd::Date {
            subject,
            activity,
            trigger,
            on,
            clear,
        } => {
            let t: RetentionTrigger = parse_json_enum("trigger", trigger)?;
            let on = if *clear { None } else { *on };
            reg.set_retention_date(*subject, *activity, t, on)?;
            let dates = reg.retention_dates(*subject)?;
            print(json, &dates, |_| match on {
                Some(d) => {
                    println!("Set {trigger} = {d} for subject #{subject} in activity #{activity}")
                }
                None => {
                    println!("Cleared {trigger} for subject #{subject} in activity #{activity}")
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn hold(json: bool, reg: &mut Register, cmd: &HoldCmd) -> Out {
    match cmd {
        HoldCmd::Add {
            subject,
            activity,
            reason,
            until,
        } => {
            let target = match (subject, activity) {
                (Some(s), _) => HoldTarget::Subject(*s),
                (None, Some(a)) => HoldTarget::Activity(*a),
                (None, None) => {
                    return Err(CliError::usage("say --subject ID or --activity ID".into()))
                }
            };
            let h = reg.add_hold(target, reason, *until)?;
            print(json, &h, |h| println!("Added legal hold #{}", h.id));
        }
        HoldCmd::List { all } => {
            let list = reg.holds(*all)?;
            print(json, &list, |list| {
                for h in list {
                    let target = match h.target {
                        HoldTarget::Subject(s) => format!("subject #{s}"),
                        HoldTarget::Activity(a) => format!("activity #{a}"),
                    };
                    let state = if h.active { "active" } else { "not in force" };
                    let until = h.until.map(|u| format!(" until {u}")).unwrap_or_default();
                    println!(
                        "#{:<4} {:<16} {}{}  {}",
                        h.id, target, state, until, h.reason
                    );
                }
            });
        }
        HoldCmd::Release { id, reason } => {
            let h = reg.release_hold(*id, reason)?;
            print(json, &h, |h| println!("Released legal hold #{}", h.id));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_queue(q: &RetentionQueue) {
    for e in &q.erasures {
        println!(
            "Erasure {} of subject #{} ({}): {} records kept, {} may go now{}",
            privreg_core::store::suppression::short_receipt(&e.receipt_id),
            e.subject_id,
            e.subject_name,
            e.kept.len(),
            e.free,
            match e.next_on {
                Some(d) => format!("; next may go on {d}"),
                None => String::new(),
            }
        );
    }
    if q.groups.is_empty() {
        println!("Nothing is past its retention period ({}).", q.today);
        return;
    }
    for g in &q.groups {
        println!(
            "#{} {} ({} due, {} held)",
            g.activity_id,
            g.activity,
            g.items.len(),
            g.blocked
        );
        for i in &g.items {
            let held = match i.blocked {
                Some(Blocker::SubjectHold { hold_id }) => format!("  HELD (hold #{hold_id})"),
                Some(Blocker::ActivityHold { hold_id }) => format!("  HELD (hold #{hold_id})"),
                Some(Blocker::Restricted) => "  RESTRICTED".to_string(),
                None => String::new(),
            };
            println!(
                "  record #{:<6} subject #{:<6} {:<24} {:<24} due {} ({} days ago){}",
                i.record_id,
                i.subject_id,
                i.subject_name,
                i.category,
                i.due_on,
                i.days_overdue,
                held
            );
        }
    }
    println!("{} records due, {} held", q.total, q.blocked);
}
