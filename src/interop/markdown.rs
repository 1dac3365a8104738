//! Markdown quizzes in the mkdocs-quiz syntax (what `proctor export markdown` writes): a
//! `<quiz>` line, the question, answer lines `- [x] right` / `- [ ] wrong` (`*` for `-`,
//! `X` for `x`, `[]` for `[ ]`), each optionally followed at once by `> feedback` lines, then
//! an optional content section (shown after answering: the explanation), and `</quiz>`.
//! One correct answer is multiple choice, several multiple response. Quizzes inside fenced
//! code blocks are examples, not questions. A `## Section` heading names the category of the
//! quizzes below it (a trailing weight such as "(60%)" dropped), a `### id` heading
//! right above a quiz is its id, and a list of links right below it its references.
//! Fill-in-the-blank quizzes (`[[answer]]`) cannot be asked and are reported.

use super::draft::{Draft, DraftBody, DraftOption, SourceLoc};
use super::gift::normalise;

/// A fence that opens a code block: its character and length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    mark: char,
    len: usize,
}

fn fence(line: &str) -> Option<Fence> {
    let trimmed = line.trim_start();
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == mark).count();
    (len >= 3).then_some(Fence { mark, len })
}

/// Whether `line` closes the code block `open` began (the same mark, at least as long,
/// nothing after it).
fn closes(open: Fence, line: &str) -> bool {
    fence(line).is_some_and(|f| {
        f.mark == open.mark && f.len >= open.len && line.trim().chars().all(|c| c == open.mark)
    })
}

/// Tracks fenced code blocks line by line: `true` when the line is code (or a fence).
#[derive(Default)]
struct Code {
    open: Option<Fence>,
}

impl Code {
    fn step(&mut self, line: &str) -> bool {
        match self.open {
            Some(open) => {
                if closes(open, line) {
                    self.open = None;
                }
                true
            }
            None => {
                self.open = fence(line);
                self.open.is_some()
            }
        }
    }
}

/// An answer line: whether it is correct, and its text.
fn answer(line: &str) -> Option<(bool, &str)> {
    let rest = line.trim().strip_prefix(['-', '*'])?.trim_start().strip_prefix('[')?;
    let (correct, rest) = match rest.strip_prefix(']') {
        Some(rest) => (false, rest),
        None => match rest.chars().next()? {
            c @ ('x' | 'X' | ' ') => (c != ' ', rest[1..].strip_prefix(']')?),
            _ => return None,
        },
    };
    Some((correct, rest.trim()))
}

/// A list item that is only a link: `- <https://...>`, `- https://...` or
/// `- [text](https://...)`; the address.
fn reference(line: &str) -> Option<&str> {
    let item = line.trim().strip_prefix(['-', '*'])?.strip_prefix(' ')?.trim();
    let address = if let Some(inner) = item.strip_prefix('<') {
        inner.strip_suffix('>')?
    } else if let Some(rest) = item.strip_prefix('[') {
        rest.split_once("](")?.1.strip_suffix(')')?
    } else {
        item
    };
    let web = address.starts_with("https://") || address.starts_with("http://");
    (web && !address.contains(char::is_whitespace)).then_some(address)
}

/// A heading: its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let text = line.get(level..)?;
    ((1..=6).contains(&level) && text.starts_with(' '))
        .then(|| (level, text.trim().trim_end_matches('#').trim()))
}

/// A section heading as a category: "Domain One (60%)" is "Domain One".
fn section_name(text: &str) -> String {
    if let Some(open) = text.rfind(" (")
        && text.ends_with("%)")
        && text[open + 2..text.len() - 2].trim().parse::<f64>().is_ok()
    {
        return text[..open].trim().to_string();
    }
    text.to_string()
}

/// Removes up to `indent` leading spaces (a quiz indented inside a tab or an admonition).
fn dedent(line: &str, indent: usize) -> &str {
    let spaces = line.chars().take(indent).take_while(|c| *c == ' ').count();
    &line[spaces..]
}

