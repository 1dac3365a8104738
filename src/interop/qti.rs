//! IMS QTI: reading 1.2 (`<questestinterop>`, as Canvas and Blackboard export) and 2.1
//! (`<assessmentItem>`) multiple choice, multiple response and (2.1) ordering into drafts;
//! writing a bank as a QTI 2.1 content package (`imsmanifest.xml` and one item file per
//! question) or as one QTI 1.2 document for Canvas and Blackboard (choice questions).

use roxmltree::{Document, Node};

use super::draft::{Draft, DraftBody, DraftOption, DraftStep, SourceLoc};
use super::{ReadError, html, parse_xml};
use crate::bank::{Body, Exam, Question};

/// The items in one QTI XML file. A manifest or an assessment test holds no items: it gives
/// none (a package folder is read file by file).
pub fn read(name: &str, source: &str) -> Result<Vec<Draft>, ReadError> {
    let doc = parse_xml(name, source)?;
    let root = doc.root_element();
    let mut drafts = Vec::new();
    match root.tag_name().name() {
        "assessmentItem" => drafts.push(read_item_21(&doc, name, root)),
        "questestinterop" => {
            let mut category: Option<String> = None;
            for node in root.descendants() {
                if node.has_tag_name("section") {
                    category = node.attribute("title").map(str::to_string).or(category);
                }
                if node.has_tag_name("item") {
                    let mut draft = read_item_12(&doc, name, node);
                    draft.category = category.clone();
                    drafts.push(draft);
                }
            }
        }
        "manifest" | "assessmentTest" => {}
        other => {
            let pos = doc.text_pos_at(root.range().start);
            return Err(ReadError {
                file: name.into(),
                line: pos.row,
                col: pos.col,
                message: format!("not QTI: the root element is <{other}>"),
            });
        }
    }
    Ok(drafts)
}

fn empty_draft(doc: &Document, name: &str, node: Node) -> Draft {
    Draft {
        loc: SourceLoc { file: name.into(), line: doc.text_pos_at(node.range().start).row as usize },
        source_id: None,
        title: None,
        category: None,
        tags: Vec::new(),
        stem: String::new(),
        explanation: None,
        references: Vec::new(),
        body: DraftBody::Unsupported { kind: "item".into(), reason: "no interaction".into() },
        notes: Vec::new(),
    }
}

/// An element's content as HTML (tags without attributes, text escaped), leaving out the
/// elements `skip` names, so `html::to_text` can make it plain.
fn inner_html(node: Node, skip: &dyn Fn(Node) -> bool, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(&html::escape(child.text().unwrap_or(""), false));
        } else if child.is_element() && !skip(child) {
            let tag = child.tag_name().name();
            if tag == "img" {
                out.push_str(&format!(
                    "<img alt=\"{}\">",
                    html::escape(child.attribute("alt").unwrap_or(""), false)
                ));
                continue;
            }
            // A code block's language is its class (`<code class="language-sql">`).
            match child.attribute("class").filter(|_| tag == "pre" || tag == "code") {
                Some(class) => out.push_str(&format!("<{tag} class=\"{}\">", html::escape(class, false))),
                None => out.push_str(&format!("<{tag}>")),
            }
            inner_html(child, skip, out);
            out.push_str(&format!("</{tag}>"));
        }
    }
}

fn plain(node: Node, skip: &dyn Fn(Node) -> bool, notes: &mut Vec<String>) -> String {
    let mut markup = String::new();
    inner_html(node, skip, &mut markup);
    let (text, found) = html::to_text(&markup);
    notes.extend(found);
    text
}

fn first<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants().find(|n| n.has_tag_name(name))
}

