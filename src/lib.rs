//! proctor: a scenario-based practice exam engine.
//!
//! The core (bank model and validation, exam assembly, the session state machine,
//! scoring) is pure; I/O lives at the edges: `bank::source` (files), `store` (the
//! history database), `ui` (the terminal) and `commands` (one per subcommand).

pub mod bank;
pub mod cli;
pub mod commands;
pub mod error;
pub mod exam;
pub mod text;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::bank::source::Catalog;
use crate::cli::{Cli, Command};
use crate::error::{Error, Result};

/// Runs proctor with `args` (the program name first) and returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; clap knows which is which.
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<i32> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match cli.command {
        Command::List(args) => {
            let catalog = Catalog::open(&cli.bank_dirs)?;
            commands::list::run(&catalog, args.json, &mut out)?;
            0
        }
        Command::Check(args) => commands::check::run(&args.paths, &mut out)?,
        Command::Exam(_) | Command::Resume(_) => {
            return Err(Error::Usage("not built yet".into()));
        }
    };
    out.flush()?;
    Ok(code)
}