pub fn read(name: &str, source: &str) -> Vec<Draft> {
    let source = normalise(source);
    let lines: Vec<&str> = source.split('\n').collect();
    let mut drafts = Vec::new();
    let mut code = Code::default();
    let mut category: Option<String> = None;
    // The last `### heading` and whether only blank lines followed it.
    let mut id_heading: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if code.step(line) {
            id_heading = None;
            i += 1;
            continue;
        }
        if let Some((level, text)) = heading(line) {
            match level {
                2 => {
                    category = Some(section_name(text)).filter(|c| !c.is_empty());
                    id_heading = None;
                }
                3 => id_heading = Some(text.to_string()).filter(|t| !t.is_empty()),
                _ => id_heading = None,
            }
            i += 1;
            continue;
        }
        if line.trim() != "<quiz>" {
            if !line.trim().is_empty() {
                id_heading = None;
            }
            i += 1;
            continue;
        }
        let start = i + 1;
        let indent = line.len() - line.trim_start().len();
        let mut inner = Code::default();
        let mut body: Vec<&str> = Vec::new();
        let mut closed = false;
        i += 1;
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if !inner.step(line) && line.trim() == "</quiz>" {
                closed = true;
                break;
            }
            body.push(dedent(line, indent));
        }
        let mut draft = parse(name, start, &body);
        draft.category = category.clone();
        draft.source_id = id_heading.take();
        if closed {
            // A list of links right below the quiz (blank lines apart) is its references.
            let mut next = i;
            while next < lines.len() && lines[next].trim().is_empty() {
                next += 1;
            }
            while let Some(link) = lines.get(next).and_then(|line| reference(line)) {
                draft.references.push(link.to_string());
                next += 1;
            }
            if !draft.references.is_empty() {
                i = next;
            }
        }
        if !closed {
            draft.body = DraftBody::Unsupported {
                kind: "mkdocs-quiz".into(),
                reason: "the <quiz> is never closed with </quiz>".into(),
            };
        }
        drafts.push(draft);
    }
    drafts
}

/// Whether the quiz holds a fill-in-the-blank placeholder `[[answer]]` outside code.
fn has_blank(lines: &[&str]) -> bool {
    let mut code = Code::default();
    lines.iter().any(|line| {
        if code.step(line) {
            return false;
        }
        line.find("[[").is_some_and(|at| line[at + 2..].find("]]").is_some_and(|end| end > 0))
    })
}

fn join(lines: &[&str]) -> String {
    lines.join("\n").trim_matches('\n').trim_end().to_string()
}

