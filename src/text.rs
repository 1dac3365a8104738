//! Bank text is untrusted: it must never move the cursor, recolour the terminal or hide
//! text. These helpers find and neutralise anything that could.

/// The first character in `text` that must not reach a terminal, if any:
/// - control characters other than newline and tab (which covers ESC and so every escape
///   sequence, DEL and the C1 controls), and a carriage return that does not end a line;
/// - the bidirectional overrides, isolates and marks (LRM, RLM, ALM), which reorder or
///   disguise what is shown;
/// - invisible characters that hide text or change it silently: zero-width spaces and
///   joiners, the word joiner and invisible operators, the soft hyphen, the byte-order mark
///   inside text, the line and paragraph separators, interlinear annotations, the Mongolian
///   vowel separator and the Unicode tag characters (U+E0000 block, usable to smuggle text);
/// - a flood of combining marks (more than three in a row on one character).
///
/// Policy: bank files with any of these are refused by `check` with the location; any other
/// text that reaches the terminal (store contents, typed input, file names) goes through
/// `printable`, which shows them as U+FFFD.
pub fn forbidden_char(text: &str) -> Option<char> {
    // Fast path: plain ASCII without control characters (most bank text), a block of bytes
    // at a time (no early exit inside a block, so it vectorises).
    if all_bytes(text.as_bytes(), |b| printable_ascii(b) | (b == b'\n') | (b == b'\t')) {
        return None;
    }
    forbidden_char_in(text)
}

/// `forbidden_char` a character at a time, whatever the text.
fn forbidden_char_in(text: &str) -> Option<char> {
    let mut combining_run = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_forbidden(c) {
            return Some(c);
        }
        if is_combining(c) {
            combining_run += 1;
            if combining_run > MAX_COMBINING {
                return Some(c);
            }
        } else {
            combining_run = 0;
        }
    }
    None
}

/// A printable ASCII byte (space to `~`), tested without a branch.
fn printable_ascii(b: u8) -> bool {
    b.wrapping_sub(0x20) < 0x5f
}

/// Bytes per block of `all_bytes`, `count_byte` and `first_of`.
const BLOCK: usize = 32;

/// The offset of the first byte at or after `from` that `stop` accepts (`None`: none
/// before the end). Blocks without one are skipped whole, each tested without an early
/// exit, so the test vectorises: bank files are mostly long runs of plain text.
pub(crate) fn first_of(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> Option<usize> {
    let mut at = from;
    while let Some(block) = bytes.get(at..).and_then(|rest| rest.first_chunk::<BLOCK>()) {
        if block.iter().fold(0u8, |any, &b| any | u8::from(stop(b))) != 0 {
            break;
        }
        at += BLOCK;
    }
    bytes.get(at..)?.iter().position(|&b| stop(b)).map(|i| at + i)
}

/// Whether `ok` accepts every byte of `bytes`. Blocks of `BLOCK` bytes are tested whole,
/// without an early exit and with `ok` written without `||` by the caller, so the test
/// vectorises; a block that fails stops the scan.
pub(crate) fn all_bytes(bytes: &[u8], ok: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        if block.iter().fold(1u8, |all, &b| all & u8::from(ok(b))) == 0 {
            return false;
        }
    }
    blocks.remainder().iter().all(|&b| ok(b))
}

/// How many times `byte` occurs in `bytes`, counted a block at a time (vectorised).
pub(crate) fn count_byte(bytes: &[u8], byte: u8) -> usize {
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut count = 0;
    for block in &mut blocks {
        count += usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(b == byte)));
    }
    count + blocks.remainder().iter().filter(|&&b| b == byte).count()
}

/// Combining marks allowed on one character: enough for any real script's accents.
const MAX_COMBINING: usize = 3;

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{00ad}'                         // soft hyphen
            | '\u{061c}'                       // Arabic letter mark
            | '\u{180e}'                       // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}'          // zero-width space, joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'           // line and paragraph separators
            | '\u{202a}'..='\u{202e}'          // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'          // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'          // bidi isolates
            | '\u{feff}'                       // byte-order mark / zero-width no-break space
            | '\u{fff9}'..='\u{fffb}'          // interlinear annotation
            | '\u{e0000}'..='\u{e007f}' // tag characters
        )
}

