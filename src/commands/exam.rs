//! `proctor exam` and `proctor resume`: a timed mock exam, from the first question or
//! from where an attempt was left.

use super::attempt::{RunOptions, begin, exam_of_attempt, fresh_seed, run_attempt, shapes};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::assemble::{Paper, assemble_exam};
use crate::exam::clock::human_duration;
use crate::exam::session::Session;
use crate::store::Store;
use crate::ui::runner::questions_of;

pub struct ExamOptions {
    pub exam: String,
    pub seed: Option<u64>,
    pub time_limit_secs: Option<u64>,
    pub unscored: bool,
    pub hide_domain: bool,
    pub json: bool,
}

pub fn start(config: &Config, options: &ExamOptions) -> Result<i32> {
    let catalog = config.catalog()?;
    let exam = catalog.load_by_id(&options.exam)?;
    let clock = config.clock()?;
    let mut store = Store::open(&config.data_dir()?)?;
    let seed = options.seed.unwrap_or_else(|| fresh_seed(clock.now()));
    let Paper { items, shortfall } = assemble_exam(&exam, seed, options.unscored);
    if items.is_empty() {
        return Err(Error::Usage(format!("the {} bank has no questions", exam.blueprint.id)));
    }
    let limit_ms = options.time_limit_secs.unwrap_or(u64::from(exam.blueprint.minutes) * 60) * 1000;
    let mut intro = format!(
        "{} - {}\nMock exam, seed {seed}: {} questions, {}.\n",
        crate::text::printable(&exam.blueprint.code),
        crate::text::printable(&exam.blueprint.title),
        items.len(),
        human_duration(limit_ms),
    );
    if let Some(note) = shortfall {
        intro.push_str(&format!("Note: {note}\n"));
    }
    // Starting afresh is fine, but an interrupted exam should not be forgotten.
    if let Some(open) = store.latest_unfinished(Some(&exam.blueprint.id), Some("exam"))? {
        intro.push_str(&format!(
            "Note: exam attempt {open} is unfinished; `proctor resume {open}` continues it.\n"
        ));
    }
    if options.unscored {
        let unscored = items.iter().filter(|i| !i.scored).count();
        intro.push_str(&format!(
            "{unscored} of them are unscored, as on the real exam; you will not know which.\n"
        ));
    }
    intro.push_str("Answer with letters (b, or ac); `help` lists the commands; `quit` saves and leaves.\n");
    let run = RunOptions { intro: &intro, hide_domain: options.hide_domain, json: options.json };
    begin(&exam, &mut store, &*clock, "exam", seed, &items, Some(limit_ms), &run)
}

pub struct ResumeOptions {
    pub attempt: Option<i64>,
    pub hide_domain: bool,
    pub json: bool,
}

pub fn resume(config: &Config, options: &ResumeOptions) -> Result<i32> {
    let clock = config.clock()?;
    let mut store = Store::open(&config.data_dir()?)?;
    let id = match options.attempt {
        Some(id) => id,
        None => store.latest_unfinished(None, None)?.ok_or(crate::store::StoreError::NothingToResume)?,
    };
    let stored = store.load(id)?;
    if stored.finished.is_some() {
        return Err(crate::store::StoreError::AlreadyFinished(id).into());
    }
    let catalog = config.catalog()?;
    let (exam, paper) = exam_of_attempt(&catalog, &stored)?;
    let now = clock.now();
    let mut session = Session::new(shapes(&exam, &paper)?, stored.started_at, stored.deadline);
    for (state, item) in session.items.iter_mut().zip(&stored.items) {
        *state = item.state.clone();
    }
    session.position = stored.position;
    session.last_tick = stored.last_tick;
    session.resume_at(now);
    let changed = questions_of(&exam, &paper)?
        .iter()
        .zip(&stored.items)
        .filter(|(q, item)| q.content_hash() != item.content_hash)
        .count();
    let mut intro =
        format!("Resuming attempt {id} ({} {}), seed {}.\n", stored.exam, stored.mode, stored.seed);
    if changed > 0 {
        intro.push_str(&format!(
            "Note: {changed} question(s) were edited in the bank since this attempt began.\n"
        ));
    }
    let run = RunOptions {
        intro: &intro,
        hide_domain: options.hide_domain || stored.hide_domain,
        json: options.json,
    };
    run_attempt(&exam, &mut store, stored, session, &run, &*clock)
}
