//! Moodle GIFT: reading (`read`) into drafts, following Moodle's own parser
//! (question/format/gift/format.php), and writing (`write`) a bank as GIFT.
//!
//! Reading: questions are separated by blank lines; `//` lines are comments (Moodle 4's
//! `// [id:..]` and `// [tag:..]` in them are kept); `$CATEGORY:` sets the category of
//! the questions after it; `::title::`, `[html]`/`[moodle]`/`[plain]`/`[markdown]`, and the
//! answer block `{...}` with `=` right, `~` wrong, `%n%` credit, `#` feedback, `####`
//! general feedback, `->` matching, `#` numeric, `TRUE`/`FALSE`, `{}` essay. `\~ \= \# \{
//! \} \:` escape, `\n` is a line break, `\\` a backslash.

use super::draft::{Draft, DraftBody, DraftOption, SourceLoc};
use super::html;
use crate::bank::{Body, Exam, Question};

const SPECIAL: &[char] = &['~', '=', '#', '{', '}', ':'];

/// The drafts in one GIFT file (`name` is how the report names it).
pub fn read(name: &str, source: &str) -> Vec<Draft> {
    let source = normalise(source);
    let mut drafts = Vec::new();
    let mut category: Option<String> = None;
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines: Vec<&str> = source.split('\n').collect();
    let mut depth: i64 = 0;
    for (i, line) in lines.iter().enumerate() {
        let is_comment = line.trim_start().starts_with("//");
        if line.trim().is_empty() && depth <= 0 {
            flush(name, &mut block, &mut category, &mut drafts);
            depth = 0;
            continue;
        }
        if !is_comment {
            depth += brace_balance(line);
        }
        block.push((i + 1, line));
    }
    flush(name, &mut block, &mut category, &mut drafts);
    drafts
}

/// Without a byte-order mark and with `\n` line ends.
pub fn normalise(source: &str) -> String {
    source.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n")
}

/// Unescaped `{` minus unescaped `}`, so a blank line inside an answer block does not end it.
fn brace_balance(line: &str) -> i64 {
    let mut balance = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => balance += 1,
            '}' => balance -= 1,
            _ => {}
        }
    }
    balance
}

fn flush(name: &str, block: &mut Vec<(usize, &str)>, category: &mut Option<String>, drafts: &mut Vec<Draft>) {
    let lines = std::mem::take(block);
    let mut source_id = None;
    let mut tags = Vec::new();
    let mut text_lines: Vec<(usize, &str)> = Vec::new();
    for (n, line) in lines {
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            for (key, value) in markers(comment) {
                match key {
                    "id" => source_id = Some(value),
                    _ => tags.push(value),
                }
            }
            continue;
        }
        if let Some(path) = trimmed.strip_prefix("$CATEGORY:") {
            *category = Some(path.trim().to_string());
            continue;
        }
        text_lines.push((n, line));
    }
    let Some(&(line, _)) = text_lines.first() else { return };
    let text: String = text_lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    let loc = SourceLoc { file: name.to_string(), line };
    let mut draft = parse_question(&text, loc);
    draft.category = category.clone();
    if draft.source_id.is_none() {
        draft.source_id = source_id;
    }
    draft.tags.extend(tags);
    drafts.push(draft);
}

/// `[id:..]` and `[tag:..]` markers.
fn markers(text: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        rest = &rest[start + 1..];
        let Some(end) = rest.find(']') else { break };
        let inner = &rest[..end];
        if let Some(id) = inner.strip_prefix("id:") {
            found.push(("id", id.trim().to_string()));
        } else if let Some(tag) = inner.strip_prefix("tag:") {
            found.push(("tag", tag.trim().to_string()));
        }
        rest = &rest[end + 1..];
    }
    found
}

/// The text format a GIFT text is written in.
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

fn take_format(text: &str, default: Format) -> (Format, &str) {
    let trimmed = text.trim_start();
    for (prefix, format) in [
        ("[html]", Format::Html),
        ("[moodle]", Format::Moodle),
        ("[plain]", Format::Plain),
        ("[markdown]", Format::Markdown),
    ] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return (format, rest);
        }
    }
    (default, text)
}

/// Finds the first unescaped occurrence of any of `targets` (a `\` escapes the next char).
fn find_unescaped(text: &str, pattern: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(pattern.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Splits at every unescaped `sep` (one ASCII byte).
fn split_unescaped(text: &str, sep: u8) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == sep {
            parts.push(&text[start..i]);
            start = i + 1;
        }
        i += 1;
    }
    parts.push(&text[start.min(text.len())..]);
    parts
}

