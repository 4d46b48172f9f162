//! One function per command: open, call the core, print.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use privreg_core::model::*;
use privreg_core::store::requests::{
    Channel, Completion, NewRequest, RecordChange, Request, RequestFilter, RequestKind, Requester,
    SentReport,
};
use privreg_core::store::retention::{
    Blocker, HoldTarget, RetentionAction, RetentionQueue, Selection,
};
use privreg_core::templates::{self, Lang};
use privreg_core::transfer;
use privreg_core::{demo, AuditFilter, Error, Register, SubjectSort, SystemClock, Unlock};
use privreg_reports::{Exported, ReportError};
use serde::Serialize;

use crate::args::*;
use crate::unlock;

pub struct CliError {
    pub code: ExitCode,
    pub message: String,
}

impl CliError {
    pub fn usage(message: String) -> Self {
        CliError {
            code: ExitCode::from(64),
            message,
        }
    }
}

impl From<ReportError> for CliError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Core(e) => e.into(),
            other => CliError {
                code: ExitCode::from(1),
                message: other.to_string(),
            },
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        // Damage gets its own exit code so scripts can tell it from a typo.
        let code = if e.is_damage() { 2 } else { 1 };
        CliError {
            code: ExitCode::from(code),
            message: e.to_string(),
        }
    }
}

type Out = Result<ExitCode, CliError>;

fn lang(l: LangArg) -> Lang {
    match l {
        LangArg::En => Lang::En,
        LangArg::Nb => Lang::Nb,
    }
}

fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).expect("serialisable")
        );
    } else {
        human(value);
    }
}

fn register_path(cli: &Cli) -> Result<PathBuf, CliError> {
    cli.register.clone().ok_or_else(|| {
        CliError::usage("say which register: --register PATH or PRIVREG_REGISTER".into())
    })
}

