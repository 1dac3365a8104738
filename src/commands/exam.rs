//! `proctor exam` and `proctor resume`: a timed mock exam, from the first question or
//! from where an attempt was left.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::bank::Exam;
use crate::bank::source::Catalog;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::assemble::{Paper, PaperItem, assemble_exam};
use crate::exam::clock::{Millis, format_timestamp};
use crate::exam::score::{DomainResult, Score};
use crate::exam::session::{ItemShape, Session};
use crate::store::{NewAttempt, Store, StoredAttempt};
use crate::ui::input::{LineSource, ScriptedInput};
use crate::ui::render::{self, ReportContext};
use crate::ui::runner::{Outcome, Runner, questions_of};
use crate::ui::terminal::TerminalInput;
use crate::ui::text_width;

pub struct ExamOptions {
    pub exam: String,
    pub seed: Option<u64>,
    pub time_limit_secs: Option<u64>,
    pub unscored: bool,
    pub hide_domain: bool,
    pub json: bool,
}

/// The result object `--json` prints, the same for every mode (docs/json.md).
#[derive(Debug, Serialize)]
pub struct AttemptResult<'a> {
    pub attempt: i64,
    pub exam: &'a str,
    pub mode: &'a str,
    pub seed: u64,
    pub started_at: String,
    pub finished_at: String,
    pub end_reason: &'a str,
    pub seconds_used: f64,
    pub total: u32,
    pub correct: u32,
    pub percent: f64,
    pub scaled_score: u32,
    pub passing_score: u32,
    pub passed: bool,
    pub domains: &'a [DomainResult],
    pub questions: &'a [crate::exam::score::QuestionResult],
}

fn shapes(exam: &Exam, paper: &[PaperItem]) -> Result<Vec<ItemShape>> {
    Ok(questions_of(exam, paper)?
        .iter()
        .map(|q| ItemShape { options: q.options.len(), select: q.select_count() })
        .collect())
}

/// A seed when none was given: from the clock and the process id, so two exams started
/// in the same millisecond still differ.
fn fresh_seed(now: Millis) -> u64 {
    let mixed = now ^ (u64::from(std::process::id()) << 32);
    // SplitMix64 finaliser: spreads nearby inputs over the whole range.
    let mut z = mixed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn start(config: &Config, options: &ExamOptions) -> Result<i32> {
    let catalog = Catalog::open(&config.bank_dirs)?;
    let exam = catalog.load_by_id(&options.exam)?;
    let clock = config.clock()?;
    let mut store = Store::open(&config.data_dir()?)?;
    let now = clock.now();
    let seed = options.seed.unwrap_or_else(|| fresh_seed(now));
    let Paper { items, shortfall } = assemble_exam(&exam, seed, options.unscored);
    if items.is_empty() {
        return Err(Error::Usage(format!("the {} bank has no questions", exam.blueprint.id)));
    }
    let limit_ms = options.time_limit_secs.unwrap_or(u64::from(exam.blueprint.minutes) * 60) * 1000;
    let hashes: Vec<String> = questions_of(&exam, &items)?.iter().map(|q| q.content_hash()).collect();
    let attempt = store.create_attempt(&NewAttempt {
        exam: &exam.blueprint.id,
        mode: "exam",
        seed,
        started_at: now,
        deadline: Some(now + limit_ms),
        time_limit_ms: Some(limit_ms),
        items: &items,
        content_hashes: &hashes,
    })?;
    let session = Session::new(shapes(&exam, &items)?, now, Some(now + limit_ms));
    let mut intro = format!(
        "{} - {}\nAttempt {attempt}, seed {seed}: {} questions, {} minutes{}.\n",
        crate::text::printable(&exam.blueprint.code),
        crate::text::printable(&exam.blueprint.title),
        items.len(),
        limit_ms / 60_000,
        if !limit_ms.is_multiple_of(60_000) {
            format!(" {} s", limit_ms % 60_000 / 1000)
        } else {
            String::new()
        },
    );
    if let Some(note) = shortfall {
        intro.push_str(&format!("Note: {note}\n"));
    }
    if options.unscored {
        let unscored = items.iter().filter(|i| !i.scored).count();
        intro.push_str(&format!(
            "{unscored} of them are unscored, as on the real exam; you will not know which.\n"
        ));
    }
    intro.push_str("Answer with letters (b, or ac); `help` lists the commands; `quit` saves and leaves.\n");
    let stored = store.load(attempt)?;
    run_attempt(
        config,
        &exam,
        &mut store,
        stored,
        session,
        &intro,
        options.hide_domain,
        options.json,
        &*clock,
    )
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
        None => store.latest_unfinished()?,
    };
    let stored = store.load(id)?;
    if stored.finished.is_some() {
        return Err(crate::store::StoreError::AlreadyFinished(id).into());
    }
    let catalog = Catalog::open(&config.bank_dirs)?;
    if catalog.find(&stored.exam).is_err() {
        return Err(Error::Usage(format!(
            "attempt {id} is an attempt at exam {:?}, which is not loaded; pass the --bank-dir it came from",
            stored.exam
        )));
    }
    let exam = catalog.load_by_id(&stored.exam)?;
    let paper: Vec<PaperItem> = stored.items.iter().map(|i| i.paper.clone()).collect();
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
    let mut intro = format!("Resuming attempt {id} ({}), seed {}.\n", stored.exam, stored.seed);
    if changed > 0 {
        intro.push_str(&format!(
            "Note: {changed} question(s) were edited in the bank since this attempt began.\n"
        ));
    }
    run_attempt(
        config,
        &exam,
        &mut store,
        stored,
        session,
        &intro,
        options.hide_domain,
        options.json,
        &*clock,
    )
}

