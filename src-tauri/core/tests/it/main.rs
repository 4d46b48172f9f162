//! The core's integration tests, in one test binary: one link instead of one per file
//! (each link of the core with its dependencies costs time and disk on every build).
//! Each module is what a file under `tests/` used to be.

mod breaches;
mod dsr;
mod formats;
mod fuzz;
mod merge;
mod notice;
mod register;
mod transfer;
