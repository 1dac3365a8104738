//! Where session commands come from. Both sources honour the deadline: a read returns
//! `Deadline` when it passes, even if nothing was typed.

use std::io::{BufRead, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// End of input (Ctrl-D, or the end of a script).
    Eof,
    /// The deadline passed while waiting.
    Deadline,
    /// Ctrl-C at the prompt.
    Interrupted,
}

pub trait LineSource {
    /// Reads one line, waiting at most `timeout` (none: wait for ever).
    fn read(&mut self, prompt: &str, timeout: Option<Duration>) -> Input;
    /// Asks a yes/no question; scripted input never asks (answers yes).
    fn confirm(&mut self, question: &str, timeout: Option<Duration>) -> Option<bool>;
    fn is_interactive(&self) -> bool;
    /// The question now on screen, for completing its answer (interactive prompts only).
    fn set_shape(&mut self, _shape: crate::exam::item::Shape) {}
    /// The status line's text (interactive prompts draw it on the screen's top line).
    fn set_status(&mut self, _text: &str) {}
    /// With `--pace`: the questions not complete and the time the paper allows each, for
    /// the status line's "behind pace" cue.
    fn set_pace(&mut self, _pace: Option<(usize, u64)>) {}
    /// Clears the screen below the status line before a new screen is drawn.
    fn clear_screen(&mut self) {}
    /// The terminal's height, when it is one (for paging long questions).
    fn rows(&self) -> Option<usize> {
        None
    }
}

/// Commands from a pipe or file, one per line. A reader thread feeds a channel so a wait
/// can end at the deadline even when the script has gone quiet.
/// The longest command line read from a script; longer lines are cut.
const MAX_LINE: u64 = 64 * 1024;

pub struct ScriptedInput {
    lines: Receiver<Option<String>>,
}

impl ScriptedInput {
    pub fn from_stdin() -> Self {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let stdin = std::io::stdin();
            let mut lock = stdin.lock();
            loop {
                let mut buf = Vec::new();
                // A line longer than this is cut and the rest of it skipped: a hostile script
                // cannot exhaust memory, and its tail is not read as more commands.
                match Read::by_ref(&mut lock).take(MAX_LINE).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(None);
                        return;
                    }
                    Ok(_) => {
                        if !buf.ends_with(b"\n") && buf.len() as u64 == MAX_LINE {
                            let _ = lock.skip_until(b'\n');
                        }
                        let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
                        if tx.send(Some(line)).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        ScriptedInput { lines: rx }
    }
}

impl LineSource for ScriptedInput {
    fn read(&mut self, _prompt: &str, timeout: Option<Duration>) -> Input {
        let received = match timeout {
            Some(t) => self.lines.recv_timeout(t),
            None => self.lines.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(Some(line)) => Input::Line(line),
            Ok(None) | Err(RecvTimeoutError::Disconnected) => Input::Eof,
            Err(RecvTimeoutError::Timeout) => Input::Deadline,
        }
    }

    fn confirm(&mut self, _question: &str, _timeout: Option<Duration>) -> Option<bool> {
        Some(true)
    }

    fn is_interactive(&self) -> bool {
        false
    }
}
