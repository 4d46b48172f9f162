//! The CLI's integration tests, in one test binary (one link instead of one per file).
//! They run the built `privreg` binary as a user would; `common` holds their helpers.

mod cli;
mod clients;
mod common;
mod dsr;
mod notice;
mod transfer;
