//! Cutting a large question file into pieces that parse on their own, so that parsing it
//! never holds the whole file's TOML document in memory (a parsed document takes twenty
//! times or more its text). Pure: text in, byte ranges out.
//!
//! A piece starts at a `[[question]]` or `[[scenario]]` header written at the start of a
//! line, outside any string, array or inline table. Cutting there changes nothing: each
//! such header appends one element to its array, and everything up to the next one belongs
//! to that element. A file is only cut when that reasoning holds for all of it: before the
//! first question or scenario there may be comments, blank lines and one `[source]` table
//! (the file's provenance, which applies to every question: it is repeated in front of
//! every later piece), and every other header names a part of the question or scenario
//! above it. Anything else (a top-level key, a header of another kind, quoted header keys,
//! a string that never ends) and the file is parsed whole, as before, so its problems are
//! reported exactly as they always were.

use std::ops::Range;

use crate::text::first_of;

/// How a file is cut: the text in front of every piece but the first (the file's
/// `[source]` table, or nothing) and the pieces, which cover the file in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pieces {
    pub preamble: Range<usize>,
    pub pieces: Vec<Range<usize>>,
}

/// Where a line-start header sits among the file's top-level items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// Before the first `[[question]]` or `[[scenario]]`.
    Preamble,
    /// Inside the file's `[source]` table, before the first question or scenario.
    Source,
    Question,
    Scenario,
}

/// The ranges to parse one by one, each at least `target` bytes long (but the last), or
/// `None` when the file must be parsed whole (see the module's comment).
pub fn split(text: &str, target: usize) -> Option<Pieces> {
    let bytes = text.as_bytes();
    let mut group = Group::Preamble;
    let mut source_at: Option<usize> = None;
    let mut preamble = 0..0;
    let mut starts: Vec<usize> = Vec::new();
    let mut depth: usize = 0;
    // A byte-order mark is not part of the first line's text.
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut line_start = true;
    while at < bytes.len() {
        if line_start && depth == 0 {
            // A header or a key, after any indentation.
            let first = at + bytes[at..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
            if bytes.get(first) == Some(&b'[') {
                let end = line_end(bytes, first);
                let starts_element = match (header_name(&text[first..end])?, group) {
                    (Header::Array("question"), _) => Some(Group::Question),
                    (Header::Array("scenario"), _) => Some(Group::Scenario),
                    (Header::Table("source"), Group::Preamble) => {
                        group = Group::Source;
                        source_at = Some(at);
                        None
                    }
                    (Header::Array(name) | Header::Table(name), Group::Question)
                        if name.starts_with("question.") =>
                    {
                        None
                    }
                    (Header::Array(name) | Header::Table(name), Group::Scenario)
                        if name.starts_with("scenario.") =>
                    {
                        None
                    }
                    _ => return None,
                };
                if let Some(element) = starts_element {
                    if starts.is_empty()
                        && let Some(source) = source_at
                    {
                        preamble = source..at;
                    }
                    starts.push(at);
                    group = element;
                }
                at = end;
                continue;
            }
            // A key at the top level (before any header): only the parser knows what it does.
            if group == Group::Preamble && !matches!(bytes.get(first), None | Some(b'\n' | b'\r' | b'#')) {
                return None;
            }
        }
        let b = bytes[at];
        line_start = b == b'\n';
        at = match b {
            // Plain text (most of a file outside strings): on to the next byte that matters.
            _ if !matters(b) => first_of(bytes, at, matters).unwrap_or(bytes.len()),
            b'#' => line_end(bytes, at),
            b'"' if bytes[at..].starts_with(b"\"\"\"") => multi_line_end(bytes, at + 3, b'"')?,
            b'\'' if bytes[at..].starts_with(b"\'\'\'") => multi_line_end(bytes, at + 3, b'\'')?,
            b'"' | b'\'' => one_line_end(bytes, at + 1, b)?,
            b'[' | b'{' => {
                depth += 1;
                at + 1
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                at + 1
            }
            _ => at + 1,
        };
        // A comment runs to its line's end, included: the next line starts a line.
        if b == b'#' {
            line_start = true;
        }
    }
    if depth != 0 || starts.is_empty() || group == Group::Source {
        return None;
    }
    // The first piece holds whatever comes before the first question (comments, the source
    // table); pieces are cut at question or scenario starts once they reach `target`.
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    for &start in &starts[1..] {
        if start - piece_start >= target {
            pieces.push(piece_start..start);
            piece_start = start;
        }
    }
    pieces.push(piece_start..bytes.len());
    Some(Pieces { preamble, pieces })
}

enum Header<'a> {
    Table(&'a str),
    Array(&'a str),
}

/// The name of a header line (`[a.b]` or `[[a.b]]`, spaces around the name and a trailing
/// comment allowed); `None` for anything this module does not read (quoted keys, spaces
/// inside the name, text after the header).
fn header_name(line: &str) -> Option<Header<'_>> {
    let line = match line.find('#') {
        Some(hash) => &line[..hash],
        None => line,
    };
    let line = line.trim_end_matches([' ', '\t', '\r', '\n']);
    let (inner, array) = match line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
        Some(inner) => (inner, true),
        None => (line.strip_prefix('[')?.strip_suffix(']')?, false),
    };
    let name = inner.trim_matches([' ', '\t']);
    let plain = !name.is_empty()
        && name.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        });
    if !plain {
        return None;
    }
    Some(if array { Header::Array(name) } else { Header::Table(name) })
}

