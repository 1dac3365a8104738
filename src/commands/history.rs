//! `proctor history` (every attempt, newest first) and `proctor show ATTEMPT` (one finished
//! attempt walked through with answers, rationales and explanations).

use std::io::Write;

use crate::app::past;
use crate::cli::{HistoryArgs, Only, ShowArgs};
use crate::config::Config;
use crate::error::Result;
use crate::exam::clock::{format_duration, format_timestamp};
use crate::exam::score::QuestionResult;
use crate::json::{self, AttemptFacts, AttemptResult, HistoryEntry};
use crate::model::EndReason;
use crate::store::Store;
use crate::text::{printable, wrap};
use crate::ui::render::{self, ScreenContext};
use crate::ui::text_width;

pub fn history(config: &Config, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let store = Store::open(&config.data_dir()?)?;
    let now = config.clock()?.now();
    let exam = args.exam.as_deref().map(str::to_ascii_lowercase);
    // Pass marks come from the banks; history still lists attempts of exams not loaded.
    let catalog = config.catalog()?;
    let passing = |id: &str| catalog.find(id).ok().map(|e| e.blueprint.passing_score);
    let entries: Vec<HistoryEntry> = store
        .attempts(exam.as_deref())?
        .iter()
        .map(|a| HistoryEntry::new(a, passing(&a.exam), now))
        .collect();
    // An exam neither loaded nor in the history is a typo: say so, as other commands do.
    if let Some(id) = &exam
        && entries.is_empty()
    {
        catalog.find(id)?;
    }
    if args.json {
        json::write(out, &entries)?;
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
        let state = match (e.finished, e.end_reason) {
            (false, _) if e.expired => "expired",
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
            "\nOpen attempts continue with `proctor resume ID` (latest: `proctor resume {}`); an expired one is scored as it stood at its deadline.",
            open.id
        )?;
    }
    Ok(())
}

/// The questions `show --only` keeps.
fn keeps(only: Only, q: &QuestionResult) -> bool {
    match only {
        Only::Missed => q.scored && !q.correct,
        Only::Wrong => !q.response.is_empty() && !q.correct,
        Only::Unanswered => q.response.is_empty(),
        Only::Flagged => q.flagged,
        Only::Correct => q.correct,
    }
}

pub fn show(config: &Config, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let store = Store::open(&config.data_dir()?)?;
    let catalog = config.catalog()?;
    let past = past::load(&catalog, &store, args.attempt)?;
    let keep: Vec<bool> =
        past.score.questions.iter().map(|q| args.only.is_none_or(|o| keeps(o, q))).collect();
    if args.json {
        let facts = AttemptFacts {
            attempt: past.id,
            exam: &past.exam_id,
            mode: past.mode,
            seed: past.seed,
            started_at: past.started_at,
            finished_at: past.finished_at,
            end_reason: past.reason,
        };
        json::write(out, &AttemptResult::new(&facts, &past.score, |i| keep[i]))?;
        return Ok(());
    }
    let width = text_width();
    let ctx = ScreenContext { width, styled: false, header: true };
    writeln!(
        out,
        "Attempt {}: {} {} started {}, {}; {} of {} correct.",
        past.id,
        printable(&past.code),
        past.mode.as_str(),
        format_timestamp(past.started_at),
        if past.reason == EndReason::TimeUp { "ended at the deadline" } else { "submitted" },
        past.score.correct,
        past.score.total
    )?;
    if past.edited > 0 {
        writeln!(
            out,
            "Note: {} question(s) were edited in the bank since this attempt; they are shown and scored as they are now.",
            past.edited
        )?;
    }
    if !keep.iter().any(|k| *k) {
        writeln!(out, "No questions match.")?;
    }
    for ((item, result), _) in past.items.iter().zip(&past.score.questions).zip(&keep).filter(|(_, k)| **k) {
        write!(out, "\n{}", render::question_screen(&ctx, &item.view))?;
        write!(out, "{}", render::feedback(&item.feedback, width))?;
        let scored = if result.scored { "" } else { " (unscored)" };
        writeln!(
            out,
            "{}",
            wrap(&format!("Time on this question: {:.0} s{scored}.", result.seconds), width, 0)
        )?;
    }
    Ok(())
}
