//! Reports written to files: the record of processing activities (Art. 30), the
//! processor's record (Art. 30(2)), subject access reports (Art. 15), the breach log
//! and reply letters.

use std::process::ExitCode;

use privreg_core::Register;
use privreg_reports::Exported;

use super::{lang, print, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &ReportCmd) -> Out {
    match cmd {
        ReportCmd::Art30 {
            format,
            lang: l,
            output,
        } => {
            let done = privreg_reports::export_art30(reg, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        ReportCmd::Access {
            subject,
            format,
            lang: l,
            output,
        } => {
            let done = privreg_reports::export_access(reg, *subject, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        ReportCmd::ProcessorRecord {
            format,
            lang: l,
            output,
        } => {
            let done = privreg_reports::export_processor_record(reg, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        ReportCmd::Breaches {
            format,
            lang: l,
            output,
        } => {
            let done = privreg_reports::export_breach_log(reg, *format, lang(*l), output)?;
            print(json, &done, show_export);
        }
        ReportCmd::Reply {
            request,
            format,
            lang: l,
            output,
        } => {
            let done = privreg_reports::export_reply(reg, *request, lang(*l), *format, output)?;
            print(json, &done, |e| {
                println!(
                    "Wrote {} ({} {}, {} bytes).",
                    e.path.display(),
                    e.format,
                    e.lang,
                    e.bytes
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
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
    println!(
        "To show later that the history up to this report was not rewritten: privreg verify --head {}:{} (or --against the file, when it is JSON or PDF)",
        e.audit_head, e.audit_events
    );
}