/// `text` made safe to print: forbidden characters become U+FFFD, tabs become spaces, a
/// CRLF line end becomes a plain newline, and combining floods are cut.
pub fn printable(text: &str) -> String {
    // Fast path: printable ASCII and line breaks (most messages) come out as they are.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b) || b == b'\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut combining_run = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_combining(c) {
            combining_run += 1;
            if combining_run > MAX_COMBINING {
                continue;
            }
        } else {
            combining_run = 0;
        }
        match c {
            '\t' => out.push(' '),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if is_forbidden(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `printable`, and on one line: a newline is shown as U+FFFD too. For text quoted inside
/// one of proctor's own lines (a typed command, a file name), so it cannot start a fake one.
pub fn printable_line(text: &str) -> String {
    printable(text).replace('\n', "\u{fffd}")
}

/// `printable`, borrowed when the text is printable ASCII and line breaks (nothing to change).
pub fn printable_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if all_bytes(text.as_bytes(), |b| printable_ascii(b) | (b == b'\n')) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(printable(text))
    }
}

/// `printable_line`, borrowed when the text is printable ASCII (nothing to change).
pub fn printable_line_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if all_bytes(text.as_bytes(), printable_ascii) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(printable_line(text))
    }
}

/// Typed text (a note, a form field) kept as one plain line: forbidden characters are
/// dropped, combining floods cut, and every run of whitespace (line breaks included)
/// becomes one space, trimmed at both ends.
pub fn plain_line(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut combining_run = 0;
    for c in text.chars() {
        if is_combining(c) {
            combining_run += 1;
            if combining_run > MAX_COMBINING {
                continue;
            }
        } else {
            combining_run = 0;
        }
        if c.is_whitespace() {
            kept.push(' ');
        } else if !is_forbidden(c) {
            kept.push(c);
        }
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A piece of bank text: prose (word-wrapped on screen) or a fenced code block (verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Prose(String),
    Code {
        /// The first word of the fence's info string (```` ```python ````), if any.
        lang: Option<String>,
        /// The lines between the fences, with the opening fence's indentation taken off.
        lines: Vec<String>,
    },
}

/// Columns between tab stops when a tab in a code block is expanded (at load).
pub const TAB_STOP: usize = 4;

/// An opening fence: (indentation, backticks, info string). As in CommonMark: a line of
/// three or more backticks, optionally indented, then an info string without backticks.
fn opening_fence(line: &str) -> Option<(usize, usize, &str)> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    let ticks = trimmed.bytes().take_while(|&b| b == b'`').count();
    if ticks < 3 {
        return None;
    }
    let info = trimmed[ticks..].trim();
    if info.contains('`') {
        return None;
    }
    Some((line.len() - trimmed.len(), ticks, info))
}

/// A closing fence: only backticks, at least as many as the opening one.
fn closes(line: &str, ticks: usize) -> bool {
    let t = line.trim();
    t.len() >= ticks && t.bytes().all(|b| b == b'`')
}

/// `line` without up to `indent` leading spaces (the opening fence's own indentation).
fn dedent(line: &str, indent: usize) -> &str {
    let spaces = line.bytes().take(indent).take_while(|&b| b == b' ').count();
    &line[spaces..]
}

/// The lines of `text`, a CRLF line end counted as one.
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Where a fence opened and whether it closed: (0-based line of the opening fence, closed).
struct Scanned {
    blocks: Vec<Block>,
    unclosed: Option<usize>,
}

/// A code block being read: where its fence opened, how, and its lines so far.
struct OpenFence {
    line: usize,
    indent: usize,
    ticks: usize,
    lang: Option<String>,
    lines: Vec<String>,
}

fn scan(text: &str) -> Scanned {
    let mut blocks = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut code: Option<OpenFence> = None;
    for (n, line) in text_lines(text).enumerate() {
        if let Some(open) = code.as_mut() {
            if closes(line, open.ticks) {
                if let Some(open) = code.take() {
                    blocks.push(Block::Code { lang: open.lang, lines: open.lines });
                }
            } else {
                open.lines.push(dedent(line, open.indent).to_string());
            }
            continue;
        }
        if let Some((indent, ticks, info)) = opening_fence(line) {
            if !prose.is_empty() {
                blocks.push(Block::Prose(prose.join("\n")));
                prose.clear();
            }
            let lang = info.split_whitespace().next().map(str::to_string);
            code = Some(OpenFence { line: n, indent, ticks, lang, lines: Vec::new() });
            continue;
        }
        prose.push(line);
    }
    let unclosed = code.as_ref().map(|open| open.line);
    if let Some(open) = code {
        // As in CommonMark, an unclosed fence runs to the end (`check` refuses it in banks).
        blocks.push(Block::Code { lang: open.lang, lines: open.lines });
    }
    if !prose.is_empty() {
        blocks.push(Block::Prose(prose.join("\n")));
    }
    Scanned { blocks, unclosed }
}

/// `text` as prose and fenced code blocks, in order. Text without a fence is one prose
/// block (or none when empty).
pub fn blocks(text: &str) -> Vec<Block> {
    scan(text).blocks
}

/// Whether `text` holds a fenced code block (a cheap test before `blocks`).
pub fn has_code(text: &str) -> bool {
    text.contains("```") && blocks(text).iter().any(|b| matches!(b, Block::Code { .. }))
}

/// The 0-based line of a fence that opens a code block and is never closed, if any.
pub fn unclosed_fence(text: &str) -> Option<usize> {
    // A backtick first (a block scan), the three of a fence only then.
    if all_bytes(text.as_bytes(), |b| b != b'`') || !text.contains("```") {
        return None;
    }
    scan(text).unclosed
}

/// `text` with every tab inside a fenced code block expanded to spaces (tab stops every
/// `TAB_STOP` columns, counted from the start of the line as written), so code shows the
/// same in a terminal, a page and an export. Tabs outside code are left as they are.
pub fn expand_code_tabs(text: &str) -> std::borrow::Cow<'_, str> {
    if all_bytes(text.as_bytes(), |b| b != b'\t') || !text.contains("```") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut ticks: Option<usize> = None;
    for (n, raw) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        match ticks {
            Some(t) if closes(raw, t) => {
                ticks = None;
                out.push_str(raw);
            }
            Some(_) => {
                let mut column = 0;
                for c in raw.chars() {
                    if c == '\t' {
                        let spaces = TAB_STOP - column % TAB_STOP;
                        out.extend(std::iter::repeat_n(' ', spaces));
                        column += spaces;
                    } else {
                        out.push(c);
                        column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    }
                }
            }
            None => {
                if let Some((_, t, _)) = opening_fence(raw.strip_suffix('\r').unwrap_or(raw)) {
                    ticks = Some(t);
                }
                out.push_str(raw);
            }
        }
    }
    out.into()
}

