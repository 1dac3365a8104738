//! HTML (as LMS exports hold it) to plain text, and plain text to HTML for exports.
//! Block elements become line breaks, list items "- " lines, `<pre>` keeps its
//! whitespace, comments, scripts and styles go, entities are decoded; an image cannot be
//! carried and is noted.

/// The plain text of an HTML fragment, and what could not be carried (e.g. images).
pub fn to_text(html: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut pre = 0usize;
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
                    } else {
                        pre += 1;
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

/// Trailing spaces off every line, no more than one blank line in a row, trimmed.
fn tidy(text: &str) -> String {
    let text = text.replace('\u{a0}', " ");
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
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
        assert_eq!(text, "- a\n- b\n  x\n    y");
    }

    #[test]
    fn escaping_round_trips() {
        let text = "a < b & \"c\" > 'd'";
        assert_eq!(decode_entities(&escape(text, false)), text);
        let code = "see:\n  {\"a\":  1}\nend";
        assert_eq!(to_text(&escape(code, true)).0, code);
    }
}
