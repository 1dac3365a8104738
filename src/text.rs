//! Bank text is untrusted: it must never move the cursor, recolour the terminal or hide
//! text. These helpers find and neutralise anything that could.

/// The first character in `text` that must not reach a terminal, if any: control
/// characters other than newline and tab (which covers ESC and so every escape sequence,
/// DEL and the C1 controls), and the bidirectional overrides that can reorder what is shown.
pub fn forbidden_char(text: &str) -> Option<char> {
    // Fast path: every forbidden character starts with a byte below 0x20, 0x7F (DEL),
    // 0xC2 (C1 controls) or 0xE2 (the bidi overrides); most text has none of them.
    let suspicious = |b: &u8| (*b < 0x20 && *b != b'\n' && *b != b'\t') || matches!(*b, 0x7f | 0xc2 | 0xe2);
    if !text.as_bytes().iter().any(suspicious) {
        return None;
    }
    text.chars().find(|&c| is_forbidden(c))
}

fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` made safe to print: forbidden characters become U+FFFD, tabs become spaces.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if is_forbidden(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Word-wraps `text` to `width` columns (counted in characters), indenting every line by
/// `indent` spaces. As in Markdown, a single line break inside a paragraph is a space and
/// a blank line separates paragraphs; a line starting with "- " or "* " starts a list
/// item, so short lists keep their shape.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let width = width.saturating_sub(indent).max(20);
    let pad = " ".repeat(indent);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.trim().lines() {
        let line = line.trim();
        let list_item = line.starts_with("- ") || line.starts_with("* ");
        if line.is_empty() || list_item {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            if line.is_empty() {
                paragraphs.push(String::new());
                continue;
            }
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.dedup_by(|a, b| a.is_empty() && b.is_empty());
    let mut out = String::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line_len = 0;
        if !paragraph.is_empty() {
            out.push_str(&pad);
        }
        for word in paragraph.split_whitespace() {
            let len = word.chars().count();
            if line_len > 0 && line_len + 1 + len > width {
                out.push('\n');
                out.push_str(&pad);
                line_len = 0;
            } else if line_len > 0 {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += len;
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
pub fn wrap_hanging(text: &str, width: usize, first: &str, indent: usize) -> String {
    let wrapped = wrap(text, width, indent);
    let rest = wrapped.strip_prefix(&" ".repeat(indent)).unwrap_or(&wrapped);
    format!("{first}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
