//! The format-neutral bank draft every reader produces, and the one validator that turns
//! drafts into bank TOML (`build`): which kind a question becomes, what it cannot carry,
//! and what changes meaning on the way. Pure: text in, TOML text and a report out.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use crate::bank::parse::{self, MATCHING_PROMPTS, MAX_OPTIONS, ORDERING_STEPS};
use crate::bank::validate;
use crate::bank::{Blueprint, ItemType, largest_remainder};
use crate::text;

/// Where an item was read: the source file and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLoc {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One item as a reader found it, before proctor's rules apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub loc: SourceLoc,
    /// The id the source gives the item (GIFT `[id:..]`, Moodle `idnumber`, QTI identifier).
    pub source_id: Option<String>,
    /// The item's name or title in the source (GIFT `::title::`, Moodle `<name>`).
    pub title: Option<String>,
    /// The source's category path (GIFT `$CATEGORY`, Moodle category questions).
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub stem: String,
    /// General feedback: shown whatever was answered.
    pub explanation: Option<String>,
    /// Links to the documentation that settles the key (a Markdown list of links right
    /// below a quiz, as `export markdown` writes them).
    pub references: Vec<String>,
    pub body: DraftBody,
    /// What the reader already knows changes on the way (an image dropped, true/false
    /// mapped to two options), reported with the item.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DraftBody {
    /// Options with the credit each gives, in percent (negative: a penalty).
    Choice {
        options: Vec<DraftOption>,
        /// What the source says about several answers: `Some(false)` single answer
        /// (Moodle `single`, QTI cardinality), `Some(true)` multiple, `None` unknown (GIFT).
        multiple: Option<bool>,
    },
    /// The steps as listed; those with a position make up the answer, the others are
    /// distractors.
    Ordering { steps: Vec<DraftStep> },
    /// (prompt, response, feedback) triples; a pair with an empty prompt is a distractor
    /// response. `responses` gives the order of the responses where the source has one
    /// (QTI), and may list distractors; responses named only in `pairs` follow.
    Matching { pairs: Vec<(String, String, Option<String>)>, responses: Vec<String> },
    /// Something proctor cannot ask (essay, numeric, short answer...): `kind` names it.
    Unsupported { kind: String, reason: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftStep {
    pub text: String,
    /// 1-based place in the answer; `None` for a step that does not belong.
    pub position: Option<u32>,
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftOption {
    pub text: String,
    /// Credit in percent: 100 fully right, 0 wrong, in between partial, below 0 a penalty.
    pub weight: f64,
    pub feedback: Option<String>,
}

impl DraftOption {
    pub fn new(text: impl Into<String>, weight: f64, feedback: Option<String>) -> DraftOption {
        DraftOption { text: text.into(), weight, feedback: feedback.filter(|f| !f.trim().is_empty()) }
    }
}

/// What happened to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not imported.
    Skipped,
    /// Imported, but its scoring or presentation differs from the source's.
    Changed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Skipped => "skipped",
            Outcome::Changed => "changed",
        }
    }
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    pub loc: SourceLoc,
    /// The question id it became, or a short quote of the item when skipped.
    pub item: String,
    pub outcome: Outcome,
    pub reason: String,
}

/// What the import is for: the exam id, and the blueprint to use, if one was given.
pub struct Target<'a> {
    pub exam_id: &'a str,
    /// A blueprint file given with `--blueprint`: (its text, parsed).
    pub blueprint: Option<(&'a str, &'a Blueprint)>,
    /// `YYYY-MM-DD`, for the scaffold's status date.
    pub today: &'a str,
    /// The source files' names, for the scaffold's note.
    pub sources: &'a [String],
}

/// A checked exam folder, ready to write.
#[derive(Debug)]
pub struct Built {
    /// `exam.toml`.
    pub blueprint: String,
    /// (file name, TOML) of each question file.
    pub files: Vec<(String, String)>,
    pub imported: usize,
    pub report: Vec<ReportLine>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{}", if *total == 0 { "nothing to import: the sources hold no questions".to_string() } else { format!("nothing to import: none of the {total} item(s) could be carried (see the report)") })]
    Nothing { total: usize, report: Vec<ReportLine> },
    #[error(
        "the sources have {0} categories, and a blueprint has at most 100 domains (whole percents): give --blueprint FILE with fewer domains"
    )]
    TooManyDomains(usize),
    /// The generated bank does not pass `proctor check`: a bug in the validator.
    #[error("internal error: the imported bank does not pass check: {0}")]
    Check(String),
}

