//! `proctor history` (every attempt, newest first) and `proctor show ATTEMPT` (one finished
//! attempt walked through with answers, rationales and explanations).

use std::io::Write;

use serde::Serialize;

use super::attempt::{exam_of_attempt, result_object, shapes};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exam::clock::{format_duration, format_timestamp, seconds};
use crate::exam::score::{self, QuestionResult, percent, scaled_score};
use crate::exam::session::{EndReason, ItemState, Session};
use crate::store::{AttemptSummary, Store};
use crate::text::{printable, wrap};
use crate::ui::render::{self, ScreenContext};
use crate::ui::runner::questions_of;
use crate::ui::text_width;

/// One attempt as `history --json` prints it (docs/json.md).
#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub mode: String,
    pub exam: String,
    pub finished: bool,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub end_reason: Option<String>,
    pub seed: u64,
    pub questions: u32,
    pub total: u32,
    pub correct: u32,
    pub answered: u32,
    pub percent: Option<f64>,
    pub scaled_score: Option<u32>,
    pub passed: Option<bool>,
    pub seconds_used: Option<f64>,
}

fn entry(a: &AttemptSummary, passing: Option<u32>) -> HistoryEntry {
    let finished = a.finished_at.is_some();
    let percent = percent(a.correct, a.scored).filter(|_| finished);
    let scaled = match (a.mode.as_str(), passing, finished) {
        ("exam", Some(pass), true) if a.scored > 0 => {
            Some(scaled_score(f64::from(a.correct) / f64::from(a.scored), pass))
        }
        _ => None,
    };
    HistoryEntry {
        id: a.id,
        mode: a.mode.clone(),
        exam: a.exam.clone(),
        finished,
        started_at: format_timestamp(a.started_at),
        finished_at: a.finished_at.map(format_timestamp),
        end_reason: a.end_reason.clone(),
        seed: a.seed,
        questions: a.questions,
        total: a.scored,
        correct: a.correct,
        answered: a.answered,
        percent,
        scaled_score: scaled,
        passed: scaled.zip(passing).map(|(s, p)| s >= p),
        seconds_used: a.finished_at.map(|f| seconds(f.saturating_sub(a.started_at) as f64)),
    }
}

