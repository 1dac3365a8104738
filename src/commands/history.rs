//! `proctor history` (the newest attempts first; `--all` every one) and `proctor show ATTEMPT` (one finished
//! attempt walked through with answers, rationales and explanations).

use std::io::Write;

use crate::app::past;
use crate::cli::{DiscardArgs, HistoryArgs, Only, ShowArgs};
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

/// How many attempts the table shows without `--all` or `--limit`: a person reads the
/// newest ones, and the footer says how to see the rest.
pub const HISTORY_PAGE: usize = 25;

pub fn history(config: &Config, args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    // Reading history creates nothing: no store yet means no attempts yet.
    let store = Store::open_existing(&config.data_dir()?)?;
    let now = config.clock()?.now();
    let exam = args.exam.as_deref().map(str::to_ascii_lowercase);
    // Pass marks come from the banks; history still lists attempts of exams not loaded.
    let catalog = config.catalog()?;
    let passing = |id: &str| catalog.find(id).ok().map(|e| e.blueprint.passing_score);
    // Scripts read JSON and expect every attempt; people read the newest ones.
    let limit = match (args.limit, args.all || args.json) {
        (Some(n), _) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        (None, true) => None,
        (None, false) => Some(HISTORY_PAGE),
    };
    let (attempts, total, open) = match &store {
        Some(store) => {
            let attempts = store.newest_attempts(exam.as_deref(), limit)?;
            // Only a bounded list needs the count and a separate look for an open attempt.
            let (total, open) = match limit {
                Some(n) if attempts.len() >= n => {
                    (store.count_attempts(exam.as_deref())?, store.latest_unfinished(exam.as_deref(), None)?)
                }
                _ => (attempts.len(), attempts.iter().find(|a| a.finished_at.is_none()).map(|a| a.id)),
            };
            (attempts, total, open)
        }
        None => (Vec::new(), 0, None),
    };
    let entries: Vec<HistoryEntry> =
        attempts.iter().map(|a| HistoryEntry::new(a, passing(&a.exam), now)).collect();
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
    if total > entries.len() {
        let older = total - entries.len();
        let exam_arg = exam.as_deref().map_or(String::new(), |e| format!(" {}", printable(e)));
        writeln!(
            out,
            "\nThe newest {} of {total} attempts; {older} older {} not shown: `proctor history{exam_arg} --all` lists every one, `--limit N` the newest N.",
            entries.len(),
            if older == 1 { "is" } else { "are" },
        )?;
    }
    if let Some(open) = open {
        writeln!(
            out,
            "\nOpen attempts continue with `proctor resume ID` (latest: `proctor resume {open}`); an expired one is scored as it stood at its deadline."
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
    let store = Store::open_existing(&config.data_dir()?)?
        .ok_or(crate::store::StoreError::NoSuchAttempt(args.attempt))?;
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
        let bank = |i: usize| past.items.get(i).map(|item| &item.question);
        json::write(out, &AttemptResult::new(&facts, &past.score, bank, |i| keep[i]))?;
        return Ok(());
    }
    let width = text_width();
    let ctx = ScreenContext { width, styled: false, header: true };
    let mut text = String::new();
    text.push_str(&format!(
        "Attempt {}: {} {} started {}, {}; {} of {} correct.\n",
        past.id,
        printable(&past.code),
        past.mode.as_str(),
        format_timestamp(past.started_at),
        if past.reason == EndReason::TimeUp { "ended at the deadline" } else { "submitted" },
        past.score.correct,
        past.score.total
    ));
    if past.edited > 0 {
        text.push_str(&format!(
            "Note: {} question(s) were edited in the bank since this attempt; they are shown and scored as they are now.\n",
            past.edited
        ));
    }
    // Which went wrong, which were left, which time never reached: the three need
    // different work (study, pace, both).
    let verdict = |i: usize| {
        let (item, result) = (&past.items[i], &past.score.questions[i]);
        match (result.correct, result.response.is_empty(), item.seen) {
            (true, _, _) => "correct",
            (false, false, _) => "wrong",
            (false, true, true) => "unanswered",
            (false, true, false) => "never reached",
        }
    };
    for (label, what) in
        [("wrong", "Wrong"), ("unanswered", "Unanswered"), ("never reached", "Never reached")]
    {
        let numbers: Vec<usize> =
            (0..past.items.len()).filter(|&i| verdict(i) == label).map(|i| i + 1).collect();
        if !numbers.is_empty() {
            text.push_str(&crate::text::wrap_lines(
                &format!("{what} ({}): {}", numbers.len(), render::ranges(&numbers)),
                width,
            ));
            text.push('\n');
        }
    }
    if !keep.iter().any(|k| *k) {
        text.push_str("No questions match.\n");
    }
    for i in (0..past.items.len()).filter(|&i| keep[i]) {
        let (item, result) = (&past.items[i], &past.score.questions[i]);
        text.push_str(&format!(
            "\n[{}]\n{}",
            verdict(i).to_uppercase(),
            render::question_screen(&ctx, &item.view)
        ));
        text.push_str(&render::feedback(&item.feedback, width));
        let scored = if result.scored { "" } else { " (unscored)" };
        let pace = if result.seconds > past.pace_seconds * 1.5 { ", slow" } else { "" };
        text.push_str(&wrap(
            &format!(
                "Time on this question: {:.0} s against the exam's pace of {:.0} s{pace}{scored}.",
                result.seconds, past.pace_seconds
            ),
            width,
            0,
        ));
        text.push('\n');
    }
    page(&text, out)
}

/// Shows `text` a screen at a time at a terminal (through `$PAGER`, else `less`), or
/// writes it out as it is (a pipe, a file, or when no pager can be started).
fn page(text: &str, out: &mut dyn Write) -> Result<()> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        let pager =
            std::env::var("PAGER").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "less -R".into());
        let mut words = pager.split_whitespace();
        if let Some(program) = words.next() {
            let mut command = std::process::Command::new(program);
            command.args(words).stdin(std::process::Stdio::piped());
            if let Ok(mut child) = command.spawn() {
                if let Some(mut stdin) = child.stdin.take() {
                    // A pager closed early (q) is not an error.
                    let _ = stdin.write_all(text.as_bytes());
                }
                let _ = child.wait();
                return Ok(());
            }
        }
    }
    write!(out, "{text}")?;
    Ok(())
}

