//! HTML (as LMS exports hold it) to plain text, and plain text to HTML for exports.
//! Block elements become line breaks, list items "- " lines, `<pre>` becomes a fenced code
//! block (its whitespace kept, a `language-X` class as the fence's language), comments,
//! scripts and styles go, entities are decoded; an image cannot be carried and is noted.

use crate::text::{self, Block};

/// The plain text of an HTML fragment, and what could not be carried (e.g. images).
pub fn to_text(html: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut pre = 0usize;
    // The fence that opened the outermost `<pre>`, to close it with.
    let mut fence = String::new();
    let mut skip_until: Option<&'static str> = None;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(end_tag) = skip_until {
            match find_ci(rest, end_tag) {
                Some(i) => {
                    rest = &rest[i..];
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                push_text(&mut out, rest, pre > 0);
                break;
            };
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .flat_map(|c| c.to_lowercase())
                .collect();
            match name.as_str() {
                "br" if !closing => out.push('\n'),
                "p" | "div" | "tr" | "table" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "blockquote" => block_break(&mut out),
                "li" if !closing => {
                    block_break(&mut out);
                    out.push_str("- ");
                }
                "td" | "th" if closing => out.push(' '),
                "pre" => {
                    block_break(&mut out);
                    if closing {
                        pre = pre.saturating_sub(1);
                        if pre == 0 && !fence.is_empty() {
                            out.push_str(&fence);
                            out.push('\n');
                            fence.clear();
                        }
                    } else {
                        pre += 1;
                        if pre == 1 {
                            let body = find_ci(rest, "</pre").map_or(rest, |end| &rest[..end]);
                            fence = fence_for(body);
                            let lang = attribute(tag, "class")
                                .or_else(|| {
                                    let inner = body.trim_start();
                                    let end = inner.find('>')?;
                                    let open = &inner[..end];
                                    open.to_ascii_lowercase()
                                        .starts_with("<code")
                                        .then(|| attribute(open, "class"))?
                                })
                                .and_then(|class| language_of(&class));
                            out.push_str(&format!("{fence}{}\n", lang.unwrap_or_default()));
                            // HTML drops a line break right after <pre>.
                            rest =
                                rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).unwrap_or(rest);
                        }
                    }
                }
                "img" => {
                    let alt = attribute(tag, "alt").filter(|a| !a.trim().is_empty());
                    notes.push(match &alt {
                        Some(alt) => {
                            format!("an image (alt text {alt:?}) cannot be carried; its alt text is kept")
                        }
                        None => "an image cannot be carried and is left out".to_string(),
                    });
                    if let Some(alt) = alt {
                        push_text(&mut out, &format!("[{alt}]"), false);
                    }
                }
                "script" if !closing => skip_until = Some("</script"),
                "style" if !closing => skip_until = Some("</style"),
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        push_text(&mut out, &decode_entities(&rest[..next]), pre > 0);
        rest = &rest[next..];
    }
    (tidy(&out), notes)
}

/// A fence longer than any run of backticks in `body` (at least three).
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The language a class list names: `language-X` or `lang-X` (highlight.js, Prism).
fn language_of(class: &str) -> Option<String> {
    class
        .split_whitespace()
        .find_map(|c| c.strip_prefix("language-").or_else(|| c.strip_prefix("lang-")))
        .map(|l| l.chars().filter(|c| c.is_ascii_alphanumeric() || "+-#._".contains(*c)).collect::<String>())
        .filter(|l| !l.is_empty())
}

/// Case-insensitive find of an ASCII needle.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let i = lower.find(&format!("{name}="))?;
    let value = &tag[i + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        inner.find(quote).map(|end| decode_entities(&inner[..end]))
    } else {
        Some(decode_entities(value.split_whitespace().next().unwrap_or("")))
    }
}