/// The bytes `split` looks at outside strings; the others are skipped in blocks.
fn matters(b: u8) -> bool {
    // `|`, not `||` or a match: no branch per byte, so `first_of`'s blocks vectorise.
    (b == b'#')
        | (b == b'"')
        | (b == b'\'')
        | (b == b'[')
        | (b == b'{')
        | (b == b']')
        | (b == b'}')
        | (b == b'\n')
}

/// The offset just past the end of the line holding `at` (its `\n`, or the end of text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    first_of(bytes, at, |b| b == b'\n').map_or(bytes.len(), |i| i + 1)
}

/// The offset just past a one-line string's closing `quote` (`at` is just inside it);
/// `None` when the line ends first.
fn one_line_end(bytes: &[u8], mut at: usize, quote: u8) -> Option<usize> {
    while at < bytes.len() {
        at = first_of(bytes, at, |b| (b == b'\n') | (b == b'\\') | (b == quote))?;
        match bytes[at] {
            b'\n' => return None,
            // An escaped line break is no escape in a one-line string: the parser decides.
            b'\\' if quote == b'"' && bytes.get(at + 1) == Some(&b'\n') => return None,
            b'\\' if quote == b'"' => at += 2,
            b if b == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// The offset just past a multi-line string's closing delimiter (`at` is just inside it;
/// up to two more quotes before the delimiter belong to the string); `None` if it never ends.
fn multi_line_end(bytes: &[u8], mut at: usize, quote: u8) -> Option<usize> {
    let closing = [quote; 3];
    let escapes = quote == b'"';
    while at < bytes.len() {
        at = first_of(bytes, at, |b| (b == quote) | (escapes & (b == b'\\')))?;
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            _ if bytes[at..].starts_with(&closing) => {
                let extra = bytes[at + 3..].iter().take(2).take_while(|&&b| b == quote).count();
                return Some(at + 3 + extra);
            }
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Option<Vec<&str>> {
        split(text, 1).map(|p| p.pieces.into_iter().map(|r| &text[r]).collect())
    }

    #[test]
    fn cuts_at_every_question_and_scenario() {
        let text = "# bank\n[[question]]\nid = \"a\"\n[[question.option]]\ntext = \"x\"\n\
                    [[scenario]]\nid = \"s\"\n[[question]]\nid = \"b\"\n";
        assert_eq!(
            cut(text).unwrap(),
            [
                "# bank\n[[question]]\nid = \"a\"\n[[question.option]]\ntext = \"x\"\n",
                "[[scenario]]\nid = \"s\"\n",
                "[[question]]\nid = \"b\"\n"
            ]
        );
        assert_eq!(split(text, 1).unwrap().preamble, 0..0);
    }

    #[test]
    fn pieces_reach_the_target_before_a_cut() {
        let one = "[[question]]\nid = \"a\"\n";
        let text = one.repeat(10);
        let pieces = split(&text, 3 * one.len()).unwrap().pieces;
        assert_eq!(pieces.len(), 4);
        assert!(pieces.iter().take(3).all(|r| r.len() == 3 * one.len()));
        assert_eq!(pieces.last().unwrap().end, text.len());
    }

    #[test]
    fn headers_inside_strings_comments_and_arrays_are_not_cuts() {
        let text = "[[question]]\nstem = \"\"\"\n[[question]]\n\"\"\"\n# [[question]]\n\
                    tags = [\n[1],\n]\nx = '''\n[[question]]'''\nq = \"a\\\"[[b\"\n\
                    y = \"\"\"quoted \"\"\"\"\"\n[[question]]\nid = 'b'\n";
        let pieces = cut(text).unwrap();
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert_eq!(pieces[1], "[[question]]\nid = 'b'\n");
    }

    #[test]
    fn the_source_table_is_the_preamble() {
        let text = "# from GIFT\n[source]\nurl = \"https://example.com\"\n\n[[question]]\nid = \"a\"\n[[question]]\n";
        let pieces = split(text, 1).unwrap();
        assert_eq!(&text[pieces.preamble], "[source]\nurl = \"https://example.com\"\n\n");
        assert_eq!(pieces.pieces.len(), 2);
    }

    #[test]
    fn anything_unusual_is_parsed_whole() {
        for text in [
            "id = \"top-level key\"\n[[question]]\n",
            "[[question]]\n[source]\nurl = \"late\"\n",
            "[[question]]\n[[scenario.option]]\n",
            "[[scenario]]\n[[question.option]]\n",
            "[[\"question\"]]\n",
            "[[question]]\nstem = \"\"\"never closed\n",
            "[[question]]\nstem = \"one line\nbroken\"\n",
            "[[question]]\ntags = [\"a\"\n",
            "[[question]]\nx = ]\n",
            "[other]\n[[question]]\n",
            "[[question]] x\n",
            "[source]\n",
            "# nothing\n",
            "[source]\n[source]\n[[question]]\n",
        ] {
            assert_eq!(split(text, 1), None, "{text:?}");
        }
    }
}
