//! Problems found in bank files, each pointing at `path:line:col`.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::text::{printable_cow, printable_line_cow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a diagnostic is about: the bank format's own rules, or one of the authoring checks
/// (docs/bank-format.md, "Authoring checks"), which are warnings about cues a test-wise
/// candidate could use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// Syntax, schema and every other rule of the bank format.
    Format,
    SameKeyPosition,
    KeyLength,
    AbsoluteWords,
    NearDuplicateStem,
    LetterInExplanation,
    ShippedIdClash,
}

impl Check {
    pub const AUTHORING: [Check; 6] = [
        Check::SameKeyPosition,
        Check::KeyLength,
        Check::AbsoluteWords,
        Check::NearDuplicateStem,
        Check::LetterInExplanation,
        Check::ShippedIdClash,
    ];

    /// The name in summaries and in `check --format json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Format => "format",
            Check::SameKeyPosition => "same-key-position",
            Check::KeyLength => "key-length",
            Check::AbsoluteWords => "absolute-words",
            Check::NearDuplicateStem => "near-duplicate-stem",
            Check::LetterInExplanation => "letter-in-explanation",
            Check::ShippedIdClash => "shipped-id-clash",
        }
    }
}

/// A place in a file: 1-based line and column (in characters). The path is shared by the
/// places of one file (`LineIndex`): a large bank has a place for every question.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: Arc<str>,
    pub line: usize,
    pub col: usize,
}

impl Location {
    /// The location of byte offset `offset` in `source`.
    pub fn at(path: &str, source: &str, offset: usize) -> Self {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { path: path.into(), line, col }
    }

    pub fn of_span(path: &str, source: &str, span: &Range<usize>) -> Self {
        Self::at(path, source, span.start)
    }

    /// For problems with a whole file (one that cannot be read, say).
    pub fn file(path: &str) -> Self {
        Location { path: path.into(), line: 1, col: 1 }
    }
}

/// Start offsets of every line of a file, so many spans become `line:col` without
/// rescanning the file for each one; the places share one copy of the file's path.
pub struct LineIndex<'a> {
    path: Arc<str>,
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(path: &str, source: &'a str) -> Self {
        LineIndex { path: path.into(), source, starts: line_starts(source.as_bytes()) }
    }

    /// The same as `Location::at(path, source, offset)`, in O(log lines + line length).
    pub fn locate(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let col = self.source[line_start..offset].chars().count() + 1;
        Location { path: self.path.clone(), line, col }
    }
}

/// The offset of every line's start: 0, then one past each `\n`. Sized once (the line ends
/// counted first), then filled a block of 32 bytes at a time: the block's line ends as a bit
/// mask (a comparison per byte, without a branch, so it vectorises), one entry per set bit.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(crate::text::count_byte(bytes, b'\n') + 1);
    starts.push(0);
    let mut blocks = bytes.chunks_exact(32);
    let mut base = 0;
    for block in &mut blocks {
        let mut mask =
            block.iter().enumerate().fold(0u32, |mask, (i, &b)| mask | (u32::from(b == b'\n') << i));
        while mask != 0 {
            starts.push(base + mask.trailing_zeros() as usize + 1);
            mask &= mask - 1;
        }
        base += 32;
    }
    starts.extend(
        blocks.remainder().iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| base + i + 1),
    );
    starts
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name is untrusted too: it may hold escape sequences.
        write!(f, "{}:{}:{}", printable_line_cow(&self.path), self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub severity: Severity,
    pub check: Check,
    pub message: String,
}

impl Diagnostic {
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic { location, severity: Severity::Error, check: Check::Format, message: message.into() }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic { location, severity: Severity::Warning, check: Check::Format, message: message.into() }
    }

    /// A warning from one of the authoring checks.
    pub fn authoring(check: Check, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { location, severity: Severity::Warning, check, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The parser's messages quote the offending text, which is untrusted.
        write!(f, "{}: {}: {}", self.location, self.severity.as_str(), printable_cow(&self.message))
    }
}

/// Sorts diagnostics by place, so a report reads top to bottom through each file.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.location.cmp(&b.location).then(a.severity.cmp(&b.severity)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(Location::at("f", src, 0).to_string(), "f:1:1");
        assert_eq!(Location::at("f", src, 6).to_string(), "f:2:1");
        // 'é' is two bytes but one column.
        assert_eq!(Location::at("f", src, 9).to_string(), "f:2:3");
        // Past the end and inside a character: clamped, never a panic.
        assert_eq!(Location::at("f", src, 8).to_string(), "f:2:2");
        assert_eq!(Location::at("f", src, 999).to_string(), "f:3:1");
    }

    proptest::proptest! {
        #[test]
        fn line_starts_agree_with_a_search_for_each_line_end(
            text in "[a\n\u{e9}\u{65e5} ]{0,300}",
        ) {
            let expected: Vec<usize> =
                std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            proptest::prop_assert_eq!(line_starts(text.as_bytes()), expected);
        }
    }

    #[test]
    fn the_line_index_agrees_with_a_scan() {
        let src = "a = 1\nbé = 2\n\nlast";
        let index = LineIndex::new("f", src);
        for offset in 0..src.len() + 3 {
            assert_eq!(index.locate(offset), Location::at("f", src, offset), "offset {offset}");
        }
    }
}