/// A question on its way to TOML.
struct Ready {
    id: String,
    domain: String,
    domain_name: String,
    source_file: String,
    comment: String,
    tags: Vec<String>,
    stem: String,
    explanation: Option<String>,
    references: Vec<String>,
    /// The item's id in the source, kept in `[question.source]` with the source file.
    original_id: Option<String>,
    kind: ReadyBody,
}

enum ReadyBody {
    Choice { options: Vec<(String, bool, Option<String>)>, multiple: bool },
    Ordering(Vec<(String, Option<u32>, Option<String>)>),
    Matching { prompts: Vec<(String, usize, Option<String>)>, responses: Vec<String> },
}

impl ReadyBody {
    fn item_type(&self) -> ItemType {
        match self {
            ReadyBody::Choice { multiple: false, .. } => ItemType::MultipleChoice,
            ReadyBody::Choice { multiple: true, .. } => ItemType::MultipleResponse,
            ReadyBody::Ordering(_) => ItemType::Ordering,
            ReadyBody::Matching { .. } => ItemType::Matching,
        }
    }
}

/// A short, printable quote of an item for the report.
pub fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut quoted: String = one_line.chars().take(48).collect();
    if one_line.chars().count() > 48 {
        quoted.push('…');
    }
    format!("\"{quoted}\"")
}

/// Lower-case letters, digits and `-`: a domain id.
pub fn domain_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    slug.trim_end_matches('-').to_string()
}

/// Letters, digits, `-`, `_`, `.`: a question id (case kept, so an exported id comes back).
fn question_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug.trim_matches(|c| c == '-' || c == '.').to_string()
}