/// Word-wraps `text` to `width` columns (by display width: a wide character takes two
/// columns; a word is never cut in two), indenting every line by
/// `indent` spaces. As in Markdown, a single line break inside a paragraph is a space and
/// a blank line separates paragraphs; a line starting with "- ", "* ", "1. " or "2) "
/// starts a list item on a line of its own, wrapped with a hanging indent under its first
/// word (`paragraphs`).
///
/// A fenced code block is never re-wrapped: its lines are printed as they are, indented
/// `indent + 4` spaces, with a blank line between it and the prose around it. A code line
/// wider than `width` stays one line (the terminal folds it at its edge; copied, it is
/// still one line).
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    if !text.contains("```") {
        return wrap_prose(text, width, indent);
    }
    let pieces: Vec<String> = blocks(text)
        .iter()
        .map(|block| match block {
            Block::Prose(prose) => wrap_prose(prose, width, indent),
            Block::Code { lines, .. } => code_lines(lines, indent),
        })
        .filter(|piece| !piece.is_empty())
        .collect();
    pieces.join("\n\n")
}

/// A code block's lines for the terminal: each indented `indent + 4`, blank lines empty.
fn code_lines(lines: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent + 4);
    let lines: Vec<String> = lines
        .iter()
        .map(|line| if line.trim().is_empty() { String::new() } else { format!("{pad}{}", line.trim_end()) })
        .collect();
    // An empty block still shows as one (blank) line, not as nothing.
    if lines.is_empty() { pad.trim_end().to_string() } else { lines.join("\n") }
}

