//! Moodle XML (`<quiz><question type="...">`): multichoice, truefalse, matching and
//! ordering (qtype_ordering) become drafts; `category` questions set the category; every
//! other type is a draft that says why it cannot be asked. HTML text is made plain.

use roxmltree::Node;

use super::draft::{Draft, DraftBody, DraftOption, DraftStep, SourceLoc};
use super::{ReadError, html, parse_xml};

pub fn read(name: &str, source: &str) -> Result<Vec<Draft>, ReadError> {
    let doc = parse_xml(name, source)?;
    let root = doc.root_element();
    if root.tag_name().name() != "quiz" {
        let pos = doc.text_pos_at(root.range().start);
        return Err(ReadError {
            file: name.into(),
            line: pos.row,
            col: pos.col,
            message: format!("not Moodle XML: the root element is <{}>, not <quiz>", root.tag_name().name()),
        });
    }
    let mut drafts = Vec::new();
    let mut category: Option<String> = None;
    for question in root.children().filter(|n| n.has_tag_name("question")) {
        let kind = question.attribute("type").unwrap_or("");
        if kind == "category" {
            category =
                child(question, "category").map(|c| text_of(c, &mut Vec::new())).filter(|c| !c.is_empty());
            continue;
        }
        let line = doc.text_pos_at(question.range().start).row as usize;
        let mut notes = Vec::new();
        let stem = child(question, "questiontext").map(|t| text_of(t, &mut notes)).unwrap_or_default();
        let explanation =
            child(question, "generalfeedback").map(|t| text_of(t, &mut notes)).filter(|t| !t.is_empty());
        let title = child(question, "name").map(|t| text_of(t, &mut Vec::new())).filter(|t| !t.is_empty());
        let source_id = child(question, "idnumber")
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .filter(|t| !t.is_empty());
        let tags = child(question, "tags")
            .map(|tags| {
                tags.children()
                    .filter(|t| t.has_tag_name("tag"))
                    .map(|t| text_of(t, &mut Vec::new()))
                    .collect()
            })
            .unwrap_or_default();
        let body = match kind {
            "multichoice" => {
                let single = child(question, "single").and_then(|s| s.text()).map(str::trim);
                let multiple = match single {
                    Some("true" | "1") => Some(false),
                    Some("false" | "0") => Some(true),
                    _ => None,
                };
                DraftBody::Choice { options: answers(question, &mut notes), multiple }
            }
            "truefalse" => {
                notes.push("true/false becomes a multiple choice of two options, True and False".into());
                let mut options = answers(question, &mut notes);
                for option in &mut options {
                    match option.text.to_ascii_lowercase().as_str() {
                        "true" => option.text = "True".into(),
                        "false" => option.text = "False".into(),
                        _ => {}
                    }
                }
                DraftBody::Choice { options, multiple: Some(false) }
            }
            "matching" => {
                let pairs = question
                    .children()
                    .filter(|n| n.has_tag_name("subquestion"))
                    .map(|sub| {
                        let prompt = text_of(sub, &mut notes);
                        let answer = child(sub, "answer").map(|a| text_of(a, &mut notes)).unwrap_or_default();
                        (prompt, answer, None)
                    })
                    .collect();
                DraftBody::Matching { pairs, responses: Vec::new() }
            }
            "ordering" => ordering(question, &mut notes),
            "" => DraftBody::Unsupported { kind: "question".into(), reason: "no type attribute".into() },
            other => {
                DraftBody::Unsupported { kind: other.to_string(), reason: unsupported_reason(other).into() }
            }
        };
        drafts.push(Draft {
            loc: SourceLoc { file: name.into(), line },
            source_id,
            title,
            category: category.clone(),
            tags,
            stem,
            explanation,
            references: Vec::new(),
            body,
            notes,
        });
    }
    Ok(drafts)
}

