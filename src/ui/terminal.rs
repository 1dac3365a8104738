//! The interactive prompt (stdin is a terminal): rustyline with completion and hints, a
//! countdown in the prompt, warnings printed above it, and a deadline that ends the read
//! even when the candidate is idle.
//!
//! rustyline has no timeout. On Unix a timer thread sends SIGINT to this process at the
//! deadline: rustyline's own handler turns it into `Interrupted`, and the flag set just
//! before tells it apart from a Ctrl-C typed by the user. Between reads SIGINT is
//! ignored so the signal cannot kill the process. Elsewhere the deadline is still
//! enforced after each command (`Session::apply` refuses late answers).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Context, Editor, ExternalPrinter as _, Helper, Highlighter, Validator};

use super::WARNING_MINUTES;
use super::command::COMMANDS;
use super::input::{Input, LineSource};
use crate::exam::item::Shape;

/// The command words, for completion and hints.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&str> = COMMANDS.iter().map(|(long, _, _)| *long).collect();
    words.extend(["review all", "goto", "strike", "report"]);
    words.retain(|w| !w.ends_with(" N") && !w.ends_with(" X") && !w.ends_with(" TEXT"));
    words.sort_unstable();
    words.dedup();
    words
}

#[derive(Helper, Highlighter, Validator)]
struct SessionHelper {
    words: Vec<&'static str>,
    /// The question on screen, so Tab can complete its answer (ordering, matching).
    shape: Arc<Mutex<Option<Shape>>>,
}

impl Completer for SessionHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let typed = &line[..pos];
        let shape = self.shape.lock().ok().and_then(|s| *s);
        if let Some(shape) = shape
            && let Some((start, answers)) = answer_completions(typed, shape)
        {
            let pairs = answers.into_iter().map(|a| Pair { display: a.clone(), replacement: a }).collect();
            return Ok((start, pairs));
        }
        let candidates = self
            .words
            .iter()
            .filter(|w| typed.len() >= 2 && w.starts_with(typed))
            .map(|w| Pair { display: (*w).to_string(), replacement: (*w).to_string() })
            .collect();
        Ok((0, candidates))
    }
}

/// Tab on an ordering or matching answer: the step letters not yet used (`c a ` offers
/// b, d, ...), or a prompt's responses (`1b 2` offers 2a, 2b, ...) and the prompts not yet
/// typed (`1b ` offers 2, 3). Returns where the completed word starts.
fn answer_completions(typed: &str, shape: Shape) -> Option<(usize, Vec<String>)> {
    let start = typed.rfind([' ', ',']).map_or(0, |i| i + 1);
    let word = &typed[start..];
    let letter = |i: usize| char::from(b'a' + i as u8);
    match shape {
        Shape::Ordering { steps, .. } => {
            let used: Vec<char> = typed[..start].chars().filter(char::is_ascii_alphabetic).collect();
            let letters_only = typed.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == ',');
            if !letters_only || word.len() > 1 || (typed.trim().is_empty() && steps == 0) {
                return None;
            }
            let free: Vec<String> = (0..steps)
                .map(letter)
                .filter(|l| !used.iter().any(|u| u.eq_ignore_ascii_case(l)))
                .filter(|l| word.is_empty() || word.eq_ignore_ascii_case(&l.to_string()))
                .map(|l| format!("{l} "))
                .collect();
            (!free.is_empty()).then_some((start, free))
        }
        Shape::Matching { prompts, responses } => {
            let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
            if !word.chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            if !digits.is_empty() && digits.len() == word.len() {
                let n: usize = digits.parse().ok()?;
                if n == 0 || n > prompts {
                    return None;
                }
                return Some((start, (0..responses).map(|r| format!("{n}{} ", letter(r))).collect()));
            }
            if word.is_empty() {
                let typed_prompts: Vec<usize> = typed
                    .split([' ', ','])
                    .filter_map(|t| {
                        t.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
                    })
                    .collect();
                let open: Vec<String> =
                    (1..=prompts).filter(|n| !typed_prompts.contains(n)).map(|n| n.to_string()).collect();
                return (!open.is_empty() && !typed.trim().is_empty()).then_some((start, open));
            }
            None
        }
        Shape::Choice { .. } => None,
    }
}

