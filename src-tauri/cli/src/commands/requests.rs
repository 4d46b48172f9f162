//! Data subject requests (Art. 12-22): registering, working and completing them, with
//! their deadlines.

use std::process::ExitCode;

use privreg_core::store::requests::{
    Channel, Completion, NewRequest, RecordChange, Request, RequestFilter, RequestKind, Requester,
    SentReport,
};
use privreg_core::Register;

use super::subjects::print_receipt;
use super::{print, CliError, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &RequestCmd) -> Out {
    match cmd {
        RequestCmd::Add {
            kind,
            subject,
            name,
            email,
            phone,
            received,
            channel,
            notes,
        } => {
            let kind = RequestKind::parse(kind.trim()).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown request type {kind:?}: access, rectification, erasure, restriction, portability or objection"
                ))
            })?;
            let channel = Channel::parse(channel.trim()).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown channel {channel:?}: email, letter, phone, in_person, web_form or other"
                ))
            })?;
            let r = reg.add_request(&NewRequest {
                kind,
                subject_id: *subject,
                requester: Requester {
                    name: name.clone(),
                    email: email.clone(),
                    phone: phone.clone(),
                },
                received_on: *received,
                channel,
                notes: notes.clone(),
            })?;
            print(json, &r, |r| {
                println!(
                    "Registered request #{} ({}), due {}",
                    r.id,
                    r.kind.as_str(),
                    r.deadline.due_on
                )
            });
        }
        RequestCmd::List { open, subject } => {
            let filter = match (open, subject) {
                (_, Some(s)) => RequestFilter::Subject(*s),
                (true, None) => RequestFilter::Open,
                (false, None) => RequestFilter::All,
            };
            let list = reg.requests(filter)?;
            print(json, &list, |list| {
                for r in list {
                    println!("{}", request_line(r));
                }
                if list.is_empty() {
                    println!("No requests.");
                }
            });
        }
        RequestCmd::Show { id } => {
            let v = reg.request_view(*id)?;
            print(json, &v, |v| {
                let r = &v.request;
                println!("{}", request_line(r));
                println!("  public id   {}", r.public_id);
                println!("  channel     {}", r.channel.as_str());
                match r.verified_on {
                    Some(on) => println!("  identity    verified {on}: {}", r.verified_how),
                    None => println!("  identity    NOT VERIFIED"),
                }
                if r.extension_months > 0 {
                    println!(
                        "  extended    {} month(s): {}",
                        r.extension_months, r.extension_reason
                    );
                }
                if !r.refusal_reason.is_empty() {
                    println!("  refused     {}", r.refusal_reason);
                }
                if let Some(sent) = &r.response {
                    println!("  sent        {} {}", sent.format, sent.file_name);
                }
                if let Some(receipt) = &r.receipt_id {
                    println!("  receipt     {receipt}");
                }
                if !r.notes.is_empty() {
                    println!("  notes       {}", r.notes);
                }
                for a in &v.actions {
                    println!("  {} {} {}", &a.at.to_rfc3339()[..19], a.action, a.detail);
                }
            });
        }
        RequestCmd::Match { id, subject } => {
            let r = reg.match_request(*id, *subject)?;
            print(json, &r, |r| {
                println!("Request #{} is about subject #{subject}", r.id)
            });
        }
        RequestCmd::Verify { id, how, on } => {
            let r = reg.verify_request_identity(*id, how, *on)?;
            print(json, &r, |r| {
                println!("Identity verified for request #{}", r.id)
            });
        }
        RequestCmd::Start { id } => {
            let r = reg.start_request(*id)?;
            print(json, &r, |r| println!("{}", request_line(r)));
        }
        RequestCmd::AskIdentity { id, how } => {
            let r = reg.ask_for_identity(*id, how)?;
            print(json, &r, |r| {
                println!("Request #{}: proof of identity asked for", r.id)
            });
        }
        RequestCmd::Extend {
            id,
            months,
            reason,
            told_on,
        } => {
            let r = reg.extend_request(*id, *months, reason, *told_on)?;
            print(json, &r, |r| {
                println!(
                    "Request #{} extended: now due {} (tell the subject why)",
                    r.id, r.deadline.effective_due_on
                )
            });
        }
        RequestCmd::Refuse { id, ground, reason } => {
            let ground: privreg_core::store::requests::RefusalGround =
                super::parse_json_enum("refusal ground", ground)?;
            let r = reg.refuse_request(*id, ground, reason)?;
            print(json, &r, |r| {
                println!("Request #{} refused ({})", r.id, ground.article())
            });
        }
        RequestCmd::Partly {
            id,
            ground,
            not_done,
        } => {
            let ground: privreg_core::store::requests::RefusalGround =
                super::parse_json_enum("ground", ground)?;
            let r = reg.set_partly(*id, ground, not_done)?;
            print(json, &r, |r| {
                if r.not_done.is_empty() {
                    println!("Request #{}: to be completed in full", r.id)
                } else {
                    println!(
                        "Request #{}: to be completed in part ({}); complete it as usual",
                        r.id,
                        ground.article()
                    )
                }
            });
        }
        RequestCmd::Fee {
            id,
            amount,
            currency,
            ground,
            reason,
            none,
        } => {
            let fee = match (amount, none) {
                (_, true) | (None, _) => None,
                (Some(a), false) => Some(privreg_core::store::requests::Fee {
                    amount: a.clone(),
                    currency: currency.clone(),
                    ground: super::parse_json_enum("fee ground", ground)?,
                    reason: reason.clone(),
                }),
            };
            let r = reg.set_request_fee(*id, fee.as_ref())?;
            print(json, &r, |r| match &r.fee {
                Some(f) => println!(
                    "Request #{}: fee {} {} ({})",
                    r.id,
                    f.amount,
                    f.currency,
                    f.ground.article()
                ),
                None => println!("Request #{}: free of charge", r.id),
            });
        }
        RequestCmd::ReplySent { id, how, on } => {
            let r = reg.record_reply_sent(*id, *on, how)?;
            print(json, &r, |r| {
                println!(
                    "Request #{}: reply sent {}",
                    r.id,
                    r.reply_sent_on.map(|d| d.to_string()).unwrap_or_default()
                )
            });
        }
        RequestCmd::NoData { id } => {
            let r = reg.answer_no_data(*id)?;
            print(json, &r, |r| {
                println!("Request #{} answered: no personal data held", r.id)
            });
        }
        RequestCmd::Complete {
            id,
            format,
            file,
            name,
            email,
            phone,
            records,
        } => {
            let r = reg.request(*id)?;
            let completion = match r.kind {
                RequestKind::Access | RequestKind::Portability => {
                    let format = format.clone().ok_or_else(|| {
                        CliError::usage("say what was sent: --format pdf|json [--file NAME]".into())
                    })?;
                    Completion::ReportSent(SentReport {
                        format,
                        file_name: file.clone(),
                    })
                }
                RequestKind::Rectification => {
                    let subject = if name.is_some() || email.is_some() || phone.is_some() {
                        let sid = r.subject_id.ok_or_else(|| {
                            CliError::usage("match the request to a subject first".into())
                        })?;
                        let mut f = reg.subject(sid)?.fields;
                        if let Some(v) = name {
                            f.name = v.clone();
                        }
                        if let Some(v) = email {
                            f.email = v.clone();
                        }
                        if let Some(v) = phone {
                            f.phone = v.clone();
                        }
                        Some(f)
                    } else {
                        None
                    };
                    let records = records
                        .iter()
                        .map(|spec| {
                            let (id, value) = spec.split_once('=').ok_or_else(|| {
                                CliError::usage("--record takes RECORD_ID=NEW VALUE".into())
                            })?;
                            let record_id = id.trim().parse().map_err(|_| {
                                CliError::usage("--record takes RECORD_ID=NEW VALUE".into())
                            })?;
                            Ok(RecordChange {
                                record_id,
                                value: value.to_string(),
                            })
                        })
                        .collect::<Result<Vec<_>, CliError>>()?;
                    Completion::Rectification { subject, records }
                }
                RequestKind::Erasure => Completion::Erasure,
                RequestKind::Restriction => Completion::Restriction,
                RequestKind::Objection => Completion::Objection,
            };
            let out = reg.complete_request(*id, &completion)?;
            print(json, &out, |o| {
                println!(
                    "Request #{} completed ({})",
                    o.request.id,
                    o.request.kind.as_str()
                );
                if let Some(e) = &o.erasure {
                    print_receipt(e);
                }
            });
        }
        RequestCmd::Export { output } => {
            let export = reg.export_requests()?;
            let text = serde_json::to_string_pretty(&export).expect("serialisable");
            match output {
                Some(path) => {
                    privreg_core::files::write_private(path, text.as_bytes())
                        .map_err(privreg_core::Error::from)?;
                    eprintln!(
                        "privreg: wrote {} requests to {}",
                        export.requests.len(),
                        path.display()
                    );
                }
                None => println!("{text}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn request_line(r: &Request) -> String {
    let who = match r.subject_id {
        Some(id) => format!("subject #{id}"),
        None if !r.requester.name.is_empty() => format!("unmatched: {}", r.requester.name),
        None => format!("unmatched: {}", r.requester.email),
    };
    let due = match r.deadline.days_left {
        Some(d) if d < 0 => format!("OVERDUE by {} days", -d),
        Some(d) if r.deadline.extension_closes_in.is_some() && r.deadline.due_soon => {
            format!("{d} days left (due soon; an extension must be decided and told by then)")
        }
        Some(d) if r.deadline.due_soon => format!("{d} days left (due soon)"),
        Some(d) => format!("{d} days left"),
        None => format!(
            "closed {}",
            r.closed_on.map(|c| c.to_string()).unwrap_or_default()
        ),
    };
    format!(
        "#{:<4} {:<13} {:<11} received {}  due {}  {}  {}",
        r.id,
        r.kind.as_str(),
        r.status.as_str(),
        r.received_on,
        r.deadline.effective_due_on,
        due,
        who
    )
}

/// `privreg notify`: the Art. 19 tasks.
pub(super) fn notify(json: bool, reg: &mut Register, cmd: &NotifyCmd) -> Out {
    use privreg_core::store::notify::{NotifyFilter, NotifyStatus};
    match cmd {
        NotifyCmd::List { all, subject } => {
            let filter = match (subject, all) {
                (Some(s), _) => NotifyFilter::Subject(*s),
                (None, true) => NotifyFilter::All,
                (None, false) => NotifyFilter::Open,
            };
            let list = reg.notifications(filter)?;
            print(json, &list, |list| {
                if list.is_empty() {
                    println!("No recipients to tell.");
                }
                for n in list {
                    let done = match n.done_on {
                        Some(d) => format!("{} {d}: {}", n.status.as_str(), n.how),
                        None => n.status.as_str().to_string(),
                    };
                    println!(
                        "#{:<4} {:<13} {:<16} {}  subject #{}  made {}  {}",
                        n.id,
                        n.cause.as_str(),
                        n.recipient_kind.as_str(),
                        n.recipient,
                        n.subject_id.unwrap_or_default(),
                        n.created_on,
                        done
                    );
                }
            });
        }
        NotifyCmd::Mark {
            id,
            status,
            how,
            on,
        } => {
            let status = NotifyStatus::parse(status).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown status {status:?}: told, impossible or disproportionate"
                ))
            })?;
            let n = reg.mark_notification(*id, status, *on, how)?;
            print(json, &n, |n| {
                println!("#{} {}: {}", n.id, n.recipient, n.status.as_str())
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