fn read_item_21(doc: &Document, name: &str, item: Node) -> Draft {
    let mut draft = empty_draft(doc, name, item);
    draft.source_id = item.attribute("identifier").map(str::to_string);
    draft.title = item.attribute("title").map(str::to_string);
    // proctor writes the domain's name as the item's label.
    draft.category = item.attribute("label").map(str::to_string).filter(|l| !l.trim().is_empty());
    let mut notes = Vec::new();
    let Some(body) = first(item, "itemBody") else {
        draft.body = DraftBody::Unsupported { kind: "item".into(), reason: "no itemBody".into() };
        return draft;
    };
    let interactions: Vec<Node> = body
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name().ends_with("Interaction"))
        .collect();
    let is_interaction = |n: Node| n.tag_name().name().ends_with("Interaction");
    let mut stem = plain(body, &is_interaction, &mut notes);
    let Some(&interaction) = interactions.first() else {
        draft.stem = stem;
        draft.body =
            DraftBody::Unsupported { kind: "item".into(), reason: "no interaction to answer".into() };
        return draft;
    };
    if let Some(prompt) = interaction.children().find(|n| n.has_tag_name("prompt")) {
        let prompt = plain(prompt, &|_| false, &mut notes);
        stem = if stem.is_empty() { prompt } else { format!("{stem}\n\n{prompt}") };
    }
    draft.stem = stem;
    if interactions.len() > 1 {
        draft.body = DraftBody::Unsupported {
            kind: "composite item".into(),
            reason: format!("{} interactions in one item; proctor asks one", interactions.len()),
        };
        return draft;
    }
    let response_id = interaction.attribute("responseIdentifier").unwrap_or("RESPONSE");
    let declaration = item
        .children()
        .find(|n| n.has_tag_name("responseDeclaration") && n.attribute("identifier") == Some(response_id));
    let correct: Vec<String> = declaration
        .and_then(|d| first(d, "correctResponse"))
        .map(|c| {
            c.children()
                .filter(|v| v.has_tag_name("value"))
                .map(|v| v.text().unwrap_or("").trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    if declaration.and_then(|d| first(d, "mapping")).is_some() {
        notes.push("the item's mapping gives credit per choice; proctor scores all-or-nothing".into());
    }
    let multiple = declaration.and_then(|d| d.attribute("cardinality")).map(|c| c != "single");
    // Feedback shown for a chosen identifier, and the rest as the explanation.
    let modal: Vec<(String, String)> = item
        .children()
        .filter(|n| n.has_tag_name("modalFeedback"))
        .map(|f| (f.attribute("identifier").unwrap_or("").to_string(), plain(f, &|_| false, &mut notes)))
        .collect();
    let choices: Vec<Node> = interaction.children().filter(|n| n.has_tag_name("simpleChoice")).collect();
    let ids: Vec<&str> = choices.iter().map(|c| c.attribute("identifier").unwrap_or("")).collect();
    let explanation: Vec<&str> = modal
        .iter()
        .filter(|(id, _)| !ids.contains(&id.as_str()))
        .map(|(_, t)| t.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    if !explanation.is_empty() {
        draft.explanation = Some(explanation.join("\n\n"));
    }
    let choice_text = |c: Node, notes: &mut Vec<String>| -> (String, Option<String>) {
        let is_feedback = |n: Node| n.has_tag_name("feedbackInline");
        let text = plain(c, &is_feedback, notes);
        let id = c.attribute("identifier").unwrap_or("");
        let inline =
            c.children().find(|n| n.has_tag_name("feedbackInline")).map(|f| plain(f, &|_| false, notes));
        let feedback = inline.or_else(|| modal.iter().find(|(m, _)| m == id).map(|(_, t)| t.clone()));
        (text, feedback)
    };
    draft.body = match interaction.tag_name().name() {
        "choiceInteraction" => {
            let options = choices
                .iter()
                .map(|&c| {
                    let (text, feedback) = choice_text(c, &mut notes);
                    let right = correct.iter().any(|k| Some(k.as_str()) == c.attribute("identifier"));
                    DraftOption::new(text, if right { 100.0 } else { 0.0 }, feedback)
                })
                .collect();
            DraftBody::Choice { options, multiple }
        }
        "matchInteraction" => {
            let sets: Vec<Node> =
                interaction.children().filter(|n| n.has_tag_name("simpleMatchSet")).collect();
            let [sources, targets] = sets.as_slice() else {
                draft.body = DraftBody::Unsupported {
                    kind: "matching".into(),
                    reason: format!("{} match sets; a matching item has two", sets.len()),
                };
                return draft;
            };
            let mut responses = Vec::new();
            let mut target_ids = Vec::new();
            for t in associable(*targets) {
                target_ids.push(t.attribute("identifier").unwrap_or("").to_string());
                responses.push(choice_text(t, &mut notes).0);
            }
            let mut pairs = Vec::new();
            for source in associable(*sources) {
                let id = source.attribute("identifier").unwrap_or("");
                let (text, feedback) = choice_text(source, &mut notes);
                let matched: Vec<&str> = correct
                    .iter()
                    .filter_map(|pair| {
                        let mut parts = pair.split_whitespace();
                        (parts.next() == Some(id)).then(|| parts.next()).flatten()
                    })
                    .collect();
                let [target] = matched.as_slice() else {
                    draft.body = DraftBody::Unsupported {
                        kind: "matching".into(),
                        reason: format!(
                            "prompt {id:?} has {} correct matches; proctor takes one",
                            matched.len()
                        ),
                    };
                    return draft;
                };
                let Some(t) = target_ids.iter().position(|t| t == target) else {
                    draft.body = DraftBody::Unsupported {
                        kind: "matching".into(),
                        reason: format!("the key names {target:?}, which is no answer"),
                    };
                    return draft;
                };
                pairs.push((text, responses[t].clone(), feedback));
            }
            DraftBody::Matching { pairs, responses }
        }
        "orderInteraction" => {
            if let Some(key) = correct.iter().find(|k| !ids.contains(&k.as_str())) {
                draft.body = DraftBody::Unsupported {
                    kind: "ordering".into(),
                    reason: format!("the correct order names {key:?}, which is no choice"),
                };
                return draft;
            }
            // Choices outside the correct order are steps that do not belong.
            let steps = choices
                .iter()
                .map(|&c| {
                    let (text, feedback) = choice_text(c, &mut notes);
                    let id = c.attribute("identifier").unwrap_or("");
                    let position =
                        correct.iter().position(|k| k == id).and_then(|p| u32::try_from(p + 1).ok());
                    DraftStep { text, position, feedback }
                })
                .collect();
            DraftBody::Ordering { steps }
        }
        other => DraftBody::Unsupported {
            kind: other.to_string(),
            reason: "proctor has no question of this kind".into(),
        },
    };
    draft.notes = notes;
    draft
}

fn associable<'a, 'i>(set: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    set.children().filter(|n| n.has_tag_name("simpleAssociableChoice")).collect()
}

fn read_item_12(doc: &Document, name: &str, item: Node) -> Draft {
    let mut draft = empty_draft(doc, name, item);
    draft.source_id = item.attribute("ident").map(str::to_string);
    draft.title = item.attribute("title").map(str::to_string);
    let mut notes = Vec::new();
    let mattext = |n: Node, notes: &mut Vec<String>| -> String {
        n.descendants()
            .filter(|m| m.has_tag_name("mattext"))
            .map(|m| {
                let raw = m.text().unwrap_or("");
                if m.attribute("texttype").is_some_and(|t| t.contains("html")) || raw.contains('<') {
                    let (text, found) = html::to_text(raw);
                    notes.extend(found);
                    text
                } else {
                    raw.trim().to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let Some(presentation) = first(item, "presentation") else {
        draft.body = DraftBody::Unsupported { kind: "item".into(), reason: "no presentation".into() };
        return draft;
    };
    let is_response = |n: Node| n.tag_name().name().starts_with("response_");
    draft.stem = presentation
        .children()
        .filter(|n| n.has_tag_name("material") || n.has_tag_name("flow"))
        .map(|m| {
            if m.has_tag_name("flow") {
                m.children()
                    .filter(|c| !is_response(*c))
                    .map(|c| mattext(c, &mut notes))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                mattext(m, &mut notes)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string();
    let Some(lid) = first(presentation, "response_lid") else {
        let kind = presentation
            .descendants()
            .find(|n| is_response(*n))
            .map_or("item".to_string(), |n| n.tag_name().name().to_string());
        draft.body =
            DraftBody::Unsupported { kind, reason: "only choice items (response_lid) can be asked".into() };
        return draft;
    };
    let feedback_text = |id: &str, notes: &mut Vec<String>| -> Option<String> {
        item.descendants()
            .find(|f| f.has_tag_name("itemfeedback") && f.attribute("ident") == Some(id))
            .map(|f| mattext(f, notes))
    };
    // Several response_lids, one per prompt: a matching item (Canvas `matching_question`).
    let lids: Vec<Node> = presentation.descendants().filter(|n| n.has_tag_name("response_lid")).collect();
    if lids.len() >= 2 {
        let mut prompts: Vec<(&str, String)> = Vec::new();
        let mut responses: Vec<String> = Vec::new();
        let mut label_text: Vec<((&str, &str), String)> = Vec::new();
        for lid in &lids {
            let id = lid.attribute("ident").unwrap_or("");
            let text = lid
                .children()
                .filter(|c| c.has_tag_name("material"))
                .map(|m| mattext(m, &mut notes))
                .collect::<Vec<_>>()
                .join("\n");
            prompts.push((id, text.trim().to_string()));
            for label in lid.descendants().filter(|n| n.has_tag_name("response_label")) {
                let text = mattext(label, &mut notes);
                if !responses.contains(&text) {
                    responses.push(text.clone());
                }
                label_text.push(((id, label.attribute("ident").unwrap_or("")), text));
            }
        }
        let mut answers: Vec<Option<String>> = vec![None; prompts.len()];
        let mut feedback: Vec<Option<String>> = vec![None; prompts.len()];
        let mut explanation = None;
        let mut summed = false;
        for condition in item.descendants().filter(|n| n.has_tag_name("respcondition")) {
            let Some(var) = first(condition, "conditionvar") else { continue };
            let equals: Vec<(&str, String)> = var
                .descendants()
                .filter(|v| v.has_tag_name("varequal") && !v.ancestors().any(|a| a.has_tag_name("not")))
                .map(|v| (v.attribute("respident").unwrap_or(""), v.text().unwrap_or("").trim().to_string()))
                .collect();
            let scores = condition.children().filter(|s| s.has_tag_name("setvar")).any(|s| {
                summed |= s.attribute("action") == Some("Add");
                s.text().and_then(|t| t.trim().parse::<f64>().ok()).is_some_and(|v| v > 0.0)
            });
            let prompt = |respident: &str| prompts.iter().position(|(id, _)| *id == respident);
            if scores {
                for (respident, label) in &equals {
                    if let (Some(i), Some((_, text))) = (
                        prompt(respident),
                        label_text.iter().find(|(k, _)| *k == (*respident, label.as_str())),
                    ) {
                        answers[i] = Some(text.clone());
                    }
                }
            }
            for shown in condition.children().filter(|d| d.has_tag_name("displayfeedback")) {
                let Some(link) = shown.attribute("linkrefid") else { continue };
                let text = feedback_text(link, &mut notes).filter(|t| !t.is_empty());
                match equals.as_slice() {
                    [(respident, _)] if prompt(respident).is_some() => {
                        feedback[prompt(respident).unwrap_or_default()] = text;
                    }
                    _ if link.contains("general_fb") || link == "general" => explanation = text,
                    _ => {}
                }
            }
        }
        if explanation.is_none() {
            explanation = feedback_text("general_fb", &mut notes).filter(|t| !t.is_empty());
        }
        draft.explanation = explanation;
        if let Some(i) = answers.iter().position(Option::is_none) {
            draft.body = DraftBody::Unsupported {
                kind: "matching".into(),
                reason: format!("prompt {} has no right answer in its scoring", i + 1),
            };
        } else {
            if summed {
                notes.push("credit per pair becomes all-or-nothing: every pair must be right".into());
            }
            let pairs = prompts
                .into_iter()
                .zip(answers)
                .zip(feedback)
                .map(|(((_, text), answer), feedback)| (text, answer.unwrap_or_default(), feedback))
                .collect();
            draft.body = DraftBody::Matching { pairs, responses };
        }
        draft.notes = notes;
        return draft;
    }
    let multiple = lid.attribute("rcardinality").map(|c| c != "Single");
    let labels: Vec<(String, String)> = lid
        .descendants()
        .filter(|n| n.has_tag_name("response_label"))
        .map(|l| (l.attribute("ident").unwrap_or("").to_string(), mattext(l, &mut notes)))
        .collect();
    let mut weights: Vec<f64> = vec![0.0; labels.len()];
    let mut feedback: Vec<Option<String>> = vec![None; labels.len()];
    let mut explanation = None;
    let mut summed = false;
    for condition in item.descendants().filter(|n| n.has_tag_name("respcondition")) {
        let Some(var) = first(condition, "conditionvar") else { continue };
        let positive: Vec<String> = var
            .descendants()
            .filter(|v| v.has_tag_name("varequal") && !v.ancestors().any(|a| a.has_tag_name("not")))
            .map(|v| v.text().unwrap_or("").trim().to_string())
            .collect();
        let score = condition
            .children()
            .filter(|s| s.has_tag_name("setvar"))
            .filter_map(|s| {
                Some((
                    s.attribute("action").unwrap_or("Set").to_string(),
                    s.text()?.trim().parse::<f64>().ok()?,
                ))
            })
            .next();
        if let Some((action, value)) = score.filter(|(_, v)| *v > 0.0) {
            summed |= action == "Add";
            let share = if action == "Add" { value } else { 100.0 };
            for key in &positive {
                if let Some(i) = labels.iter().position(|(id, _)| id == key) {
                    weights[i] = if action == "Add" { share } else { 100.0 };
                }
            }
        }
        for shown in condition.children().filter(|d| d.has_tag_name("displayfeedback")) {
            let Some(link) = shown.attribute("linkrefid") else { continue };
            let text = feedback_text(link, &mut notes).filter(|t| !t.is_empty());
            match positive.as_slice() {
                [one] if var.children().filter(|c| c.is_element()).count() == 1 => {
                    if let Some(i) = labels.iter().position(|(id, _)| id == one) {
                        feedback[i] = text;
                    }
                }
                _ if link.contains("general_fb") || link == "general" => explanation = text,
                _ => {}
            }
        }
    }
    if explanation.is_none() {
        explanation = feedback_text("general_fb", &mut notes).filter(|t| !t.is_empty());
    }
    if summed && multiple != Some(true) {
        notes.push("scores added per choice become all-or-nothing".into());
    }
    draft.explanation = explanation;
    draft.body = DraftBody::Choice {
        options: labels
            .into_iter()
            .zip(weights)
            .zip(feedback)
            .map(|(((_, text), weight), feedback)| DraftOption::new(text, weight, feedback))
            .collect(),
        multiple,
    };
    draft.notes = notes;
    draft
}

/// XML text content: escaped, line breaks as `<br/>`, code blocks as `<pre><code>`.
fn x(text: &str) -> String {
    html::rich(text)
}

/// An identifier QTI accepts (an XML NCName): the question id, prefixed when it starts
/// with a digit.
fn ident(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .collect();
    if id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') { id } else { format!("q{id}") }
}

/// (relative path, XML) files of a package, and (question id, reason) of those left out.
pub type Package = (Vec<(String, String)>, Vec<(String, String)>);

/// One QTI 2.1 item per question, and the manifest: (relative path, XML) pairs. (Nothing
/// is left out today; the list is there for kinds QTI could not hold.)
pub fn write(exam: &Exam) -> Package {
    let mut files = Vec::new();
    let skipped = Vec::new();
    for q in exam.questions() {
        let domain = exam.blueprint.domain(&q.domain).map_or(q.domain.as_str(), |d| d.name.as_str());
        files.push((format!("items/{}.xml", ident(&q.id)), item_xml(q, domain)));
    }
    let mut manifest = String::new();
    manifest.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    manifest.push_str(&format!(
        "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" identifier=\"{}\">\n  <metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion></metadata>\n  <organizations/>\n  <resources>\n",
        ident(&exam.blueprint.id)
    ));
    for (path, _) in &files {
        let id = path.trim_start_matches("items/").trim_end_matches(".xml");
        manifest.push_str(&format!(
            "    <resource identifier=\"res-{id}\" type=\"imsqti_item_xmlv2p1\" href=\"{path}\">\n      <file href=\"{path}\"/>\n    </resource>\n"
        ));
    }
    manifest.push_str("  </resources>\n</manifest>\n");
    files.insert(0, ("imsmanifest.xml".to_string(), manifest));
    (files, skipped)
}

fn item_xml(q: &Question, domain: &str) -> String {
    let letters = |i: usize| format!("C{}", i + 1);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\" identifier=\"{}\" title=\"{}\" label=\"{}\" adaptive=\"false\" timeDependent=\"false\">\n",
        ident(&q.id),
        html::escape(&q.id, false),
        html::escape(&domain.replace('\n', " "), false)
    ));
    let (cardinality, keys, interaction) = match &q.body {
        Body::Choice(choice) => {
            let keys: Vec<String> = choice.correct_indices().into_iter().map(letters).collect();
            let max = if choice.multiple { 0 } else { 1 };
            let mut inter = format!(
                "    <choiceInteraction responseIdentifier=\"RESPONSE\" shuffle=\"true\" maxChoices=\"{max}\">\n"
            );
            for (i, option) in choice.options.iter().enumerate() {
                inter.push_str(&format!(
                    "      <simpleChoice identifier=\"{}\">{}",
                    letters(i),
                    x(&option.text)
                ));
                if !option.rationale.is_empty() {
                    inter.push_str(&format!(
                        "<feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"{}\" showHide=\"show\">{}</feedbackInline>",
                        letters(i),
                        x(&option.rationale)
                    ));
                }
                inter.push_str("</simpleChoice>\n");
            }
            inter.push_str("    </choiceInteraction>\n");
            (if choice.multiple { "multiple" } else { "single" }, keys, inter)
        }
        Body::Ordering(ordering) => {
            let keys: Vec<String> = ordering.sequence().into_iter().map(letters).collect();
            let mut inter =
                String::from("    <orderInteraction responseIdentifier=\"RESPONSE\" shuffle=\"true\">\n");
            for (i, step) in ordering.steps.iter().enumerate() {
                inter.push_str(&format!(
                    "      <simpleChoice identifier=\"{}\">{}",
                    letters(i),
                    x(&step.text)
                ));
                if !step.rationale.is_empty() {
                    inter.push_str(&format!(
                        "<feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"{}\" showHide=\"show\">{}</feedbackInline>",
                        letters(i),
                        x(&step.rationale)
                    ));
                }
                inter.push_str("</simpleChoice>\n");
            }
            inter.push_str("    </orderInteraction>\n");
            ("ordered", keys, inter)
        }
        Body::Matching(matching) => {
            // Prompts P1.. match responses R1..: directed pairs "P1 R2".
            let keys: Vec<String> = matching
                .prompts
                .iter()
                .enumerate()
                .map(|(i, p)| format!("P{} R{}", i + 1, p.answer + 1))
                .collect();
            let mut inter = format!(
                "    <matchInteraction responseIdentifier=\"RESPONSE\" shuffle=\"true\" maxAssociations=\"{}\">\n      <simpleMatchSet>\n",
                matching.prompts.len()
            );
            for (i, prompt) in matching.prompts.iter().enumerate() {
                inter.push_str(&format!(
                    "        <simpleAssociableChoice identifier=\"P{}\" matchMax=\"1\">{}",
                    i + 1,
                    x(&prompt.text)
                ));
                if !prompt.rationale.is_empty() {
                    inter.push_str(&format!(
                        "<feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"P{}\" showHide=\"show\">{}</feedbackInline>",
                        i + 1,
                        x(&prompt.rationale)
                    ));
                }
                inter.push_str("</simpleAssociableChoice>\n");
            }
            inter.push_str("      </simpleMatchSet>\n      <simpleMatchSet>\n");
            for (i, response) in matching.responses.iter().enumerate() {
                inter.push_str(&format!(
                    "        <simpleAssociableChoice identifier=\"R{}\" matchMax=\"{}\">{}</simpleAssociableChoice>\n",
                    i + 1,
                    matching.prompts.len(),
                    x(&response.text)
                ));
            }
            inter.push_str("      </simpleMatchSet>\n    </matchInteraction>\n");
            ("multiple", keys, inter)
        }
    };
    let base = if matches!(q.body, Body::Matching(_)) { "directedPair" } else { "identifier" };
    out.push_str(&format!("  <responseDeclaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" baseType=\"{base}\">\n    <correctResponse>\n"));
    for key in &keys {
        out.push_str(&format!("      <value>{key}</value>\n"));
    }
    out.push_str("    </correctResponse>\n  </responseDeclaration>\n");
    out.push_str("  <outcomeDeclaration identifier=\"SCORE\" cardinality=\"single\" baseType=\"float\"/>\n");
    out.push_str(
        "  <outcomeDeclaration identifier=\"FEEDBACK\" cardinality=\"multiple\" baseType=\"identifier\"/>\n",
    );
    out.push_str(&format!("  <itemBody>\n    <div>{}</div>\n", x(&q.stem)));
    out.push_str(&interaction);
    out.push_str("  </itemBody>\n");
    out.push_str("  <responseProcessing template=\"http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct\"/>\n");
    if !q.explanation.is_empty() {
        out.push_str(&format!(
            "  <modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"EXPLANATION\" showHide=\"hide\">{}</modalFeedback>\n",
            x(&q.explanation)
        ));
    }
    out.push_str("</assessmentItem>\n");
    out
}

/// QTI 1.2 `mattext`: the text as HTML (line breaks and indentation kept, as in 2.1),
/// escaped once more as XML character data, the way Canvas writes it.
fn mattext_12(text: &str) -> String {
    format!(
        "<material><mattext texttype=\"text/html\">{}</mattext></material>",
        html::escape(&x(text), false)
    )
}

/// The bank as one QTI 1.2 `questestinterop` document (the Canvas and Blackboard flavour:
/// an assessment, a section per domain titled with its name, `response_lid` items scored
/// all-or-nothing in `resprocessing`, rationales and the explanation as `itemfeedback`), and
/// the questions it cannot hold: QTI 1.2 as those LMSs read it has no ordering item, so
/// ordering questions are left out (QTI 2.1 holds them); matching questions are Canvas's
/// `matching_question`.
pub fn write_12(exam: &Exam) -> (String, Vec<(String, String)>) {
    let mut skipped = Vec::new();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<questestinterop xmlns=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2\">\n");
    out.push_str(&format!(
        "  <assessment ident=\"{}\" title=\"{}\">\n    <section ident=\"root_section\">\n",
        ident(&exam.blueprint.id),
        html::escape(&exam.blueprint.title.replace('\n', " "), false)
    ));
    for domain in &exam.blueprint.domains {
        let questions: Vec<&Question> = exam.questions().iter().filter(|q| q.domain == domain.id).collect();
        if questions.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "      <section ident=\"{}\" title=\"{}\">\n",
            ident(&format!("domain-{}", domain.id)),
            html::escape(&domain.name.replace('\n', " "), false)
        ));
        for q in questions {
            match &q.body {
                Body::Choice(choice) => out.push_str(&item_12(q, choice)),
                Body::Ordering(_) => skipped.push((
                    q.id.clone(),
                    "an ordering question: QTI 1.2 (Canvas, Blackboard) has no ordering item; `export qti` (2.1) holds it".into(),
                )),
                Body::Matching(matching) => out.push_str(&matching_12(q, matching)),
            }
        }
        out.push_str("      </section>\n");
    }
    out.push_str("    </section>\n  </assessment>\n</questestinterop>\n");
    (out, skipped)
}

fn item_12(q: &Question, choice: &crate::bank::ChoiceBody) -> String {
    let label = |i: usize| char::from(b'A' + i as u8).to_string();
    let kind = if choice.multiple { "multiple_answers_question" } else { "multiple_choice_question" };
    let mut out = format!(
        "        <item ident=\"{}\" title=\"{}\">\n          <itemmetadata><qtimetadata>\
         <qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>{kind}</fieldentry></qtimetadatafield>\
         <qtimetadatafield><fieldlabel>points_possible</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield>\
         </qtimetadata></itemmetadata>\n",
        ident(&q.id),
        html::escape(&q.id, false)
    );
    out.push_str(&format!("          <presentation>\n            {}\n", mattext_12(&q.stem)));
    out.push_str(&format!(
        "            <response_lid ident=\"response1\" rcardinality=\"{}\">\n              <render_choice>\n",
        if choice.multiple { "Multiple" } else { "Single" }
    ));
    for (i, option) in choice.options.iter().enumerate() {
        out.push_str(&format!(
            "                <response_label ident=\"{}\">{}</response_label>\n",
            label(i),
            mattext_12(&option.text)
        ));
    }
    out.push_str("              </render_choice>\n            </response_lid>\n          </presentation>\n");
    out.push_str("          <resprocessing>\n            <outcomes><decvar maxvalue=\"100\" minvalue=\"0\" varname=\"SCORE\" vartype=\"Decimal\"/></outcomes>\n");
    if !q.explanation.is_empty() {
        out.push_str("            <respcondition continue=\"Yes\"><conditionvar><other/></conditionvar><displayfeedback feedbacktype=\"Response\" linkrefid=\"general_fb\"/></respcondition>\n");
    }
    for (i, option) in choice.options.iter().enumerate() {
        if !option.rationale.is_empty() {
            out.push_str(&format!(
                "            <respcondition continue=\"Yes\"><conditionvar><varequal respident=\"response1\">{0}</varequal></conditionvar><displayfeedback feedbacktype=\"Response\" linkrefid=\"{0}_fb\"/></respcondition>\n",
                label(i)
            ));
        }
    }
    // All or nothing: exactly the key (the others chosen fail the <not>).
    let mut condition = String::new();
    for (i, option) in choice.options.iter().enumerate() {
        let equal = format!("<varequal respident=\"response1\">{}</varequal>", label(i));
        if option.correct {
            condition.push_str(&equal);
        } else if choice.multiple {
            condition.push_str(&format!("<not>{equal}</not>"));
        }
    }
    if choice.multiple {
        condition = format!("<and>{condition}</and>");
    }
    out.push_str(&format!(
        "            <respcondition continue=\"No\"><conditionvar>{condition}</conditionvar><setvar action=\"Set\" varname=\"SCORE\">100</setvar></respcondition>\n          </resprocessing>\n"
    ));
    if !q.explanation.is_empty() {
        out.push_str(&format!(
            "          <itemfeedback ident=\"general_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n",
            mattext_12(&q.explanation)
        ));
    }
    for (i, option) in choice.options.iter().enumerate() {
        if !option.rationale.is_empty() {
            out.push_str(&format!(
                "          <itemfeedback ident=\"{}_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n",
                label(i),
                mattext_12(&option.rationale)
            ));
        }
    }
    out.push_str("        </item>\n");
    out
}

/// Canvas's `matching_question`: one `response_lid` per prompt (its text as the lid's
/// material) offering every answer, and a condition per pair adding its share of the score
/// (Canvas's own scoring: partial credit per pair, read back as all-or-nothing); a prompt's
/// rationale is the feedback its right pair shows.
fn matching_12(q: &Question, matching: &crate::bank::MatchingBody) -> String {
    let mut out = format!(
        "        <item ident=\"{}\" title=\"{}\">\n          <itemmetadata><qtimetadata>\
         <qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>matching_question</fieldentry></qtimetadatafield>\
         <qtimetadatafield><fieldlabel>points_possible</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield>\
         </qtimetadata></itemmetadata>\n",
        ident(&q.id),
        html::escape(&q.id, false)
    );
    out.push_str(&format!("          <presentation>\n            {}\n", mattext_12(&q.stem)));
    for (i, prompt) in matching.prompts.iter().enumerate() {
        out.push_str(&format!(
            "            <response_lid ident=\"P{}\">\n              {}\n              <render_choice>\n",
            i + 1,
            mattext_12(&prompt.text)
        ));
        for (j, response) in matching.responses.iter().enumerate() {
            out.push_str(&format!(
                "                <response_label ident=\"R{}\">{}</response_label>\n",
                j + 1,
                mattext_12(&response.text)
            ));
        }
        out.push_str("              </render_choice>\n            </response_lid>\n");
    }
    out.push_str("          </presentation>\n          <resprocessing>\n            <outcomes><decvar maxvalue=\"100\" minvalue=\"0\" varname=\"SCORE\" vartype=\"Decimal\"/></outcomes>\n");
    if !q.explanation.is_empty() {
        out.push_str("            <respcondition continue=\"Yes\"><conditionvar><other/></conditionvar><displayfeedback feedbacktype=\"Response\" linkrefid=\"general_fb\"/></respcondition>\n");
    }
    let share = 100.0 / matching.prompts.len().max(1) as f64;
    for (i, prompt) in matching.prompts.iter().enumerate() {
        let feedback = if prompt.rationale.is_empty() {
            String::new()
        } else {
            format!("<displayfeedback feedbacktype=\"Response\" linkrefid=\"P{}_fb\"/>", i + 1)
        };
        out.push_str(&format!(
            "            <respcondition continue=\"Yes\"><conditionvar><varequal respident=\"P{}\">R{}</varequal></conditionvar><setvar action=\"Add\" varname=\"SCORE\">{share:.2}</setvar>{feedback}</respcondition>\n",
            i + 1,
            prompt.answer + 1
        ));
    }
    out.push_str("          </resprocessing>\n");
    if !q.explanation.is_empty() {
        out.push_str(&format!(
            "          <itemfeedback ident=\"general_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n",
            mattext_12(&q.explanation)
        ));
    }
    for (i, prompt) in matching.prompts.iter().enumerate() {
        if !prompt.rationale.is_empty() {
            out.push_str(&format!(
                "          <itemfeedback ident=\"P{}_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n",
                i + 1,
                mattext_12(&prompt.rationale)
            ));
        }
    }
    out.push_str("        </item>\n");
    out
}

/// The manifest of a QTI 1.2 content package holding `file` (Canvas's "QTI .zip file").
pub fn manifest_12(exam: &Exam, file: &str) -> String {
    let id = ident(&exam.blueprint.id);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" identifier=\"{id}-manifest\">\n  <metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>\n  <organizations/>\n  <resources>\n    <resource identifier=\"{id}\" type=\"imsqti_xmlv1p2\" href=\"{file}\">\n      <file href=\"{file}\"/>\n    </resource>\n  </resources>\n</manifest>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qti_12_canvas_matching_question() {
        let xml = r#"<?xml version="1.0"?>
<questestinterop><assessment><section ident="s">
<item ident="m1" title="Match"><presentation>
<material><mattext texttype="text/html">&lt;p&gt;Match them.&lt;/p&gt;</mattext></material>
<response_lid ident="response_11"><material><mattext>Cat</mattext></material><render_choice>
<response_label ident="901"><material><mattext>meows</mattext></material></response_label>
<response_label ident="902"><material><mattext>barks</mattext></material></response_label>
<response_label ident="903"><material><mattext>quacks</mattext></material></response_label>
</render_choice></response_lid>
<response_lid ident="response_12"><material><mattext>Dog</mattext></material><render_choice>
<response_label ident="901"><material><mattext>meows</mattext></material></response_label>
<response_label ident="902"><material><mattext>barks</mattext></material></response_label>
<response_label ident="903"><material><mattext>quacks</mattext></material></response_label>
</render_choice></response_lid>
</presentation><resprocessing><outcomes><decvar/></outcomes>
<respcondition><conditionvar><varequal respident="response_11">901</varequal></conditionvar><setvar varname="SCORE" action="Add">50.00</setvar></respcondition>
<respcondition><conditionvar><varequal respident="response_12">902</varequal></conditionvar><setvar varname="SCORE" action="Add">50.00</setvar><displayfeedback linkrefid="dog_fb"/></respcondition>
</resprocessing>
<itemfeedback ident="dog_fb"><flow_mat><material><mattext>Dogs bark.</mattext></material></flow_mat></itemfeedback>
</item></section></assessment></questestinterop>"#;
        let drafts = read("m.xml", xml).unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].stem, "Match them.");
        let DraftBody::Matching { pairs, responses } = &drafts[0].body else {
            panic!("{:?}", drafts[0].body)
        };
        assert_eq!(
            pairs,
            &vec![
                ("Cat".to_string(), "meows".to_string(), None),
                ("Dog".to_string(), "barks".to_string(), Some("Dogs bark.".to_string()))
            ]
        );
        assert_eq!(responses, &["meows", "barks", "quacks"], "the distractor is kept");
        assert!(drafts[0].notes.iter().any(|n| n.contains("all-or-nothing")), "{:?}", drafts[0].notes);
    }

    #[test]
    fn qti_12_canvas_style_item() {
        let xml = r#"<?xml version="1.0"?>
<questestinterop><assessment><section title="Storage">
<item ident="i1" title="Q1">
<presentation><material><mattext texttype="text/html">&lt;p&gt;Pick two&lt;/p&gt;</mattext></material>
<response_lid ident="r" rcardinality="Multiple"><render_choice>
<response_label ident="a"><material><mattext>A</mattext></material></response_label>
<response_label ident="b"><material><mattext>B</mattext></material></response_label>
<response_label ident="c"><material><mattext>C</mattext></material></response_label>
</render_choice></response_lid></presentation>
<resprocessing><respcondition continue="No"><conditionvar><and><varequal respident="r">a</varequal><varequal respident="r">c</varequal><not><varequal respident="r">b</varequal></not></and></conditionvar>
<setvar action="Set" varname="SCORE">100</setvar></respcondition>
<respcondition continue="Yes"><conditionvar><varequal respident="r">b</varequal></conditionvar><displayfeedback feedbacktype="Response" linkrefid="b_fb"/></respcondition>
</resprocessing>
<itemfeedback ident="b_fb"><flow_mat><material><mattext>Not B</mattext></material></flow_mat></itemfeedback>
<itemfeedback ident="general_fb"><flow_mat><material><mattext>Because.</mattext></material></flow_mat></itemfeedback>
</item></section></assessment></questestinterop>"#;
        let drafts = read("q.xml", xml).unwrap();
        assert_eq!(drafts.len(), 1);
        let d = &drafts[0];
        assert_eq!(d.stem, "Pick two");
        assert_eq!(d.category.as_deref(), Some("Storage"));
        assert_eq!(d.explanation.as_deref(), Some("Because."));
        let DraftBody::Choice { options, multiple } = &d.body else { panic!("{d:?}") };
        assert_eq!(*multiple, Some(true));
        let weights: Vec<f64> = options.iter().map(|o| o.weight).collect();
        assert_eq!(weights, vec![100.0, 0.0, 100.0]);
        assert_eq!(options[1].feedback.as_deref(), Some("Not B"));
    }
}
