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

/// Styles (dim and crossed-out options, the reverse-video status line) may be used on the
/// screen: `--color`, else NO_COLOR and CLICOLOR_FORCE, else whether it is a colour terminal.
pub fn styles_allowed(screen_is_stderr: bool) -> bool {
    let choice = if screen_is_stderr {
        anstream::AutoStream::choice(&std::io::stderr())
    } else {
        anstream::AutoStream::choice(&std::io::stdout())
    };
    !matches!(choice, anstream::ColorChoice::Never)
}

/// The locale can show UTF-8 (block characters in charts, dashes); else ASCII fallbacks.
pub fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .is_none_or(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

/// The terminal's size (columns, rows) now, 80x24 when unknown. Read again at every draw,
/// so a resized terminal gets text wrapped to its new width.
pub fn terminal_size() -> (usize, usize) {
    terminal_size::terminal_size()
        .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
        .filter(|(w, h)| *w > 0 && *h > 0)
        .unwrap_or((80, 24))
}

/// The width to wrap text to: the terminal's width (stdout, stderr or stdin), else `COLUMNS`,
/// else 80; kept between 40 and 100 (long lines are hard to read).
pub fn text_width() -> usize {
    let terminal = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    terminal
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(80)
        .clamp(40, 100)
}