/// The marker that starts a list item on `line` (already trimmed), with the space after
/// it: `- `, `* `, or a number of one to three digits and `.` or `)` (`1. `, `12) `).
pub fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(&line[..2]);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line.as_bytes()[digits..];
    ((1..=3).contains(&digits) && rest.len() >= 2 && matches!(rest[0], b'.' | b')') && rest[1] == b' ')
        .then(|| &line[..digits + 2])
}

/// A paragraph of prose: its words on one line, and the list marker it starts with, if
/// it is a list item (the marker is not repeated in `words`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub marker: Option<String>,
    pub words: String,
}

/// Prose as Markdown reads it: a single line break inside a paragraph is a space, a blank
/// line separates paragraphs (an empty `Paragraph` stands for each run of blank lines),
/// and a line starting with a list marker (`list_marker`) starts a list item that runs to
/// the next item, blank line or end. `label_first`: the first line starts with a label
/// written by proctor ("1. " of a matching prompt), never a list marker.
pub fn paragraphs(text: &str, label_first: bool) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (n, line) in text.trim().lines().enumerate() {
        let line = line.trim();
        let marker = if n == 0 && label_first { None } else { list_marker(line) };
        if line.is_empty() || marker.is_some() {
            paragraphs.extend(current.take());
            if line.is_empty() {
                if paragraphs.last().is_some_and(|p| p.words.is_empty() && p.marker.is_none()) {
                    continue;
                }
                paragraphs.push(Paragraph { marker: None, words: String::new() });
                continue;
            }
        }
        let (marker, rest) = match marker {
            Some(m) => (Some(m.trim_end().to_string()), line[m.len()..].trim_start()),
            None => (None, line),
        };
        match current.as_mut() {
            Some(p) => {
                p.words.push(' ');
                p.words.push_str(rest);
            }
            None => current = Some(Paragraph { marker, words: rest.to_string() }),
        }
    }
    paragraphs.extend(current);
    paragraphs
}

fn wrap_prose(text: &str, width: usize, indent: usize) -> String {
    wrap_prose_as(text, width, indent, false)
}

fn wrap_prose_as(text: &str, width: usize, indent: usize, label_first: bool) -> String {
    let width = width.saturating_sub(indent).max(20);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, paragraph) in paragraphs(text, label_first).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if paragraph.words.is_empty() && paragraph.marker.is_none() {
            continue;
        }
        out.push_str(&pad);
        // A list item: its marker, then its words with a hanging indent under the first.
        let (mut line_len, hang) = match &paragraph.marker {
            Some(marker) => {
                out.push_str(marker);
                let len = unicode_width::UnicodeWidthStr::width(marker.as_str()) + 1;
                if !paragraph.words.is_empty() {
                    out.push(' ');
                }
                (len, len)
            }
            None => (0, 0),
        };
        let mut first = true;
        for word in paragraph.words.split_whitespace() {
            let len = unicode_width::UnicodeWidthStr::width(word);
            if !first && line_len + 1 + len > width {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(&" ".repeat(hang));
                line_len = hang;
            } else if !first {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += len;
            first = false;
        }
    }
    out
}