impl Hinter for SessionHelper {
    type Hint = String;

    /// Ghost text completing a command word once two letters are typed.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.len() < 2 {
            return None;
        }
        self.words
            .iter()
            .find(|w| w.starts_with(line) && w.len() > line.len())
            .map(|w| w[line.len()..].to_string())
    }
}

/// The top line of the screen, as the real exam's: what question this is, whether it is
/// flagged, and the time left, redrawn every second by the timer thread. It lives in a
/// line of its own above a scrolling region, so nothing printed below can push it away,
/// and the timer writes it with the cursor saved and restored, so the line being edited
/// is never disturbed.
#[derive(Clone)]
pub struct StatusLine {
    /// The left part ("Question 29 of 65  [Flagged]"), set by the runner.
    text: Arc<Mutex<String>>,
    /// Set to redraw at once (the text changed, or the screen was cleared).
    dirty: Arc<AtomicBool>,
    /// With `--pace`: the questions not complete and the time the paper allows each.
    pace: Arc<Mutex<Option<(usize, u64)>>>,
}

impl StatusLine {
    fn new() -> StatusLine {
        StatusLine {
            text: Arc::new(Mutex::new(String::new())),
            dirty: Arc::new(AtomicBool::new(true)),
            pace: Arc::new(Mutex::new(None)),
        }
    }

    pub fn set_pace(&self, pace: Option<(usize, u64)>) {
        if let Ok(mut current) = self.pace.lock() {
            *current = pace;
        }
    }

    /// Whether the candidate is behind the paper's pace with `remaining` left.
    fn behind(&self, remaining: Option<Duration>) -> bool {
        let pace = self.pace.lock().map(|p| *p).unwrap_or_default();
        match (pace, remaining) {
            (Some((incomplete, per_question)), Some(left)) => {
                crate::exam::clock::behind_pace(left.as_millis() as u64, incomplete, per_question)
            }
            _ => false,
        }
    }

    pub fn set(&self, text: &str) {
        if let Ok(mut current) = self.text.lock() {
            *current = text.to_string();
        }
        self.dirty.store(true, Ordering::SeqCst);
    }
}

/// The timer thread: the status line every second, the 30/5/1-minute warnings, then the
/// deadline signal.
struct Countdown {
    deadline_hit: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

/// Writes straight to the terminal (not stdout: with --json stdout carries the result).
fn tty() -> Option<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open("/dev/tty").ok()
}

/// The status line: `left` and, on the right, the time left (after "Behind pace" when
/// `behind`); as wide as the terminal.
pub fn status_text(left: &str, remaining: Option<Duration>, behind: bool, width: usize) -> String {
    let cue = if behind { "Behind pace   " } else { "" };
    let right = match remaining {
        Some(r) => format!("{cue}Time left {}", crate::exam::clock::format_countdown(r.as_millis() as u64)),
        None => "Untimed".to_string(),
    };
    let left: String = left.chars().take(width.saturating_sub(right.len() + 2)).collect();
    let gap = width.saturating_sub(left.chars().count() + right.len()).max(1);
    format!("{left}{}{right}", " ".repeat(gap))
}

