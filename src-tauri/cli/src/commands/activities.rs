//! Processing activities (the entries of the Art. 30 record), their templates, and
//! processors.

use std::process::ExitCode;

use privreg_core::labels::Labelled;
use privreg_core::model::*;
use privreg_core::templates;
use privreg_core::{Lang, Register};

use super::{lang, parse_json_enum, print, read_json, CliError, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &ActivityCmd) -> Out {
    match cmd {
        ActivityCmd::Add(f) => {
            let a = reg.add_activity(&build_activity(f, None)?)?;
            print(json, &a, |a| {
                println!("Added activity #{} {}", a.id, a.activity.name)
            });
        }
        ActivityCmd::Edit { id, fields } => {
            let base = reg.activity(*id)?.activity;
            let a = reg.update_activity(*id, &build_activity(fields, Some(base))?)?;
            print(json, &a, |a| {
                println!("Saved activity #{} {}", a.id, a.activity.name)
            });
        }
        ActivityCmd::List => {
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
        ActivityCmd::Show { id } => {
            let a = reg.activity(*id)?;
            print(json, &a, show_activity);
        }
        ActivityCmd::Delete { id } => {
            reg.delete_activity(*id)?;
            print(json, &serde_json::json!({ "deleted": id }), |_| {
                println!("Deleted activity #{id}")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn processor(json: bool, reg: &mut Register, cmd: &ProcessorCmd) -> Out {
    match cmd {
        ProcessorCmd::Add {
            name,
            country,
            role,
            dpa,
        } => {
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
        ProcessorCmd::List => {
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
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn list_templates(json: bool, l: LangArg) -> Out {
    let list = templates::list(lang(l));
    print(json, &list, |list| {
        for t in list {
            println!("{:<24} {}", t.key, t.title);
        }
    });
    Ok(ExitCode::SUCCESS)
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
    if let Some(v) = f.in_notice {
        a.in_notice = v;
    }
    if let Some(v) = &f.notice_text {
        a.notice_text = v.clone();
    }
    for p in &f.confirm {
        let p = Proposal::parse(p).ok_or_else(|| {
            CliError::usage(format!(
                "unknown proposal {p:?}: use {}",
                Proposal::CODES.join(", ")
            ))
        })?;
        a.confirm(p);
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
        .map(|b| b.label_with_article(Lang::En))
        .collect();
    list("legal bases", &bases);
    list("data subjects", &act.subject_categories);
    let cats: Vec<String> = act
        .data_categories
        .iter()
        .map(|c| {
            if c.is_criminal_offence_data() {
                format!("{} (criminal offence data, Art. 10)", c.name)
            } else if c.is_special_category() {
                format!("{} (special category, Art. 9)", c.name)
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
    if !act.proposals.is_empty() {
        let proposals: Vec<String> = act.proposals.iter().map(|p| p.code().to_string()).collect();
        list("TO CONFIRM", &proposals);
    }
}