/// Wraps each line of `text` on its own (line breaks kept, unlike `wrap`), for messages
/// written by proctor rather than bank prose.
pub fn wrap_lines(text: &str, width: usize) -> String {
    text.lines()
        .map(|line| if line.trim().is_empty() { String::new() } else { wrap(line, width, 0) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Like `wrap` with `indent`, but the first line starts with `first` instead of the
/// indent (a hanging indent: "  A. text" with continuation lines under the text).
/// The text starts with proctor's label ("A. ", "1. "): that is never a list marker.
pub fn wrap_hanging(text: &str, width: usize, first: &str, indent: usize) -> String {
    let wrapped = if text.contains("```") {
        wrap(text, width, indent)
    } else {
        wrap_prose_as(text, width, indent, true)
    };
    let rest = wrapped.strip_prefix(&" ".repeat(indent)).unwrap_or(&wrapped);
    format!("{first}{rest}")
}

/// `label` followed by `text`, with a hanging indent (as `wrap_hanging` of the two joined),
/// where `text` may start with a code block: then the label stands alone on its line and
/// the code follows below it.
pub fn wrap_labelled(label: &str, text: &str, width: usize, first: &str, indent: usize) -> String {
    if !text.contains("```") {
        return wrap_hanging(&format!("{label}{text}"), width, first, indent);
    }
    let blocks = blocks(text);
    let mut pieces: Vec<String> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Prose(prose) if i == 0 => {
                pieces.push(wrap_hanging(&format!("{label}{prose}"), width, first, indent))
            }
            Block::Prose(prose) => pieces.push(wrap_prose(prose, width, indent)),
            Block::Code { lines, .. } => {
                let code = code_lines(lines, indent);
                if i == 0 {
                    pieces.push(format!("{first}{}\n{code}", label.trim_end()));
                } else {
                    pieces.push(code);
                }
            }
        }
    }
    if pieces.is_empty() {
        return format!("{first}{}", label.trim_end());
    }
    pieces.retain(|p| !p.is_empty());
    pieces.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_block_scans_agree_with_a_byte_at_a_time(
            bytes in prop::collection::vec(prop_oneof![Just(b'\n'), Just(b'\t'), Just(0x7f_u8), 0x1e_u8..0x22, any::<u8>()], 0..200),
            fill in 0usize..100,
        ) {
            // Long plain runs around the sampled bytes, so whole blocks pass and fail.
            let mut all = vec![b'a'; fill];
            all.extend(&bytes);
            all.extend(std::iter::repeat_n(b'b', fill));
            let plain = |b: u8| printable_ascii(b) | (b == b'\n') | (b == b'\t');
            prop_assert_eq!(all_bytes(&all, plain), all.iter().all(|&b| plain(b)));
            prop_assert_eq!(count_byte(&all, b'\n'), all.iter().filter(|&&b| b == b'\n').count());
            let text = String::from_utf8_lossy(&all);
            prop_assert_eq!(forbidden_char(&text), forbidden_char_in(&text));
            prop_assert_eq!(printable_cow(&text), printable(&text));
            prop_assert_eq!(printable_line_cow(&text), printable_line(&text));
        }
    }

    #[test]
    fn a_plain_line_keeps_words_and_drops_what_could_reach_a_terminal() {
        assert_eq!(plain_line("  the key\r\nis\twrong  "), "the key is wrong");
        assert_eq!(plain_line("red\u{1b}[31m text\u{202e}\u{200b}!"), "red[31m text!");
        assert_eq!(plain_line("line\u{2028}break"), "line break");
        assert_eq!(plain_line("e\u{301}\u{301}\u{301}\u{301}\u{301}"), "e\u{301}\u{301}\u{301}");
        assert_eq!(plain_line("\u{7}\n "), "");
        assert_eq!(forbidden_char(&plain_line("a\u{9b}b\u{e0041}c")), None);
    }

    #[test]
    fn wide_characters_count_twice() {
        // Ten wide characters fill twenty columns: two words of them do not share a line.
        let wide = "\u{65e5}".repeat(10);
        let text = format!("{wide} {wide}");
        assert_eq!(wrap(&text, 25, 0).lines().count(), 2);
        assert_eq!(wrap("ab cd", 25, 0), "ab cd");
    }

    #[test]
    fn invisible_and_reordering_characters_are_forbidden() {
        for hostile in [
            "zero\u{200b}width",
            "soft\u{00ad}hyphen",
            "lrm\u{200e}",
            "alm\u{061c}",
            "tag\u{e0041}",
            "line\u{2028}sep",
            "bom\u{feff}",
            "annot\u{fff9}",
            "rlo\u{202e}",
            "a\u{0301}\u{0301}\u{0301}\u{0301}",
            "bell\u{7}",
            "esc\u{1b}[2J",
            "c1\u{85}",
            "lone\rcr",
        ] {
            assert!(forbidden_char(hostile).is_some(), "{hostile:?}");
            assert!(
                !printable(hostile).contains(['\u{200b}', '\u{1b}', '\u{e0041}', '\u{202e}']),
                "{hostile:?}"
            );
        }
        for fine in [
            "caf\u{e9}",
            "e\u{0301}",
            "crlf\r\nline",
            "tab\there",
            "na\u{ef}ve \u{2014} \u{201c}quoted\u{201d}",
        ] {
            assert_eq!(forbidden_char(fine), None, "{fine:?}");
        }
        assert_eq!(printable("a\r\nb"), "a\nb");
        assert_eq!(printable_line("fake\nTime is up."), "fake\u{fffd}Time is up.");
    }

    #[test]
    fn finds_escape_sequences_and_bidi_overrides() {
        assert_eq!(forbidden_char("plain\ntext\twith tab"), None);
        assert_eq!(forbidden_char("red \u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(forbidden_char("bell \u{7}"), Some('\u{7}'));
        assert_eq!(forbidden_char("c1 \u{9b}"), Some('\u{9b}'));
        assert_eq!(forbidden_char("flip \u{202e}"), Some('\u{202e}'));
        assert_eq!(forbidden_char("cr \r"), Some('\r'));
    }

    #[test]
    fn printable_neutralises() {
        assert_eq!(printable("a\u{1b}[2Jb\tc"), "a\u{fffd}[2Jb c");
    }

    #[test]
    fn wrap_lines_keeps_line_breaks() {
        let text = "one two\nthree four five six seven eight nine";
        assert_eq!(wrap_lines(text, 20), "one two\nthree four five six\nseven eight nine");
        assert_eq!(wrap_lines("a\n\nb", 20), "a\n\nb");
    }

    #[test]
    fn hanging_indent_keeps_every_line_in_width() {
        let text = "B. wrong (your choice): a rationale that is long enough to need two lines at least";
        let out = wrap_hanging(text, 40, "  ", 6);
        assert!(out.starts_with("  B. wrong"), "{out}");
        for line in out.lines().skip(1) {
            assert!(line.starts_with("      ") && line.chars().count() <= 40, "{line:?}");
        }
        assert!(out.lines().next().unwrap().chars().count() <= 40);
    }

    #[test]
    fn wraps_words_and_keeps_paragraphs() {
        let text = "one two three\nfour five six\n\nseven\n- eight\n- nine";
        assert_eq!(wrap(text, 30, 2), "  one two three four five six\n\n  seven\n  - eight\n  - nine");
        let long = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii";
        for line in wrap(long, 20, 0).lines() {
            assert!(line.chars().count() <= 20, "{line}");
        }
    }

    #[test]
    fn list_items_keep_their_lines_with_a_hanging_indent() {
        let text = "Three data sets:\n1. Processed image sets that are derived from the originals and\ncan be regenerated.\n2) Original scans.\n- a bullet that is long enough to wrap round\n* another\n\nWhich?";
        assert_eq!(
            wrap(text, 40, 2),
            "  Three data sets:\n  1. Processed image sets that are\n     derived from the originals and can\n     be regenerated.\n  2) Original scans.\n  - a bullet that is long enough to wrap\n    round\n  * another\n\n  Which?"
        );
        // Not markers: a year, a decimal, four digits, no space after the dot.
        for line in ["2019 was a year", "1.5 TB of data", "1000. items", "3.list", "-5 degrees"] {
            assert_eq!(list_marker(line), None, "{line}");
        }
        assert_eq!(list_marker("12) twelve"), Some("12) "));
        // A label written by proctor is not a list item: its continuation lines stay under
        // the label's indent.
        let out = wrap_hanging("1. a matching prompt long enough to need a second line", 30, "   ", 6);
        assert_eq!(out, "   1. a matching prompt\n      long enough to need a\n      second line");
    }

    #[test]
    fn code_blocks_keep_their_lines_and_indentation() {
        let text = "Look:\n```python\ndef f():\n    return 1\n\n  # end\n```\nWhich line?";
        assert_eq!(
            blocks(text),
            vec![
                Block::Prose("Look:".into()),
                Block::Code {
                    lang: Some("python".into()),
                    lines: vec!["def f():".into(), "    return 1".into(), "".into(), "  # end".into()],
                },
                Block::Prose("Which line?".into()),
            ]
        );
        // The fence's own indentation comes off; a longer fence holds a shorter one.
        let nested = "  ````\n  ```\n    x\n  ````";
        assert_eq!(blocks(nested), vec![Block::Code { lang: None, lines: vec!["```".into(), "  x".into()] }]);
        assert_eq!(
            blocks("no fence, ```inline``` only"),
            vec![Block::Prose("no fence, ```inline``` only".into())]
        );
    }

    #[test]
    fn crlf_inside_a_code_block_is_a_line_end() {
        let text = "a\r\n```sh\r\n  ls -l\r\n```\r\nb";
        assert_eq!(blocks(text)[1], Block::Code { lang: Some("sh".into()), lines: vec!["  ls -l".into()] });
        assert_eq!(unclosed_fence(text), None);
    }

    #[test]
    fn an_unclosed_fence_is_found_by_its_line() {
        assert_eq!(unclosed_fence("one\ntwo\n```js\nlet x = 1;"), Some(2));
        assert_eq!(unclosed_fence("```\nx\n```\n\n```\ny"), Some(4));
        assert_eq!(unclosed_fence("```\nx\n```"), None);
        assert_eq!(unclosed_fence("no code"), None);
        // A closing fence must be at least as long as the opening one.
        assert_eq!(unclosed_fence("````\nx\n```"), Some(0));
    }

    #[test]
    fn tabs_in_code_expand_to_stops_of_four_and_prose_tabs_stay() {
        let text = "a\tb\n```\n\tx\n  \ty\nab\tc\n```\nc\td";
        assert_eq!(expand_code_tabs(text), "a\tb\n```\n    x\n    y\nab  c\n```\nc\td");
        assert!(matches!(expand_code_tabs("plain\ttext"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn wrap_prints_code_as_it_is_even_past_the_width() {
        let long = format!("let s = \"{}\";", "x".repeat(100));
        let text = format!(
            "Read this code, which is wider than the screen, and say what it does:\n```rust\nfn main() {{\n    {long}\n}}\n```\nWhat does it print?"
        );
        let out = wrap(&text, 40, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.contains(&"    fn main() {"), "{out}");
        assert!(lines.contains(&format!("        {long}").as_str()), "{out}");
        assert!(lines.contains(&"    }"), "{out}");
        // Prose still wraps, and a blank line separates it from the code.
        assert!(lines[0].chars().count() <= 40, "{out}");
        let fence = lines.iter().position(|l| *l == "    fn main() {").unwrap();
        assert_eq!(lines[fence - 1], "");
        assert!(!out.contains("```"), "{out}");
    }

    #[test]
    fn a_label_before_code_stands_on_its_own_line() {
        let out = wrap_labelled("A. ", "```\nx = 1\n```", 40, "", 6);
        assert_eq!(out, "A.\n          x = 1");
        let out = wrap_labelled("A. ", "Set\n```\nx = 1\n```", 40, "", 6);
        assert_eq!(out, "A. Set\n\n          x = 1");
    }
}
