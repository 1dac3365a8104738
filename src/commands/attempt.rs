//! What every mode (exam, drill, review, resume) shares on the command line: run an
//! attempt at the line prompt (or from a script), then print the report and, with
//! `--json`, the result object.

use std::io::{IsTerminal, Write};

use crate::app::attempt::{Attempt, Finished};
use crate::error::{Error, Result};
use crate::exam::clock::Clock;
use crate::json::{self, AttemptFacts, AttemptResult};
use crate::ui::input::{LineSource, ScriptedInput};
use crate::ui::render;
use crate::ui::runner::{Ended, Runner};
use crate::ui::terminal::TerminalInput;
use crate::ui::text_width;

/// The session runs at the interactive prompt: stdin and the screen (stdout, or stderr
/// with `--json`) are a terminal that can edit lines. A "dumb" terminal gets the scripted
/// reader: rustyline cannot edit on it (and then the deadline could not interrupt it).
pub fn is_interactive(json: bool) -> bool {
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    let screen_is_terminal =
        if json { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    std::io::stdin().is_terminal() && screen_is_terminal && !dumb
}

/// At a terminal: shows `screen` and waits for Enter (`false` on end of input: the user
/// left before starting).
pub fn start_screen(screen: &str, json: bool) -> Result<bool> {
    let width = text_width();
    let mut out: Box<dyn Write> =
        if json { Box::new(std::io::stderr()) } else { Box::new(std::io::stdout()) };
    write!(
        out,
        "\u{1b}[2J\u{1b}[H{}\nPress Enter to begin (Ctrl-D to leave) > ",
        crate::text::wrap_lines(screen, width)
    )?;
    out.flush()?;
    let mut line = String::new();
    let read = std::io::stdin().read_line(&mut line)?;
    Ok(read > 0)
}

/// Runs `attempt` to its end (or until it is saved), then reports. At a terminal the intro
/// is a start screen that waits for Enter, unless `started` says it was shown already.
pub fn run_attempt(
    attempt: &mut Attempt,
    intro: &str,
    json: bool,
    clock: &dyn Clock,
    started: bool,
    pace_cue: bool,
) -> Result<i32> {
    let width = text_width();
    let interactive = is_interactive(json);
    if interactive && !started && !start_screen(intro, json)? {
        // Left at the start screen: the attempt stays as it was (a new drill is forgotten).
        return match attempt.quit(clock.now())? {
            crate::app::attempt::Quit::Discarded => Ok(0),
            crate::app::attempt::Quit::Saved { .. } => Ok(0),
        };
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut screen: Box<dyn Write> = if json { Box::new(stderr.lock()) } else { Box::new(stdout.lock()) };
    if !interactive {
        writeln!(screen, "{}", crate::text::wrap_lines(intro, width))?;
    }
    let styled = interactive && crate::ui::styles_allowed(json);
    let mut input: Box<dyn LineSource> = if interactive {
        let left = attempt.remaining(clock.now()).map(std::time::Duration::from_millis);
        Box::new(TerminalInput::new(left, styled).map_err(Error::Terminal)?)
    } else {
        Box::new(ScriptedInput::from_stdin())
    };
    let mut runner = Runner::new(attempt, clock, &mut *screen, styled, width);
    runner.pace_cue = pace_cue;
    let ended = runner.run(&mut *input)?;
    drop(input);
    let Ended::Finished(finished) = ended else {
        screen.flush()?;
        return Ok(0);
    };
    write!(screen, "\n{}", render::report(&finished.report, width))?;
    if attempt.mode() == crate::model::Mode::Exam {
        let pass = attempt.pass_estimate(clock.now())?;
        write!(screen, "\n{}", crate::ui::stats::render_pass(pass.as_ref(), attempt.exam()))?;
        // Counted with blanks: the estimate (of what the answers show) must not read as the
        // result of a paper that left questions unanswered.
        let counted =
            pass.as_ref().is_some_and(|p| !p.excluded.iter().any(|(id, _)| *id == finished.report.attempt));
        if counted && attempt.unanswered_count() > 0 {
            write!(
                screen,
                "{}",
                crate::ui::stats::render_unanswered_caveat(attempt.unanswered_count(), width)
            )?;
        }
    }
    screen.flush()?;
    drop(screen);
    if json {
        json::write(&mut stdout.lock(), &result_of(attempt, &finished))?;
    }
    Ok(0)
}

/// The `--json` result object of a finished attempt.
pub fn result_of(attempt: &Attempt, finished: &Finished) -> AttemptResult {
    let facts = AttemptFacts {
        attempt: finished.report.attempt,
        exam: &attempt.exam().blueprint.id,
        mode: attempt.mode(),
        seed: attempt.seed(),
        started_at: attempt.started_at(),
        finished_at: finished.finished_at,
        end_reason: finished.reason,
    };
    let exam = attempt.exam();
    let questions = &finished.score.questions;
    AttemptResult::new(
        &facts,
        &finished.score,
        |i| questions.get(i).and_then(|q| exam.question(&q.id)),
        |_| true,
    )
}
