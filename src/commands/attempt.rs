//! What every mode (exam, drill, review) shares: starting an attempt from a paper,
//! running it on the terminal or a script, and the report and `--json` result at the end.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::bank::Exam;
use crate::bank::source::Catalog;
use crate::error::{Error, Result};
use crate::exam::assemble::PaperItem;
use crate::exam::clock::{Clock, Millis, format_timestamp, seconds};
use crate::exam::score::Score;
use crate::exam::session::{ItemShape, Session};
use crate::store::{NewAttempt, Store, StoredAttempt};
use crate::ui::input::{LineSource, ScriptedInput};
use crate::ui::render::{self, ReportContext};
use crate::ui::runner::{Outcome, Runner, questions_of};
use crate::ui::terminal::TerminalInput;
use crate::ui::text_width;

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
    /// total, correct, percent, scaled_score, passing_score, passed, domains, questions.
    #[serde(flatten)]
    pub score: &'a Score,
}

pub fn shapes(exam: &Exam, paper: &[PaperItem]) -> Result<Vec<ItemShape>> {
    Ok(questions_of(exam, paper)?
        .iter()
        .map(|q| ItemShape { options: q.options.len(), select: q.select_count() })
        .collect())
}

/// A seed when none was given: from the clock and the process id, so two exams started
/// in the same millisecond still differ.
pub fn fresh_seed(now: Millis) -> u64 {
    let mixed = now ^ (u64::from(std::process::id()) << 32);
    // SplitMix64 finaliser: spreads nearby inputs over the whole range.
    let mut z = mixed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How to run an attempt.
pub struct RunOptions<'a> {
    pub intro: &'a str,
    pub hide_domain: bool,
    pub json: bool,
}

/// A new attempt of `mode` on `paper`: recorded in the store first, then run.
#[allow(clippy::too_many_arguments)]
pub fn begin(
    exam: &Exam,
    store: &mut Store,
    clock: &dyn Clock,
    mode: &str,
    seed: u64,
    paper: &[PaperItem],
    time_limit_ms: Option<Millis>,
    options: &RunOptions,
) -> Result<i32> {
    let now = clock.now();
    let hashes: Vec<String> = questions_of(exam, paper)?.iter().map(|q| q.content_hash()).collect();
    let deadline = time_limit_ms.map(|limit| now + limit);
    let attempt = store.create_attempt(&NewAttempt {
        exam: &exam.blueprint.id,
        mode,
        seed,
        started_at: now,
        deadline,
        time_limit_ms,
        items: paper,
        content_hashes: &hashes,
        hide_domain: options.hide_domain,
    })?;
    let session = Session::new(shapes(exam, paper)?, now, deadline);
    let stored = store.load(attempt)?;
    run_attempt(exam, store, stored, session, options, clock)
}

/// Runs a stored attempt to its end (or until it is saved), then reports.
pub fn run_attempt(
    exam: &Exam,
    store: &mut Store,
    stored: StoredAttempt,
    mut session: Session,
    options: &RunOptions,
    clock: &dyn Clock,
) -> Result<i32> {
    let (intro, hide_domain, json) = (options.intro, options.hide_domain, options.json);
    // Drill and review give feedback after each answer, so their answers are locked.
    let feedback = stored.mode != "exam";
    session.lock_answers = feedback;
    let width = text_width();
    // rustyline cannot edit on a "dumb" terminal (and then the deadline could not
    // interrupt it): such terminals get the scripted reader, which honours the deadline.
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    // The screen is stdout, or stderr with --json (stdout then carries only the result).
    let screen_is_terminal =
        if json { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let interactive = std::io::stdin().is_terminal() && screen_is_terminal && !dumb;
    let paper: Vec<PaperItem> = stored.items.iter().map(|i| i.paper.clone()).collect();
    // With --json, stdout carries only the result; the session goes to stderr.
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut screen: Box<dyn Write> = if json { Box::new(stderr.lock()) } else { Box::new(stdout.lock()) };
    writeln!(screen, "{}", crate::text::wrap_lines(intro, width))?;
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
        feedback,
        styled: interactive,
        width,
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
            mode: &stored.mode,
            attempt: stored.id,
            seed: stored.seed,
            used,
            limit: stored.time_limit_ms,
            reason,
            unscored: paper.iter().filter(|i| !i.scored).count(),
            width,
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

pub fn result_object<'a>(
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
        seconds_used: seconds(finished_at.saturating_sub(stored.started_at) as f64),
        score,
    }
}

/// The bank exam of a stored attempt and its paper; the exam must be loaded (it may come
/// from a `--bank-dir`, which is not stored).
pub fn exam_of_attempt(catalog: &Catalog, stored: &StoredAttempt) -> Result<(Exam, Vec<PaperItem>)> {
    if catalog.find(&stored.exam).is_err() {
        return Err(Error::Usage(format!(
            "attempt {} is an attempt at exam {:?}, which is not loaded; pass the --bank-dir it came from",
            stored.id, stored.exam
        )));
    }
    let exam = catalog.load_by_id(&stored.exam)?;
    let paper = stored.items.iter().map(|i| i.paper.clone()).collect();
    Ok((exam, paper))
}
