//! Where session commands come from. Both sources honour the deadline: a read returns
//! `Deadline` when it passes, even if nothing was typed.

#[cfg(not(unix))]
use std::io::Read;
#[cfg(not(unix))]
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
#[cfg(not(unix))]
use std::thread;
use std::time::{Duration, Instant};

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

/// The longest command line read from a script; longer lines are cut.
const MAX_LINE: usize = 64 * 1024;

/// Commands from a pipe or file, one per line. A wait ends at the deadline even when the
/// script has gone quiet: on Unix stdin is polled with the time left (no reader thread to
/// start at every exam: docs/performance.md, "Start-up"); elsewhere a reader thread feeds
/// a channel.
pub struct ScriptedInput {
    bytes: ByteSource,
    lines: LineBuffer,
}

impl ScriptedInput {
    pub fn from_stdin() -> Self {
        ScriptedInput { bytes: ByteSource::stdin(), lines: LineBuffer::default() }
    }

    fn next_line(&mut self, timeout: Option<Duration>) -> Input {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if let Some(line) = self.lines.take_line() {
                return Input::Line(line);
            }
            match self.bytes.read(deadline) {
                Chunk::Data(bytes) => self.lines.push(&bytes),
                Chunk::End => {
                    return match self.lines.take_rest() {
                        Some(line) => Input::Line(line),
                        None => Input::Eof,
                    };
                }
                Chunk::Deadline => return Input::Deadline,
            }
        }
    }
}

/// What one wait for stdin gave.
enum Chunk {
    Data(Vec<u8>),
    /// End of input, or an error reading it (the script is over either way).
    End,
    Deadline,
}

/// Cuts the bytes read into command lines. A line longer than `MAX_LINE` is cut there and
/// the rest of it skipped: a hostile script cannot exhaust memory, and its tail is not read
/// as more commands.
#[derive(Default)]
struct LineBuffer {
    pending: Vec<u8>,
    /// Where the first line not yet taken starts in `pending` (taken lines are dropped
    /// from the front only once they are half of it: no copy of the rest at every line).
    start: usize,
    /// Inside a line already cut at `MAX_LINE`: bytes up to its newline are dropped.
    skipping: bool,
}

impl LineBuffer {
    fn push(&mut self, mut bytes: &[u8]) {
        if self.skipping {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(newline) => {
                    self.skipping = false;
                    bytes = &bytes[newline + 1..];
                }
                None => return,
            }
        }
        if self.start > 0 && self.start * 2 >= self.pending.len() {
            self.pending.drain(..self.start);
            self.start = 0;
        }
        self.pending.extend_from_slice(bytes);
    }

    fn take_line(&mut self) -> Option<String> {
        let rest = &self.pending[self.start..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(newline) if newline <= MAX_LINE => {
                let line = line_text(&rest[..newline]);
                self.start += newline + 1;
                Some(line)
            }
            _ if rest.len() >= MAX_LINE => {
                let line = line_text(&rest[..MAX_LINE]);
                let tail = rest[MAX_LINE..].to_vec();
                self.pending.clear();
                self.start = 0;
                self.skipping = true;
                self.push(&tail);
                Some(line)
            }
            _ => None,
        }
    }

    /// The last line, when the script does not end with a newline.
    fn take_rest(&mut self) -> Option<String> {
        let rest = &self.pending[self.start..];
        if rest.is_empty() {
            return None;
        }
        let line = line_text(rest);
        self.pending.clear();
        self.start = 0;
        Some(line)
    }
}

fn line_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_end_matches(['\n', '\r']).to_string()
}

/// Stdin on Unix: `poll` waits for input with the time left, then one `read` takes what
/// is there.
#[cfg(unix)]
struct ByteSource {
    ended: bool,
}

#[cfg(unix)]
impl ByteSource {
    fn stdin() -> Self {
        ByteSource { ended: false }
    }

