//! The benchmarks: the core's (import, search, open, erase, CSV import) and the
//! reports'.

use std::path::Path;
use std::process::ExitCode;

use privreg_core::Register;

use super::{print, CliError, Out};

// The flags of `privreg bench`, one to one.
#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    json: bool,
    sizes: &[usize],
    queries: usize,
    dir: &Path,
    seed: u64,
    batch: usize,
    csv_rows: &[usize],
    csv_only: bool,
) -> Out {
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
                queries,
                seed,
                batch,
                &mut |step| eprintln!("bench: {step}"),
                Some(&mut time_reports),
            )?);
        }
    }
    let mut csv = Vec::new();
    for n in csv_rows {
        csv.push(privreg_core::bench::run_csv(dir, *n, seed, &mut |step| {
            eprintln!("bench: {step}")
        })?);
    }
    let all = serde_json::json!({ "sizes": reports, "csv_import": csv });
    print(json, &all, |_| {
        println!("{}", privreg_core::bench::markdown(&reports));
        println!("{}", privreg_core::bench::csv_markdown(&csv));
    });
    Ok(ExitCode::SUCCESS)
}

pub(super) fn run_reports(json: bool, activities: usize, runs: usize, dir: &Path) -> Out {
    prepare_bench(dir)?;
    let rows = privreg_reports::bench::run(dir, activities, runs, &mut |step| {
        eprintln!("bench: {step}")
    })?;
    print(json, &rows, |r| {
        println!("{}", privreg_reports::bench::markdown(r))
    });
    Ok(ExitCode::SUCCESS)
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
