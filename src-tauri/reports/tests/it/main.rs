//! The reports crate's integration tests, in one test binary: one link of typst, the
//! core and SQLCipher instead of one per file. Each module is what a file under `tests/`
//! used to be.

mod breaches;
mod common;
mod layouts;
mod letters;
mod notice;
mod processor_record;
mod reports;