    fn read(&mut self, deadline: Option<Instant>) -> Chunk {
        use nix::errno::Errno;
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        use std::os::fd::AsFd;
        if self.ended {
            return Chunk::End;
        }
        let stdin = std::io::stdin();
        loop {
            let timeout = match deadline {
                None => PollTimeout::NONE,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Chunk::Deadline;
                    }
                    // Rounded up, so the wait never ends before the deadline.
                    let millis = left.as_micros().div_ceil(1000);
                    PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)
                }
            };
            let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, timeout) {
                Ok(0) => continue,
                Ok(_) => {}
                Err(Errno::EINTR) => continue,
                Err(_) => break,
            }
            let mut buf = vec![0; 16 * 1024];
            match nix::unistd::read(&stdin, &mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    buf.truncate(n);
                    return Chunk::Data(buf);
                }
                Err(Errno::EINTR | Errno::EAGAIN) => continue,
                Err(_) => break,
            }
        }
        self.ended = true;
        Chunk::End
    }
}

/// Stdin elsewhere: a reader thread sends what it reads; the wait is on the channel.
#[cfg(not(unix))]
struct ByteSource {
    chunks: Receiver<Vec<u8>>,
}

#[cfg(not(unix))]
impl ByteSource {
    fn stdin() -> Self {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            loop {
                let mut buf = vec![0; 16 * 1024];
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(buf).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        ByteSource { chunks: rx }
    }

    fn read(&mut self, deadline: Option<Instant>) -> Chunk {
        let received = match deadline {
            Some(deadline) => self.chunks.recv_timeout(deadline.saturating_duration_since(Instant::now())),
            None => self.chunks.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(bytes) => Chunk::Data(bytes),
            Err(RecvTimeoutError::Disconnected) => Chunk::End,
            Err(RecvTimeoutError::Timeout) => Chunk::Deadline,
        }
    }
}

impl LineSource for ScriptedInput {
    fn read(&mut self, _prompt: &str, timeout: Option<Duration>) -> Input {
        self.next_line(timeout)
    }

    fn confirm(&mut self, _question: &str, _timeout: Option<Duration>) -> Option<bool> {
        Some(true)
    }

    fn is_interactive(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]]) -> Vec<String> {
        let mut buffer = LineBuffer::default();
        let mut lines = Vec::new();
        for chunk in chunks {
            buffer.push(chunk);
            while let Some(line) = buffer.take_line() {
                lines.push(line);
            }
        }
        lines.extend(buffer.take_rest());
        lines
    }

    #[test]
    fn lines_are_cut_at_newlines_whatever_the_chunks() {
        assert_eq!(lines_of(&[b"a\nrev", b"iew\r\n\nsub", b"mit"]), ["a", "review", "", "submit"]);
        assert_eq!(lines_of(&[b"quit\n"]), ["quit"]);
        assert!(lines_of(&[b""]).is_empty());
    }

    #[test]
    fn many_lines_in_one_chunk_are_all_taken_in_order() {
        let script: Vec<u8> = (0..20_000).flat_map(|i| format!("{}\n", i % 7).into_bytes()).collect();
        let lines = lines_of(&[&script[..5_000], &script[5_000..]]);
        assert_eq!(lines.len(), 20_000);
        assert!(lines.iter().enumerate().all(|(i, l)| *l == (i % 7).to_string()));
    }

    #[test]
    fn a_line_longer_than_the_limit_is_cut_and_its_tail_skipped() {
        let long = vec![b'n'; MAX_LINE + 10];
        let lines = lines_of(&[&long[..100], &long[100..], b"\nsubmit\n"]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), MAX_LINE);
        assert_eq!(lines[1], "submit");
        // Exactly at the limit, the newline still ends it.
        let exact = [vec![b'x'; MAX_LINE], b"\nquit\n".to_vec()].concat();
        let lines = lines_of(&[&exact]);
        assert_eq!((lines[0].len(), lines[1].as_str()), (MAX_LINE, "quit"));
        // A tail that never ends is skipped to the end of input.
        let endless = vec![b'z'; 3 * MAX_LINE];
        let lines = lines_of(&[&endless[..MAX_LINE + 1], &endless[MAX_LINE + 1..]]);
        assert_eq!(lines.len(), 1);
    }
}