#[allow(clippy::too_many_arguments)]
fn run_attempt(
    _config: &Config,
    exam: &Exam,
    store: &mut Store,
    stored: StoredAttempt,
    session: Session,
    intro: &str,
    hide_domain: bool,
    json: bool,
    clock: &dyn crate::exam::clock::Clock,
) -> Result<i32> {
    // rustyline cannot edit on a "dumb" terminal (and then the deadline could not
    // interrupt it): such terminals get the scripted reader, which honours the deadline.
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && !dumb;
    let paper: Vec<PaperItem> = stored.items.iter().map(|i| i.paper.clone()).collect();
    // With --json, stdout carries only the result; the session goes to stderr.
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut screen: Box<dyn Write> = if json { Box::new(stderr.lock()) } else { Box::new(stdout.lock()) };
    write!(screen, "{intro}")?;
    let now = clock.now();
    let mut input: Box<dyn LineSource> = if interactive {
        let left = session.remaining(now).map(std::time::Duration::from_millis);
        Box::new(TerminalInput::new(left).map_err(Error::Terminal)?)
    } else {
        Box::new(ScriptedInput::from_stdin())
    };
    let mut runner = Runner {
        exam,
        paper: &paper,
        questions: questions_of(exam, &paper)?,
        session,
        attempt: stored.id,
        store,
        clock,
        out: &mut *screen,
        hide_domain,
        width: text_width(),
        warned: Vec::new(),
    };
    let outcome = runner.run(&mut *input)?;
    drop(input);
    let Outcome::Finished { score, reason, finished_at } = outcome else {
        screen.flush()?;
        return Ok(0);
    };
    let used = finished_at.saturating_sub(stored.started_at);
    let report = render::report(
        &ReportContext {
            blueprint: &exam.blueprint,
            attempt: stored.id,
            seed: stored.seed,
            used,
            limit: stored.time_limit_ms,
            reason,
            unscored: paper.iter().filter(|i| !i.scored).count(),
        },
        &score,
    );
    write!(screen, "\n{report}")?;
    screen.flush()?;
    drop(screen);
    if json {
        let result = result_object(exam, &stored, &score, finished_at, reason.as_str());
        let mut out = stdout.lock();
        serde_json::to_writer_pretty(&mut out, &result).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(0)
}

fn result_object<'a>(
    exam: &'a Exam,
    stored: &'a StoredAttempt,
    score: &'a Score,
    finished_at: Millis,
    reason: &'a str,
) -> AttemptResult<'a> {
    AttemptResult {
        attempt: stored.id,
        exam: &exam.blueprint.id,
        mode: &stored.mode,
        seed: stored.seed,
        started_at: format_timestamp(stored.started_at),
        finished_at: format_timestamp(finished_at),
        end_reason: reason,
        seconds_used: (finished_at.saturating_sub(stored.started_at) as f64 / 100.0).round() / 10.0,
        total: score.total,
        correct: score.correct,
        percent: score.percent,
        scaled_score: score.scaled_score,
        passing_score: score.passing_score,
        passed: score.passed,
        domains: &score.domains,
        questions: &score.questions,
    }
}