/// `proctor discard ATTEMPT`: deletes an abandoned attempt, after asking (or with `--yes`).
/// A finished attempt is history and stays; one open in another session is refused.
pub fn discard(config: &Config, args: &DiscardArgs, out: &mut dyn Write) -> Result<i32> {
    use std::io::IsTerminal;
    let mut store = Store::open_for_writing(&config.data_dir()?)?;
    let stored = store.load(args.attempt)?;
    if stored.finished.is_some() {
        return Err(crate::error::Error::Usage(format!(
            "attempt {} is finished: it is part of your history and is kept (`proctor show {}`)",
            args.attempt, args.attempt
        )));
    }
    let answered = stored.items.iter().filter(|i| i.state.answered()).count();
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(crate::error::Error::Usage(
                "discard asks before deleting; pass --yes to delete without asking".into(),
            ));
        }
        write!(
            out,
            "Delete unfinished attempt {} ({} {}, {answered} of {} answered)? This cannot be undone. [y/N] ",
            args.attempt,
            printable(&stored.exam),
            stored.mode.as_str(),
            stored.items.len()
        )?;
        out.flush()?;
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            writeln!(out, "Kept attempt {}.", args.attempt)?;
            return Ok(0);
        }
    }
    let now = config.clock()?.now();
    store.claim(args.attempt, false, now)?;
    store.delete_attempt(args.attempt)?;
    writeln!(out, "Deleted attempt {}.", args.attempt)?;
    Ok(0)
}
