//! proctor: a scenario-based practice exam engine.
//!
//! The core (bank model and validation, exam assembly, the session state machine,
//! scoring) is pure; I/O lives at the edges: `bank::source` (files), `store` (the
//! history database), `ui` (the terminal) and `commands` (one per subcommand).

pub mod bank;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod exam;
pub mod store;
pub mod study;
pub mod text;
pub mod ui;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::bank::source::Catalog;
use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::Result;

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
            // Errors can quote bank text and file names: never raw to the terminal.
            eprintln!("error: {}", text::printable(&e.to_string()));
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<i32> {
    let config = Config::from_cli(&cli);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match cli.command {
        Command::List(args) => {
            let catalog = Catalog::open(&config.bank_dirs)?;
            commands::list::run(&catalog, args.json, &mut out)?;
            0
        }
        Command::Check(args) => commands::check::run(&args.paths, &mut out)?,
        Command::Exam(args) => {
            drop(out);
            return commands::exam::start(
                &config,
                &commands::exam::ExamOptions {
                    exam: args.exam,
                    seed: args.seed,
                    time_limit_secs: args.time_limit,
                    unscored: args.unscored,
                    hide_domain: args.hide_domain,
                    json: args.json,
                },
            );
        }
        Command::Drill(args) => {
            drop(out);
            return commands::drill::run(
                &config,
                &commands::drill::DrillOptions {
                    exam: args.exam,
                    domains: args.domains,
                    tags: args.tags,
                    count: args.count as usize,
                    seed: args.seed,
                    time_limit_secs: args.time_limit,
                    json: args.json,
                },
            );
        }
        Command::Review(args) => {
            drop(out);
            return commands::review::run(
                &config,
                &commands::review::ReviewOptions {
                    exam: args.exam,
                    all: args.all,
                    attempt: args.attempt,
                    seed: args.seed,
                    json: args.json,
                },
            );
        }
        Command::History(args) => {
            commands::history::history(&config, args.exam.as_deref(), args.json, &mut out)?;
            0
        }
        Command::Show(args) => {
            commands::history::show(&config, args.attempt, args.only, args.json, &mut out)?;
            0
        }
        Command::Stats(args) => {
            commands::stats::run(&config, args.exam.as_deref(), args.json, &mut out)?;
            0
        }
        Command::Resume(args) => {
            drop(out);
            return commands::exam::resume(
                &config,
                &commands::exam::ResumeOptions {
                    attempt: args.attempt,
                    hide_domain: args.hide_domain,
                    json: args.json,
                },
            );
        }
    };
    out.flush()?;
    Ok(code)
}
