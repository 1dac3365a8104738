//! `proctor drill EXAM`: untimed practice with immediate feedback, preferring questions
//! never seen and recently missed (the choice is the application layer's).

use super::attempt::run_attempt;
use crate::app::start::{self, DrillRequest};
use crate::cli::DrillArgs;
use crate::config::Config;
use crate::error::Result;
use crate::exam::clock::human_duration;
use crate::store::Store;
use crate::text::printable;

pub fn run(config: &Config, args: &DrillArgs) -> Result<i32> {
    let catalog = config.catalog()?;
    let clock = config.clock()?;
    let store = Store::open_for_writing(&config.data_dir()?)?;
    let request = DrillRequest {
        exam: &args.exam,
        domains: &args.domains,
        tags: &args.tags,
        count: args.count as usize,
        seed: args.seed,
        time_limit_ms: args.time_limit.map(|s| s * 1000),
    };
    let mut started = start::start_drill(&catalog, store, &request, clock.now())?;
    let attempt = &mut started.attempt;
    let scope =
        if started.domains.is_empty() { "all domains".to_string() } else { started.domains.join(", ") };
    let mut intro = format!(
        "{} drill ({scope}), seed {}: {} question{}, {} never seen before. {}.\n\
         Answer with letters; feedback follows each answer. `quit` saves and leaves.\n",
        printable(&attempt.exam().blueprint.code),
        attempt.seed(),
        attempt.len(),
        if attempt.len() == 1 { "" } else { "s" },
        started.unseen,
        args.time_limit.map_or("Untimed".to_string(), |s| format!("Time limit {}", human_duration(s * 1000))),
    );
    if let Some(note) = start::retirement_note(attempt.exam()) {
        intro.push_str(&format!("Note: {note}\n"));
    }
    run_attempt(attempt, &intro, args.json, &*clock, false, false)
}
