//! The terminal edge: rendering (`render`, pure), reading commands (`input`: scripted
//! stdin or the interactive rustyline prompt) and driving a session (`runner`).

pub mod command;
pub mod input;
pub mod render;
pub mod runner;
pub mod stats;
pub mod terminal;

/// Minutes-left marks at which a timed session warns (above the prompt, or in a script's
/// output when the mark is passed).
pub const WARNING_MINUTES: [u64; 3] = [30, 5, 1];

/// The width to wrap text to: the terminal's width (stdout, stderr or stdin), else `COLUMNS`,
/// else 80; kept between 40 and 100 (long lines are hard to read).
pub fn text_width() -> usize {
    let terminal = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    terminal
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(80)
        .clamp(40, 100)
}