pub fn run(cli: Cli) -> Out {
    match &cli.command {
        Command::Init => init(&cli),
        Command::Demo {
            path,
            subjects,
            seed,
            lang: l,
            batch,
            progress,
        } => run_demo(&cli, path, *subjects, *seed, lang(*l), *batch, *progress),
        Command::Bench {
            sizes,
            queries,
            dir,
            seed,
            csv_rows,
            csv_only,
        } => {
            prepare_bench(dir)?;
            let mut reports = Vec::new();
            if !csv_only {
                for n in sizes {
                    let mut time_reports = |reg: &mut Register| {
                        privreg_reports::bench::on_register(reg, dir, 5).map_err(|e| e.to_string())
                    };
                    reports.push(privreg_core::bench::run_size(
                        dir,
                        *n,
                        *queries,
                        *seed,
                        &mut |step| eprintln!("bench: {step}"),
                        Some(&mut time_reports),
                    )?);
                }
            }
            let mut csv = Vec::new();
            for n in csv_rows {
                csv.push(privreg_core::bench::run_csv(dir, *n, *seed, &mut |step| {
                    eprintln!("bench: {step}")
                })?);
            }
            let all = serde_json::json!({ "sizes": reports, "csv_import": csv });
            print(cli.json, &all, |_| {
                println!("{}", privreg_core::bench::markdown(&reports));
                println!("{}", privreg_core::bench::csv_markdown(&csv));
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file } => import_register(&cli, file),
        Command::Restore {
            file,
            journals,
            replace,
        } => restore(&cli, file, journals, *replace),
        Command::BenchReports {
            activities,
            runs,
            dir,
        } => {
            prepare_bench(dir)?;
            let rows = privreg_reports::bench::run(dir, *activities, *runs, &mut |step| {
                eprintln!("bench: {step}")
            })?;
            print(cli.json, &rows, |r| {
                println!("{}", privreg_reports::bench::markdown(r))
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::Templates { lang: l } => {
            let list = templates::list(lang(*l));
            print(cli.json, &list, |list| {
                for t in list {
                    println!("{:<24} {}", t.key, t.title);
                }
            });
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            let path = register_path(&cli)?;
            let mut reg = unlock::open(&path, !cli.no_keychain)?;
            if let Some(actor) = &cli.actor {
                reg.set_actor(actor);
            }
            let code = with_register(&cli, &mut reg)?;
            reg.close()?;
            Ok(code)
        }
    }
}

fn init(cli: &Cli) -> Out {
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

fn restore(cli: &Cli, file: &Path, journals: &[PathBuf], replace: bool) -> Out {
    let target = register_path(cli)?;
    let pass = unlock::passphrase_from_env_or_prompt(
        "PRIVREG_PASSPHRASE",
        "Passphrase of the backup: ",
        false,
    )?;
    let (reg, report) = privreg_core::store::backup::restore(
        file,
        Unlock::Passphrase(&pass),
        &target,
        journals,
        replace,
        Arc::new(SystemClock),
    )?;
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
            "Erasures made after it, applied again: {}; receipts recorded: {}",
            r.reapplied.len(),
            r.recorded.len()
        );
        if r.unreadable_journal_lines > 0 {
            println!(
                "{} journal line(s) could not be read and were skipped",
                r.unreadable_journal_lines
            );
        }
        if let Some(old) = &r.replaced {
            println!("The register it replaced is kept as {}", old.display());
        }
    });
    reg.close()?;
    Ok(ExitCode::SUCCESS)
}

fn request_line(r: &Request) -> String {
    let who = match r.subject_id {
        Some(id) => format!("subject #{id}"),
        None if !r.requester.name.is_empty() => format!("unmatched: {}", r.requester.name),
        None => format!("unmatched: {}", r.requester.email),
    };
    let due = match r.deadline.days_left {
        Some(d) if d < 0 => format!("OVERDUE by {} days", -d),
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

fn print_receipt(s: &privreg_core::ErasureSummary) {
    let r = &s.receipt;
    println!(
        "Erased subject #{}: {} records and {} consent events.",
        s.subject_id, s.records, s.consent_events
    );
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

fn print_queue(q: &RetentionQueue) {
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

fn remember_if_possible(cli: &Cli, reg: &Register) {
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

fn run_demo(
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
        println!(
            "Recovery key (shown this once): {}",
            recovery.display().as_str()
        );
    });
    reg.close()?;
    Ok(ExitCode::SUCCESS)
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

fn parse_json_enum<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string()))
        .map_err(|_| CliError::usage(format!("unknown {what} {s:?}")))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("reading {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| CliError::usage(format!("{}: {e}", path.display())))
}

fn build_activity(f: &ActivityFields, base: Option<Activity>) -> Result<Activity, CliError> {
    let mut a = match (&f.file, &f.template) {
        (Some(file), _) => read_json(file)?,
        (None, Some(key)) => templates::activity(key, lang(f.lang.unwrap_or(LangArg::En)))
            .ok_or_else(|| {
                CliError::usage(format!("no template {key:?}; see `privreg templates`"))
            })?,
        (None, None) => base.unwrap_or_default(),
    };
    if let Some(v) = &f.name {
        a.name = v.clone();
    }
    if let Some(v) = &f.owner {
        a.owner = v.clone();
    }
    if !f.purposes.is_empty() {
        a.purposes = f.purposes.clone();
    }
    if !f.bases.is_empty() {
        a.legal_bases = f
            .bases
            .iter()
            .map(|b| parse_json_enum("legal basis", b))
            .collect::<Result<_, _>>()?;
    }
    if !f.subject_categories.is_empty() {
        a.subject_categories = f.subject_categories.clone();
    }
    for c in &f.categories {
        if a.category(c).is_none() {
            a.data_categories
                .push(DataCategory::new(c, CategoryGroup::Other));
        }
    }
    if !f.recipients.is_empty() {
        a.recipients = f.recipients.clone();
    }
    if !f.security.is_empty() {
        a.security_measures = f.security.clone();
    }
    if !f.processors.is_empty() {
        a.processor_ids = f.processors.clone();
    }
    if let Some(s) = &f.status {
        a.status = ActivityStatus::parse(s)
            .ok_or_else(|| CliError::usage(format!("unknown status {s:?}: draft or approved")))?;
    }
    if let Some(d) = f.reviewed {
        a.last_reviewed = Some(d);
    }
    if let Some(m) = f.direct_marketing {
        a.direct_marketing = m;
    }
    Ok(a)
}

fn show_activity(a: &StoredActivity) {
    let act = &a.activity;
    println!("#{} {} ({})", a.id, act.name, act.status.as_str());
    let list = |label: &str, v: &[String]| {
        println!(
            "  {label:<20} {}",
            if v.is_empty() {
                "-".into()
            } else {
                v.join("; ")
            }
        )
    };
    list("owner", std::slice::from_ref(&act.owner));
    list("purposes", &act.purposes);
    let bases: Vec<String> = act
        .legal_bases
        .iter()
        .map(|b| format!("{b:?} ({})", b.article()))
        .collect();
    list("legal bases", &bases);
    list("data subjects", &act.subject_categories);
    let cats: Vec<String> = act
        .data_categories
        .iter()
        .map(|c| {
            if c.sensitive {
                format!("{} (sensitive)", c.name)
            } else {
                c.name.clone()
            }
        })
        .collect();
    list("personal data", &cats);
    list("recipients", &act.recipients);
    list("security measures", &act.security_measures);
    list("systems", &act.systems);
    let missing: Vec<String> = act.missing_fields().into_iter().map(String::from).collect();
    if !missing.is_empty() {
        list("MISSING", &missing);
    }
}

fn show_export(e: &Exported) {
    println!(
        "Wrote {} ({} {}, {} bytes). Audit log in the report: {} events, head {}.",
        e.path.display(),
        e.format,
        e.lang,
        e.bytes,
        e.audit_events,
        &e.audit_head[..16.min(e.audit_head.len())]
    );
}

fn with_register(cli: &Cli, reg: &mut Register) -> Out {
    let json = cli.json;
    match &cli.command {
        Command::Controller(ControllerCmd::Show) => {
            let c = reg.controller()?;
            print(json, &c, |c| match c {
                Some(c) => println!(
                    "{} ({})\n{}\n{} {}",
                    c.organisation, c.org_number, c.address, c.email, c.phone
                ),
                None => {
                    println!("No controller profile yet: privreg controller set --organisation ...")
                }
            });
        }
        Command::Controller(ControllerCmd::Set {
            file,
            organisation,
            org_number,
            address,
            email,
            phone,
        }) => {
            let mut c = match file {
                Some(f) => read_json(f)?,
                None => reg.controller()?.unwrap_or_default(),
            };
            for (slot, v) in [
                (&mut c.organisation, organisation),
                (&mut c.org_number, org_number),
                (&mut c.address, address),
                (&mut c.email, email),
                (&mut c.phone, phone),
            ] {
                if let Some(v) = v {
                    *slot = v.clone();
                }
            }
            reg.set_controller(&c)?;
            print(json, &c, |c| {
                println!("Saved the controller profile of {}", c.organisation)
            });
        }
        Command::Activity(ActivityCmd::Add(f)) => {
            let a = reg.add_activity(&build_activity(f, None)?)?;
            print(json, &a, |a| {
                println!("Added activity #{} {}", a.id, a.activity.name)
            });
        }
        Command::Activity(ActivityCmd::Edit { id, fields }) => {
            let base = reg.activity(*id)?.activity;
            let a = reg.update_activity(*id, &build_activity(fields, Some(base))?)?;
            print(json, &a, |a| {
                println!("Saved activity #{} {}", a.id, a.activity.name)
            });
        }
        Command::Activity(ActivityCmd::List) => {
            let list = reg.activity_summaries()?;
            print(json, &list, |list| {
                for a in list {
                    let missing = if a.missing_fields.is_empty() {
                        String::new()
                    } else {
                        format!("  missing: {}", a.missing_fields.join(", "))
                    };
                    println!(
                        "#{:<4} {:<40} {:<8} {:>6} records{}",
                        a.id,
                        a.name,
                        format!("{:?}", a.status).to_lowercase(),
                        a.records,
                        missing
                    );
                }
            });
        }
        Command::Activity(ActivityCmd::Show { id }) => {
            let a = reg.activity(*id)?;
            print(json, &a, show_activity);
        }
        Command::Activity(ActivityCmd::Delete { id }) => {
            reg.delete_activity(*id)?;
            print(json, &serde_json::json!({ "deleted": id }), |_| {
                println!("Deleted activity #{id}")
            });
        }
        Command::Processor(ProcessorCmd::Add {
            name,
            country,
            role,
            dpa,
        }) => {
            let role = ProcessorRole::parse(role)
                .ok_or_else(|| CliError::usage(format!("unknown role {role:?}")))?;
            let p = reg.add_processor(&Processor {
                name: name.clone(),
                country: country.clone(),
                role,
                dpa_reference: dpa.clone(),
                ..Default::default()
            })?;
            print(json, &p, |p| {
                println!("Added processor #{} {}", p.id, p.processor.name)
            });
        }
        Command::Processor(ProcessorCmd::List) => {
            let list = reg.processors()?;
            print(json, &list, |list| {
                for p in list {
                    println!(
                        "#{:<4} {:<36} {:<16} {}",
                        p.id,
                        p.processor.name,
                        p.processor.country,
                        p.processor.role.as_str()
                    );
                }
            });
        }
        Command::Subject(SubjectCmd::Add { name, email, phone }) => {
            let s = reg.add_subject(&SubjectFields {
                name: name.clone(),
                email: email.clone(),
                phone: phone.clone(),
            })?;
            print(json, &s, |s| println!("Added subject #{}", s.id));
        }
        Command::Subject(SubjectCmd::List {
            offset,
            limit,
            sort,
            desc,
        }) => {
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
        Command::Subject(SubjectCmd::Show { id }) => {
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
        Command::Subject(SubjectCmd::Edit {
            id,
            name,
            email,
            phone,
            reason,
        }) => {
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
        Command::Subject(SubjectCmd::Erase { id, reason }) => {
            let summary = reg.erase_subject(*id, reason)?;
            print(json, &summary, print_receipt);
        }
        Command::Subject(SubjectCmd::Restrict { id, reason }) => {
            reg.restrict_subject(*id, reason)?;
            print(json, &reg.subject(*id)?, |s| {
                println!("Subject #{} is restricted (Art. 18)", s.id)
            });
        }
        Command::Subject(SubjectCmd::Unrestrict { id, reason }) => {
            reg.lift_restriction(*id, reason)?;
            print(json, &reg.subject(*id)?, |s| {
                println!("Subject #{} is no longer restricted", s.id)
            });
        }
        Command::Erase { subject, reason } => {
            let summary = reg.erase_subject(*subject, reason)?;
            print(json, &summary, print_receipt);
        }
        Command::Receipts => {
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
        }
        Command::Request(cmd) => request_cmd(json, reg, cmd)?,
        Command::Retention(RetentionCmd::Due { activity }) => {
            let q = reg.retention_due(*activity)?;
            print(json, &q, print_queue);
        }
        Command::Retention(RetentionCmd::Apply {
            activity,
            records,
            action,
            note,
        }) => {
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
        Command::Retention(RetentionCmd::Date {
            subject,
            activity,
            trigger,
            on,
            clear,
        }) => {
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
        Command::Hold(HoldCmd::Add {
            subject,
            activity,
            reason,
            until,
        }) => {
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
        Command::Hold(HoldCmd::List { all }) => {
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
        Command::Hold(HoldCmd::Release { id, reason }) => {
            let h = reg.release_hold(*id, reason)?;
            print(json, &h, |h| println!("Released legal hold #{}", h.id));
        }
        Command::Backup { dir, auto, keep } => {
            let info = if *auto {
                reg.auto_backup(dir, *keep)?
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
        }
        Command::Record(RecordCmd::Add {
            subject,
            activity,
            category,
            value,
            source,
            collected,
        }) => {
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
        Command::Record(RecordCmd::Edit { id, value, reason }) => {
            let r = reg.update_record(*id, value, reason)?;
            print(json, &r, |r| println!("Rectified record #{}", r.id));
        }
        Command::Record(RecordCmd::Delete { id, reason }) => {
            reg.delete_record(*id, reason)?;
            print(json, &serde_json::json!({ "deleted": id }), |_| {
                println!("Deleted record #{id}")
            });
        }
        Command::Consent(ConsentCmd::Add {
            subject,
            activity,
            purpose,
            kind,
            method,
        }) => {
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
        Command::Search { query, limit } => {
            let hits = reg.search(query, *limit)?;
            print(json, &hits, |hits| {
                for s in hits {
                    println!("#{:<6} {:<32} {:<36} {}", s.id, s.name, s.email, s.phone);
                }
                if hits.is_empty() {
                    println!("No subject matches.");
                }
            });
        }
        Command::Overview => {
            let counts = reg.counts()?;
            let controller = reg.controller()?;
            let requests = reg.request_deadlines()?;
            let value = serde_json::json!({ "controller": controller, "counts": counts, "requests": requests });
            print(json, &value, |_| {
                if let Some(c) = &controller {
                    println!("{} ({})", c.organisation, c.org_number);
                }
                println!(
                    "{} activities ({} drafts, {} missing fields, {} due for review), {} processors, {} subjects, {} records",
                    counts.activities,
                    counts.drafts,
                    counts.missing_fields,
                    counts.review_overdue,
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
            });
        }
        Command::Audit { subject, limit } => {
            let filter = match subject {
                Some(id) => AuditFilter::Subject(*id),
                None => AuditFilter::All,
            };
            let events = reg.audit_log(filter, *limit)?;
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
        }
        Command::Passphrase(PassphraseCmd::Change) => {
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
            print(
                json,
                &serde_json::json!({ "recovery_key": shown.as_str() }),
                |_| {
                    println!("The passphrase is changed; the old one and the old recovery key no longer work.");
                    println!("New recovery key (shown this once): {}", shown.as_str());
                },
            );
        }
        Command::Keychain(KeychainCmd::Remember) => {
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
        Command::Keychain(KeychainCmd::Forget) => {
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
        Command::Report(ReportCmd::Art30 {
            format,
            lang: l,
            output,
        }) => {
            let done = privreg_reports::export_art30(reg, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        Command::Report(ReportCmd::Access {
            subject,
            format,
            lang: l,
            output,
        }) => {
            let done = privreg_reports::export_access(reg, *subject, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        Command::Verify => {
            let report = reg.verify()?;
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
                    (Some(a), _) => match &a.first_broken {
                        None => println!(
                            "audit log:  ok ({} events, head {})",
                            a.events,
                            &a.head_hash[..16]
                        ),
                        Some(b) => println!("audit log:  BROKEN at event {}: {}", b.seq, b.problem),
                    },
                    (None, Some(e)) => println!("audit log:  could not be read: {e}"),
                    (None, None) => {}
                }
            });
            return Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            });
        }
        Command::ImportCsv {
            file,
            activity,
            map,
            dry_run,
            all_or_nothing,
            match_phone,
            source,
            collected,
            delimiter,
            encoding,
        } => {
            return import_csv(
                reg,
                json,
                &CsvArgs {
                    file,
                    activity: *activity,
                    map,
                    dry_run: *dry_run,
                    all_or_nothing: *all_or_nothing,
                    match_phone: *match_phone,
                    source: source.as_deref(),
                    collected: *collected,
                    delimiter: delimiter.as_deref(),
                    encoding: encoding.as_deref(),
                },
            );
        }
        Command::Export { output } => {
            let summary = reg.export_json(output)?;
            print(json, &summary, |s| {
                println!("Exported the register to {}", output.display());
                for (table, rows) in &s.tables {
                    println!("  {table:<22} {rows:>8}");
                }
                println!("The file holds personal data unencrypted: keep it safe and delete it when done.");
            });
        }
        Command::Init
        | Command::Import { .. }
        | Command::Demo { .. }
        | Command::Templates { .. }
        | Command::Restore { .. }
        | Command::Bench { .. }
        | Command::BenchReports { .. } => {
            unreachable!("handled before opening")
        }
    }
    Ok(ExitCode::SUCCESS)
}

struct CsvArgs<'a> {
    file: &'a Path,
    activity: i64,
    map: &'a [String],
    dry_run: bool,
    all_or_nothing: bool,
    match_phone: bool,
    source: Option<&'a str>,
    collected: Option<chrono::NaiveDate>,
    delimiter: Option<&'a str>,
    encoding: Option<&'a str>,
}

/// The --delimiter and --encoding options, parsed by the core; a bad one is a usage error.
fn csv_format(a: &CsvArgs) -> Result<transfer::CsvFormat, CliError> {
    transfer::CsvFormat::from_user(a.delimiter, a.encoding).map_err(|e| match e {
        Error::Input(e) => {
            let given = match e.field() {
                "delimiter" => a.delimiter,
                _ => a.encoding,
            };
            CliError::usage(format!(
                "--{} {:?}: {}",
                e.field(),
                given.unwrap_or_default(),
                e.problem()
            ))
        }
        other => other.into(),
    })
}

/// The remembered mapping for the activity (or one suggested from the headers), with
/// the --map overrides on top.
fn csv_mapping(
    reg: &Register,
    a: &CsvArgs,
    headers: &[String],
    activity: &Activity,
) -> Result<transfer::CsvMapping, CliError> {
    let mut mapping = match reg.csv_mapping(a.activity)? {
        Some(m) => m,
        None => transfer::suggest_mapping(headers, activity),
    };
    let mut given: Vec<(String, Vec<transfer::Target>)> = Vec::new();
    for m in a.map {
        let (column, field) = m.rsplit_once('=').ok_or_else(|| {
            CliError::usage(format!(
                "--map {m:?}: write COLUMN=FIELD, e.g. \"E-post=email\""
            ))
        })?;
        let column = column.trim().to_string();
        let slot = match given
            .iter_mut()
            .find(|(c, _)| c.to_lowercase() == column.to_lowercase())
        {
            Some(slot) => slot,
            None => {
                given.push((column, Vec::new()));
                given.last_mut().expect("just pushed")
            }
        };
        if !field.trim().eq_ignore_ascii_case("ignore") {
            slot.1.push(transfer::Target::parse(field));
        }
    }
    for (column, targets) in &given {
        mapping.set(column, targets);
    }
    if a.match_phone {
        mapping.match_phone = true;
    }
    if let Some(s) = a.source {
        mapping.source = s.trim().to_string();
    }
    Ok(mapping)
}

fn describe_mapping(m: &transfer::CsvMapping) -> String {
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    for c in &m.columns {
        match columns.iter_mut().find(|(name, _)| *name == c.column) {
            Some((_, t)) => t.push(c.target.label()),
            None => columns.push((c.column.clone(), vec![c.target.label()])),
        }
    }
    columns
        .iter()
        .map(|(c, t)| format!("{c} -> {}", t.join(" + ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn import_csv(reg: &mut Register, json: bool, a: &CsvArgs) -> Out {
    let table = transfer::read_csv_file(a.file, &csv_format(a)?)?;
    let activity = reg.activity(a.activity)?.activity;
    let mapping = csv_mapping(reg, a, &table.headers, &activity)?;
    let options = transfer::CsvImportOptions {
        mode: if a.all_or_nothing {
            transfer::ImportMode::AllOrNothing
        } else {
            transfer::ImportMode::GoodRows
        },
        collected_on: a.collected,
    };
    let show_progress = !json && std::io::stderr().is_terminal() && table.rows.len() >= 5000;
    let mut progress = |p: transfer::Progress| {
        // Every 5,000 rows (the core reports every 500).
        #[allow(clippy::manual_is_multiple_of)]
        let round = p.done % 5000 == 0;
        if show_progress && (round || p.done == p.total) {
            let phase = match p.phase {
                transfer::Phase::Checking => "checking",
                transfer::Phase::Writing => "writing",
                transfer::Phase::Indexing => "indexing for search",
            };
            eprint!("\rprivreg: {phase} {}/{}   ", p.done, p.total);
            if p.phase != transfer::Phase::Checking && p.done == p.total {
                eprintln!();
            }
        }
        true
    };
    let report = if a.dry_run {
        reg.plan_csv_import(a.activity, &table, &mapping, &mut progress)?
    } else {
        reg.import_csv(a.activity, &table, &mapping, &options, &mut progress)?
    };
    if show_progress && a.dry_run {
        eprintln!();
    }
    let refused = !a.dry_run && a.all_or_nothing && report.rejected > 0;
    #[derive(Serialize)]
    struct Shown<'a> {
        file: &'a Path,
        encoding: transfer::Encoding,
        delimiter: char,
        mapping: &'a transfer::CsvMapping,
        dry_run: bool,
        #[serde(flatten)]
        report: &'a transfer::CsvImportReport,
    }
    let shown = Shown {
        file: a.file,
        encoding: table.encoding,
        delimiter: table.delimiter,
        mapping: &mapping,
        dry_run: a.dry_run,
        report: &report,
    };
    print(json, &shown, |s| {
        let delim = match s.delimiter {
            '\t' => "tab".to_string(),
            c => format!("'{c}'"),
        };
        println!(
            "Read {} rows from {} ({}, {delim}).",
            s.report.rows,
            s.file.display(),
            s.encoding.label()
        );
        println!("Mapping: {}", describe_mapping(s.mapping));
        println!("  new subjects  {:>7}", s.report.new_subjects);
        println!("  merged        {:>7}", s.report.merged);
        println!("  skipped       {:>7}", s.report.skipped);
        println!("  rejected      {:>7}", s.report.rejected);
        println!("  records       {:>7}", s.report.records);
        if !s.report.rejected_rows.is_empty() {
            println!("Rejected rows:");
            for r in &s.report.rejected_rows {
                println!("  line {}: {}", r.line, r.reason);
            }
        }
        if !s.report.skipped_rows.is_empty() {
            println!("Skipped rows:");
            for r in &s.report.skipped_rows {
                println!("  line {}: {}", r.line, r.reason);
            }
        }
        if s.dry_run {
            println!("Dry run: nothing was written.");
        } else if refused {
            println!("Nothing was imported: --all-or-nothing and some rows were rejected.");
        } else if s.report.written {
            println!(
                "Imported into activity #{}; the mapping is remembered for it.",
                s.report.activity_id
            );
        } else {
            println!("Nothing new to import.");
        }
    });
    if refused {
        return Err(CliError {
            code: ExitCode::from(1),
            message: format!(
                "nothing was imported: {} rows were rejected (--all-or-nothing)",
                report.rejected
            ),
        });
    }
    Ok(ExitCode::SUCCESS)
}

fn import_register(cli: &Cli, file: &Path) -> Out {
    let path = register_path(cli)?;
    if path.exists() {
        return Err(CliError::from(Error::Vault(
            privreg_core::VaultError::AlreadyExists { path },
        )));
    }
    // Read and check the file before asking for a passphrase.
    let export = transfer::export::read_export_file(file)?;
    let pass = unlock::passphrase_from_env_or_prompt(
        "PRIVREG_PASSPHRASE",
        "Passphrase for the new register: ",
        true,
    )?;
    let (reg, recovery, summary) =
        Register::create_from_export(&path, &pass, Arc::new(SystemClock), export)?;
    remember_if_possible(cli, &reg);
    let shown = recovery.display();
    #[derive(Serialize)]
    struct Imported<'a> {
        path: &'a Path,
        register_id: &'a str,
        recovery_key: &'a str,
        #[serde(flatten)]
        summary: &'a transfer::export::RestoreSummary,
    }
    print(
        cli.json,
        &Imported {
            path: &path,
            register_id: reg.id(),
            recovery_key: &shown,
            summary: &summary,
        },
        |i| {
            println!(
                "Created {} from {} (export format {}{}).",
                i.path.display(),
                file.display(),
                i.summary.format_version,
                if i.summary.migrated_from.is_some() {
                    ", migrated"
                } else {
                    ""
                }
            );
            for (table, rows) in &i.summary.tables {
                println!("  {table:<22} {rows:>8}");
            }
            println!(
                "The audit log carries over and its chain verifies ({} events).",
                i.summary.audit_events
            );
            println!();
            println!("Recovery key (shown this once): {}", i.recovery_key);
        },
    );
    reg.close()?;
    Ok(ExitCode::SUCCESS)
}

fn request_cmd(json: bool, reg: &mut Register, cmd: &RequestCmd) -> Result<(), CliError> {
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
        RequestCmd::Extend { id, months, reason } => {
            let r = reg.extend_request(*id, *months, reason)?;
            print(json, &r, |r| {
                println!(
                    "Request #{} extended: now due {} (tell the subject why)",
                    r.id, r.deadline.effective_due_on
                )
            });
        }
        RequestCmd::Refuse { id, reason } => {
            let r = reg.refuse_request(*id, reason)?;
            print(json, &r, |r| println!("Request #{} refused", r.id));
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
    Ok(())
}

/// Makes the benchmark's folder and warns when the numbers would mean nothing.
fn prepare_bench(dir: &std::path::Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::usage(format!("creating {}: {e}", dir.display())))?;
    if cfg!(debug_assertions) {
        eprintln!("privreg: this is a debug build; build with --release for meaningful numbers");
    }
    Ok(())
}
