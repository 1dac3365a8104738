//! proctor: a scenario-based practice exam engine.
//!
//! The core (bank model and validation, exam assembly, the session state machine,
//! scoring, study rules) is pure; `app` is the one application layer every front end
//! drives; I/O lives at the edges: `bank::source` (files), `store` (the history
//! database), `ui` (the terminal) and `commands` (one per subcommand). See
//! docs/architecture.md.

pub(crate) mod app;
pub(crate) mod bank;
pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod exam;
pub(crate) mod interop;
pub(crate) mod json;
pub(crate) mod model;
pub(crate) mod program;
pub(crate) mod shipped;
pub(crate) mod store;
pub(crate) mod study;
pub(crate) mod text;
pub(crate) mod ui;
pub(crate) mod web;

/// What the benchmarks (benches/) drive directly. Everything else is crate-private, so the
/// compiler reports dead code.
#[doc(hidden)]
pub mod bench {
    pub use crate::bank::lint::{Authoring, check_file};
    pub use crate::bank::parse::parse_questions;
    pub use crate::bank::source::{Catalog, check_folders, folders_at};
    pub use crate::bank::validate::QuestionFacts;
    pub use crate::exam::assemble::{assemble_exam, assemble_set};
    pub use crate::exam::item::Response;
    pub use crate::exam::session::ItemState;
    pub use crate::model::{EndReason, Mode};
    pub use crate::store::{NewAttempt, Store};
    pub use crate::study::select::{drill_choice, filter};
}

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

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
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command)));
    // The command tree (every subcommand and option) is not freed: the process ends soon,
    // and dropping it cost more than parsing the arguments.
    std::mem::forget(command);
    let cli = match parsed {
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
    // One colour policy for every stream: the flag, else NO_COLOR / CLICOLOR_FORCE / the terminal.
    match cli.color {
        cli::ColorWhen::Auto => {}
        cli::ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        cli::ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Commands that run an attempt write to the terminal themselves.
    match &cli.command {
        Command::Exam(args) => return commands::exam::start(&config, args),
        Command::Resume(args) => return commands::exam::resume(&config, args),
        Command::Drill(args) => return commands::drill::run(&config, args),
        Command::Review(args) => return commands::review::run(&config, args),
        _ => {}
    }
    let code = match &cli.command {
        Command::List(args) => {
            let catalog = config.open_catalog()?;
            commands::list::run(&catalog, args, &mut out)?;
            0
        }
        Command::Paths(args) => {
            let catalog = Catalog::open(&config.bank_dirs)?;
            commands::list::paths(&catalog, args.json, &mut out)?;
            0
        }
        Command::Check(args) => commands::check::run(&config, args, &mut out)?,
        Command::History(args) => {
            commands::history::history(&config, args, &mut out)?;
            0
        }
        Command::Show(args) => {
            commands::history::show(&config, args, &mut out)?;
            0
        }
        Command::Stats(args) => {
            commands::stats::run(&config, args, &mut out)?;
            0
        }
        Command::Notes(args) => {
            commands::notes::run(&config, args, &mut out)?;
            0
        }
        Command::Discard(args) => commands::history::discard(&config, args, &mut out)?,
        Command::Serve(args) => {
            commands::serve::run(&config, args, &mut out)?;
            0
        }
        Command::Import(args) => commands::import::run(&config, args, &mut out)?,
        Command::Export(args) => commands::export::run(&config, args, &mut out)?,
        Command::Schema(args) => match args.which {
            cli::SchemaKind::Bank => {
                out.write_all(bank::schema::bank_schema().map_err(std::io::Error::other)?.as_bytes())?;
                0
            }
        },
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "proctor", &mut out);
            0
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut out)?;
            0
        }
        Command::Exam(_) | Command::Resume(_) | Command::Drill(_) | Command::Review(_) => 0,
    };
    out.flush()?;
    Ok(code)
}