fn block_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn push_text(out: &mut String, text: &str, keep_whitespace: bool) {
    if keep_whitespace {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        // A no-break space is kept (it is how HTML writes indentation and runs of spaces);
        // `tidy` makes it a plain space.
        if c.is_whitespace() && c != '\u{a0}' {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Trailing spaces off every line, no more than one blank line in a row, trimmed; the
/// lines of a fenced code block are kept as they are (blank ones too).
fn tidy(text: &str) -> String {
    let text = text.replace('\u{a0}', " ");
    let mut out = String::new();
    let mut blank = 0;
    let mut in_code: Option<usize> = None;
    for line in text.lines() {
        let ticks = line.trim_start().bytes().take_while(|&b| b == b'`').count();
        match in_code {
            Some(open) => {
                let t = line.trim();
                if t.len() >= open && t.bytes().all(|b| b == b'`') {
                    in_code = None;
                }
                out.push('\n');
                out.push_str(line.trim_end_matches('\r'));
                continue;
            }
            None if ticks >= 3 && !line.trim_start()[ticks..].contains('`') => in_code = Some(ticks),
            None => {}
        }
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.trim_end().to_string()
}

/// Decodes `&amp;`, `&#233;`, `&#xE9;` and the common named entities; anything else is
/// kept as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 12);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "deg" => '°',
        "times" => '×',
        "laquo" => '«',
        "raquo" => '»',
        "iexcl" => '¡',
        "iquest" => '¿',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        _ => return None,
    })
}

/// Text escaped for HTML and XML. With `breaks`, for text shown as HTML: line breaks as
/// `<br/>`, and a space at the start of a line or after another space as `&#160;`, so
/// indentation and runs of spaces survive HTML's collapsing of whitespace.
pub fn escape(text: &str, breaks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = '\n';
    for c in text.chars() {
        let before = previous;
        previous = c;
        match c {
            ' ' if breaks && (before == ' ' || before == '\n') => out.push_str("&#160;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if breaks => out.push_str("<br/>\n"),
            c => out.push(c),
        }
    }
    out
}

/// Bank text as HTML: prose escaped with its line breaks and indentation kept (`escape`
/// with `breaks`), each fenced code block as `<pre><code>` (with a `language-X` class when
/// the fence names one), its lines as they are.
pub fn rich(text: &str) -> String {
    if !text::has_code(text) {
        return escape(text, true);
    }
    let mut out = String::new();
    for block in text::blocks(text) {
        match block {
            Block::Prose(prose) => {
                let prose = prose.trim_matches('\n');
                if !prose.trim().is_empty() {
                    out.push_str(&escape(prose, true));
                }
            }
            Block::Code { lang, lines } => {
                let class =
                    lang.map_or_else(String::new, |l| format!(" class=\"language-{}\"", escape(&l, false)));
                // A last blank line needs its own line end: a reader drops the one before `</pre>`.
                let end = if lines.last().is_some_and(|l| l.trim().is_empty()) { "\n" } else { "" };
                out.push_str(&format!(
                    "<pre><code{class}>{}{end}</code></pre>",
                    escape(&lines.join("\n"), false)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_entities_comments_and_images() {
        let (text, notes) = to_text(
            "<p>One&nbsp;&amp; <b>two</b></p><!-- <var>x</var> --><p>three&#233; &#x41; &bogus;</p><img src=\"a.png\">",
        );
        assert_eq!(text, "One & two\nthree\u{e9} A &bogus;");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn lists_and_preformatted_text() {
        let (text, _) = to_text("<ul><li>a</li><li>b</li></ul><pre>  x\n    y</pre>");
        assert_eq!(text, "- a\n- b\n```\n  x\n    y\n```");
        let (text, _) = to_text(
            "<p>See:</p><pre><code class=\"language-python\">def f():\n\n\n    return 1 &lt; 2</code></pre>After",
        );
        assert_eq!(text, "See:\n```python\ndef f():\n\n\n    return 1 < 2\n```\nAfter");
        // Backticks in the code get a longer fence.
        let (text, _) = to_text("<pre>\n```\nx\n</pre>");
        assert_eq!(text, "````\n```\nx\n````");
    }

    #[test]
    fn code_blocks_round_trip_through_html() {
        let text = "Which line fails?\n```js\nif (a < b && c) {\n  run(\"x\");\n\n\n}\n```\nPick one.";
        let html = rich(text);
        assert!(
            html.contains("<pre><code class=\"language-js\">if (a &lt; b &amp;&amp; c) {\n  run("),
            "{html}"
        );
        assert_eq!(to_text(&html).0, text);
    }

    #[test]
    fn escaping_round_trips() {
        let text = "a < b & \"c\" > 'd'";
        assert_eq!(decode_entities(&escape(text, false)), text);
        let code = "see:\n  {\"a\":  1}\nend";
        assert_eq!(to_text(&escape(code, true)).0, code);
    }
}