pub fn history(config: &Config, exam: Option<&str>, json: bool, out: &mut dyn Write) -> Result<()> {
    let store = Store::open(&config.data_dir()?)?;
    let exam = exam.map(str::to_ascii_lowercase);
    // Pass marks come from the banks; history still lists attempts of exams not loaded.
    let catalog = config.catalog()?;
    let passing = |id: &str| catalog.find(id).ok().map(|e| e.blueprint.passing_score);
    let entries: Vec<HistoryEntry> =
        store.attempts(exam.as_deref())?.iter().map(|a| entry(a, passing(&a.exam))).collect();
    // An exam neither loaded nor in the history is a typo: say so, as other commands do.
    if let Some(id) = &exam
        && entries.is_empty()
    {
        catalog.find(id)?;
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &entries).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    if entries.is_empty() {
        writeln!(out, "No attempts yet. Start one with `proctor exam saa-c03` (see `proctor list`).")?;
        return Ok(());
    }
    let exam_width = entries.iter().map(|e| e.exam.chars().count()).max().unwrap_or(4).clamp(4, 16);
    writeln!(
        out,
        "{:>4}  {:<16}  {:<6}  {:<exam_width$}  {:>9}  {:<8}  {:>7}  STATE",
        "ID", "STARTED (UTC)", "MODE", "EXAM", "SCORE", "RESULT", "TIME"
    )?;
    for e in &entries {
        let started = e.started_at.replace('T', " ");
        let started = &started[..started.len().min(16)];
        let score = match e.percent {
            Some(p) => format!("{}/{} {:.0}%", e.correct, e.total, p),
            None => format!("{}/{} ans", e.answered, e.questions),
        };
        let result = match (e.scaled_score, e.passed) {
            (Some(s), Some(true)) => format!("{s} PASS"),
            (Some(s), _) => format!("{s} FAIL"),
            _ => "-".into(),
        };
        let time = e.seconds_used.map_or("-".into(), |s| format_duration((s * 1000.0) as u64));
        let state = match (e.finished, e.end_reason.as_deref()) {
            (false, _) => "open",
            (true, Some("time-up")) => "time up",
            (true, _) => "done",
        };
        writeln!(
            out,
            "{:>4}  {:<16}  {:<6}  {:<exam_width$}  {:>9}  {:<8}  {:>7}  {state}",
            e.id,
            started,
            e.mode,
            printable(&e.exam),
            score,
            result,
            time
        )?;
    }
    if let Some(open) = entries.iter().find(|e| !e.finished) {
        writeln!(
            out,
            "\nOpen attempts continue with `proctor resume ID` (latest: `proctor resume {}`).",
            open.id
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Scored and not correct: answered wrong or left unanswered.
    Missed,
    /// Answered, and wrong.
    Wrong,
    Unanswered,
    Flagged,
    Correct,
}

impl Only {
    fn keeps(self, q: &QuestionResult) -> bool {
        match self {
            Only::Missed => q.scored && !q.correct,
            Only::Wrong => !q.response.is_empty() && !q.correct,
            Only::Unanswered => q.response.is_empty(),
            Only::Flagged => q.flagged,
            Only::Correct => q.correct,
        }
    }
}

pub fn show(
    config: &Config,
    attempt: i64,
    only: Option<Only>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let store = Store::open(&config.data_dir()?)?;
    let stored = store.load(attempt)?;
    let Some((finished_at, reason)) = stored.finished else {
        return Err(Error::Usage(format!(
            "attempt {attempt} is not finished, so its answer key stays hidden: `proctor resume {attempt}` to finish it"
        )));
    };
    let catalog = config.catalog()?;
    let (exam, paper) = exam_of_attempt(&catalog, &stored)?;
    let questions = questions_of(&exam, &paper)?;
    let states: Vec<ItemState> = stored.items.iter().map(|i| i.state.clone()).collect();
    let result = score::score(&exam.blueprint, &paper, &questions, &states);
    let keep: Vec<bool> = result.questions.iter().map(|q| only.is_none_or(|o| o.keeps(q))).collect();
    if json {
        let mut filtered = result.clone();
        filtered.questions =
            result.questions.iter().zip(&keep).filter(|(_, k)| **k).map(|(q, _)| q.clone()).collect();
        let object = result_object(&exam, &stored, &filtered, finished_at, reason.as_str());
        serde_json::to_writer_pretty(&mut *out, &object).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let width = text_width();
    let mut session = Session::new(shapes(&exam, &paper)?, stored.started_at, stored.deadline);
    session.items = states;
    let ctx = ScreenContext { blueprint: &exam.blueprint, hide_domain: false, width, styled: false };
    writeln!(
        out,
        "Attempt {attempt}: {} {} started {}, {}; {} of {} correct.",
        printable(&exam.blueprint.code),
        stored.mode,
        format_timestamp(stored.started_at),
        if reason == EndReason::TimeUp { "ended at the deadline" } else { "submitted" },
        result.correct,
        result.total
    )?;
    let edited =
        questions.iter().zip(&stored.items).filter(|(q, i)| q.content_hash() != i.content_hash).count();
    if edited > 0 {
        writeln!(
            out,
            "Note: {edited} question(s) were edited in the bank since this attempt; they are shown and scored as they are now."
        )?;
    }
    let shown = keep.iter().filter(|k| **k).count();
    if shown == 0 {
        writeln!(out, "No questions match.")?;
    }
    for (i, kept) in keep.iter().enumerate() {
        if !kept {
            continue;
        }
        session.position = i;
        let q = &result.questions[i];
        let screen = render::question_screen(&ctx, &session, &paper[i], questions[i]);
        write!(out, "\n{screen}")?;
        if !session.items[i].answered() {
            writeln!(out, "Not answered. The answer is {}.", q.correct_response)?;
        }
        let feedback = render::feedback(&paper[i], questions[i], &session.items[i].response, width);
        let feedback = if session.items[i].answered() {
            feedback
        } else {
            feedback.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n"
        };
        write!(out, "{feedback}")?;
        let scored = if q.scored { "" } else { " (unscored)" };
        writeln!(out, "{}", wrap(&format!("Time on this question: {:.0} s{scored}.", q.seconds), width, 0))?;
    }
    Ok(())
}