/// The text a GIFT fragment means: escapes resolved, whitespace tidied, HTML made plain.
fn clean(raw: &str, format: Format, notes: &mut Vec<String>) -> String {
    let (format, raw) = take_format(raw, format);
    // Line wrapping in the file is not meaningful (except in Markdown): a line break and the
    // whitespace around it become one space, before escapes are resolved, so an escaped `\n`
    // and the spacing within a line (indented code after a `\n`) survive.
    let collapsed = if format == Format::Markdown {
        raw.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
    } else {
        raw.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let mut out = String::with_capacity(collapsed.len());
    let mut chars = collapsed.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(next) if SPECIAL.contains(&next) || next == '\\' => {
                out.push(next);
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    let out = out.trim().to_string();
    if format == Format::Html {
        let (text, html_notes) = html::to_text(&out);
        notes.extend(html_notes);
        text
    } else {
        out
    }
}

fn parse_question(text: &str, loc: SourceLoc) -> Draft {
    let mut notes = Vec::new();
    let mut rest = text.trim();
    let mut title = None;
    if let Some(after) = rest.strip_prefix("::")
        && let Some(end) = find_unescaped(after, "::")
    {
        title = Some(clean(&after[..end], Format::Plain, &mut notes));
        rest = after[end + 2..].trim_start();
    }
    let (format, rest) = take_format(rest, Format::Moodle);
    let mut draft = Draft {
        loc,
        source_id: None,
        title,
        category: None,
        tags: Vec::new(),
        stem: String::new(),
        explanation: None,
        references: Vec::new(),
        body: DraftBody::Unsupported {
            kind: "description".into(),
            reason: "text without an answer block".into(),
        },
        notes: Vec::new(),
    };
    let Some(open) = find_unescaped(rest, "{") else {
        draft.stem = clean(rest, format, &mut notes);
        draft.body = DraftBody::Unsupported {
            kind: "description".into(),
            reason: "text with no answer block (no question to answer)".into(),
        };
        draft.notes = notes;
        return draft;
    };
    let after_open = &rest[open + 1..];
    let close = find_unescaped(after_open, "}").unwrap_or(after_open.len());
    let head = &rest[..open];
    let answers = &after_open[..close];
    let tail = after_open.get(close + 1..).unwrap_or("").trim();
    let head_text = clean(head, format, &mut notes);
    let tail_text = clean(tail, format, &mut notes);
    draft.stem = if tail_text.is_empty() {
        head_text
    } else {
        // Missing word: the answer block sits inside the sentence.
        // As Moodle joins them (and the GIFT-grammar oracle): " _____ " even before a full stop.
        format!("{head_text} _____ {tail_text}").trim().to_string()
    };
    let (answers, general) = match find_unescaped(answers, "####") {
        Some(i) => (&answers[..i], Some(&answers[i + 4..])),
        None => (answers, None),
    };
    draft.explanation = general.map(|g| clean(g, format, &mut notes)).filter(|g| !g.is_empty());
    draft.body = parse_answers(answers, format, &mut notes);
    draft.notes = notes;
    draft
}

fn parse_answers(block: &str, format: Format, notes: &mut Vec<String>) -> DraftBody {
    let trimmed = block.trim();
    if trimmed.is_empty() {
        return DraftBody::Unsupported {
            kind: "essay".into(),
            reason: "free-text answers cannot be scored".into(),
        };
    }
    if trimmed.starts_with('#') {
        return DraftBody::Unsupported {
            kind: "numerical".into(),
            reason: "a typed number (with a tolerance) is not an option to choose".into(),
        };
    }
    let parts = split_unescaped(trimmed, b'#');
    let head = parts[0].trim();
    let truth = match head.to_ascii_uppercase().as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    };
    if let Some(answer) = truth {
        // Moodle: {TRUE#feedback if wrong#feedback if right}.
        let mut feedback = |i: usize| parts.get(i).map(|f| clean(f, format, notes)).filter(|f| !f.is_empty());
        let (wrong, right) = (feedback(1), feedback(2));
        let (true_fb, false_fb) = if answer { (right, wrong) } else { (wrong, right) };
        notes.push("true/false becomes a multiple choice of two options, True and False".into());
        return DraftBody::Choice {
            options: vec![
                DraftOption::new("True", if answer { 100.0 } else { 0.0 }, true_fb),
                DraftOption::new("False", if answer { 0.0 } else { 100.0 }, false_fb),
            ],
            multiple: Some(false),
        };
    }
    // Answers start at each unescaped `=` or `~`.
    let bytes = trimmed.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == b'=' || bytes[i] == b'~' {
            starts.push(i);
        }
        i += 1;
    }
    if starts.is_empty() {
        return DraftBody::Unsupported {
            kind: "unknown".into(),
            reason: format!("answer block {:?} has no = or ~ answers", super::draft::quote(trimmed)),
        };
    }
    let mut raw_answers: Vec<(bool, &str)> = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(trimmed.len());
        raw_answers.push((bytes[start] == b'=', &trimmed[start + 1..end]));
    }
    // Feedback may say "->" too: only the answer itself makes a matching pair.
    let is_matching = raw_answers
        .iter()
        .any(|(right, a)| *right && find_unescaped(split_unescaped(a, b'#')[0], "->").is_some());
    if is_matching {
        let mut pairs = Vec::new();
        for (_, answer) in &raw_answers {
            let answer = split_unescaped(answer, b'#')[0];
            let Some(arrow) = find_unescaped(answer, "->") else {
                return DraftBody::Unsupported {
                    kind: "matching".into(),
                    reason: "a matching answer without ->".into(),
                };
            };
            pairs.push((
                clean(&answer[..arrow], format, notes),
                clean(&answer[arrow + 2..], format, notes),
                None,
            ));
        }
        return DraftBody::Matching { pairs, responses: Vec::new() };
    }
    if raw_answers.iter().all(|(right, _)| *right) {
        return DraftBody::Unsupported {
            kind: "short answer".into(),
            reason: "typed answers compared with the accepted ones; there are no options to choose".into(),
        };
    }
    let mut options = Vec::new();
    for (right, answer) in raw_answers {
        let parts = split_unescaped(answer, b'#');
        let mut text = parts[0].trim_start();
        let mut weight = if right { 100.0 } else { 0.0 };
        if let Some(after) = text.strip_prefix('%')
            && let Some(end) = after.find('%')
            && let Ok(w) = after[..end].trim().parse::<f64>()
        {
            weight = w;
            text = &after[end + 1..];
        }
        let feedback = if parts.len() > 1 { Some(clean(&parts[1..].join("#"), format, notes)) } else { None };
        options.push(DraftOption::new(clean(text, format, notes), weight, feedback));
    }
    DraftBody::Choice { options, multiple: None }
}

