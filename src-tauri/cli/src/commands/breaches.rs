//! Personal data breaches (Art. 33, 34): `privreg breach add|edit|list|show|affected|
//! assess|notify|close`.

use std::process::ExitCode;

use privreg_core::store::breaches::{
    parse_time, AffectedSelection, Art34Exception, Assessment, Breach, BreachFacts, BreachKind,
    NewNotice, NoticeKind, RiskLevel,
};
use privreg_core::Register;

use super::{print, read_json, CliError, Out};
use crate::args::*;

fn time(what: &str, s: &str) -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    parse_time(s).ok_or_else(|| {
        CliError::usage(format!(
            "{what}: not a time: {s:?} (RFC 3339, or YYYY-MM-DD HH:MM in Oslo time)"
        ))
    })
}

fn closed<T: privreg_core::vocab::ClosedList>(what: &str, s: &str) -> Result<T, CliError> {
    T::parse(s)
        .ok_or_else(|| CliError::usage(format!("unknown {what} {s:?}: {}", T::CODES.join(", "))))
}

fn yes(what: &str, s: &str) -> Result<bool, CliError> {
    match s.trim() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(CliError::usage(format!("{what}: yes or no"))),
    }
}

/// The facts from `base`, a JSON file and the flags, in that order.
fn facts(base: BreachFacts, f: &BreachFields) -> Result<BreachFacts, CliError> {
    let mut x = match &f.file {
        Some(path) => read_json(path)?,
        None => base,
    };
    let text = |target: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            *target = v.clone();
        }
    };
    text(&mut x.title, &f.title);
    text(&mut x.found_by, &f.found_by);
    text(&mut x.cause, &f.cause);
    text(&mut x.description, &f.description);
    text(&mut x.data_location, &f.location);
    text(&mut x.relation, &f.relation);
    text(&mut x.consequences, &f.consequences);
    text(&mut x.measures_taken, &f.measures_taken);
    text(&mut x.measures_planned, &f.measures_planned);
    text(&mut x.contact, &f.contact);
    if let Some(s) = &f.aware {
        x.aware_at = Some(time("--aware", s)?);
    }
    if let Some(s) = &f.discovered {
        x.discovered_at = Some(time("--discovered", s)?);
    }
    if let Some(s) = &f.from {
        x.occurred_from = Some(time("--from", s)?);
    }
    if let Some(s) = &f.to {
        x.occurred_to = Some(time("--to", s)?);
    }
    if let Some(s) = &f.processor_told {
        x.processor_told_at = Some(time("--processor-told", s)?);
    }
    if f.processor.is_some() {
        x.processor_id = f.processor;
    }
    if !f.kinds.is_empty() {
        x.kinds = f
            .kinds
            .iter()
            .map(|k| closed::<BreachKind>("breach kind", k))
            .collect::<Result<_, _>>()?;
    }
    // Discovered and aware at once, when only one is given (the common case).
    if x.discovered_at.is_none() {
        x.discovered_at = x.aware_at;
    }
    Ok(x)
}

fn line(b: &Breach) -> String {
    let clock = match (b.clock.running, b.clock.minutes_left) {
        (true, Some(m)) if m < 0 => format!("OVERDUE by {}h{:02}", (-m) / 60, (-m) % 60),
        (true, Some(m)) => format!("{}h{:02} left (due {})", m / 60, m % 60, b.clock.due_local),
        _ => "clock stopped".to_string(),
    };
    let people = b
        .affected
        .as_ref()
        .map(|a| format!("{} people", a.people))
        .unwrap_or_else(|| "people not chosen".to_string());
    format!(
        "{}  {:<9} {}  {}  {}",
        b.reference,
        b.status.as_str(),
        b.facts.title,
        people,
        clock
    )
}

