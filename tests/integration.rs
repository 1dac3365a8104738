//! The integration tests: one test binary (faster to link) that drives the real
//! `proctor` binary with scripted stdin, `--json`, and a pseudo-terminal.

mod architecture;
mod authoring;
#[cfg(unix)]
mod bank_cache;
mod browser;
mod check;
mod cli;
mod exam;
mod format;
mod history;
mod hostile;
mod interop;
mod json;
mod kinds;
mod list;
mod notes;
mod polish;
#[cfg(unix)]
mod pty;
mod schema;
mod serve;
mod study;
mod totals;
mod util;
