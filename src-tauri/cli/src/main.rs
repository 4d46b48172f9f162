//! `privreg`: a headless command-line front end over the Privacy Register core, for
//! automation and tests. It parses arguments, gets the key, calls one core function
//! and prints the result (`--json` for machines).

mod args;
mod commands;
mod unlock;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("privreg: {}", e.message);
            e.code
        }
    }
}