impl Countdown {
    fn start(
        deadline: Option<Instant>,
        status: StatusLine,
        styled: bool,
        mut print: Box<dyn FnMut(String) + Send>,
    ) -> Self {
        let deadline_hit = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (hit, stopped) = (Arc::clone(&deadline_hit), Arc::clone(&stop));
        thread::spawn(move || {
            let left = |now: Instant| deadline.map(|d| d.saturating_duration_since(now));
            let start_left = left(Instant::now());
            // Only warnings still ahead: resuming with 3 minutes left warns at 1 only.
            let mut pending: Vec<u64> = WARNING_MINUTES
                .iter()
                .copied()
                .filter(|m| start_left.is_some_and(|l| Duration::from_secs(m * 60) < l))
                .collect();
            let mut terminal = tty();
            let mut drawn = String::new();
            let mut rows = 0;
            while !stopped.load(Ordering::SeqCst) {
                let now = Instant::now();
                let remaining = left(now);
                // The status line first, so a warning never shows a stale clock.
                if let Some(out) = terminal.as_mut() {
                    let (width, height) = super::terminal_size();
                    let text = status.text.lock().map(|t| t.clone()).unwrap_or_default();
                    let line = status_text(&text, remaining, status.behind(remaining), width);
                    let resized = height != rows;
                    if resized || line != drawn || status.dirty.swap(false, Ordering::SeqCst) {
                        use std::io::Write;
                        // Save the cursor, keep line 1 out of the scrolling region (again
                        // after a resize), draw it, restore the cursor.
                        let style = if styled { "\u{1b}[7m" } else { "" };
                        let reset = if styled { "\u{1b}[0m" } else { "" };
                        let region = if resized { format!("\u{1b}[2;{height}r") } else { String::new() };
                        let _ = write!(out, "\u{1b}7{region}\u{1b}[1;1H\u{1b}[2K{style}{line}{reset}\u{1b}8");
                        let _ = out.flush();
                        drawn = line;
                        rows = height;
                    }
                }
                if let (Some(&minutes), Some(remaining)) = (pending.first(), remaining)
                    && remaining <= Duration::from_secs(minutes * 60)
                {
                    pending.remove(0);
                    let unit = if minutes == 1 { "minute" } else { "minutes" };
                    // Rounded up like the status line, so both say the same time.
                    print(format!(
                        "*** {minutes} {unit} left ({} remaining) ***",
                        crate::exam::clock::format_countdown(remaining.as_millis() as u64)
                    ));
                }
                if remaining.is_some_and(|r| r.is_zero()) {
                    hit.store(true, Ordering::SeqCst);
                    // Repeat until the session notices: a signal that lands between two
                    // reads is ignored, and the next read must still be interrupted.
                    interrupt_self();
                    thread::sleep(Duration::from_millis(250));
                    continue;
                }
                // Wake at the next whole second of the countdown (and often enough to
                // notice a change of the status text or of the terminal's size).
                let to_tick = remaining.map_or(Duration::from_millis(200), |r| {
                    Duration::from_millis(u64::try_from(r.as_millis() % 1000).unwrap_or(0) + 1)
                });
                thread::sleep(to_tick.min(Duration::from_millis(200)));
            }
        });
        Countdown { deadline_hit, stop }
    }

    fn hit(&self) -> bool {
        self.deadline_hit.load(Ordering::SeqCst)
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Give the whole screen back: no scrolling region, cursor below everything.
        if let Some(mut out) = tty() {
            use std::io::Write;
            let (_, height) = super::terminal_size();
            let _ = writeln!(out, "\u{1b}[r\u{1b}[{height};1H");
            let _ = out.flush();
        }
    }
}

#[cfg(unix)]
fn interrupt_self() {
    let _ = nix::sys::signal::kill(nix::unistd::Pid::this(), nix::sys::signal::Signal::SIGINT);
}

#[cfg(not(unix))]
fn interrupt_self() {}

/// Ignores SIGINT outside rustyline's reads (rustyline installs its own handler for each
/// read and restores this disposition afterwards).
#[cfg(unix)]
#[allow(unsafe_code)]
fn ignore_sigint() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: SIG_IGN installs no handler code, so no async-signal-safety rules apply.
    unsafe {
        let _ = signal(Signal::SIGINT, SigHandler::SigIgn);
    }
}

#[cfg(not(unix))]
fn ignore_sigint() {}

pub struct TerminalInput {
    editor: Editor<SessionHelper, DefaultHistory>,
    countdown: Countdown,
    shape: Arc<Mutex<Option<Shape>>>,
    status: StatusLine,
}