/// Escapes GIFT's special characters, and a line break as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether any text of the question holds a fenced code block.
fn has_code(q: &Question) -> bool {
    let mut texts: Vec<&str> = vec![&q.stem, &q.explanation];
    match &q.body {
        Body::Choice(c) => {
            c.options.iter().for_each(|o| texts.extend([o.text.as_str(), o.rationale.as_str()]))
        }
        Body::Ordering(o) => {
            o.steps.iter().for_each(|s| texts.extend([s.text.as_str(), s.rationale.as_str()]))
        }
        Body::Matching(m) => m.prompts.iter().for_each(|p| texts.push(&p.rationale)),
    }
    texts.into_iter().any(crate::text::has_code)
}

/// A credit in percent as GIFT writes it (five decimals at most, as Moodle's weights).
fn weight(w: f64) -> String {
    let rounded = (w * 100_000.0).round() / 100_000.0;
    format!("{rounded}")
}

/// The exam as GIFT, and the questions it cannot hold (ordering), by id.
pub fn write(exam: &Exam) -> (String, Vec<(String, String)>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    out.push_str(&format!("// {} ({}), exported by proctor\n", exam.blueprint.title, exam.blueprint.id));
    let mut category = None;
    for q in exam.questions() {
        let name = exam.blueprint.domain(&q.domain).map_or(q.domain.as_str(), |d| d.name.as_str());
        let mut text = String::new();
        if category != Some(&q.domain) {
            text.push_str(&format!("\n$CATEGORY: {}\n", name.replace('\n', " ")));
        }
        text.push('\n');
        let tags: Vec<String> = q
            .tags
            .iter()
            .filter(|t| !t.contains(']') && !t.contains('\n'))
            .map(|t| format!("[tag:{t}]"))
            .collect();
        if !tags.is_empty() {
            text.push_str(&format!("// {}\n", tags.join(" ")));
        }
        // A question with a code block is written as [html], its code as <pre><code>, the
        // form Moodle shows as code (answers and feedback take the question's format).
        let html = has_code(q);
        let t = |s: &str| if html { escape(&html::rich(s)) } else { escape(s) };
        let format = if html { "[html]" } else { "" };
        text.push_str(&format!("::{}::{format}{} {{\n", escape(&q.id), t(&q.stem)));
        match &q.body {
            Body::Choice(choice) if choice.options.iter().any(|o| o.text.contains("->")) => {
                // Moodle reads any answer holding "->" as a matching pair, and GIFT cannot escape it.
                skipped.push((
                    q.id.clone(),
                    "an option holds \"->\", which GIFT reads as a matching pair".to_string(),
                ));
                continue;
            }
            Body::Choice(choice) => {
                let correct = choice.options.iter().filter(|o| o.correct).count().max(1);
                for option in &choice.options {
                    // A text starting with '%' would read as a credit: then the credit is written.
                    let explicit = option.text.starts_with('%');
                    let marker = match (choice.multiple, option.correct) {
                        (false, true) if explicit => "=%100%".to_string(),
                        (false, false) if explicit => "~%0%".to_string(),
                        (false, true) => "=".to_string(),
                        (false, false) => "~".to_string(),
                        (true, true) => format!("~%{}%", weight(100.0 / correct as f64)),
                        (true, false) => "~%-100%".to_string(),
                    };
                    text.push_str(&format!("\t{marker}{}", t(&option.text)));
                    if !option.rationale.is_empty() {
                        text.push_str(&format!("#{}", t(&option.rationale)));
                    }
                    text.push('\n');
                }
            }
            Body::Matching(matching) => {
                for prompt in &matching.prompts {
                    text.push_str(&format!(
                        "\t={} -> {}\n",
                        t(&prompt.text),
                        t(&matching.responses[prompt.answer].text)
                    ));
                }
                if matching
                    .responses
                    .iter()
                    .enumerate()
                    .any(|(i, _)| !matching.prompts.iter().any(|p| p.answer == i))
                {
                    skipped.push((q.id.clone(), "GIFT matching cannot hold a distractor answer".to_string()));
                    continue;
                }
            }
            Body::Ordering(_) => {
                skipped.push((q.id.clone(), "GIFT has no ordering questions".to_string()));
                continue;
            }
        }
        if !q.explanation.is_empty() {
            text.push_str(&format!("\t####{}\n", t(&q.explanation)));
        }
        text.push_str("}\n");
        out.push_str(&text);
        category = Some(&q.domain);
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(source: &str) -> Draft {
        let drafts = read("t.gift", source);
        assert_eq!(drafts.len(), 1, "{drafts:?}");
        drafts.into_iter().next().unwrap()
    }

    #[test]
    fn escapes_and_multi_line_feedback() {
        let d = one("Q? {\n ~ \\~ # \\~ is special.\n = \\   # Right, BUT,\n     more.\n}");
        let DraftBody::Choice { options, .. } = &d.body else { panic!("{d:?}") };
        assert_eq!(options[0].text, "~");
        assert_eq!(options[0].feedback.as_deref(), Some("~ is special."));
        assert_eq!(options[1].text, "\\");
        assert_eq!(options[1].feedback.as_deref(), Some("Right, BUT, more."));
        assert_eq!(options[1].weight, 100.0);
    }

    #[test]
    fn true_false_follows_moodle_feedback_rule() {
        let d = one("Grant is buried there.{TRUE#if wrong#if right}");
        let DraftBody::Choice { options, .. } = &d.body else { panic!() };
        assert_eq!(options[0].feedback.as_deref(), Some("if right"));
        assert_eq!(options[1].feedback.as_deref(), Some("if wrong"));
    }

    #[test]
    fn missing_word_category_and_markers() {
        let drafts = read(
            "t.gift",
            "\u{feff}$CATEGORY: $course$/top/Unit 1\r\n\r\n// [id:7] [tag:x]\r\nGrant is {~a =b} here.\r\n",
        );
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].stem, "Grant is _____ here.");
        assert_eq!(drafts[0].category.as_deref(), Some("$course$/top/Unit 1"));
        assert_eq!(drafts[0].source_id.as_deref(), Some("7"));
        assert_eq!(drafts[0].tags, vec!["x".to_string()]);
        assert_eq!(drafts[0].loc.line, 4);
    }

    #[test]
    fn kinds_that_cannot_be_asked() {
        for (source, kind) in [("E {}", "essay"), ("N {#1822:5}", "numerical"), ("S {=a =b}", "short answer")]
        {
            let DraftBody::Unsupported { kind: found, .. } = one(source).body else { panic!("{source}") };
            assert_eq!(found, kind);
        }
    }

    /// The GIFT-grammar parser's JSON for each sample in ../shared/interop/gift is an oracle
    /// for what each question means: kind, stem, option texts, credits, feedback (compared
    /// where the oracle keeps plain text; HTML it keeps as written, which we make plain).
    #[test]
    fn the_samples_read_as_their_oracle_says() {
        let dir = std::env::var_os("PROCTOR_INTEROP_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/interop"))
            .join("gift");
        // The samples are not ours to copy in; tests/interop.rs says loudly when they are missing.
        if !dir.is_dir() {
            assert!(std::env::var_os("PROCTOR_REQUIRE_SAMPLES").is_none(), "no samples at {}", dir.display());
            return;
        }
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "gift") {
                continue;
            }
            let name = path.display().to_string();
            let drafts = read(&name, &std::fs::read_to_string(&path).unwrap());
            let oracle: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap()).unwrap();
            let items: Vec<&serde_json::Value> =
                oracle.as_array().unwrap().iter().filter(|q| q["type"] != "Category").collect();
            assert_eq!(drafts.len(), items.len(), "{name}");
            for (draft, item) in drafts.iter().zip(items) {
                let plain = |v: &serde_json::Value| {
                    (v["format"] == "moodle").then(|| v["text"].as_str().unwrap().trim().to_string())
                };
                if let Some(stem) = plain(&item["stem"]) {
                    assert_eq!(draft.stem, stem, "{name}:{}", draft.loc.line);
                }
                let kind = item["type"].as_str().unwrap();
                match (&draft.body, kind) {
                    (DraftBody::Choice { options, .. }, "MC") => {
                        let choices = item["choices"].as_array().unwrap();
                        assert_eq!(options.len(), choices.len(), "{name}:{}", draft.loc.line);
                        for (option, choice) in options.iter().zip(choices) {
                            if let Some(text) = plain(&choice["text"]) {
                                assert_eq!(option.text, text, "{name}:{}", draft.loc.line);
                            }
                            let weight = choice["weight"]
                                .as_f64()
                                .unwrap_or(if choice["isCorrect"] == true { 100.0 } else { 0.0 });
                            assert_eq!(option.weight, weight, "{name}:{}", draft.loc.line);
                            if let Some(feedback) =
                                choice.get("feedback").filter(|f| !f.is_null()).and_then(plain)
                            {
                                assert_eq!(
                                    option.feedback.as_deref(),
                                    Some(feedback.as_str()).filter(|f| !f.is_empty())
                                );
                            }
                        }
                    }
                    (DraftBody::Choice { options, .. }, "TF") => {
                        let truth = item["isTrue"] == true;
                        assert_eq!(options[0].weight == 100.0, truth, "{name}:{}", draft.loc.line);
                    }
                    (DraftBody::Matching { pairs, .. }, "Matching") => {
                        let expected = item["matchPairs"].as_array().unwrap();
                        assert_eq!(pairs.len(), expected.len());
                        for ((prompt, answer, _), pair) in pairs.iter().zip(expected) {
                            if let Some(sub) = plain(&pair["subquestion"]) {
                                assert_eq!(*prompt, sub);
                            }
                            assert_eq!(answer, pair["subanswer"].as_str().unwrap().trim());
                        }
                    }
                    (DraftBody::Unsupported { kind: found, .. }, _) => {
                        let expected = match kind {
                            "Essay" => "essay",
                            "Numerical" => "numerical",
                            "Short" => "short answer",
                            "Description" => "description",
                            other => panic!("{name}:{}: oracle {other} read as {found}", draft.loc.line),
                        };
                        assert_eq!(found, expected, "{name}:{}", draft.loc.line);
                    }
                    (body, kind) => panic!("{name}:{}: oracle {kind}, read as {body:?}", draft.loc.line),
                }
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked}");
    }

    #[test]
    fn escape_then_clean_is_identity() {
        let text = "a ~ b = c # d { e } f : g \\ h\nnext line\n    indented  twice";
        assert_eq!(clean(&escape(text), Format::Moodle, &mut Vec::new()), text);
    }
}
