//! Moving data in and out: CSV import into an activity, the JSON export of the whole
//! register, and a new register made from such an export.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use privreg_core::model::Activity;
use privreg_core::transfer;
use privreg_core::{Error, Register, SystemClock};
use serde::Serialize;

use super::register::remember_if_possible;
use super::{print, register_path, CliError, Out};
use crate::args::Cli;
use crate::unlock;

pub(super) struct CsvArgs<'a> {
    pub(super) file: &'a Path,
    pub(super) activity: i64,
    pub(super) map: &'a [String],
    pub(super) dry_run: bool,
    pub(super) all_or_nothing: bool,
    pub(super) match_phone: bool,
    pub(super) source: Option<&'a str>,
    pub(super) collected: Option<chrono::NaiveDate>,
    pub(super) delimiter: Option<&'a str>,
    pub(super) encoding: Option<&'a str>,
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

pub(super) fn import_csv(reg: &mut Register, json: bool, a: &CsvArgs) -> Out {
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

pub(super) fn import_register(cli: &Cli, file: &Path) -> Out {
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
    // Erasures and corrections made in the source register after the export.
    unlock::report_journal(&summary.journal.reapplied, &summary.journal.check);
    unlock::report_changes(summary.journal.changes, summary.journal.unopened);
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

pub(super) fn export(json: bool, reg: &mut Register, output: &Path) -> Out {
    let summary = reg.export_json(output)?;
    print(json, &summary, |s| {
        println!("Exported the register to {}", output.display());
        for (table, rows) in &s.tables {
            println!("  {table:<22} {rows:>8}");
        }
        println!("The file holds personal data unencrypted: keep it safe and delete it when done.");
    });
    Ok(ExitCode::SUCCESS)
}
