//! `proctor exam` and `proctor resume`: a timed mock exam, from the first question or
//! from where an attempt was left.

use super::attempt::run_attempt;
use crate::app::start::{self, ExamRequest};
use crate::cli::{ExamArgs, ResumeArgs};
use crate::config::Config;
use crate::error::Result;
use crate::exam::clock::human_duration;
use crate::store::Store;
use crate::text::printable;

pub fn start(config: &Config, args: &ExamArgs) -> Result<i32> {
    let catalog = config.catalog()?;
    let clock = config.clock()?;
    let store = Store::open_for_writing(&config.data_dir()?)?;
    let request = ExamRequest {
        exam: &args.exam,
        seed: args.seed,
        time_limit_ms: args.time_limit.map(|s| s * 1000),
        unscored: args.unscored,
        hide_domain: args.hide_domain,
    };
    let mut started = start::start_exam(&catalog, store, &request, clock.now())?;
    let attempt = &mut started.attempt;
    let blueprint = &attempt.exam().blueprint;
    let mut intro = format!(
        "{} - {}\nMock exam, seed {}: {} questions, {}.\n",
        printable(&blueprint.code),
        printable(&blueprint.title),
        attempt.seed(),
        attempt.len(),
        human_duration(started.time_limit_ms),
    );
    if let Some(note) = start::retirement_note(attempt.exam()) {
        intro.push_str(&format!("Note: {note}\n"));
    }
    if let Some(note) = &started.shortfall {
        intro.push_str(&format!("Note: {note}\n"));
    }
    // Starting afresh is fine, but an interrupted exam should not be forgotten.
    if let Some(open) = started.unfinished {
        intro.push_str(&format!(
            "Note: exam attempt {open} is unfinished; `proctor resume {open}` continues it.\n"
        ));
    }
    if args.unscored {
        intro.push_str(&format!(
            "{} of them are unscored, as on the real exam; you will not know which.\n",
            attempt.unscored_count()
        ));
    }
    intro.push_str("Answer with letters (b, or ac); `help` lists the commands; `quit` saves and leaves.\n");
    run_attempt(attempt, &intro, args.json, &*clock)
}

pub fn resume(config: &Config, args: &ResumeArgs) -> Result<i32> {
    let clock = config.clock()?;
    let store = Store::open_for_writing(&config.data_dir()?)?;
    let catalog = config.catalog()?;
    let mut attempt = start::resume(&catalog, store, args.attempt, args.take_over, clock.now())?;
    if args.hide_domain {
        attempt.set_hide_domain(true);
    }
    let mut intro = format!(
        "Resuming attempt {} ({} {}), seed {}.\n",
        attempt.id(),
        printable(&attempt.exam().blueprint.id),
        attempt.mode().as_str(),
        attempt.seed()
    );
    let changed = attempt.edited_count();
    if changed > 0 {
        intro.push_str(&format!(
            "Note: {changed} question(s) were edited in the bank since this attempt began.\n"
        ));
    }
    run_attempt(&mut attempt, &intro, args.json, &*clock)
}
