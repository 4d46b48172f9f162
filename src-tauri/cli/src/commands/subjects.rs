//! Data subjects and what is held about them: subjects, their records and consent
//! events, search, erasure and the erasure receipts.

use std::process::ExitCode;

use privreg_core::model::*;
use privreg_core::{Register, SubjectSort};

use super::{print, CliError, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &SubjectCmd) -> Out {
    match cmd {
        SubjectCmd::Add {
            name,
            email,
            phone,
            override_suppression,
        } => {
            let fields = SubjectFields {
                name: name.clone(),
                email: email.clone(),
                phone: phone.clone(),
            };
            let s = match override_suppression {
                Some(reason) => {
                    let id = reg.add_subject_overriding_suppression(&fields, Vec::new(), reason)?;
                    reg.subject(id)?
                }
                None => reg.add_subject(&fields)?,
            };
            print(json, &s, |s| println!("Added subject #{}", s.id));
        }
        SubjectCmd::List {
            offset,
            limit,
            sort,
            desc,
        } => {
            let page = reg.list_subjects(*offset, *limit, parse_sort(sort)?, *desc)?;
            print(json, &page, |p| {
                for s in &p.items {
                    println!(
                        "#{:<6} {:<32} {:<36} {:<18} {:>3} records",
                        s.id, s.name, s.email, s.phone, s.records
                    );
                }
                println!(
                    "{}-{} of {}",
                    p.offset + 1.min(p.items.len() as i64),
                    p.offset + p.items.len() as i64,
                    p.total
                );
            });
        }
        SubjectCmd::Show { id } => {
            let view = reg.view_subject(*id)?;
            let names: std::collections::HashMap<i64, String> = reg
                .activities()?
                .into_iter()
                .map(|a| (a.id, a.activity.name))
                .collect();
            print(json, &view, |v| {
                let s = &v.subject;
                println!(
                    "#{} {}  {}  {}",
                    s.id, s.fields.name, s.fields.email, s.fields.phone
                );
                if s.restricted {
                    println!("  RESTRICTED (Art. 18)");
                }
                if s.marketing_objection {
                    println!("  objected to direct marketing");
                }
                for r in &v.records {
                    let act = names.get(&r.activity_id).map(String::as_str).unwrap_or("?");
                    println!(
                        "  [{act}] {}: {}  (source: {}, collected {})",
                        r.category, r.value, r.source, r.collected_on
                    );
                }
                for c in &v.consents {
                    println!(
                        "  {} {} for {:?} ({}, {})",
                        c.at.date_naive(),
                        c.kind.as_str(),
                        c.purpose,
                        c.method,
                        c.activity_id
                    );
                }
            });
        }
        SubjectCmd::Edit {
            id,
            name,
            email,
            phone,
            reason,
        } => {
            let mut f = reg.subject(*id)?.fields;
            if let Some(v) = name {
                f.name = v.clone();
            }
            if let Some(v) = email {
                f.email = v.clone();
            }
            if let Some(v) = phone {
                f.phone = v.clone();
            }
            let s = reg.update_subject(*id, &f, reason)?;
            print(json, &s, |s| println!("Rectified subject #{}", s.id));
        }
        SubjectCmd::Erase { id, reason } => {
            let summary = reg.erase_subject(*id, reason)?;
            print(json, &summary, print_receipt);
        }
        SubjectCmd::Restrict { id, reason } => {
            reg.restrict_subject(*id, reason)?;
            print(json, &reg.subject(*id)?, |s| {
                println!("Subject #{} is restricted (Art. 18)", s.id)
            });
        }
        SubjectCmd::Unrestrict {
            id,
            reason,
            told_on,
        } => {
            reg.lift_restriction(*id, reason, *told_on)?;
            print(json, &reg.subject(*id)?, |s| {
                println!("Subject #{} is no longer restricted", s.id)
            });
        }
        SubjectCmd::Merge {
            keep,
            other,
            reason,
            preview,
        } => {
            if *preview {
                let p = reg.merge_preview(*keep, *other)?;
                print(json, &p, |p| {
                    println!(
                        "Merging #{} ({}) into #{} ({}) would move:",
                        p.other.id, p.other.name, p.keep.id, p.keep.name
                    );
                    print_moves(&p.moves);
                    print_fates(&p.fields);
                });
            } else {
                let r = reg.merge_subjects(*keep, *other, reason.as_deref().unwrap_or(""))?;
                print(json, &r, |r| {
                    println!("Merged subject #{} into #{}; moved:", r.merged, r.kept);
                    print_moves(&r.moved);
                    print_fates(&r.fields);
                });
            }
        }
        SubjectCmd::Duplicates => {
            let pairs = reg.duplicate_pairs()?;
            print(json, &pairs, |pairs| {
                for p in pairs {
                    let by = match (p.by_email, p.by_phone) {
                        (true, true) => "e-mail and phone",
                        (true, false) => "e-mail",
                        _ => "phone",
                    };
                    println!("#{:<6} #{:<6} same {by}", p.first, p.second);
                }
                if pairs.is_empty() {
                    println!("No two people share an e-mail address or a phone number.");
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_moves(m: &privreg_core::store::merge::MergeCounts) {
    for (what, n) in [
        ("records", m.records),
        ("consent and objection events", m.consent_events),
        ("requests", m.requests),
        ("legal holds", m.legal_holds),
        ("retention dates", m.retention_dates),
        ("decisions on objections", m.objection_decisions),
        ("Art. 19 tasks", m.notifications),
        ("breach links", m.breaches),
        ("audit events (into the history)", m.audit_events),
    ] {
        println!("  {n:>5} {what}");
    }
}

fn print_fates(fields: &[privreg_core::store::merge::FieldFate]) {
    use privreg_core::store::merge::FieldOutcome;
    for f in fields {
        let what = match f.outcome {
            FieldOutcome::Same => continue,
            FieldOutcome::Filled => "taken (the person kept had none)".to_string(),
            FieldOutcome::InRecords => "differs; kept in the records that move".to_string(),
            FieldOutcome::AddedAsRecord => format!(
                "differs; kept as a record of \"{}\" in activity #{}",
                f.category.as_deref().unwrap_or(""),
                f.activity_id.unwrap_or_default()
            ),
            FieldOutcome::Dropped => "differs; not kept (nothing holds it)".to_string(),
        };
        println!("  the other's {}: {what}", f.field);
    }
}

pub(super) fn erase(json: bool, reg: &mut Register, subject: i64, reason: &str) -> Out {
    let summary = reg.erase_subject(subject, reason)?;
    print(json, &summary, print_receipt);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn receipts(json: bool, reg: &mut Register) -> Out {
    let list = reg.erasure_receipts()?;
    print(json, &list, |list| {
        for r in list {
            println!(
                "{} {} subject #{:<6} {:<9} {} records  {}",
                r.id,
                &r.erased_at.to_rfc3339()[..19],
                r.subject_id,
                r.trigger.as_str(),
                r.records,
                r.reason
            );
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub(super) fn record(json: bool, reg: &mut Register, cmd: &RecordCmd) -> Out {
    match cmd {
        RecordCmd::Add {
            subject,
            activity,
            category,
            value,
            source,
            collected,
        } => {
            let r = reg.add_record(
                *subject,
                &NewRecord {
                    activity_id: *activity,
                    category: category.clone(),
                    value: value.clone(),
                    source: source.clone(),
                    collected_on: *collected,
                },
            )?;
            print(json, &r, |r| {
                println!("Added record #{} to subject #{}", r.id, r.subject_id)
            });
        }
        RecordCmd::Edit { id, value, reason } => {
            let r = reg.update_record(*id, value, reason)?;
            print(json, &r, |r| println!("Rectified record #{}", r.id));
        }
        RecordCmd::Delete { id, reason } => {
            reg.delete_record(*id, reason)?;
            print(json, &serde_json::json!({ "deleted": id }), |_| {
                println!("Deleted record #{id}")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn consent(json: bool, reg: &mut Register, cmd: &ConsentCmd) -> Out {
    match cmd {
        ConsentCmd::Add {
            subject,
            activity,
            purpose,
            kind,
            method,
        } => {
            let kind = ConsentKind::parse(kind)
                .ok_or_else(|| CliError::usage(format!("unknown kind {kind:?}")))?;
            let c = reg.add_consent_event(
                *subject,
                &NewConsentEvent {
                    activity_id: *activity,
                    purpose: purpose.clone(),
                    kind,
                    method: method.clone(),
                    at: None,
                },
            )?;
            print(json, &c, |c| {
                println!("Recorded {} #{}", c.kind.as_str(), c.id)
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn search(json: bool, reg: &mut Register, query: &str, limit: u32) -> Out {
    let hits = reg.search(query, limit)?;
    print(json, &hits, |hits| {
        for s in hits {
            println!("#{:<6} {:<32} {:<36} {}", s.id, s.name, s.email, s.phone);
        }
        if hits.is_empty() {
            println!("No subject matches.");
        }
    });
    Ok(ExitCode::SUCCESS)
}

pub(super) fn print_receipt(s: &privreg_core::ErasureSummary) {
    let r = &s.receipt;
    println!(
        "Erased subject #{}: {} records and {} consent events.",
        s.subject_id, s.records, s.consent_events
    );
    if !s.kept.is_empty() {
        println!("Kept, restricted, because the law or a legal hold requires it (Art. 17(3)):");
        for k in &s.kept {
            let why = match &k.because {
                privreg_core::store::erasure::KeptBecause::LegalObligation { .. } => {
                    "legal obligation".to_string()
                }
                privreg_core::store::erasure::KeptBecause::Hold { hold_id } => {
                    format!("legal hold #{hold_id}")
                }
            };
            let until = match (k.may_go_on, &k.because) {
                (Some(d), _) => format!("may go on {d}"),
                (None, privreg_core::store::erasure::KeptBecause::Hold { .. }) => {
                    "until the hold is released".to_string()
                }
                (None, _) => "until further notice".to_string(),
            };
            println!(
                "  record #{} {} / {}: {why}, {until}",
                k.record_id, k.activity, k.category
            );
        }
    } else if r.is_complete() && s.records == 0 && s.consent_events == 0 {
        println!("Nothing more to erase.");
    }
    println!("Receipt {} ({}, {})", r.id, r.erased_at, r.trigger.as_str());
    println!("  why: {}", r.reason);
    if let Some(req) = &r.request_ref {
        println!("  request: {req}");
    }
    for a in &r.per_activity {
        println!("  {}: {} records", a.activity, a.records);
    }
    if !s.notify.is_empty() {
        println!("Tell these recipients (Art. 19): {}", s.notify.join(", "));
    }
}

fn parse_sort(s: &str) -> Result<SubjectSort, CliError> {
    Ok(match s {
        "name" => SubjectSort::Name,
        "email" => SubjectSort::Email,
        "created" => SubjectSort::Created,
        "updated" => SubjectSort::Updated,
        other => {
            return Err(CliError::usage(format!(
                "unknown sort {other:?}: use name, email, created or updated"
            )))
        }
    })
}