/// The domain a category names: the last segment of its path (Moodle's `$course$/top/`
/// prefix and "Default for" names are just containers).
fn category_name(category: &str) -> String {
    let last = category.rsplit('/').find(|s| !s.trim().is_empty() && !s.starts_with('$')).unwrap_or("");
    last.trim().to_string()
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

fn percent(w: f64) -> String {
    let rounded = (w * 100.0).round() / 100.0;
    format!("{rounded}%")
}

/// Turns drafts into a checked exam folder: questions proctor can ask, and a report line
/// for every item skipped or changed. The result passes `proctor check` (it is checked with
/// the same parser before it is returned).
pub fn build(drafts: Vec<Draft>, target: &Target) -> Result<Built, BuildError> {
    let mut report = Vec::new();
    let mut ready: Vec<Ready> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let total = drafts.len();
    for (n, draft) in drafts.into_iter().enumerate() {
        let item_quote = quote(if draft.stem.trim().is_empty() {
            draft.title.as_deref().unwrap_or("")
        } else {
            &draft.stem
        });
        let skip = |report: &mut Vec<ReportLine>, reason: String| {
            report.push(ReportLine {
                loc: draft.loc.clone(),
                item: item_quote.clone(),
                outcome: Outcome::Skipped,
                reason,
            });
        };
        let mut changes: Vec<String> = draft.notes.clone();
        let kind = match convert_body(&draft.body, &mut changes) {
            Ok(kind) => kind,
            Err(reason) => {
                skip(&mut report, reason);
                continue;
            }
        };
        if draft.stem.trim().is_empty() {
            skip(&mut report, "the question has no text".into());
            continue;
        }
        if let Some(c) = forbidden_in(&draft, &kind) {
            skip(
                &mut report,
                format!("it contains the character U+{:04X}, which bank text may not hold", c as u32),
            );
            continue;
        }
        let domain = match choose_domain(&draft, target) {
            Ok(domain) => domain,
            Err(reason) => {
                skip(&mut report, reason);
                continue;
            }
        };
        let base = [draft.source_id.as_deref(), draft.title.as_deref()]
            .into_iter()
            .flatten()
            .map(question_slug)
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("q-{:03}", n + 1));
        let mut id = base.clone();
        let mut k = 2;
        while !used_ids.insert(id.to_lowercase()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        let tags: Vec<String> = draft.tags.iter().filter(|t| !t.trim().is_empty()).cloned().collect();
        let mut comment = format!("from {}", draft.loc);
        if let Some(title) = &draft.title {
            comment.push_str(&format!(", titled {}", quote(title)));
        }
        for change in &changes {
            report.push(ReportLine {
                loc: draft.loc.clone(),
                item: id.clone(),
                outcome: Outcome::Changed,
                reason: change.clone(),
            });
        }
        ready.push(Ready {
            id,
            domain,
            domain_name: {
                let name = draft.category.as_deref().map(category_name).unwrap_or_default();
                if name.is_empty() { "General".to_string() } else { name }
            },
            source_file: draft.loc.file.clone(),
            comment,
            tags,
            stem: draft.stem.trim().to_string(),
            explanation: draft.explanation.map(|e| e.trim().to_string()).filter(|e| !e.is_empty()),
            references: draft.references,
            // The source's id is kept as written (the question id may be a slug of it).
            // (GIFT and Moodle name an item by its title when it has no id.)
            original_id: draft
                .source_id
                .or(draft.title.filter(|t| text::forbidden_char(t).is_none()))
                .map(|s| s.trim().replace(['\n', '\r'], " "))
                .filter(|s| !s.is_empty()),
            kind,
        });
    }
    if ready.is_empty() {
        return Err(BuildError::Nothing { total, report });
    }
    let domains: HashSet<&str> = ready.iter().map(|q| q.domain.as_str()).collect();
    if target.blueprint.is_none() && domains.len() > 100 {
        return Err(BuildError::TooManyDomains(domains.len()));
    }
    let blueprint = match target.blueprint {
        Some((text, _)) => text.to_string(),
        None => scaffold(&ready, target),
    };
    let files = question_files(&ready);
    verify(&blueprint, &files)?;
    Ok(Built { blueprint, files, imported: ready.len(), report })
}

fn forbidden_in(draft: &Draft, kind: &ReadyBody) -> Option<char> {
    let mut texts: Vec<&str> = vec![&draft.stem];
    texts.extend(draft.explanation.as_deref());
    texts.extend(draft.references.iter().map(String::as_str));
    texts.extend(draft.tags.iter().map(String::as_str));
    texts.extend(draft.source_id.as_deref());
    match kind {
        ReadyBody::Choice { options, .. } => {
            for (text, _, rationale) in options {
                texts.push(text);
                texts.extend(rationale.as_deref());
            }
        }
        ReadyBody::Ordering(steps) => {
            for (text, _, rationale) in steps {
                texts.push(text);
                texts.extend(rationale.as_deref());
            }
        }
        ReadyBody::Matching { prompts, responses } => {
            for (text, _, rationale) in prompts {
                texts.push(text);
                texts.extend(rationale.as_deref());
            }
            texts.extend(responses.iter().map(String::as_str));
        }
    }
    texts.into_iter().find_map(text::forbidden_char)
}

fn choose_domain(draft: &Draft, target: &Target) -> Result<String, String> {
    let name = draft.category.as_deref().map(category_name).unwrap_or_default();
    let Some((_, blueprint)) = target.blueprint else {
        let slug = domain_slug(&name);
        return Ok(if slug.is_empty() { "general".into() } else { slug });
    };
    let slug = domain_slug(&name);
    if let Some(d) = blueprint
        .domains
        .iter()
        .find(|d| !name.is_empty() && (d.id == slug || d.name.eq_ignore_ascii_case(&name)))
    {
        return Ok(d.id.clone());
    }
    if blueprint.domains.len() == 1 {
        return Ok(blueprint.domains[0].id.clone());
    }
    let ids: Vec<&str> = blueprint.domains.iter().map(|d| d.id.as_str()).collect();
    if name.is_empty() {
        Err(format!("it has no category, and the blueprint has several domains ({})", ids.join(", ")))
    } else {
        Err(format!("its category {} matches no domain of the blueprint ({})", quote(&name), ids.join(", ")))
    }
}

/// The kind a draft becomes, with the changes of meaning; `Err(reason)` when it cannot be asked.
fn convert_body(body: &DraftBody, changes: &mut Vec<String>) -> Result<ReadyBody, String> {
    match body {
        DraftBody::Unsupported { kind, reason } => Err(format!("{kind}: {reason}")),
        DraftBody::Ordering { steps } => {
            if !ORDERING_STEPS.contains(&steps.len()) {
                return Err(format!(
                    "ordering with {} steps: proctor asks {} to {}",
                    steps.len(),
                    ORDERING_STEPS.start(),
                    ORDERING_STEPS.end()
                ));
            }
            if steps.iter().any(|s| s.text.trim().is_empty()) {
                return Err("ordering with an empty step".into());
            }
            let mut positions: Vec<u32> = steps.iter().filter_map(|s| s.position).collect();
            positions.sort_unstable();
            if positions.len() < 2 || positions.iter().enumerate().any(|(i, &p)| p as usize != i + 1) {
                return Err("ordering whose answer is not 2 or more steps numbered 1 to N".into());
            }
            Ok(ReadyBody::Ordering(
                steps
                    .iter()
                    .map(|s| {
                        let feedback =
                            s.feedback.as_ref().map(|f| f.trim().to_string()).filter(|f| !f.is_empty());
                        (s.text.trim().to_string(), s.position, feedback)
                    })
                    .collect(),
            ))
        }
        DraftBody::Matching { pairs, responses: order } => {
            let mut responses: Vec<String> = Vec::new();
            for response in order.iter().map(|r| r.trim().to_string()) {
                if response.is_empty() {
                    return Err("matching with an empty answer".into());
                }
                if !responses.contains(&response) {
                    responses.push(response);
                }
            }
            let mut prompts = Vec::new();
            for (prompt, response, feedback) in pairs {
                let response = response.trim().to_string();
                if response.is_empty() {
                    return Err("matching with an empty answer".into());
                }
                let index = match responses.iter().position(|r| *r == response) {
                    Some(i) => i,
                    None => {
                        responses.push(response);
                        responses.len() - 1
                    }
                };
                if !prompt.trim().is_empty() {
                    let feedback = feedback.as_ref().map(|f| f.trim().to_string()).filter(|f| !f.is_empty());
                    prompts.push((prompt.trim().to_string(), index, feedback));
                }
            }
            if !MATCHING_PROMPTS.contains(&prompts.len()) {
                return Err(format!(
                    "matching with {} pairs: proctor asks {} to {}",
                    prompts.len(),
                    MATCHING_PROMPTS.start(),
                    MATCHING_PROMPTS.end()
                ));
            }
            if responses.len() > MAX_OPTIONS || responses.len() < 2 {
                return Err(format!(
                    "matching with {} answers: proctor takes 2 to {MAX_OPTIONS}",
                    responses.len()
                ));
            }
            Ok(ReadyBody::Matching { prompts, responses })
        }
        DraftBody::Choice { options, multiple } => convert_choice(options, *multiple, changes),
    }
}

fn convert_choice(
    options: &[DraftOption],
    multiple: Option<bool>,
    changes: &mut Vec<String>,
) -> Result<ReadyBody, String> {
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Err(format!(
            "{} options: proctor asks 2 to {MAX_OPTIONS} (the letters A to J)",
            options.len()
        ));
    }
    if let Some(i) = options.iter().position(|o| o.text.trim().is_empty()) {
        return Err(format!("option {} has no text", i + 1));
    }
    let full: Vec<usize> = (0..options.len()).filter(|&i| options[i].weight >= 99.99).collect();
    let partial: Vec<usize> =
        (0..options.len()).filter(|&i| options[i].weight > 0.0 && options[i].weight < 99.99).collect();
    let penalties: Vec<usize> = (0..options.len()).filter(|&i| options[i].weight < 0.0).collect();
    let positive: Vec<usize> = (0..options.len()).filter(|&i| options[i].weight > 0.0).collect();
    let label = |i: usize| quote(&options[i].text);
    let correct: Vec<usize>;
    let is_multiple;
    if full.len() >= 2 && multiple == Some(true) && partial.is_empty() {
        // A multiple-answer source whose right options are all fully right (QTI's
        // match_correct, Aiken's several letters): already all-or-nothing.
        correct = full.clone();
        is_multiple = true;
    } else if full.len() >= 2 {
        return Err(format!(
            "{} options each give full credit ({}), so any one of them is right: proctor has one key per question",
            full.len(),
            full.iter().map(|&i| label(i)).collect::<Vec<_>>().join(", ")
        ));
    } else if full.len() == 1 {
        correct = full.clone();
        is_multiple = false;
        if multiple == Some(true) {
            changes.push(
                "a multiple-answer question with one full-credit option becomes multiple choice".into(),
            );
        }
        for &i in &partial {
            changes.push(format!(
                "partial credit ({}) for {} is dropped: only the full-credit option is right",
                percent(options[i].weight),
                label(i)
            ));
        }
    } else if positive.len() >= 2 {
        if multiple == Some(false) {
            return Err(format!(
                "single-answer question where no option is fully right ({} give partial credit)",
                positive.len()
            ));
        }
        correct = positive.clone();
        is_multiple = true;
        let weights: Vec<String> = positive.iter().map(|&i| percent(options[i].weight)).collect();
        let sum: f64 = positive.iter().map(|&i| options[i].weight).sum();
        let mut change = format!(
            "partial credit ({}) becomes all-or-nothing multiple response: all {} must be chosen",
            weights.join(", "),
            positive.len()
        );
        if !approx(sum, 100.0) {
            change.push_str(&format!(" (the source's credits sum to {})", percent(sum)));
        }
        changes.push(change);
    } else if positive.len() == 1 {
        correct = positive.clone();
        is_multiple = false;
        changes.push(format!(
            "the best option {} gives {} in the source; proctor counts it as fully right",
            label(positive[0]),
            percent(options[positive[0]].weight)
        ));
    } else {
        return Err("no option gives credit, so there is no key".into());
    }
    if !penalties.is_empty() {
        changes.push(format!(
            "penalties ({}) are dropped: a wrong answer scores 0, never below",
            penalties
                .iter()
                .map(|&i| format!("{} {}", label(i), percent(options[i].weight)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let options = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                o.text.trim().to_string(),
                correct.contains(&i),
                o.feedback.as_ref().map(|f| f.trim().to_string()),
            )
        })
        .collect();
    Ok(ReadyBody::Choice { options, multiple: is_multiple })
}

/// A blueprint for an imported bank: domains from the categories, weighted by how many
/// questions each holds, and an exam as long as the bank.
fn scaffold(ready: &[Ready], target: &Target) -> String {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for q in ready {
        let count = counts.entry(&q.domain).or_insert(0);
        if *count == 0 {
            order.push(&q.domain);
        }
        *count += 1;
    }
    // Weights are whole percents of at least 1: at most 100 domains fit.
    let weights: Vec<u64> = order.iter().map(|d| counts[d]).collect();
    let mut percents = largest_remainder(&weights, 100);
    for p in percents.iter_mut() {
        if *p == 0 {
            *p = 1;
        }
    }
    // Giving a tiny domain its 1% may push the sum over 100: take it back from the largest.
    while percents.iter().sum::<u32>() > 100 {
        if let Some(max) = percents.iter_mut().max() {
            *max -= 1;
        }
    }
    let questions = ready.len().clamp(1, 500);
    let minutes = (questions * 2).clamp(1, 1440);
    let mut types: Vec<ItemType> = Vec::new();
    for t in [ItemType::MultipleChoice, ItemType::MultipleResponse, ItemType::Ordering, ItemType::Matching] {
        if ready.iter().any(|q| q.kind.item_type() == t) {
            types.push(t);
        }
    }
    let mut out = String::new();
    out.push_str("# Written by `proctor import`: a scaffold to edit (title, level, timing, weights).\n");
    out.push_str("format = 1\n");
    out.push_str(&format!("id = {}\n", toml_string(target.exam_id)));
    out.push_str(&format!("code = {}\n", toml_string(&target.exam_id.to_uppercase())));
    out.push_str(&format!("title = {}\n", toml_string(&format!("{} (imported)", target.exam_id))));
    out.push_str("vendor = \"imported\"\n");
    out.push_str("level = \"associate\"\n");
    out.push_str(&format!("exam_questions = {questions}\n"));
    out.push_str(&format!("scored_questions = {questions}\n"));
    out.push_str(&format!("minutes = {minutes}\n"));
    out.push_str("passing_score = 700\n");
    out.push_str(&format!(
        "item_types = [{}]\n",
        types.iter().map(|t| toml_string(t.as_str())).collect::<Vec<_>>().join(", ")
    ));
    out.push_str("\n[status]\nstate = \"beta\"\n");
    out.push_str(&format!("date = {}\n", toml_string(target.today)));
    let note = format!("Imported from {}.", target.sources.join(", "));
    out.push_str(&format!("note = {}\n", toml_string(&note.replace('\n', " "))));
    let names: BTreeMap<&str, String> =
        ready.iter().rev().map(|q| (q.domain.as_str(), q.domain_name.clone())).collect();
    for (domain, weight) in order.iter().zip(&percents) {
        out.push_str("\n[[domain]]\n");
        out.push_str(&format!("id = {}\n", toml_string(domain)));
        out.push_str(&format!("name = {}\n", toml_string(&names[domain])));
        out.push_str(&format!("weight = {weight}\n"));
    }
    out
}

/// One question file per source file, named after it.
fn question_files(ready: &[Ready]) -> Vec<(String, String)> {
    let mut files: Vec<(String, String, String)> = Vec::new(); // (source, name, text)
    for q in ready {
        let index = match files.iter().position(|(source, _, _)| *source == q.source_file) {
            Some(i) => i,
            None => {
                let stem = std::path::Path::new(&q.source_file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut base = domain_slug(&stem);
                if base.is_empty() || base == "exam" {
                    base = format!("questions-{base}").trim_end_matches('-').to_string();
                }
                let mut name = format!("{base}.toml");
                let mut k = 2;
                while files.iter().any(|(_, n, _)| *n == name) {
                    name = format!("{base}-{k}.toml");
                    k += 1;
                }
                files.push((q.source_file.clone(), name, String::from("# Written by `proctor import`.\n")));
                files.len() - 1
            }
        };
        write_question(&mut files[index].2, q);
    }
    files.into_iter().map(|(_, name, text)| (name, text)).collect()
}

fn write_question(out: &mut String, q: &Ready) {
    // A title may hold anything: in the comment, forbidden characters show as U+FFFD.
    out.push_str(&format!("\n# {}\n", text::printable_line(&q.comment)));
    out.push_str("[[question]]\n");
    out.push_str(&format!("id = {}\n", toml_string(&q.id)));
    out.push_str(&format!("domain = {}\n", toml_string(&q.domain)));
    out.push_str(&format!("kind = {}\n", toml_string(q.kind.item_type().as_str())));
    if !q.tags.is_empty() {
        out.push_str(&format!(
            "tags = [{}]\n",
            q.tags.iter().map(|t| toml_string(&t.replace('\n', " "))).collect::<Vec<_>>().join(", ")
        ));
    }
    out.push_str(&format!("stem = {}\n", toml_string(&q.stem)));
    if let Some(explanation) = &q.explanation {
        out.push_str(&format!("explanation = {}\n", toml_string(explanation)));
    }
    if !q.references.is_empty() {
        out.push_str(&format!(
            "references = [{}]\n",
            q.references.iter().map(|r| toml_string(r)).collect::<Vec<_>>().join(", ")
        ));
    }
    out.push_str("\n[question.source]\n");
    if let Some(original_id) = &q.original_id {
        out.push_str(&format!("original_id = {}\n", toml_string(original_id)));
    }
    // The file's name only: where it sat on the importing machine is not provenance.
    let file = std::path::Path::new(&q.source_file)
        .file_name()
        .map_or_else(|| q.source_file.clone(), |n| n.to_string_lossy().into_owned());
    out.push_str(&format!("file = {}\n", toml_string(&file.replace(['\n', '\r'], " "))));
    match &q.kind {
        ReadyBody::Choice { options, .. } => {
            for (text, correct, rationale) in options {
                out.push_str("\n[[question.option]]\n");
                out.push_str(&format!("text = {}\n", toml_string(text)));
                if *correct {
                    out.push_str("correct = true\n");
                }
                if let Some(rationale) = rationale {
                    out.push_str(&format!("rationale = {}\n", toml_string(rationale)));
                }
            }
        }
        ReadyBody::Ordering(steps) => {
            for (text, position, rationale) in steps {
                out.push_str("\n[[question.step]]\n");
                out.push_str(&format!("text = {}\n", toml_string(text)));
                if let Some(position) = position {
                    out.push_str(&format!("position = {position}\n"));
                }
                if let Some(rationale) = rationale {
                    out.push_str(&format!("rationale = {}\n", toml_string(rationale)));
                }
            }
        }
        ReadyBody::Matching { prompts, responses } => {
            for (text, answer, rationale) in prompts {
                out.push_str("\n[[question.prompt]]\n");
                out.push_str(&format!("text = {}\n", toml_string(text)));
                out.push_str(&format!("match = \"r{}\"\n", answer + 1));
                if let Some(rationale) = rationale {
                    out.push_str(&format!("rationale = {}\n", toml_string(rationale)));
                }
            }
            for (i, text) in responses.iter().enumerate() {
                out.push_str("\n[[question.response]]\n");
                out.push_str(&format!("id = \"r{}\"\n", i + 1));
                out.push_str(&format!("text = {}\n", toml_string(text)));
            }
        }
    }
}

/// A TOML basic string: one line, every special character escaped.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs the bank parser and the cross-file checks on what `build` wrote: any error is a bug.
fn verify(blueprint: &str, files: &[(String, String)]) -> Result<(), BuildError> {
    let (parsed, diagnostics) = parse::parse_blueprint("exam.toml", blueprint.as_bytes());
    let mut errors: Vec<String> =
        diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    let Some(parsed) = parsed else {
        return Err(BuildError::Check(errors.join("; ")));
    };
    let mut questions = Vec::new();
    for (name, text) in files {
        let file = parse::parse_questions(name, text.as_bytes(), Some(&parsed.blueprint));
        errors.extend(file.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()));
        questions.extend(file.questions.iter().map(validate::QuestionFacts::of));
    }
    let cross = validate::check_exam(Some(&parsed), &questions, &[], false);
    errors.extend(cross.iter().filter(|d| d.is_error()).map(|d| d.to_string()));
    if errors.is_empty() { Ok(()) } else { Err(BuildError::Check(errors.join("; "))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(stem: &str, body: DraftBody) -> Draft {
        Draft {
            loc: SourceLoc { file: "t.gift".into(), line: 1 },
            source_id: None,
            title: None,
            category: None,
            tags: Vec::new(),
            stem: stem.into(),
            explanation: None,
            references: Vec::new(),
            body,
            notes: Vec::new(),
        }
    }

    fn target() -> Target<'static> {
        Target { exam_id: "imported", blueprint: None, today: "2026-12-01", sources: &[] }
    }

    fn choice(weights: &[f64]) -> DraftBody {
        DraftBody::Choice {
            options: weights
                .iter()
                .enumerate()
                .map(|(i, &w)| DraftOption::new(format!("o{i}"), w, None))
                .collect(),
            multiple: None,
        }
    }

    #[test]
    fn kinds_follow_the_credits() {
        let built = build(
            vec![
                draft("one right", choice(&[100.0, 0.0, 0.0, 0.0])),
                draft("partial", choice(&[50.0, 50.0, -100.0, 0.0, 0.0])),
                draft("either", choice(&[100.0, 100.0, 0.0])),
                draft("essay", DraftBody::Unsupported { kind: "essay".into(), reason: "free text".into() }),
            ],
            &target(),
        )
        .unwrap();
        assert_eq!(built.imported, 2);
        let text = &built.files[0].1;
        assert!(text.contains("kind = \"multiple-choice\""), "{text}");
        assert!(text.contains("kind = \"multiple-response\""), "{text}");
        let outcomes: Vec<(Outcome, &str)> =
            built.report.iter().map(|r| (r.outcome, r.reason.as_str())).collect();
        assert!(outcomes.iter().any(|(o, r)| *o == Outcome::Changed && r.contains("all-or-nothing")));
        assert!(outcomes.iter().any(|(o, r)| *o == Outcome::Changed && r.contains("penalties")));
        assert!(outcomes.iter().any(|(o, r)| *o == Outcome::Skipped && r.contains("any one of them")));
        assert!(outcomes.iter().any(|(o, r)| *o == Outcome::Skipped && r.starts_with("essay")));
    }

    #[test]
    fn nothing_importable_is_an_error() {
        let err = build(vec![draft("x", choice(&[0.0, 0.0]))], &target()).unwrap_err();
        assert!(matches!(err, BuildError::Nothing { total: 1, .. }));
    }

    #[test]
    fn ids_are_unique_and_text_is_escaped() {
        let mut a = draft("say \"hi\" \\ now\nthen", choice(&[100.0, 0.0]));
        a.title = Some("Same title".into());
        let mut b = a.clone();
        b.stem = "other".into();
        let built = build(vec![a, b], &target()).unwrap();
        let text = &built.files[0].1;
        assert!(text.contains("id = \"Same-title\""), "{text}");
        assert!(text.contains("id = \"Same-title-2\""), "{text}");
        assert!(text.contains(r#"stem = "say \"hi\" \\ now\nthen""#), "{text}");
    }

    #[test]
    fn control_characters_are_refused_per_item() {
        let built = build(
            vec![draft("bad \u{1b}[31m", choice(&[100.0, 0.0])), draft("good", choice(&[100.0, 0.0]))],
            &target(),
        )
        .unwrap();
        assert_eq!(built.imported, 1);
        assert!(built.report[0].reason.contains("U+001B"));
    }
}