impl TerminalInput {
    /// A prompt for a session whose deadline is `time_left` from now (none: untimed), with
    /// the status line on the screen's first line (`styled`: in reverse video).
    pub fn new(time_left: Option<Duration>, styled: bool) -> Result<Self, String> {
        // No history file: it would leak answers. In-memory history only.
        // The prompt is drawn on the terminal itself (/dev/tty), so with `--json` stdout
        // carries only the result.
        let config = Config::builder()
            .auto_add_history(true)
            .max_history_size(200)
            .map_err(|e| e.to_string())?
            .behavior(rustyline::config::Behavior::PreferTerm)
            .build();
        let mut editor: Editor<SessionHelper, DefaultHistory> =
            Editor::with_config(config).map_err(|e| e.to_string())?;
        let shape = Arc::new(Mutex::new(None));
        editor.set_helper(Some(SessionHelper { words: words(), shape: shape.clone() }));
        ignore_sigint();
        let print: Box<dyn FnMut(String) + Send> = match editor.create_external_printer() {
            Ok(mut printer) => Box::new(move |text| {
                let _ = printer.print(text);
            }),
            Err(_) => Box::new(|text| eprintln!("{text}")),
        };
        // Clear the screen and keep line 1 for the status line; output scrolls below it.
        if let Some(mut out) = tty() {
            use std::io::Write;
            let (_, height) = super::terminal_size();
            let _ = write!(out, "\u{1b}[2J\u{1b}[2;{height}r\u{1b}[2;1H");
            let _ = out.flush();
        }
        let status = StatusLine::new();
        let countdown =
            Countdown::start(time_left.map(|l| Instant::now() + l), status.clone(), styled, print);
        Ok(TerminalInput { editor, countdown, shape, status })
    }

    fn deadline_hit(&self) -> bool {
        self.countdown.hit()
    }
}

impl LineSource for TerminalInput {
    fn read(&mut self, prompt: &str, _timeout: Option<Duration>) -> Input {
        if self.deadline_hit() {
            return Input::Deadline;
        }
        let read = self.editor.readline(prompt);
        if self.deadline_hit() {
            // Whatever was typed arrived at or after the deadline: it does not count.
            return Input::Deadline;
        }
        match read {
            Ok(line) => Input::Line(line),
            Err(ReadlineError::Interrupted) => Input::Interrupted,
            Err(_) => Input::Eof,
        }
    }

    fn confirm(&mut self, question: &str, timeout: Option<Duration>) -> Option<bool> {
        match self.read(&format!("{question} [y/N] "), timeout) {
            Input::Line(answer) => Some(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")),
            Input::Deadline => None,
            _ => Some(false),
        }
    }

    fn is_interactive(&self) -> bool {
        true
    }

    fn set_status(&mut self, text: &str) {
        self.status.set(text);
    }

    fn set_pace(&mut self, pace: Option<(usize, u64)>) {
        self.status.set_pace(pace);
    }

    fn clear_screen(&mut self) {
        // Clear the scrolling region (everything below the status line) and start at its top.
        if let Some(mut out) = tty() {
            use std::io::Write;
            let _ = write!(out, "\u{1b}[2;1H\u{1b}[J");
            let _ = out.flush();
        }
        self.status.dirty.store(true, Ordering::SeqCst);
    }

    fn rows(&self) -> Option<usize> {
        Some(super::terminal_size().1)
    }

    fn set_shape(&mut self, shape: Shape) {
        if let Ok(mut current) = self.shape.lock() {
            *current = Some(shape);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_ordering_and_matching_answers() {
        let ordering = Shape::Ordering { steps: 4, need: 4 };
        assert_eq!(answer_completions("c a ", ordering), Some((4, vec!["b ".into(), "d ".into()])));
        assert_eq!(answer_completions("next", ordering), None);
        let matching = Shape::Matching { prompts: 3, responses: 2 };
        assert_eq!(answer_completions("1b 2", matching), Some((3, vec!["2a ".into(), "2b ".into()])));
        assert_eq!(answer_completions("1b ", matching), Some((3, vec!["2".into(), "3".into()])));
        assert_eq!(answer_completions("9", matching), None);
        assert_eq!(answer_completions("ab", Shape::Choice { options: 4, select: 2 }), None);
    }
}