fn unsupported_reason(kind: &str) -> &'static str {
    match kind {
        "essay" => "free-text answers cannot be scored",
        "numerical" | "calculated" | "calculatedsimple" | "calculatedmulti" => {
            "a typed or calculated number is not an option to choose"
        }
        "shortanswer" => "typed answers compared with accepted ones; there are no options to choose",
        "description" => "a description has nothing to answer",
        "multianswer" => "embedded answers (cloze) hold several questions in one text",
        _ => "proctor has no question of this type",
    }
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(name))
}

/// The text of an element's `<text>` child, made plain from the element's `format`.
fn text_of(node: Node, notes: &mut Vec<String>) -> String {
    let raw = child(node, "text").and_then(|t| t.text()).unwrap_or("");
    match node.attribute("format").unwrap_or("moodle_auto_format") {
        "plain_text" | "markdown" => raw.trim().to_string(),
        _ => {
            let (text, html_notes) = html::to_text(raw);
            notes.extend(html_notes);
            text
        }
    }
}

fn answers(question: Node, notes: &mut Vec<String>) -> Vec<DraftOption> {
    question
        .children()
        .filter(|n| n.has_tag_name("answer"))
        .map(|a| {
            let weight = a.attribute("fraction").and_then(|f| f.trim().parse::<f64>().ok()).unwrap_or(0.0);
            let feedback = child(a, "feedback").map(|f| text_of(f, notes));
            DraftOption::new(text_of(a, notes), weight, feedback)
        })
        .collect()
}

/// qtype_ordering lists the items in their correct order (its `fraction` numbers them).
fn ordering(question: Node, notes: &mut Vec<String>) -> DraftBody {
    let mut items: Vec<(f64, usize, String)> = question
        .children()
        .filter(|n| n.has_tag_name("answer"))
        .enumerate()
        .map(|(i, a)| {
            (a.attribute("fraction").and_then(|f| f.parse().ok()).unwrap_or(i as f64), i, text_of(a, notes))
        })
        .collect();
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let number =
        |name: &str| child(question, name).and_then(|n| n.text()).and_then(|t| t.trim().parse::<i64>().ok());
    if let Some(count) = number("selectcount").filter(|&c| c > 0 && (c as usize) < items.len()) {
        notes.push(format!(
            "Moodle shows {count} of the {} items (a random subset); proctor asks all {} in order",
            items.len(),
            items.len()
        ));
    }
    if let Some(grading) = number("gradingtype").filter(|&g| g != -1) {
        notes.push(format!(
            "partial credit for a partly right order (Moodle grading type {grading}) becomes all-or-nothing"
        ));
    }
    let steps = items
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, text))| DraftStep { text, position: u32::try_from(i + 1).ok(), feedback: None })
        .collect();
    DraftBody::Ordering { steps }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_kinds_and_entities() {
        let xml = "\u{feff}<?xml version=\"1.0\"?>\r\n<quiz>\r\n<question type=\"category\"><category><text>$course$/top/Net &amp; IO</text></category></question>\r\n\
<question type=\"truefalse\"><name><text>tf</text></name><questiontext format=\"html\"><text><![CDATA[<p>Sky &lt;blue&gt;?</p>]]></text></questiontext>\
<answer fraction=\"100\"><text>true</text><feedback><text>yes</text></feedback></answer><answer fraction=\"0\"><text>false</text></answer></question>\r\n\
<question type=\"essay\"><questiontext><text>Write</text></questiontext></question></quiz>";
        let drafts = read("q.xml", xml).unwrap();
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].category.as_deref(), Some("$course$/top/Net & IO"));
        assert_eq!(drafts[0].stem, "Sky <blue>?");
        assert_eq!(drafts[0].loc.line, 4);
        let DraftBody::Choice { options, .. } = &drafts[0].body else { panic!() };
        assert_eq!(options[0].text, "True");
        assert_eq!(options[0].feedback.as_deref(), Some("yes"));
        assert!(matches!(&drafts[1].body, DraftBody::Unsupported { kind, .. } if kind == "essay"));
    }

    #[test]
    fn broken_xml_says_where() {
        let err = read("q.xml", "<quiz>\n<question>\n</quiz>").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
