//! Exports for people and other tools: CSV (one row per question), Anki's text import
//! format (one note per question) and Markdown (mkdocs-quiz `<quiz>` blocks).

use super::html;
use crate::bank::{Body, Exam, Question};

fn letter(i: usize) -> char {
    char::from(b'A' + u8::try_from(i).unwrap_or(25))
}

/// What can be chosen or placed, in bank order: options, steps or responses.
fn choices(q: &Question) -> Vec<&str> {
    match &q.body {
        Body::Choice(c) => c.options.iter().map(|o| o.text.as_str()).collect(),
        Body::Ordering(o) => o.steps.iter().map(|s| s.text.as_str()).collect(),
        Body::Matching(m) => m.responses.iter().map(|r| r.text.as_str()).collect(),
    }
}

/// The key in proctor's answer language: `B`, `A C`, `C A D B` (in order), `1b 2d 3a`.
pub fn answer(q: &Question) -> String {
    match &q.body {
        Body::Choice(c) => {
            c.correct_indices().into_iter().map(|i| letter(i).to_string()).collect::<Vec<_>>().join(" ")
        }
        Body::Ordering(o) => {
            o.sequence().into_iter().map(|i| letter(i).to_string()).collect::<Vec<_>>().join(" ")
        }
        Body::Matching(m) => m
            .prompts
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}{}", i + 1, letter(p.answer).to_ascii_lowercase()))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The stem, with a matching question's prompts numbered after it.
fn full_stem(q: &Question) -> String {
    let mut stem = q.stem.trim().to_string();
    if let Body::Matching(m) = &q.body {
        stem.push('\n');
        for (i, p) in m.prompts.iter().enumerate() {
            stem.push_str(&format!("\n{}. {}", i + 1, p.text));
        }
    }
    stem
}

/// (letter, rationale) of every option, step or prompt that has one.
fn rationales(q: &Question) -> Vec<(String, &str)> {
    let list: Vec<(String, &str)> = match &q.body {
        Body::Choice(c) => {
            c.options.iter().enumerate().map(|(i, o)| (letter(i).to_string(), o.rationale.as_str())).collect()
        }
        Body::Ordering(o) => {
            o.steps.iter().enumerate().map(|(i, s)| (letter(i).to_string(), s.rationale.as_str())).collect()
        }
        Body::Matching(m) => {
            m.prompts.iter().enumerate().map(|(i, p)| ((i + 1).to_string(), p.rationale.as_str())).collect()
        }
    };
    list.into_iter().filter(|(_, r)| !r.is_empty()).collect()
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// RFC 4180 CSV: a header, then one row per question; options in columns A to J.
pub fn csv(exam: &Exam) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = ["id", "domain", "kind", "stem"].iter().map(|s| s.to_string()).collect();
    header.extend((0..10).map(|i| letter(i).to_string()));
    header.extend(
        [
            "answer",
            "explanation",
            "rationales",
            "references",
            "tags",
            "difficulty",
            "task",
            "source_url",
            "source_licence",
            "source_commit",
            "source_original_id",
            "source_file",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for q in exam.questions() {
        let mut row = vec![q.id.clone(), q.domain.clone(), q.kind().as_str().to_string(), full_stem(q)];
        let options = choices(q);
        row.extend((0..10).map(|i| options.get(i).map_or(String::new(), |s| s.to_string())));
        row.push(answer(q));
        row.push(q.explanation.trim().to_string());
        row.push(rationales(q).iter().map(|(l, r)| format!("{l}: {r}")).collect::<Vec<_>>().join("\n"));
        row.push(q.references.join(" "));
        row.push(q.tags.join(" "));
        row.push(q.difficulty.map_or(String::new(), |d| format!("{d:?}").to_lowercase()));
        row.push(q.task.clone().unwrap_or_default());
        let source = q.source.clone().unwrap_or_default();
        for part in [source.url, source.licence, source.commit, source.original_id, source.file] {
            row.push(part.unwrap_or_default());
        }
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// A field of Anki's text import with `#html:true`: escaped, line breaks as `<br>`, no tabs;
/// a code block as `<pre><code>` (its line breaks as `<br>` too: a field is one line).
fn anki_field(text: &str) -> String {
    if crate::text::has_code(text) {
        return html::rich(text.trim()).replace("<br/>\n", "<br>").replace('\t', " ").replace('\n', "<br>");
    }
    html::escape(text.trim(), false).replace('\t', " ").replace('\n', "<br>")
}

/// Text for one Markdown list item: prose on one line, as before; a code block as a
/// fenced block indented under the item (so it stays part of it).
fn md_item(text: &str) -> String {
    if !crate::text::has_code(text) {
        return text.replace('\n', " ");
    }
    let mut out = String::new();
    for block in crate::text::blocks(text) {
        match block {
            crate::text::Block::Prose(prose) => {
                let line = prose.split_whitespace().collect::<Vec<_>>().join(" ");
                if !line.is_empty() {
                    if !out.is_empty() {
                        out.push_str("\n\n  ");
                    }
                    out.push_str(&line);
                }
            }
            crate::text::Block::Code { lang, lines } => {
                let longest =
                    lines.iter().flat_map(|l| l.split(|c| c != '`')).map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                out.push_str(&format!("\n\n  {fence}{}\n", lang.unwrap_or_default()));
                for line in lines {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(&format!("  {line}\n"));
                    }
                }
                out.push_str(&format!("  {fence}"));
            }
        }
    }
    // A list item cannot start with a fence (it would be text after "[x] "): a label first.
    if out.starts_with('\n') { format!("Code:{out}") } else { out }
}

/// "Source: URL (licence), commit C, id I, file F" from the parts the bank gives; `None`
/// without a source.
fn source_line(q: &Question) -> Option<String> {
    let s = q.source.as_ref()?;
    let mut parts: Vec<String> = Vec::new();
    match (&s.url, &s.licence) {
        (Some(url), Some(licence)) => parts.push(format!("{url} ({licence})")),
        (Some(url), None) => parts.push(url.clone()),
        (None, Some(licence)) => parts.push(format!("licence {licence}")),
        (None, None) => {}
    }
    if let Some(commit) = &s.commit {
        parts.push(format!("commit {commit}"));
    }
    if let Some(id) = &s.original_id {
        parts.push(format!("id {id}"));
    }
    if let Some(file) = &s.file {
        parts.push(format!("file {file}"));
    }
    Some(format!("Source: {}", parts.join(", ")))
}

/// An Anki tag: no spaces (they separate tags).
fn anki_tag(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Anki's text import format: headers, then one Basic note per question (front: the stem
/// and the lettered choices; back: the key, the explanation, the rationales and the
/// references), tags from the domain and the question's tags.
pub fn anki(exam: &Exam) -> String {
    let mut out = String::new();
    out.push_str("#separator:tab\n#html:true\n#notetype:Basic\n");
    out.push_str(&format!("#deck:proctor::{}\n", anki_tag(&exam.blueprint.id)));
    out.push_str("#columns:Front\tBack\tTags\n#tags column:3\n");
    for q in exam.questions() {
        let mut front = anki_field(&full_stem(q));
        for (i, choice) in choices(q).iter().enumerate() {
            front.push_str(&format!("<br>{}. {}", letter(i), anki_field(choice)));
        }
        let mut back = format!("<b>{}</b>", anki_field(&answer(q)));
        if !q.explanation.trim().is_empty() {
            back.push_str(&format!("<br><br>{}", anki_field(&q.explanation)));
        }
        for (l, r) in rationales(q) {
            back.push_str(&format!("<br>{l}: {}", anki_field(r)));
        }
        for r in &q.references {
            back.push_str(&format!("<br>{}", anki_field(r)));
        }
        if let Some(line) = source_line(q) {
            back.push_str(&format!("<br>{}", anki_field(&line)));
        }
        let mut tags = vec![format!("{}::{}", anki_tag(&exam.blueprint.id), anki_tag(&q.domain))];
        tags.extend(q.tags.iter().map(|t| anki_tag(t)));
        out.push_str(&format!("{front}\t{back}\t{}\n", tags.join(" ")));
    }
    out
}

/// Markdown: a title, a section per domain, and each question as an mkdocs-quiz `<quiz>`
/// block (choice questions: each option's rationale as its `>` feedback; `import markdown`
/// reads it back) or as a list with its answer (ordering, matching).
pub fn markdown(exam: &Exam) -> String {
    let mut out = format!("# {}\n", exam.blueprint.title.trim());
    for domain in &exam.blueprint.domains {
        let questions: Vec<&Question> = exam.questions().iter().filter(|q| q.domain == domain.id).collect();
        if questions.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {} ({}%)\n", domain.name.trim(), domain.weight));
        for q in questions {
            out.push_str(&format!("\n### {}\n\n", q.id));
            match &q.body {
                Body::Choice(c) => {
                    out.push_str("<quiz>\n");
                    out.push_str(q.stem.trim());
                    out.push_str("\n\n");
                    for o in &c.options {
                        out.push_str(&format!(
                            "- [{}] {}\n",
                            if o.correct { "x" } else { " " },
                            md_item(&o.text)
                        ));
                        // mkdocs-quiz's per-answer feedback: `>` lines right below the answer.
                        for line in o.rationale.trim().lines() {
                            match line.trim_end() {
                                "" => out.push_str(">\n"),
                                line => out.push_str(&format!("> {line}\n")),
                            }
                        }
                    }
                    push_content(&mut out, q, false);
                    out.push_str("</quiz>\n");
                    // Below the quiz, so the content section is the explanation alone.
                    push_references(&mut out, q);
                }
                Body::Ordering(_) | Body::Matching(_) => {
                    out.push_str(full_stem(q).trim());
                    out.push_str("\n\n");
                    for (i, choice) in choices(q).iter().enumerate() {
                        out.push_str(&format!("- {}. {}\n", letter(i), md_item(choice)));
                    }
                    out.push_str(&format!("\n**Answer:** {}\n", answer(q)));
                    push_content(&mut out, q, true);
                    push_references(&mut out, q);
                }
            }
        }
    }
    out
}

/// The explanation, and the rationales as a list (`with_rationales`; a choice question has
/// them below its options).
fn push_content(out: &mut String, q: &Question, with_rationales: bool) {
    if !q.explanation.trim().is_empty() {
        out.push_str(&format!("\n{}\n", q.explanation.trim()));
    }
    let rationales = if with_rationales { rationales(q) } else { Vec::new() };
    if !rationales.is_empty() {
        out.push('\n');
        for (l, r) in rationales {
            out.push_str(&format!("- **{l}.** {}\n", md_item(r)));
        }
    }
}

fn push_references(out: &mut String, q: &Question) {
    if !q.references.is_empty() {
        out.push('\n');
        for r in &q.references {
            out.push_str(&format!("- <{r}>\n"));
        }
    }
    if let Some(line) = source_line(q) {
        out.push_str(&format!("\n{line}\n"));
    }
}
