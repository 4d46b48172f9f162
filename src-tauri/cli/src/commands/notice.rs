//! The privacy notice (Art. 13, 14) written from the register: shown or saved, a
//! version published, the versions listed, and what changed since the last version or
//! between two of them, in the words of the notice's language.

use std::io::Write;
use std::process::ExitCode;

use privreg_core::store::notice::{NoticeChange, NoticeDrift};
use privreg_core::{Lang, Register};
use privreg_reports::notice::change_text;
use privreg_reports::NoticeFormat;
use serde::Serialize;

use super::{lang, print, CliError, Out};
use crate::args::*;

/// One language's drift, for `--json`: `drift` is null when it was never published.
#[derive(Serialize)]
struct LangDrift {
    lang: Lang,
    drift: Option<NoticeDrift>,
}

fn print_changes(lang: Lang, changes: &[NoticeChange]) {
    for c in changes {
        println!("  - {}", change_text(lang, c));
    }
}

pub(super) fn run(json: bool, reg: &mut Register, cmd: &NoticeCmd) -> Out {
    match cmd {
        NoticeCmd::Show {
            lang: l,
            format,
            out,
            version,
        } => {
            let l = lang(*l);
            if let Some(path) = out {
                let done = privreg_reports::export_notice(reg, l, *format, *version, path)?;
                print(json, &done, |e| {
                    println!(
                        "Wrote {} ({} {}, {} bytes).",
                        e.path.display(),
                        e.format,
                        e.lang,
                        e.bytes
                    )
                });
                return Ok(ExitCode::SUCCESS);
            }
            if *format == NoticeFormat::Pdf {
                return Err(CliError::usage(
                    "a PDF is written to a file: add --out FILE".into(),
                ));
            }
            let (model, l, published_html) = match version {
                Some(id) => {
                    let v = reg.notice_version(*id)?;
                    (v.model, v.lang, Some(v.html))
                }
                None => (reg.notice_model()?, l, None),
            };
            if json {
                print(true, &model, |_| {});
                return Ok(ExitCode::SUCCESS);
            }
            let bytes = match (published_html, *format) {
                (Some(html), NoticeFormat::Html) => html.into_bytes(),
                _ => privreg_reports::render_notice(&model, l, *format)?,
            };
            std::io::stdout()
                .write_all(&bytes)
                .map_err(|e| CliError::usage(format!("writing the notice: {e}")))?;
        }
        NoticeCmd::Publish { lang: l } => {
            let v = privreg_reports::publish_notice(reg, lang(*l))?;
            let summary = serde_json::json!({
                "id": v.id,
                "lang": v.lang,
                "published_at": v.published_at,
                "activities": v.model.activities.len(),
            });
            print(json, &summary, |_| {
                println!(
                    "Published the privacy notice in {} as version #{} ({} processing activities).",
                    v.lang.code(),
                    v.id,
                    v.model.activities.len()
                )
            });
        }
        NoticeCmd::Versions => {
            let list = reg.notice_versions()?;
            print(json, &list, |list| {
                if list.is_empty() {
                    println!("No privacy notice has been published yet.");
                }
                for v in list {
                    println!(
                        "#{:<4} {}  {}  {} processing activities",
                        v.id,
                        v.lang.code(),
                        v.published_at.format("%Y-%m-%d %H:%M UTC"),
                        v.activities
                    );
                }
            });
        }
        NoticeCmd::Drift { lang: l } => {
            let langs: Vec<Lang> = match l {
                Some(l) => vec![lang(*l)],
                None => Lang::ALL.to_vec(),
            };
            let mut all = Vec::new();
            for l in langs {
                all.push(LangDrift {
                    lang: l,
                    drift: reg.notice_drift(l)?,
                });
            }
            print(json, &all, |all| {
                for d in all {
                    match &d.drift {
                        None => println!("{}: never published.", d.lang.code()),
                        Some(drift) if drift.changes.is_empty() => println!(
                            "{}: up to date (version #{} of {}).",
                            d.lang.code(),
                            drift.version_id,
                            drift.published_at.format("%Y-%m-%d")
                        ),
                        Some(drift) => {
                            println!(
                                "{}: the notice published as version #{} on {} is out of date:",
                                d.lang.code(),
                                drift.version_id,
                                drift.published_at.format("%Y-%m-%d")
                            );
                            print_changes(d.lang, &drift.changes);
                        }
                    }
                }
            });
        }
        NoticeCmd::Diff { a, b } => {
            let changes = reg.notice_version_changes(*a, *b)?;
            let l = reg.notice_version(*b)?.lang;
            print(json, &changes, |changes| {
                if changes.is_empty() {
                    println!("Versions #{a} and #{b} say the same.");
                } else {
                    println!("From version #{a} to version #{b}:");
                    print_changes(l, changes);
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