/// One quiz's lines (between the tags, dedented); `start` is the line of `<quiz>`.
fn parse(name: &str, start: usize, lines: &[&str]) -> Draft {
    let mut draft = Draft {
        loc: SourceLoc { file: name.into(), line: start },
        source_id: None,
        title: None,
        category: None,
        tags: Vec::new(),
        stem: String::new(),
        explanation: None,
        references: Vec::new(),
        body: DraftBody::Unsupported { kind: "mkdocs-quiz".into(), reason: String::new() },
        notes: Vec::new(),
    };
    // The question: everything before the first answer line outside code.
    let mut code = Code::default();
    let first = lines.iter().position(|line| !code.step(line) && answer(line).is_some());
    let Some(first) = first else {
        draft.stem = join(lines);
        draft.body = if has_blank(lines) {
            DraftBody::Unsupported {
                kind: "fill-in-the-blank".into(),
                reason: "its answers are typed into blanks ([[...]]), and proctor asks only questions with options to choose from".into(),
            }
        } else {
            DraftBody::Unsupported {
                kind: "mkdocs-quiz".into(),
                reason: "no answer lines (`- [x] right`, `- [ ] wrong`)".into(),
            }
        };
        return draft;
    };
    draft.stem = join(&lines[..first]);
    let mut options: Vec<DraftOption> = Vec::new();
    let mut content_from = lines.len();
    let mut at = first;
    while at < lines.len() {
        let line = lines[at];
        if let Some((correct, text)) = answer(line) {
            at += 1;
            // Feedback: `>` lines right below the answer.
            let mut feedback: Vec<&str> = Vec::new();
            while let Some(quoted) = lines.get(at).and_then(|l| l.trim_start().strip_prefix('>')) {
                feedback.push(quoted.strip_prefix(' ').unwrap_or(quoted));
                at += 1;
            }
            let feedback = Some(join(&feedback)).filter(|f| !f.is_empty());
            options.push(DraftOption::new(text, if correct { 100.0 } else { 0.0 }, feedback));
            content_from = at;
        } else if line.trim().is_empty() {
            at += 1;
            content_from = at;
        } else {
            content_from = at;
            break;
        }
    }
    let content = join(&lines[content_from.min(lines.len())..]);
    draft.explanation = Some(content).filter(|c| !c.is_empty());
    if has_blank(&lines[..first]) {
        draft.notes.push("`[[...]]` in the question is kept as text (a blank in mkdocs-quiz)".into());
    }
    let correct = options.iter().filter(|o| o.weight > 0.0).count();
    draft.body = DraftBody::Choice { options, multiple: Some(correct > 1) };
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(draft: &Draft) -> (&[DraftOption], Option<bool>) {
        match &draft.body {
            DraftBody::Choice { options, multiple } => (options, *multiple),
            other => panic!("not a choice: {other:?}"),
        }
    }

    #[test]
    fn answers_feedback_content_and_the_answer_syntax_variants() {
        let drafts = read(
            "q.md",
            "\u{feff}# Title\r\n\r\n## Networking (60%)\r\n\r\n### net-1\r\n\r\n<quiz>\r\nWhich?\r\n```\r\n- [x] code, not an answer\r\n```\r\n- [ ] one\r\n> not this\r\n> at all\r\n* [X] two\r\n\r\n- [] three\r\n\r\nBecause.\r\n\r\n- a list in the content\r\n</quiz>\r\n",
        );
        assert_eq!(drafts.len(), 1);
        let d = &drafts[0];
        assert_eq!(d.loc.line, 7);
        assert_eq!(d.source_id.as_deref(), Some("net-1"));
        assert_eq!(d.category.as_deref(), Some("Networking"));
        assert_eq!(d.stem, "Which?\n```\n- [x] code, not an answer\n```");
        let (options, multiple) = choice(d);
        let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(texts, ["one", "two", "three"]);
        assert_eq!(options.iter().map(|o| o.weight).collect::<Vec<_>>(), [0.0, 100.0, 0.0]);
        assert_eq!(options[0].feedback.as_deref(), Some("not this\nat all"));
        assert_eq!(multiple, Some(false));
        assert_eq!(d.explanation.as_deref(), Some("Because.\n\n- a list in the content"));
    }

    #[test]
    fn quizzes_in_code_are_examples_and_indented_ones_are_read() {
        let drafts = read(
            "q.md",
            "=== \"Example\"\n\n    <quiz>\n    Even?\n    - [x] 2\n    - [ ] 3\n    - [x] 4\n    </quiz>\n\n=== \"Syntax\"\n\n    ~~~markdown\n    <quiz>\n    Even?\n    ```\n    - [x] 2\n    </quiz>\n    ~~~\n\n<quiz>\nThe code prints [[Hello]].\n</quiz>\n\n<quiz>\nNo answers here.\n</quiz>\n\n<quiz>\nNever closed\n- [x] a\n",
        );
        assert_eq!(drafts.len(), 4, "{drafts:#?}");
        let (options, multiple) = choice(&drafts[0]);
        assert_eq!((options.len(), multiple), (3, Some(true)));
        assert_eq!(drafts[0].stem, "Even?");
        assert_eq!(drafts[0].source_id, None, "a tab line is no id heading");
        assert!(
            matches!(&drafts[1].body, DraftBody::Unsupported { kind, .. } if kind == "fill-in-the-blank")
        );
        assert!(
            matches!(&drafts[2].body, DraftBody::Unsupported { reason, .. } if reason.contains("no answer lines"))
        );
        assert!(
            matches!(&drafts[3].body, DraftBody::Unsupported { reason, .. } if reason.contains("never closed"))
        );
        assert_eq!(drafts[3].loc.line, 28);
    }

    #[test]
    fn a_list_of_links_right_below_a_quiz_is_its_references() {
        let drafts = read(
            "q.md",
            "<quiz>\nWhich?\n- [x] a\n- [ ] b\n</quiz>\n\n- <https://docs.aws.amazon.com/a.html>\n- [B](https://docs.aws.amazon.com/b.html)\n* http://example.com/c\n\n- <https://after.example/not-a-reference>\n\n<quiz>\nAnd?\n- [x] a\n- [ ] b\n</quiz>\n- not a link\n- <https://x.example/too-late>\n",
        );
        assert_eq!(drafts.len(), 2);
        assert_eq!(
            drafts[0].references,
            [
                "https://docs.aws.amazon.com/a.html",
                "https://docs.aws.amazon.com/b.html",
                "http://example.com/c"
            ]
        );
        assert!(drafts[1].references.is_empty(), "{:?}", drafts[1].references);
        assert_eq!(reference("- <https://a.example/x y>"), None);
        assert_eq!(reference("- <ftp://a.example/x>"), None);
        assert_eq!(reference("-<https://a.example/x>"), None);
    }

    #[test]
    fn answer_lines_in_every_spelling() {
        assert_eq!(answer("- [x] a"), Some((true, "a")));
        assert_eq!(answer("  * [X]   b "), Some((true, "b")));
        assert_eq!(answer("- [ ] c"), Some((false, "c")));
        assert_eq!(answer("- [] d"), Some((false, "d")));
        assert_eq!(answer("-[x]e"), Some((true, "e")));
        assert_eq!(answer("- [y] no"), None);
        assert_eq!(answer("- plain item"), None);
        assert_eq!(answer("[x] no bullet"), None);
    }
}
