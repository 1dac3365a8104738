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

/// Runs `attempt` to its end (or until it is saved), then reports.
pub fn run_attempt(attempt: &mut Attempt, intro: &str, json: bool, clock: &dyn Clock) -> Result<i32> {
    let width = text_width();
    // rustyline cannot edit on a "dumb" terminal (and then the deadline could not
    // interrupt it): such terminals get the scripted reader, which honours the deadline.
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    // The screen is stdout, or stderr with --json (stdout then carries only the result).
    let screen_is_terminal =
        if json { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let interactive = std::io::stdin().is_terminal() && screen_is_terminal && !dumb;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut screen: Box<dyn Write> = if json { Box::new(stderr.lock()) } else { Box::new(stdout.lock()) };
    writeln!(screen, "{}", crate::text::wrap_lines(intro, width))?;
    let mut input: Box<dyn LineSource> = if interactive {
        let left = attempt.remaining(clock.now()).map(std::time::Duration::from_millis);
        Box::new(TerminalInput::new(left).map_err(Error::Terminal)?)
    } else {
        Box::new(ScriptedInput::from_stdin())
    };
    let mut runner =
        Runner { attempt, clock, out: &mut *screen, styled: interactive, width, warned: Vec::new() };
    let ended = runner.run(&mut *input)?;
    drop(input);
    let Ended::Finished(finished) = ended else {
        screen.flush()?;
        return Ok(0);
    };
    write!(screen, "\n{}", render::report(&finished.report, width))?;
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
        attempt: attempt.id(),
        exam: &attempt.exam().blueprint.id,
        mode: attempt.mode(),
        seed: attempt.seed(),
        started_at: attempt.started_at(),
        finished_at: finished.finished_at,
        end_reason: finished.reason,
    };
    AttemptResult::new(&facts, &finished.score, |_| true)
}