pub(super) fn run(json: bool, reg: &mut Register, cmd: &BreachCmd) -> Out {
    match cmd {
        BreachCmd::Add(f) => {
            let b = reg.add_breach(&facts(BreachFacts::default(), f)?)?;
            print(json, &b, |b| {
                println!("Recorded breach {}\n{}", b.reference, line(b))
            });
        }
        BreachCmd::Edit { id, fields } => {
            let base = reg.breach(*id)?.facts;
            let b = reg.update_breach(*id, &facts(base, fields)?)?;
            print(json, &b, |b| println!("{}", line(b)));
        }
        BreachCmd::List => {
            let list = reg.breaches()?;
            print(json, &list, |list| {
                if list.is_empty() {
                    println!("No breaches recorded.");
                }
                for b in list {
                    println!("#{:<3} {}", b.id, line(b));
                }
            });
        }
        BreachCmd::Show { id } => {
            let b = reg.breach(*id)?;
            print(json, &b, |b| {
                println!("{}", line(b));
                println!(
                    "aware {}  due {}",
                    privreg_core::store::breaches::local(b.clock.aware_at),
                    b.clock.due_local
                );
                if let Some(a) = &b.affected {
                    println!(
                        "affected: {} people, {} records ({} still in the register)",
                        a.people, a.records, b.linked_people
                    );
                    for (c, n) in &a.categories {
                        println!("  {c}: {n}");
                    }
                }
                if let Some(a) = &b.assessment {
                    println!(
                        "assessed: {} (notify Datatilsynet: {}, tell the people: {})",
                        a.risk.as_str(),
                        a.notify_authority,
                        a.notify_subjects
                    );
                }
                for n in &b.notices {
                    println!("notice: {} {} {}", n.kind.as_str(), n.sent_at, n.reference);
                }
            });
        }
        BreachCmd::Imports => {
            let imports = reg.imports()?;
            print(json, &imports, |imports| {
                for i in imports {
                    let name = reg
                        .activity(i.activity_id)
                        .map(|a| a.activity.name)
                        .unwrap_or_default();
                    println!(
                        "{}  {}  {}  {} records",
                        i.event,
                        i.at.format("%Y-%m-%d %H:%M UTC"),
                        name,
                        i.records
                    );
                }
            });
        }
        BreachCmd::Affected {
            id,
            activities,
            categories,
            from,
            to,
            import,
            subjects,
            dry_run,
        } => {
            let sel = AffectedSelection {
                activity_ids: activities.clone(),
                categories: categories.clone(),
                collected_from: *from,
                collected_to: *to,
                import_event: *import,
                subject_ids: subjects.clone(),
            };
            if *dry_run {
                let c = reg.count_affected(&sel)?;
                print(json, &c, |c| {
                    println!("{} people, {} records (nothing saved)", c.people, c.records)
                });
            } else {
                let b = reg.set_affected(*id, &sel)?;
                print(json, &b, |b| println!("{}", line(b)));
            }
        }
        BreachCmd::Assess {
            id,
            risk,
            notify_authority,
            authority_reasons,
            notify_subjects,
            subjects_reasons,
            exception,
            decided_by,
        } => {
            let a = Assessment {
                risk: closed::<RiskLevel>("risk level", risk)?,
                notify_authority: yes("--notify-authority", notify_authority)?,
                authority_reasons: authority_reasons.clone(),
                notify_subjects: yes("--notify-subjects", notify_subjects)?,
                subjects_reasons: subjects_reasons.clone(),
                art34_exception: exception
                    .as_deref()
                    .map(|e| closed::<Art34Exception>("Art. 34(3) exception", e))
                    .transpose()?,
                decided_by: decided_by.clone(),
                decided_at: None,
            };
            let b = reg.assess_breach(*id, &a)?;
            print(json, &b, |b| println!("{}", line(b)));
        }
        BreachCmd::Notify {
            id,
            kind,
            sent,
            reference,
            delay_reason,
            note,
            letters,
        } => {
            let n = NewNotice {
                kind: closed::<NoticeKind>("notice kind", kind)?,
                sent_at: sent.as_deref().map(|s| time("--sent", s)).transpose()?,
                reference: reference.clone(),
                delay_reason: delay_reason.clone(),
                note: note.clone(),
                letters: *letters,
            };
            let b = reg.record_breach_notice(*id, &n)?;
            print(json, &b, |b| println!("{}", line(b)));
        }
        BreachCmd::Close { id, note } => {
            let b = reg.close_breach(*id, note)?;
            print(json, &b, |b| println!("{}", line(b)));
        }
    }
    Ok(ExitCode::SUCCESS)
}
