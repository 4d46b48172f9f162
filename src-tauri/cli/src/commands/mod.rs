//! The commands of `privreg`, one module per noun; each opens, calls the core and
//! prints. This module owns the error type, the shared helpers and the dispatch.

mod activities;
mod bench;
mod breaches;
mod clients;
mod controller;
mod notice;
mod register;
mod reports;
mod requests;
mod retention;
mod subjects;
mod transfer;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use privreg_core::templates::Lang;
use privreg_core::{Error, Register};
use privreg_reports::ReportError;
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
        Command::Init => register::init(&cli),
        Command::Demo {
            path,
            subjects,
            seed,
            lang: l,
            batch,
            progress,
        } => register::run_demo(&cli, path, *subjects, *seed, lang(*l), *batch, *progress),
        Command::Bench {
            sizes,
            queries,
            dir,
            seed,
            batch,
            csv_rows,
            csv_only,
        } => bench::run(
            cli.json, sizes, *queries, dir, *seed, *batch, csv_rows, *csv_only,
        ),
        Command::Import { file } => transfer::import_register(&cli, file),
        Command::Restore {
            file,
            journals,
            replace,
            no_journal,
            recovery_key,
        } => {
            let options = privreg_core::store::backup::RestoreOptions {
                journals: journals.clone(),
                replace: *replace,
                no_journal: *no_journal,
            };
            register::restore(&cli, file, &options, *recovery_key)
        }
        Command::BenchReports {
            activities,
            runs,
            dir,
        } => bench::run_reports(cli.json, *activities, *runs, dir),
        Command::Templates { lang: l } => activities::list_templates(cli.json, *l),
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

fn parse_json_enum<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string()))
        .map_err(|_| CliError::usage(format!("unknown {what} {s:?}")))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("reading {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| CliError::usage(format!("{}: {e}", path.display())))
}

fn with_register(cli: &Cli, reg: &mut Register) -> Out {
    let json = cli.json;
    match &cli.command {
        Command::Controller(cmd) => controller::run(json, reg, cmd),
        Command::Activity(cmd) => activities::run(json, reg, cmd),
        Command::Processor(cmd) => activities::processor(json, reg, cmd),
        Command::Client(cmd) => clients::run(json, reg, cmd),
        Command::Subject(cmd) => subjects::run(json, reg, cmd),
        Command::Record(cmd) => subjects::record(json, reg, cmd),
        Command::Consent(cmd) => subjects::consent(json, reg, cmd),
        Command::Erase { subject, reason } => subjects::erase(json, reg, *subject, reason),
        Command::Receipts => subjects::receipts(json, reg),
        Command::Search { query, limit } => subjects::search(json, reg, query, *limit),
        Command::Request(cmd) => requests::run(json, reg, cmd),
        Command::Retention(cmd) => retention::run(json, reg, cmd),
        Command::Hold(cmd) => retention::hold(json, reg, cmd),
        Command::Notify(cmd) => requests::notify(json, reg, cmd),
        Command::Breach(cmd) => breaches::run(json, reg, cmd),
        Command::Backup { dir, auto, keep } => register::backup(json, reg, dir, *auto, *keep),
        Command::Overview => register::overview(json, reg),
        Command::Audit { subject, limit } => register::audit(json, reg, *subject, *limit),
        Command::Passphrase(cmd) => register::passphrase(cli, reg, cmd),
        Command::Keychain(cmd) => register::keychain(json, reg, cmd),
        Command::Verify { head, against } => {
            register::verify(json, reg, head.as_deref(), against.as_deref())
        }
        Command::Report(cmd) => reports::run(json, reg, cmd),
        Command::Notice(cmd) => notice::run(json, reg, cmd),
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
        } => transfer::import_csv(
            reg,
            json,
            &transfer::CsvArgs {
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
        ),
        Command::Export { output } => transfer::export(json, reg, output),
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
}
