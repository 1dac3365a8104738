//! Bank files (bytes) into the model, with every problem found in one file as a
//! diagnostic. Pure: no file system here.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostic::{Diagnostic, LineIndex, Location};
use super::raw::{RawBlueprint, RawOption, RawQuestion, RawScenario, RawSource};
use super::{
    Blueprint, Body, Choice, ChoiceBody, Domain, ItemType, Kind, MatchResponse, MatchingBody, OrderingBody,
    Prompt, Question, Scenario, Source, Status, Step, TaskStatement,
};
use crate::text;

mod fast;

/// Most options a question may have: answers are the letters A to J.
pub const MAX_OPTIONS: usize = 10;

/// The only bank format version there is.
pub const FORMAT_VERSION: u32 = 1;

/// A parsed blueprint and where its domains were declared (for warnings about them).
#[derive(Debug, Clone)]
pub struct ParsedBlueprint {
    pub blueprint: Blueprint,
    pub location: Location,
    pub domain_locations: Vec<Location>,
}

/// A parsed question and where its `id` (and its `scenario`, if any) was written.
#[derive(Debug, Clone)]
pub struct LocatedQuestion {
    pub question: Question,
    pub location: Location,
    pub scenario_location: Option<Location>,
}

/// A parsed case-study scenario and where its `id` was written.
#[derive(Debug, Clone)]
pub struct LocatedScenario {
    pub scenario: Scenario,
    pub location: Location,
}

/// Everything one question file holds, and its problems.
#[derive(Debug, Default)]
pub struct QuestionFile {
    pub questions: Vec<LocatedQuestion>,
    pub scenarios: Vec<LocatedScenario>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Most steps of an ordering question and prompts of a matching one, from the exam guides'
/// definitions ("a list of 3-5 responses", "3-7 prompts").
pub const ORDERING_STEPS: std::ops::RangeInclusive<usize> = 3..=5;
pub const MATCHING_PROMPTS: std::ops::RangeInclusive<usize> = 3..=7;

/// Collects diagnostics for one file, turning byte spans into `line:col`.
struct FileReport<'a> {
    source: &'a str,
    lines: LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> FileReport<'a> {
    fn new(path: &'a str, source: &'a str) -> Self {
        FileReport { source, lines: LineIndex::new(path, source), diagnostics: Vec::new() }
    }

    fn at(&self, span: &Range<usize>) -> Location {
        self.lines.locate(span.start)
    }

    fn error(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let location = self.at(span);
        self.diagnostics.push(Diagnostic::error(location, message));
    }

    fn warning(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let location = self.at(span);
        self.diagnostics.push(Diagnostic::warning(location, message));
    }

    /// Rejects text that could reach a terminal raw, and a code block that is never
    /// closed; `what` names the field.
    fn check_text(&mut self, value: &Spanned<String>, what: &str) {
        if let Some(c) = text::forbidden_char(value.get_ref()) {
            self.error(
                &value.span(),
                format!(
                    "{what} contains the control character U+{:04X}: bank text must not \
                     contain control characters or terminal escape sequences",
                    u32::from(c)
                ),
            );
        }
        if let Some(line) = text::unclosed_fence(value.get_ref()) {
            let offset = self.fence_offset(value, line);
            let location = self.lines.locate(offset);
            self.diagnostics.push(Diagnostic::error(
                location,
                format!("{what}: the code block opened here is never closed: end it with a line of ```"),
            ));
        }
    }

    /// Where in the file line `line` (0-based) of a string value was written. A
    /// multi-line string holds its lines as written, so the fence is found among the
    /// literal's lines by its text (the same text's earlier lines counted); a value built
    /// with `\n` escapes has no such line, and its start is given instead.
    fn fence_offset(&self, value: &Spanned<String>, line: usize) -> usize {
        let span = value.span();
        let value_lines: Vec<&str> = value.get_ref().split('\n').collect();
        let wanted = value_lines[line].trim();
        let earlier = value_lines[..line].iter().filter(|l| l.trim() == wanted).count();
        let literal = self.source.get(span.clone()).unwrap_or("");
        let mut offset = span.start;
        let mut seen = 0;
        for raw in literal.split('\n') {
            let content = raw.trim_start_matches(['"', '\'']).trim_end_matches(['"', '\'', '\r']);
            if content.trim() == wanted {
                if seen == earlier {
                    let lead = raw.len() - raw.trim_start_matches(['"', '\'', ' ', '\t']).len();
                    return offset + lead;
                }
                seen += 1;
            }
            offset += raw.len() + 1;
        }
        span.start
    }

    /// A one-line field (a title, a name, a reference): a line break in it could print as
    /// a fake line of proctor's own output.
    fn check_one_line(&mut self, value: &Spanned<String>, what: &str) {
        self.check_not_empty(value, what);
        if value.get_ref().contains('\n') {
            self.error(&value.span(), format!("{what} must be one line: it contains a line break"));
        }
    }

    fn check_not_empty(&mut self, value: &Spanned<String>, what: &str) {
        if value.get_ref().trim().is_empty() {
            self.error(&value.span(), format!("{what} is empty"));
        } else {
            self.check_text(value, what);
        }
    }
}

/// Decodes UTF-8, or reports where the first bad byte is. Files saved on Windows are
/// welcome: a leading byte-order mark is dropped and CRLF line ends become LF (which keeps
/// every line and column where it was). A lone CR is left, and refused as a control
/// character.
fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let location = Location::at(path, valid, valid.len());
        Diagnostic::error(location, format!("not UTF-8: invalid byte 0x{:02X}", bytes[e.valid_up_to()]))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains("\r\n") { text.replace("\r\n", "\n").into() } else { text.into() })
}

/// Deserializes `T`, reporting a syntax or schema error at its place.
fn deserialize<T: serde::de::DeserializeOwned>(path: &str, source: &str) -> Result<T, Diagnostic> {
    toml::from_str(source).map_err(|e| toml_error(path, source, &e))
}

/// `needle` (ASCII, lower-case) in `haystack`, ignoring ASCII case, without allocating.
#[cfg(test)]
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The phrases of a stem that says "Select N" itself (any case).
#[cfg(test)]
const SELECT_PHRASES: [&str; 6] =
    ["(select ", "select two", "select three", "select four", "select 2", "select 3"];

/// Whether `stem` holds one of `SELECT_PHRASES`, ignoring ASCII case: every phrase holds
/// "select", so the stem is read once for that word and each one found is looked at.
fn says_select(stem: &str) -> bool {
    let bytes = stem.as_bytes();
    let follows = |at: usize, tail: &str| {
        bytes.get(at..at + tail.len()).is_some_and(|b| b.eq_ignore_ascii_case(tail.as_bytes()))
    };
    // From one 's' or 'S' to the next, skipping the text between a block at a time.
    let mut from = 0;
    while let Some(i) = crate::text::first_of(bytes, from, |b| (b | 0x20) == b's') {
        if follows(i, "select")
            && ((i > 0 && bytes[i - 1] == b'(' && follows(i + 6, " "))
                || [" two", " three", " four", " 2", " 3"].iter().any(|tail| follows(i + 6, tail)))
        {
            return true;
        }
        from = i + 1;
    }
    false
}

pub fn is_slug(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_question_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `YYYY-MM-DD` naming a real day of the (proleptic Gregorian) calendar: 2026-02-31 is not.
pub(crate) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return false };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let (year, month, day): (u32, u32, u32) =
        (year.parse().unwrap_or(0), month.parse().unwrap_or(0), day.parse().unwrap_or(0));
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Parses an `exam.toml`. The blueprint comes back whenever the file is readable TOML of
/// the right shape; its semantic problems are in the diagnostics.
pub fn parse_blueprint(path: &str, bytes: &[u8]) -> (Option<ParsedBlueprint>, Vec<Diagnostic>) {
    let source = match decode(path, bytes) {
        Ok(source) => source,
        Err(d) => return (None, vec![d]),
    };
    let source = &*source;
    let raw: RawBlueprint = match deserialize(path, source) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut report = FileReport::new(path, source);

    if *raw.format.get_ref() != FORMAT_VERSION {
        report.error(
            &raw.format.span(),
            format!(
                "unsupported bank format {}: this proctor reads format {FORMAT_VERSION}",
                raw.format.get_ref()
            ),
        );
    }
    if !is_slug(raw.id.get_ref()) {
        report.error(
            &raw.id.span(),
            format!("exam id {:?} must be lower-case letters, digits and '-'", raw.id.get_ref()),
        );
    }
    for (value, what) in [(&raw.code, "code"), (&raw.title, "title"), (&raw.vendor, "vendor")] {
        report.check_one_line(value, what);
    }
    if let Some(guide) = &raw.guide {
        report.check_one_line(guide, "guide");
    }
    let in_range = |report: &mut FileReport, value: &Spanned<u32>, what: &str, min: u32, max: u32| {
        let v = *value.get_ref();
        if !(min..=max).contains(&v) {
            report.error(&value.span(), format!("{what} is {v}; it must be from {min} to {max}"));
        }
    };
    in_range(&mut report, &raw.exam_questions, "exam_questions", 1, 500);
    in_range(&mut report, &raw.scored_questions, "scored_questions", 1, 500);
    in_range(&mut report, &raw.minutes, "minutes", 1, 1440);
    in_range(&mut report, &raw.passing_score, "passing_score", 100, 1000);
    if raw.scored_questions.get_ref() > raw.exam_questions.get_ref() {
        report.error(
            &raw.scored_questions.span(),
            format!(
                "scored_questions ({}) is more than exam_questions ({})",
                raw.scored_questions.get_ref(),
                raw.exam_questions.get_ref()
            ),
        );
    }
    if !is_date(raw.status.date.get_ref()) {
        report.error(
            &raw.status.date.span(),
            format!("status date {:?} is not YYYY-MM-DD", raw.status.date.get_ref()),
        );
    }
    if let Some(note) = &raw.status.note {
        report.check_text(note, "status note");
    }

    let mut domain_locations = Vec::new();
    // u64: a hostile blueprint's weights (each up to u32::MAX) cannot overflow the sum.
    let mut weight_sum: u64 = 0;
    if raw.domains.get_ref().is_empty() {
        report.error(&raw.domains.span(), "the blueprint has no domains");
    }
    // A set, not a scan of the earlier domains: a hostile blueprint may declare 100,000.
    let mut declared: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut task_ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for domain in raw.domains.get_ref() {
        let id = domain.id.get_ref();
        if !is_slug(id) {
            report.error(
                &domain.id.span(),
                format!("domain id {id:?} must be lower-case letters, digits and '-'"),
            );
        }
        if !declared.insert(id.as_str()) {
            report.error(&domain.id.span(), format!("domain id {id:?} is declared twice"));
        }
        report.check_one_line(&domain.name, "domain name");
        let weight = *domain.weight.get_ref();
        if !(1..=100).contains(&weight) {
            report
                .error(&domain.weight.span(), format!("domain weight is {weight}; it must be from 1 to 100"));
        }
        weight_sum += u64::from(weight);
        domain_locations.push(report.at(&domain.id.span()));
        for task in &domain.tasks {
            let task_id = task.id.get_ref();
            if !is_question_id(task_id) {
                report.error(
                    &task.id.span(),
                    format!(
                        "task id {task_id:?} must be 1 to 100 letters, digits, '-', '_' or '.' (e.g. \"1.2\")"
                    ),
                );
            } else if !task_ids.insert(task_id.as_str()) {
                report.error(
                    &task.id.span(),
                    format!("task id {task_id:?} is declared twice in the blueprint"),
                );
            }
            report.check_one_line(&task.text, "task text");
        }
    }
    if !raw.domains.get_ref().is_empty() && weight_sum != 100 {
        report.error(&raw.domains.span(), format!("domain weights sum to {weight_sum}, not 100"));
    }

    let item_types = match &raw.item_types {
        Some(types) if types.get_ref().is_empty() => {
            report.error(&types.span(), "item_types is empty: name the kinds of question the exam uses");
            vec![ItemType::MultipleChoice, ItemType::MultipleResponse]
        }
        Some(types) => types.get_ref().iter().map(|t| *t.get_ref()).collect(),
        None => vec![ItemType::MultipleChoice, ItemType::MultipleResponse],
    };

    // Returned even with errors, so the questions can still be checked against its
    // domains; callers refuse to load an exam whose diagnostics hold errors.
    let blueprint = Blueprint {
        id: raw.id.into_inner(),
        code: raw.code.into_inner(),
        title: raw.title.into_inner(),
        vendor: raw.vendor.into_inner(),
        level: raw.level.into_inner(),
        exam_questions: raw.exam_questions.into_inner(),
        scored_questions: raw.scored_questions.into_inner(),
        minutes: raw.minutes.into_inner(),
        passing_score: raw.passing_score.into_inner(),
        guide: raw.guide.map(Spanned::into_inner),
        status: Status {
            state: raw.status.state.into_inner(),
            date: raw.status.date.into_inner(),
            note: raw.status.note.map(Spanned::into_inner),
        },
        domains: raw
            .domains
            .into_inner()
            .into_iter()
            .map(|d| Domain {
                id: d.id.into_inner(),
                name: d.name.into_inner(),
                weight: d.weight.into_inner(),
                tasks: d
                    .tasks
                    .into_iter()
                    .map(|t| TaskStatement { id: t.id.into_inner(), text: t.text.into_inner() })
                    .collect(),
            })
            .collect(),
        item_types,
    };
    let parsed = ParsedBlueprint { blueprint, location: Location::file(path), domain_locations };
    (Some(parsed), report.diagnostics)
}

/// Parses a question file. Questions come back even when they have problems, so checks
/// across files (duplicate ids) still see them; the diagnostics say what is wrong.
/// `blueprint` is `None` when the exam's blueprint itself failed to load.
///
/// The file is parsed once into a spanned document; each `[[question]]` is then read on
/// its own, so one question's schema error (an unknown key, a wrong type) does not hide
/// the others' problems, and time and memory stay linear in the file.
pub fn parse_questions(path: &str, bytes: &[u8], blueprint: Option<&Blueprint>) -> QuestionFile {
    parse_questions_with(path, bytes, blueprint, true)
}

/// `parse_questions` by the fast path alone: `None` when it gives up (or the bytes are not
/// UTF-8), and the caller reads the file another way. When it is `Some`, it is what
/// `parse_questions` gives.
pub fn parse_questions_fast(path: &str, bytes: &[u8], blueprint: Option<&Blueprint>) -> Option<QuestionFile> {
    let source = decode(path, bytes).ok()?;
    let parsed = fast::parse(&source)?;
    Some(questions_of(path, &source, blueprint, Ok(RawFile::from(parsed))))
}

/// `parse_questions`, with the fast path (`fast`) tried first when `fast_path` is set.
/// Either way the result is the same: the fast path gives up on anything the toml path
/// would read differently, and the toml path then reads the file.
fn parse_questions_with(
    path: &str,
    bytes: &[u8],
    blueprint: Option<&Blueprint>,
    fast_path: bool,
) -> QuestionFile {
    let source = match decode(path, bytes) {
        Ok(source) => source,
        Err(d) => return QuestionFile { diagnostics: vec![d], ..QuestionFile::default() },
    };
    let source = &*source;
    let raw = match fast_path.then(|| fast::parse(source)).flatten() {
        Some(parsed) => Ok(RawFile::from(parsed)),
        None => toml_raw(path, source),
    };
    questions_of(path, source, blueprint, raw)
}

/// The questions, scenarios and problems of a file read into the raw model (or the error
/// that stopped the reading).
fn questions_of(
    path: &str,
    source: &str,
    blueprint: Option<&Blueprint>,
    raw: Result<RawFile, Diagnostic>,
) -> QuestionFile {
    let RawFile { source: file_source, entries } = match raw {
        Ok(raw) => raw,
        Err(d) => return QuestionFile { diagnostics: vec![d], ..QuestionFile::default() },
    };
    let mut report = FileReport::new(path, source);
    let mut file = QuestionFile::default();
    let domains: Option<(std::collections::HashSet<&str>, &Blueprint)> =
        blueprint.map(|b| (b.domains.iter().map(|d| d.id.as_str()).collect(), b));
    let mut declared = 0;
    // The file's `[source]` applies to every question, wherever the table is written.
    let file_source = match file_source {
        Some(Ok(raw)) => {
            check_source(&mut report, &raw);
            raw
        }
        Some(Err(e)) => {
            report.diagnostics.push(e);
            RawSource::default()
        }
        None => RawSource::default(),
    };
    for entry in entries {
        match entry {
            Entry::Question(raw) => {
                declared += 1;
                check_question(&mut report, &raw, domains.as_ref());
                let location = report.at(&raw.id.span());
                let scenario_location = raw.scenario.as_ref().map(|s| report.at(&s.span()));
                file.questions.push(LocatedQuestion {
                    question: into_question(raw, &file_source),
                    location,
                    scenario_location,
                });
            }
            Entry::Scenario(raw) => file.scenarios.push(check_scenario(&mut report, raw)),
            // A question that could not be read still counts as declared.
            Entry::BadQuestion(e) => {
                declared += 1;
                report.diagnostics.push(e);
            }
            Entry::Problem(e) => report.diagnostics.push(e),
        }
    }
    if declared == 0 && file.scenarios.is_empty() {
        report.diagnostics.push(Diagnostic::warning(Location::file(path), "no [[question]] in this file"));
    }
    file.diagnostics = report.diagnostics;
    file
}

/// A question file as read, before any check: its `[source]` (or the error reading it),
/// then its questions and scenarios, and the problems met reading them, in the order they
/// are reported.
struct RawFile {
    source: Option<Result<RawSource, Diagnostic>>,
    entries: Vec<Entry>,
}

// Most entries are questions; boxing them would cost an allocation each for nothing.
#[allow(clippy::large_enum_variant)]
enum Entry {
    Question(RawQuestion),
    Scenario(RawScenario),
    /// A `[[question]]` that does not fit the raw model (its schema error).
    BadQuestion(Diagnostic),
    /// Anything else wrong at the top of the file.
    Problem(Diagnostic),
}

impl From<fast::Parsed> for RawFile {
    fn from(parsed: fast::Parsed) -> RawFile {
        let questions = parsed.questions.into_iter().map(Entry::Question);
        let scenarios = parsed.scenarios.into_iter().map(Entry::Scenario);
        // The toml path's order: the document's keys sorted, so questions before scenarios.
        RawFile { source: parsed.source.map(Ok), entries: questions.chain(scenarios).collect() }
    }
}

/// The toml crate's reading of a question file: parsed once into a spanned document, then
/// each `[[question]]` deserialized on its own, so one question's schema error (an unknown
/// key, a wrong type) does not hide the others' problems, and time and memory stay linear
/// in the file. A syntax error is the whole file's only diagnostic.
fn toml_raw(path: &str, source: &str) -> Result<RawFile, Diagnostic> {
    let document = DeTable::parse(source).map_err(|e| toml_error(path, source, &e))?;
    let mut entries: Vec<_> = document.into_inner().into_iter().collect();
    let mut file_source = None;
    if let Some(at) = entries.iter().position(|(key, _)| key.get_ref().as_ref() == "source") {
        let (_, value) = entries.remove(at);
        file_source = Some(
            RawSource::deserialize(ValueDeserializer::from(value)).map_err(|e| toml_error(path, source, &e)),
        );
    }
    let lines = LineIndex::new(path, source);
    let mut out = Vec::new();
    for (key, value) in entries {
        let table = key.get_ref().as_ref();
        if table != "question" && table != "scenario" {
            let location = lines.locate(key.span().start);
            out.push(Entry::Problem(Diagnostic::error(
                location,
                format!("unknown field `{table}`, expected `question`, `scenario` or `source`"),
            )));
            continue;
        }
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            let location = lines.locate(span.start);
            out.push(Entry::Problem(Diagnostic::error(
                location,
                format!("`{table}` must be an array of tables: write each one as [[{table}]]"),
            )));
            continue;
        };
        for item in items {
            out.push(if table == "scenario" {
                match RawScenario::deserialize(ValueDeserializer::from(item)) {
                    Ok(raw) => Entry::Scenario(raw),
                    Err(e) => Entry::Problem(toml_error(path, source, &e)),
                }
            } else {
                match RawQuestion::deserialize(ValueDeserializer::from(item)) {
                    Ok(raw) => Entry::Question(raw),
                    Err(e) => Entry::BadQuestion(toml_error(path, source, &e)),
                }
            });
        }
    }
    Ok(RawFile { source: file_source, entries: out })
}

fn check_scenario(report: &mut FileReport, raw: RawScenario) -> LocatedScenario {
    let id = raw.id.get_ref();
    if !is_question_id(id) {
        report.error(
            &raw.id.span(),
            format!("scenario id {id:?} must be 1 to 100 letters, digits, '-', '_' or '.'"),
        );
    }
    report.check_one_line(&raw.title, "scenario title");
    report.check_not_empty(&raw.text, "scenario text");
    let location = report.at(&raw.id.span());
    LocatedScenario {
        scenario: Scenario {
            id: raw.id.into_inner(),
            title: raw.title.into_inner(),
            text: code_text(raw.text.into_inner()),
        },
        location,
    }
}

/// A syntax or schema error from the toml parser, at its place in the whole file.
fn toml_error(path: &str, source: &str, e: &toml::de::Error) -> Diagnostic {
    let location = match e.span() {
        Some(span) => Location::of_span(path, source, &span),
        None => Location::file(path),
    };
    Diagnostic::error(location, e.message().trim_end().to_string())
}

/// `domains`: the blueprint's domain ids (a set: one lookup per question) and the blueprint.
fn check_question(
    report: &mut FileReport,
    q: &RawQuestion,
    domains: Option<&(std::collections::HashSet<&str>, &Blueprint)>,
) {
    let id = q.id.get_ref();
    if !is_question_id(id) {
        report.error(
            &q.id.span(),
            format!("question id {id:?} must be 1 to 100 letters, digits, '-', '_' or '.'"),
        );
    }
    if let Some((ids, blueprint)) = domains
        && !ids.contains(q.domain.get_ref().as_str())
    {
        let known: Vec<&str> = blueprint.domains.iter().take(20).map(|d| d.id.as_str()).collect();
        report.error(
            &q.domain.span(),
            format!(
                "question {id}: domain {:?} is not in the blueprint (domains: {})",
                q.domain.get_ref(),
                known.join(", ")
            ),
        );
    }
    report.check_not_empty(&q.stem, "stem");
    if says_select(q.stem.get_ref()) {
        report.warning(
            &q.stem.span(),
            format!("question {id}: the stem says \"Select N\"; proctor adds it from the key"),
        );
    }
    for tag in &q.tags {
        report.check_one_line(tag, "tag");
    }
    match &q.explanation {
        Some(explanation) if !explanation.get_ref().trim().is_empty() => {
            report.check_text(explanation, "explanation")
        }
        Some(explanation) => {
            report.warning(&explanation.span(), format!("question {id} has an empty explanation"))
        }
        None => report.warning(&q.id.span(), format!("question {id} has no explanation")),
    }
    match &q.references {
        Some(refs) if !refs.get_ref().is_empty() => {
            for reference in refs.get_ref() {
                report.check_one_line(reference, "reference");
                if !reference.get_ref().trim().is_empty() && !reference.get_ref().starts_with("https://") {
                    report.warning(
                        &reference.span(),
                        format!("question {id}: reference is not an https:// URL"),
                    );
                }
            }
        }
        Some(refs) => report.warning(&refs.span(), format!("question {id} has no references")),
        None => report.warning(&q.id.span(), format!("question {id} has no references")),
    }
    if let Some(scenario) = &q.scenario {
        report.check_one_line(scenario, "scenario");
    }
    if let Some(source) = &q.source {
        check_source(report, source);
    }
    if let Some(task) = &q.task {
        report.check_one_line(task, "task");
        if let Some((_, blueprint)) = domains
            && let Some(domain) = blueprint.domain(q.domain.get_ref())
            && !domain.tasks.iter().any(|t| t.id == *task.get_ref())
        {
            let known: Vec<&str> = domain.tasks.iter().take(20).map(|t| t.id.as_str()).collect();
            let listed = if known.is_empty() {
                format!("domain {} lists no task statements ([[domain.task]] in exam.toml)", domain.id)
            } else {
                format!("the task statements of domain {} are {}", domain.id, known.join(", "))
            };
            report.error(
                &task.span(),
                format!(
                    "question {id}: task {:?} is not a task statement of its domain: {listed}",
                    task.get_ref()
                ),
            );
        }
    }
    // Each kind has its own tables; another kind's tables in it are a mistake.
    let kind = *q.kind.get_ref();
    let stray = [
        ("option", !q.options.is_empty(), matches!(kind, Kind::MultipleChoice | Kind::MultipleResponse)),
        ("step", !q.steps.is_empty(), kind == Kind::Ordering),
        ("prompt", !q.prompts.is_empty(), kind == Kind::Matching),
        ("response", !q.responses.is_empty(), kind == Kind::Matching),
    ];
    for (table, present, belongs) in stray {
        if present && !belongs {
            report.error(
                &q.kind.span(),
                format!("question {id} is {} but has [[question.{table}]] tables", kind.as_str()),
            );
        }
    }
    match kind {
        Kind::MultipleChoice | Kind::MultipleResponse => check_choice(report, q, id, kind),
        Kind::Ordering => check_ordering(report, q, id),
        Kind::Matching => check_matching(report, q, id),
    }
}

fn check_choice(report: &mut FileReport, q: &RawQuestion, id: &str, kind: Kind) {
    for option in &q.options {
        check_option(report, option.get_ref(), id);
    }
    let correct =
        q.options.iter().filter(|o| o.get_ref().correct.as_ref().is_some_and(|c| *c.get_ref())).count();
    let count = q.options.len();
    if count < 2 {
        report.error(&q.id.span(), format!("question {id} has {count} option(s); it needs at least 2"));
    }
    // Letters A-J only: more would collide with the session's one-letter commands (n, p, q…).
    if count > MAX_OPTIONS {
        report.error(
            &q.id.span(),
            format!("question {id} has {count} options; at most {MAX_OPTIONS} (A to J) are allowed"),
        );
    }
    if kind == Kind::MultipleChoice {
        if correct != 1 {
            report.error(
                &q.kind.span(),
                format!(
                    "question {id} is multiple-choice but has {correct} correct options; it needs exactly 1"
                ),
            );
        }
        if count >= 2 && count != 4 {
            report.warning(
                &q.id.span(),
                format!("question {id}: multiple choice usually has 4 options, not {count}"),
            );
        }
    } else {
        if correct < 2 {
            report.error(
                &q.kind.span(),
                format!("question {id} is multiple-response but has {correct} correct option(s); it needs at least 2"),
            );
        } else if correct >= count {
            report.error(
                &q.kind.span(),
                format!("question {id}: every option is correct; leave at least one wrong"),
            );
        }
        if (2..5).contains(&count) {
            report.warning(
                &q.id.span(),
                format!("question {id}: multiple response should have at least 5 options, not {count}"),
            );
        }
    }
}

/// Ordering: 3-5 listed steps; those in the answer carry positions 1, 2, ... once each.
fn check_ordering(report: &mut FileReport, q: &RawQuestion, id: &str) {
    let count = q.steps.len();
    if !ORDERING_STEPS.contains(&count) {
        report.error(
            &q.id.span(),
            format!(
                "question {id} is ordering with {count} step(s); it lists {} to {}",
                ORDERING_STEPS.start(),
                ORDERING_STEPS.end()
            ),
        );
    }
    let mut positions: Vec<i64> = Vec::new();
    for step in &q.steps {
        let step = step.get_ref();
        report.check_not_empty(&step.text, "step text");
        check_rationale(report, step.rationale.as_ref(), &step.text, id, "a step");
        if let Some(position) = &step.position {
            let p = *position.get_ref();
            if p < 1 || p > count as i64 {
                report.error(
                    &position.span(),
                    format!("question {id}: step position {p} must be from 1 to {count}"),
                );
            } else if positions.contains(&p) {
                report.error(&position.span(), format!("question {id}: two steps have position {p}"));
            }
            positions.push(p);
        }
    }
    let in_answer = positions.len();
    if in_answer < 2 {
        report.error(
            &q.kind.span(),
            format!("question {id} is ordering but {in_answer} step(s) have a position; at least 2 must"),
        );
    } else if let Some(gap) = (1..=in_answer as i64).find(|p| !positions.contains(p)) {
        report.error(
            &q.kind.span(),
            format!("question {id}: the step positions must be 1 to {in_answer} with none missing; {gap} is missing"),
        );
    }
}

/// Matching: 3-7 prompts, each naming the id of one of the question's responses.
fn check_matching(report: &mut FileReport, q: &RawQuestion, id: &str) {
    let count = q.prompts.len();
    if !MATCHING_PROMPTS.contains(&count) {
        report.error(
            &q.id.span(),
            format!(
                "question {id} is matching with {count} prompt(s); it needs {} to {}",
                MATCHING_PROMPTS.start(),
                MATCHING_PROMPTS.end()
            ),
        );
    }
    let responses = q.responses.len();
    if responses > MAX_OPTIONS {
        report.error(
            &q.id.span(),
            format!("question {id} has {responses} responses; at most {MAX_OPTIONS} (A to J) are allowed"),
        );
    }
    let mut ids: Vec<&str> = Vec::new();
    for response in &q.responses {
        let response = response.get_ref();
        report.check_not_empty(&response.text, "response text");
        refuse_code(report, &response.text, id, "a matching response");
        let rid = response.id.get_ref().as_str();
        if rid.trim().is_empty() {
            report.error(&response.id.span(), format!("question {id}: a response has an empty id"));
        } else if ids.contains(&rid) {
            report.error(&response.id.span(), format!("question {id}: response id {rid:?} is used twice"));
        }
        ids.push(rid);
    }
    for prompt in &q.prompts {
        let prompt = prompt.get_ref();
        report.check_not_empty(&prompt.text, "prompt text");
        refuse_code(report, &prompt.text, id, "a matching prompt");
        check_rationale(report, prompt.rationale.as_ref(), &prompt.text, id, "a prompt");
        let wanted = prompt.answer.get_ref().as_str();
        if !ids.contains(&wanted) {
            report.error(
                &prompt.answer.span(),
                format!(
                    "question {id}: prompt matches {wanted:?}, which is not one of its responses ({})",
                    ids.join(", ")
                ),
            );
        }
    }
    if responses < 2 {
        report.error(
            &q.id.span(),
            format!("question {id} has {responses} response(s); a match needs at least 2"),
        );
    }
}

fn check_rationale(
    report: &mut FileReport,
    rationale: Option<&Spanned<String>>,
    text: &Spanned<String>,
    id: &str,
    what: &str,
) {
    match rationale {
        Some(rationale) if !rationale.get_ref().trim().is_empty() => {
            report.check_text(rationale, "rationale")
        }
        Some(rationale) => {
            report.warning(&rationale.span(), format!("question {id}: {what} has an empty rationale"))
        }
        None => report.warning(&text.span(), format!("question {id}: {what} has no rationale")),
    }
}

/// Matching prompts and responses are short labels shown side by side: no code blocks.
fn refuse_code(report: &mut FileReport, value: &Spanned<String>, id: &str, what: &str) {
    if text::has_code(value.get_ref()) {
        report.error(
            &value.span(),
            format!("question {id}: {what} cannot hold a code block (put the code in the stem)"),
        );
    }
}

/// Every key of a `[source]` table is one line (a URL, a licence name, an id).
fn check_source(report: &mut FileReport, source: &RawSource) {
    let keys = [
        (&source.url, "source url"),
        (&source.licence, "source licence"),
        (&source.commit, "source commit"),
        (&source.original_id, "source original_id"),
        (&source.file, "source file"),
    ];
    for (value, what) in keys {
        if let Some(value) = value {
            report.check_one_line(value, what);
        }
    }
}

/// The question's source over the file's, key by key; `None` when neither says anything.
fn merge_source(own: Option<RawSource>, file: &RawSource) -> Option<Source> {
    let own = own.unwrap_or_default();
    let pick = |own: Option<Spanned<String>>, file: &Option<Spanned<String>>| {
        own.map(Spanned::into_inner).or_else(|| file.as_ref().map(|v| v.get_ref().clone()))
    };
    let source = Source {
        url: pick(own.url, &file.url),
        licence: pick(own.licence, &file.licence),
        commit: pick(own.commit, &file.commit),
        original_id: pick(own.original_id, &file.original_id),
        file: pick(own.file, &file.file),
    };
    (!source.is_empty()).then_some(source)
}

/// Text as the model keeps it: tabs in code blocks expanded (docs/bank-format.md).
fn code_text(text: String) -> String {
    match text::expand_code_tabs(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(expanded) => expanded,
    }
}

fn check_option(report: &mut FileReport, option: &RawOption, id: &str) {
    report.check_not_empty(&option.text, "option text");
    check_rationale(report, option.rationale.as_ref(), &option.text, id, "an option");
}

fn into_question(raw: RawQuestion, file_source: &RawSource) -> Question {
    let options = raw
        .options
        .into_iter()
        .map(|o| {
            let o = o.into_inner();
            Choice {
                text: code_text(o.text.into_inner()),
                correct: o.correct.is_some_and(Spanned::into_inner),
                rationale: code_text(o.rationale.map(Spanned::into_inner).unwrap_or_default()),
            }
        })
        .collect();
    let responses: Vec<MatchResponse> = raw
        .responses
        .into_iter()
        .map(|r| {
            let r = r.into_inner();
            MatchResponse { id: r.id.into_inner(), text: r.text.into_inner() }
        })
        .collect();
    let body = match raw.kind.into_inner() {
        Kind::MultipleChoice => Body::Choice(ChoiceBody { options, multiple: false }),
        Kind::MultipleResponse => Body::Choice(ChoiceBody { options, multiple: true }),
        Kind::Ordering => Body::Ordering(OrderingBody {
            steps: raw
                .steps
                .into_iter()
                .map(|s| {
                    let s = s.into_inner();
                    Step {
                        text: code_text(s.text.into_inner()),
                        position: s.position.and_then(|p| u32::try_from(p.into_inner()).ok()),
                        rationale: code_text(s.rationale.map(Spanned::into_inner).unwrap_or_default()),
                    }
                })
                .collect(),
        }),
        Kind::Matching => Body::Matching(MatchingBody {
            prompts: raw
                .prompts
                .into_iter()
                .map(|p| {
                    let p = p.into_inner();
                    // An unknown response id is an error already reported; 0 keeps the model whole.
                    let answer = responses.iter().position(|r| r.id == *p.answer.get_ref()).unwrap_or(0);
                    Prompt {
                        text: p.text.into_inner(),
                        answer,
                        rationale: code_text(p.rationale.map(Spanned::into_inner).unwrap_or_default()),
                    }
                })
                .collect(),
            responses,
        }),
    };
    Question {
        id: raw.id.into_inner(),
        domain: raw.domain.into_inner(),
        difficulty: raw.difficulty.map(Spanned::into_inner),
        tags: raw.tags.into_iter().map(Spanned::into_inner).collect(),
        stem: code_text(raw.stem.into_inner()),
        explanation: code_text(raw.explanation.map(Spanned::into_inner).unwrap_or_default()),
        references: raw
            .references
            .map(|r| r.into_inner().into_iter().map(Spanned::into_inner).collect())
            .unwrap_or_default(),
        scenario: raw.scenario.map(Spanned::into_inner),
        task: raw.task.map(Spanned::into_inner),
        source: merge_source(raw.source, file_source),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GOOD_QUESTION: &str = "[[question]]\nid = \"q\"\ndomain = \"d\"\nkind = \"multiple-choice\"\nstem = \"s\"\n\
        [[question.option]]\ntext = \"a\"\ncorrect = true\n[[question.option]]\ntext = \"b\"\n";

    proptest! {
        // Whatever the bytes, the loader reports problems; it never panics.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_blueprint("f", &bytes);
            let _ = parse_questions("f", &bytes, None);
        }

        #[test]
        fn damaged_valid_files_never_panic(cut in 0usize..200, byte in any::<u8>(), at in 0usize..200) {
            let mut bytes = GOOD_QUESTION.as_bytes().to_vec();
            let at = at.min(bytes.len() - 1);
            bytes[at] = byte;
            bytes.truncate(cut.max(1));
            let diagnostics = parse_questions("f", &bytes, None).diagnostics;
            for d in diagnostics {
                prop_assert!(d.location.line >= 1 && d.location.col >= 1);
            }
        }
    }

    #[test]
    fn only_real_calendar_dates_pass() {
        for good in ["2026-12-01", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(good), "{good}");
        }
        for bad in
            ["2026-02-31", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01"]
        {
            assert!(!is_date(bad), "{bad}");
        }
    }

    const BLUEPRINT_HEAD: &str = "format = 1\nid = \"x\"\ncode = \"X\"\ntitle = \"X\"\nvendor = \"X\"\n\
        level = \"associate\"\nexam_questions = 10\nscored_questions = 10\nminutes = 10\npassing_score = 700\n\
        [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n";

    #[test]
    fn huge_domain_weights_are_reported_not_overflowed() {
        let text = format!(
            "{BLUEPRINT_HEAD}[[domain]]\nid = \"a\"\nname = \"A\"\nweight = 4294967295\n\
             [[domain]]\nid = \"b\"\nname = \"B\"\nweight = 4294967295\n"
        );
        let (_, diagnostics) = parse_blueprint("exam.toml", text.as_bytes());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("sum to 8589934590")), "{messages:?}");
        assert!(messages.iter().filter(|m| m.contains("from 1 to 100")).count() == 2, "{messages:?}");
    }

    #[test]
    fn a_calendar_impossible_status_date_is_an_error() {
        let text = BLUEPRINT_HEAD.replace("2026-01-01", "2026-02-31")
            + "[[domain]]\nid = \"a\"\nname = \"A\"\nweight = 100\n";
        let (_, diagnostics) = parse_blueprint("exam.toml", text.as_bytes());
        assert!(
            diagnostics.iter().any(|d| d.is_error() && d.message.contains("2026-02-31")),
            "{diagnostics:?}"
        );
    }

    fn question(id: &str, extra: &str, stem: &str) -> String {
        format!(
            "[[question]]\nid = \"{id}\"\ndomain = \"d\"\nkind = \"multiple-choice\"\n{extra}stem = \"\"\"\n{stem}\"\"\"\n\
             [[question.option]]\ntext = \"a\"\ncorrect = true\n[[question.option]]\ntext = \"b\"\n"
        )
    }

    #[test]
    fn a_stem_line_that_looks_like_a_table_header_is_text() {
        // Before: after the schema error in q2, the file was cut at every line starting
        // with [[question]], including the one inside q1's stem: false syntax errors and a
        // lost q1.
        let text = question("q1", "", "Which line is a header?\n[[question]]\nnot this one")
            + &question("q2", "anwser = 1\n", "A stem.")
            + &question("q3", "", "Another stem.");
        let QuestionFile { questions, diagnostics, .. } = parse_questions("f.toml", text.as_bytes(), None);
        let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("anwser"), "{errors:?}");
        let line = text.lines().position(|l| l.starts_with("anwser")).unwrap() + 1;
        assert_eq!(errors[0].location.line, line);
        let ids: Vec<&str> = questions.iter().map(|q| q.question.id.as_str()).collect();
        assert_eq!(ids, ["q1", "q3"]);
        assert!(questions[0].question.stem.contains("[[question]]"));
    }

    #[test]
    fn every_question_with_a_schema_error_is_reported() {
        let text: String = (0..200)
            .map(|i| question(&format!("q{i}"), if i % 50 == 7 { "typo = 1\n" } else { "" }, "S."))
            .collect();
        let QuestionFile { questions, diagnostics, .. } = parse_questions("f.toml", text.as_bytes(), None);
        assert_eq!(diagnostics.iter().filter(|d| d.is_error()).count(), 4);
        assert_eq!(questions.len(), 196);
    }

    /// A hostile string: mostly text, with control, invisible, bidi and combining
    /// characters, quotes, backslashes and line breaks mixed in.
    fn hostile_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[a-zA-Z0-9 ]{0,12}".prop_map(|s| s),
            Just("\u{1b}[31m".to_string()),
            Just("\u{7}".to_string()),
            Just("\u{85}".to_string()),
            Just("\u{200b}".to_string()),
            Just("\u{202e}".to_string()),
            Just("\u{e0041}".to_string()),
            Just("\u{00ad}".to_string()),
            Just("e\u{301}\u{301}\u{301}\u{301}".to_string()),
            Just("\"'\\".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("[[question]]".to_string()),
            Just("\n```py\n".to_string()),
            Just("```".to_string()),
            Just("\t".to_string()),
        ];
        prop::collection::vec(pieces, 0..6).prop_map(|parts| parts.concat())
    }

    /// A TOML string literal for `text` (whatever it holds).
    fn quoted(text: &str) -> String {
        toml::Value::String(text.to_string()).to_string()
    }

    proptest! {
        // Structure-aware fuzzing: valid-shaped question files whose every text field is
        // hostile. Never a panic; every location is real; a forbidden character in any
        // field is always an error.
        #[test]
        fn hostile_field_values_are_always_caught(
            id in hostile_text(), stem in hostile_text(), option in hostile_text(),
            rationale in hostile_text(), tag in hostile_text(), reference in hostile_text(),
        ) {
            let text = format!(
                "[[question]]\nid = {}\ndomain = \"d\"\nkind = \"multiple-choice\"\ntags = [{}]\nstem = {}\n\
                 explanation = \"e\"\nreferences = [{}]\n\
                 [[question.option]]\ntext = {}\ncorrect = true\nrationale = {}\n\
                 [[question.option]]\ntext = \"b\"\nrationale = \"r\"\n",
                quoted(&id), quoted(&tag), quoted(&stem), quoted(&reference), quoted(&option), quoted(&rationale)
            );
            let file = parse_questions("f.toml", text.as_bytes(), None);
            for d in &file.diagnostics {
                prop_assert!(d.location.line >= 1 && d.location.col >= 1);
                prop_assert!(crate::text::forbidden_char(&d.to_string()).is_none(), "a diagnostic carries raw text: {d}");
            }
            let hostile = [&stem, &option, &rationale, &tag, &reference]
                .iter()
                .any(|t| crate::text::forbidden_char(&t.replace("\r\n", "\n")).is_some());
            if hostile {
                prop_assert!(file.diagnostics.iter().any(Diagnostic::is_error), "{text}");
            }
        }
    }

    /// A raw file as text, errors included, to compare the two paths' readings.
    fn raw_debug(raw: RawFile) -> String {
        let source = format!("{:?}", raw.source.map(|s| s.map_err(|d| d.to_string())));
        let entries: Vec<String> = raw
            .entries
            .iter()
            .map(|e| match e {
                Entry::Question(q) => format!("{q:?}"),
                Entry::Scenario(s) => format!("{s:?}"),
                Entry::BadQuestion(d) | Entry::Problem(d) => format!("error {d}"),
            })
            .collect();
        format!("{source}\n{}", entries.join("\n"))
    }

    /// The fast path agrees with the toml path on `text`: when it reads the file at all, its
    /// raw model is the toml crate's (every value and span), and the file's questions and
    /// diagnostics are the same either way. Returns whether the fast path read it.
    fn assert_same(text: &str) -> bool {
        let fast = fast::parse(text);
        let handled = fast.is_some();
        if let Some(parsed) = fast {
            let toml = toml_raw("f.toml", text).unwrap_or_else(|d| panic!("toml refuses ({d}):\n{text}"));
            assert!(
                toml.source.as_ref().is_none_or(Result::is_ok)
                    && toml.entries.iter().all(|e| matches!(e, Entry::Question(_) | Entry::Scenario(_))),
                "the fast path read a file with schema errors:\n{text}\n{}",
                raw_debug(toml)
            );
            assert_eq!(raw_debug(RawFile::from(parsed)), raw_debug(toml), "{text}");
        }
        let with = parse_questions_with("f.toml", text.as_bytes(), None, true);
        let without = parse_questions_with("f.toml", text.as_bytes(), None, false);
        assert_eq!(format!("{with:?}"), format!("{without:?}"), "{text}");
        handled
    }

    fn toml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                toml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") && !path.ends_with("exam.toml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_fast_path_reads_every_shipped_and_fixture_bank_as_toml_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        toml_files(&root.join("question-banks"), &mut files);
        let shipped = files.len();
        toml_files(&root.join("tests/fixtures/banks"), &mut files);
        assert!(shipped >= 20, "{files:?}");
        for (n, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            // The shipped banks are what the fast path is for: it must read them itself.
            let handled = assert_same(&text);
            assert!(handled || n >= shipped, "the fast path gave up on {}", path.display());
            // Saved on Windows: the same, through decode.
            let crlf = text.replace('\n', "\r\n");
            let with = parse_questions_with("f.toml", crlf.as_bytes(), None, true);
            let without = parse_questions_with("f.toml", crlf.as_bytes(), None, false);
            assert_eq!(format!("{with:?}"), format!("{without:?}"), "{}", path.display());
        }
    }

    #[test]
    fn the_fast_path_reads_imported_samples_as_toml_does() {
        use crate::interop::{self, ImportFormat, draft};
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/interop");
        if !samples.join("gift").is_dir() {
            eprintln!("warning: interop samples not found at {}: skipped", samples.display());
            return;
        }
        let mut checked = 0;
        for (folder, ext, format) in [
            ("gift", "gift", ImportFormat::Gift),
            ("moodle-xml", "xml", ImportFormat::MoodleXml),
            ("markdown-quiz", "md", ImportFormat::Markdown),
        ] {
            let Ok(entries) = std::fs::read_dir(samples.join(folder)) else { continue };
            for entry in entries {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != ext) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let Ok(drafts) = interop::read(format, "sample", &text) else { continue };
                let target =
                    draft::Target { exam_id: "imported", blueprint: None, today: "2026-12-01", sources: &[] };
                let Ok(built) = draft::build(drafts, &target) else { continue };
                for (_, toml) in &built.files {
                    assert!(assert_same(toml), "the fast path gave up on an imported file:\n{toml}");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 10, "only {checked} imported files");
    }

    #[test]
    fn the_fast_path_gives_up_where_toml_would_differ_or_fail() {
        let base = GOOD_QUESTION;
        // Each of these is read by toml (or refused by it) in a way the fast path does not
        // reproduce: it leaves them all to toml, and the result is the same.
        for (from, to) in [
            ("id = \"q\"", "id = \"q\\e\""),
            ("id = \"q\"", "id = \"q\\x41\""),
            ("id = \"q\"", "\"id\" = \"q\""),
            ("id = \"q\"", "id = \"q\"\nid = \"r\""),
            ("id = \"q\"", "id = 'q' 'r'"),
            ("stem = \"s\"", "stem = \"s\\q\""),
            ("stem = \"s\"", "stem = \"\"\"s\"\"\"\"\"\"\""),
            ("stem = \"s\"", "stem.x = \"s\""),
            ("stem = \"s\"", "stem = 1"),
            ("stem = \"s\"", "stem = \"s\u{7f}\""),
            ("stem = \"s\"", "stem = \"\\uD800\""),
            ("stem = \"s\"", "stem = \"s\" # \u{1}"),
            ("correct = true", "correct = True"),
            ("correct = true", "correct = \"true\""),
            ("kind = \"multiple-choice\"", "kind = \"multiple\""),
            ("[[question]]", "[[ question ]]"),
            ("[[question]]", "[question]"),
            ("[[question.option]]\ntext = \"a\"", "[[question.option]]\ntxt = \"a\""),
            ("[[question.option]]\ntext = \"a\"", "[[question.option]]"),
            ("domain = \"d\"", "domain = \"d\"\nsource = { url = \"u\" }"),
            ("domain = \"d\"", "domain = \"d\"\ntags = [\"a\", 1]"),
            ("domain = \"d\"", "domain = \"d\"\ntags = [\"a\" \"b\"]"),
        ] {
            let text = base.replacen(from, to, 1);
            assert!(text != base, "{from}");
            assert!(!assert_same(&text), "the fast path read:\n{text}");
        }
        // What it does read.
        for (from, to) in [
            ("id = \"q\"", "id = 'q' # a comment"),
            ("stem = \"s\"", "stem = \"\"\"\n  \\\n  s\\t\\u00e9\\U0001F600 \"\"\"\"\""),
            ("stem = \"s\"", "stem = '''\ns \"x\" ''''"),
            ("domain = \"d\"", "domain = \"d\"\ntags = [\n  \"a\", # one\n  'b',\n]\nreferences = []"),
            ("[[question]]", "# head\n\n[[question]]\t# the first"),
        ] {
            let text = base.replacen(from, to, 1);
            assert!(assert_same(&text), "the fast path gave up on:\n{text}");
        }
        let ordering = "[[question]]\nid = \"o\"\ndomain = \"d\"\nkind = \"ordering\"\nstem = \"s\"\n\
            [[question.step]]\ntext = \"a\"\nposition = 1\n[[question.step]]\ntext = \"b\"\nposition = -2\n\
            [[question.step]]\ntext = \"c\"\nposition = 0\n[[scenario]]\nid = \"s\"\ntitle = \"t\"\ntext = \"x\"\n\
            [source]\nurl = \"https://example.com\"\n";
        assert!(assert_same(ordering));
        for bad in [
            "position = 01",
            "position = +1",
            "position = 1_0",
            "position = 99999999999999999999",
            "position = -0",
            "position = 1.5",
        ] {
            assert!(!assert_same(&ordering.replacen("position = 1", bad, 1)), "{bad}");
        }
    }

    /// A small deterministic generator for the property tests (proptest gives the seed).
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }

        /// Text with the characters that make TOML strings hard.
        fn text(&mut self) -> String {
            let pieces = [
                "plain words",
                "x",
                " ",
                "\"",
                "'",
                "''",
                "\"\"",
                "\\",
                "\n",
                "\t",
                "é",
                "日本",
                "😀",
                "\u{85}",
                "\u{1b}",
                "\u{7f}",
                "\r",
                "#",
                "[[question]]",
                "```",
                "=",
                ",",
                "]",
                "\u{200b}",
                "\u{e0041}",
            ];
            (0..self.below(6)).map(|_| self.pick(&pieces)).collect()
        }

        /// A TOML string for `text` in one of its forms (or something near one, which toml
        /// may read differently or refuse).
        fn string(&mut self, text: &str) -> String {
            match self.below(7) {
                0 => toml::Value::String(text.to_string()).to_string(),
                1 => crate::interop::draft::toml_string(text),
                2 => format!("'{text}'"),
                3 => format!("'''{}{text}'''", if self.chance(50) { "\n" } else { "" }),
                4 => format!(
                    "\"\"\"{}{}\"\"\"",
                    if self.chance(50) { "\n" } else { "" },
                    text.replace('\\', "\\\\")
                ),
                5 => {
                    let escaped = crate::interop::draft::toml_string(text);
                    let inner = &escaped[1..escaped.len() - 1];
                    let inner = inner.replace("\\n", if self.chance(50) { "\n" } else { "\\\n   " });
                    format!("\"\"\"{inner}\"\"\"")
                }
                _ => format!("\"{text}\""),
            }
        }

        fn value(&mut self, key: &str) -> String {
            match key {
                "kind" => {
                    let kind =
                        self.pick(&["multiple-choice", "multiple-response", "ordering", "matching", "x"]);
                    self.string(kind)
                }
                "difficulty" => {
                    let difficulty = self.pick(&["easy", "medium", "hard", "Easy"]);
                    self.string(difficulty)
                }
                "correct" => self.pick(&["true", "false", "1", "\"true\""]).to_string(),
                "position" => self
                    .pick(&[
                        "1",
                        "2",
                        "-3",
                        "0",
                        "007",
                        "1e2",
                        "9223372036854775807",
                        "9223372036854775808",
                        "1_0",
                    ])
                    .to_string(),
                "tags" | "references" => {
                    let items: Vec<String> = (0..self.below(4))
                        .map(|_| {
                            let text = self.text();
                            self.string(&text)
                        })
                        .collect();
                    let separator = self.pick(&[", ", ",\n  ", " , # c\n", ","]);
                    let trailing = if self.chance(30) { "," } else { "" };
                    format!("[{}{trailing}]", items.join(separator))
                }
                _ if self.chance(3) => self.pick(&["1", "true", "[]", "{ }"]).to_string(),
                _ => {
                    let text = self.text();
                    self.string(&text)
                }
            }
        }

        /// Key/value lines for `keys` in a random order: the first `required` nearly always,
        /// the others now and then.
        fn lines(&mut self, keys: &[&str], required: usize, out: &mut String) {
            let mut order: Vec<&str> = keys.to_vec();
            for i in (1..order.len()).rev() {
                order.swap(i, self.below(i + 1));
            }
            for key in order {
                let is_required = keys[..required].contains(&key);
                if (is_required && self.chance(2)) || (!is_required && self.chance(40)) {
                    continue;
                }
                let eq = self.pick(&[" = ", "=", "\t=  "]);
                let value = self.value(key);
                out.push_str(&format!("{key}{eq}{value}"));
                if self.chance(10) {
                    out.push_str(" # note");
                }
                out.push('\n');
                if self.chance(5) {
                    out.push_str(self.pick(&["\n", "# comment\n", "  \n", "extra = 1\n"]));
                }
            }
        }

        fn document(&mut self) -> String {
            let mut out = String::new();
            if self.chance(10) {
                out.push_str("# a question file\n\n");
            }
            let source_keys = ["url", "licence", "commit", "original_id", "file"];
            for _ in 0..self.below(4) {
                match self.below(10) {
                    0 => {
                        out.push_str("[source]\n");
                        self.lines(&source_keys, 0, &mut out);
                    }
                    1 => {
                        out.push_str("[[scenario]]\n");
                        self.lines(&["id", "title", "text"], 3, &mut out);
                    }
                    _ => {
                        out.push_str("[[question]]\n");
                        let keys = [
                            "id",
                            "domain",
                            "kind",
                            "stem",
                            "difficulty",
                            "tags",
                            "explanation",
                            "references",
                            "scenario",
                            "task",
                        ];
                        self.lines(&keys, 4, &mut out);
                        if self.chance(20) {
                            out.push_str("[question.source]\n");
                            self.lines(&source_keys, 0, &mut out);
                        }
                        for _ in 0..self.below(5) {
                            let (header, keys, required): (&str, &[&str], usize) = match self.below(6) {
                                0 => ("[[question.step]]", &["text", "position", "rationale"], 1),
                                1 => ("[[question.prompt]]", &["text", "match", "rationale"], 2),
                                2 => ("[[question.response]]", &["id", "text"], 2),
                                _ => ("[[question.option]]", &["text", "correct", "rationale"], 1),
                            };
                            out.push_str(header);
                            out.push('\n');
                            self.lines(keys, required, &mut out);
                        }
                    }
                }
            }
            out
        }
    }

    #[test]
    fn says_select_finds_exactly_the_phrases() {
        let samples = [
            "Which two? (Select TWO.)",
            "(select three)",
            "SELECT 2 answers",
            "select  two",
            "(selectTwo",
            "Select the best",
            "preselect 3 items",
            "(Select ",
            "x(select",
            "select thre",
            "SeLeCt FoUr",
            "",
            "s",
            "select",
            "é(select 3",
        ];
        for text in samples {
            let scan = SELECT_PHRASES.iter().any(|phrase| contains_ignore_case(text, phrase));
            assert_eq!(says_select(text), scan, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn says_select_agrees_with_the_phrase_scan(text in "[sSeElLcCtT( 234wohrfuéx]{0,24}") {
            let scan = SELECT_PHRASES.iter().any(|phrase| contains_ignore_case(&text, phrase));
            prop_assert_eq!(says_select(&text), scan);
        }
    }

    #[test]
    fn the_generated_files_exercise_both_paths() {
        // Not a vacuous property: many generated files are read by the fast path, many are not.
        let handled = (1..=2000u64).filter(|&seed| fast::parse(&Gen(seed).document()).is_some()).count();
        assert!((200..=1800).contains(&handled), "the fast path read {handled} of 2000");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        // Generated question files (strings with escapes, quotes, unicode, line breaks and
        // control characters in every form; comments; arrays over lines; every table): the
        // fast path reads each exactly as toml does, or leaves it to toml.
        #[test]
        fn the_fast_path_agrees_with_toml_on_generated_files(seed in 1u64..u64::MAX) {
            let text = Gen(seed).document();
            assert_same(&text);
        }

        // The same files with a byte changed, inserted or cut: mostly broken TOML, which the
        // fast path must leave to toml (same errors), or read as toml does.
        #[test]
        fn the_fast_path_agrees_with_toml_on_damaged_files(
            seed in 1u64..u64::MAX,
            at in any::<usize>(),
            byte in prop_oneof![
                Just(b'"'), Just(b'\''), Just(b'\\'), Just(b'\n'), Just(b'['), Just(b']'), Just(b'='),
                Just(b'#'), Just(b','), Just(b' '), any::<u8>()
            ],
            how in 0..3usize,
        ) {
            let mut bytes = Gen(seed).document().into_bytes();
            if !bytes.is_empty() {
                let at = at % bytes.len();
                match how {
                    0 => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ => bytes.truncate(at),
                }
            }
            if let Ok(text) = String::from_utf8(bytes) {
                assert_same(&text);
            }
        }
    }

    #[test]
    fn a_good_question_parses_clean() {
        let QuestionFile { questions, diagnostics, .. } =
            parse_questions("f", GOOD_QUESTION.as_bytes(), None);
        assert_eq!(questions.len(), 1);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    }

    #[test]
    fn an_unclosed_code_block_is_an_error_at_its_fence() {
        let text = question("q", "", "Look:\n```python\ndef f():\n    return 1");
        let file = parse_questions("f.toml", text.as_bytes(), None);
        let errors: Vec<&Diagnostic> = file.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("stem: the code block opened here is never closed"), "{errors:?}");
        let line = text.lines().position(|l| l == "```python").unwrap() + 1;
        assert_eq!((errors[0].location.line, errors[0].location.col), (line, 1));
        // A fence on the string's first line (after the opening quotes), indented.
        let text = "[[question]]\nid = \"q\"\ndomain = \"d\"\nkind = \"multiple-choice\"\nstem = '''  ```\nx'''\n\
            [[question.option]]\ntext = \"a\"\ncorrect = true\n[[question.option]]\ntext = \"b\"\n";
        let file = parse_questions("f.toml", text.as_bytes(), None);
        let error = file.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert_eq!((error.location.line, error.location.col), (5, 13), "{error}");
        // Written with \n escapes, the fence has no line of its own: the string is pointed at.
        let text = GOOD_QUESTION.replace("text = \"b\"", "text = \"see\\n```\\nx\"");
        let file = parse_questions("f.toml", text.as_bytes(), None);
        let error = file.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert!(error.message.starts_with("option text: the code block"), "{error}");
        let line = text.lines().position(|l| l.contains("see")).unwrap() + 1;
        assert_eq!((error.location.line, error.location.col), (line, 8), "{error}");
    }

    #[test]
    fn code_blocks_load_with_indentation_crlf_and_tabs_expanded() {
        let stem = "Run:\n```sh\nfor f in *; do\n\techo \"$f\"\n  \tdone\n```\nWhat prints?";
        let text = question("q", "", stem).replace('\n', "\r\n");
        let file = parse_questions("f.toml", text.as_bytes(), None);
        assert!(file.diagnostics.iter().all(|d| !d.is_error()), "{:?}", file.diagnostics);
        let stem = &file.questions[0].question.stem;
        assert_eq!(stem, "Run:\n```sh\nfor f in *; do\n    echo \"$f\"\n    done\n```\nWhat prints?");
        assert_eq!(
            crate::text::blocks(stem)[1],
            crate::text::Block::Code {
                lang: Some("sh".into()),
                lines: vec!["for f in *; do".into(), "    echo \"$f\"".into(), "    done".into()],
            }
        );
    }

    #[test]
    fn matching_prompts_take_no_code_blocks() {
        let text = "[[question]]\nid = \"m\"\ndomain = \"d\"\nkind = \"matching\"\nstem = \"s\"\n\
            [[question.prompt]]\ntext = \"\"\"\n```\nx\n```\"\"\"\nmatch = \"a\"\n\
            [[question.prompt]]\ntext = \"p2\"\nmatch = \"b\"\n[[question.prompt]]\ntext = \"p3\"\nmatch = \"a\"\n\
            [[question.response]]\nid = \"a\"\ntext = \"A\"\n[[question.response]]\nid = \"b\"\ntext = \"B\"\n";
        let file = parse_questions("f.toml", text.as_bytes(), None);
        assert!(
            file.diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains("a matching prompt cannot hold a code block")),
            "{:?}",
            file.diagnostics
        );
    }

    #[test]
    fn the_file_source_is_the_default_of_each_question() {
        let question = GOOD_QUESTION
            .replace("[[question.option]]\ntext = \"a\"", "task = \"t\"\n[[question.option]]\ntext = \"a\"");
        let (head, options) = question.split_once("[[question.option]]").unwrap();
        let text = format!(
            "[source]\nlicence = \"CC-BY-4.0\"\nurl = \"https://example.com\"\n{head}[question.source]\nurl = \"https://other.example\"\noriginal_id = \"7\"\n[[question.option]]{options}"
        );
        let file = parse_questions("f.toml", text.as_bytes(), None);
        assert!(file.diagnostics.iter().all(|d| !d.is_error()), "{:?}", file.diagnostics);
        let source = file.questions[0].question.source.clone().unwrap();
        assert_eq!(source.licence.as_deref(), Some("CC-BY-4.0"));
        assert_eq!(source.url.as_deref(), Some("https://other.example"));
        assert_eq!(source.original_id.as_deref(), Some("7"));
        assert_eq!(file.questions[0].question.task.as_deref(), Some("t"));
        let bad = text.replace("original_id = \"7\"", "original_id = \"7\\n8\"");
        let file = parse_questions("f.toml", bad.as_bytes(), None);
        assert!(
            file.diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains("source original_id must be one line"))
        );
        let typo = text.replace("licence =", "license =");
        let file = parse_questions("f.toml", typo.as_bytes(), None);
        assert!(
            file.diagnostics.iter().any(|d| d.is_error() && d.message.contains("unknown field `license`")),
            "{:?}",
            file.diagnostics
        );
    }

    /// Pieces the fast path must read exactly as toml does or leave alone: multi-byte UTF-8,
    /// line ends of every kind, a BOM, escapes of every kind, quote runs, line-ending
    /// backslashes, control characters, headers, keys and values at their edges.
    const FRAGMENTS: &[&str] = &[
        "é",
        "€",
        "😀",
        "\u{feff}",
        "\u{200b}",
        "\r",
        "\r\n",
        "\n",
        "\t",
        " ",
        "\u{0}",
        "\u{1}",
        "\u{7f}",
        "\u{85}",
        "\\",
        "\\\\",
        "\\\"",
        "\\n",
        "\\u00e9",
        "\\u00E9",
        "\\uD800",
        "\\uDFFF",
        "\\u0000",
        "\\U0010FFFF",
        "\\U00110000",
        "\\U0001F600",
        "\\u12",
        "\\e",
        "\\x41",
        "\\ ",
        "\\ \n",
        "\\  \t\n  ",
        "\\\r\n",
        "\"",
        "\"\"",
        "\"\"\"",
        "\"\"\"\"",
        "\"\"\"\"\"",
        "\"\"\"\"\"\"",
        "'",
        "''",
        "'''",
        "''''",
        "'''''",
        "''''''",
        "#",
        "# é\n",
        "#\u{1}",
        "# \u{7f}\n",
        "#\r\n",
        "[",
        "]",
        "[[",
        "]]",
        ",",
        ",\n",
        "=",
        " = ",
        ".",
        "[[question]]\n",
        "[question.source]\n",
        "[source]\n",
        "[[scenario]]\n",
        "[[question.option]]\n",
        "[[question.step]]\n",
        "[[question.prompt]]\n",
        "[[question.response]]\n",
        "[[question]] ",
        " [[question]]",
        "[ [question]]",
        "[[question.source]]\n",
        "[question]\n",
        "\nid = \"x\"\n",
        "\ntext = 'é'\n",
        "\ncorrect = true\n",
        "\ncorrect = false\n",
        "\nposition = 9223372036854775807\n",
        "\nposition = -9223372036854775808\n",
        "\nposition = 9223372036854775808\n",
        "\nposition = -0\n",
        "\nposition = 0\n",
        "\ntags = [\n]\n",
        "\ntags = [ , ]\n",
        "\ntags = ['a',,]\n",
        "\ntags = [\"a\" # c\n , ]\n",
        "\nreferences = [\"\"\"x\"\"\", '''y''']\n",
        "\nunknown = 1\n",
        "\n\"id\" = \"q\"\n",
        "\nid.x = \"q\"\n",
        "\nkind = \"ordering\"\n",
        "\ndifficulty = \"hard\"\n",
        "true",
        "false",
        "0",
        "-",
        "1_0",
        "\u{2028}",
        "ß",
        "\u{10ffff}",
    ];

    /// The shipped question banks, read once.
    fn shipped_banks() -> &'static [String] {
        static BANKS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        BANKS.get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            let mut files = Vec::new();
            toml_files(&root.join("question-banks"), &mut files);
            files.iter().map(|path| std::fs::read_to_string(path).unwrap()).collect()
        })
    }

    /// `at` moved back to a char boundary of `text`.
    fn boundary(text: &str, at: usize) -> usize {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// Changes `text` at `at` in the way `how` picks, with `fragment` and `span`.
    fn mutate(text: &mut String, how: usize, at: usize, fragment: &str, span: usize) {
        let at = boundary(text, at);
        let end = boundary(text, (at + span % 64).min(text.len())).max(at);
        match how {
            0 | 1 => text.insert_str(at, fragment),
            2 => text.replace_range(at..end, fragment),
            3 => text.replace_range(at..end, ""),
            4 => text.truncate(at),
            5 => {
                // Repeat the line `at` is on (a repeated key or header).
                let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                let stop = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
                let line = text[start..stop].to_string();
                text.insert_str(stop, &line);
            }
            _ => {
                // Move the piece just after `end` to `at` (tables out of order).
                let stop = boundary(text, (end + span % 200).min(text.len())).max(end);
                let moved = text[end..stop].to_string();
                text.replace_range(end..stop, "");
                text.insert_str(at, &moved);
            }
        }
    }

    #[test]
    fn the_fast_path_agrees_with_toml_at_the_edges() {
        let base = GOOD_QUESTION;
        let mut cases: Vec<String> = vec![
            String::new(),
            "\n".into(),
            "\u{feff}".into(),
            "# only a comment".into(),
            "\r".into(),
            "\r\n".into(),
            base.trim_end().into(),
            base.replace('\n', "\r\n"),
            base.replace('\n', "\r"),
            format!("\u{feff}{base}"),
            format!("\u{feff}\u{feff}{base}"),
        ];
        for fragment in FRAGMENTS {
            for at in 0..=base.len() {
                let mut text = base.to_string();
                text.insert_str(at, fragment);
                cases.push(text);
            }
        }
        let long = format!("stem = \"{}\"", "é".repeat(100_000));
        let quotes = format!("stem = \"\"\"{}\"\"\"", "\"\"\\\"".repeat(10_000));
        let literal_quotes = format!("stem = '''{}'''", "''x".repeat(10_000));
        for (from, to) in [
            ("stem = \"s\"", "stem = \"é\""),
            ("stem = \"s\"", "stem = \"s\u{0}\""),
            ("stem = \"s\"", "stem = '\u{1f600}'"),
            ("stem = \"s\"", "stem = \"\"\"é\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"\"\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"\"\"\"\"\""),
            ("stem = \"s\"", "stem = '''''''"),
            ("stem = \"s\"", "stem = ''''''''"),
            ("stem = \"s\"", "stem = \"\"\"\r\ns\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"s\\\r\n  t\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"s\\ \t \n\n  \t t\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"s\\\n\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"\\\n\"\"\""),
            ("stem = \"s\"", "stem = \"\"\"\\ \"\"\""),
            ("stem = \"s\"", "stem = \"\"\"s\\\"\"\"\"\""),
            ("stem = \"s\"", "stem = \"\\u00e9\\U0001f600\""),
            ("stem = \"s\"", "stem = \"\\UFFFFFFFF\""),
            ("stem = \"s\"", "stem = \"\\u+123\""),
            ("stem = \"s\"", "stem = \"\\u00é\""),
            ("stem = \"s\"", "stem = '''\n'''"),
            ("stem = \"s\"", "stem = '''\r\n'''"),
            ("stem = \"s\"", "stem = \"\"\"\n\n\"\"\""),
            ("stem = \"s\"", "stem = \"s\"\r"),
            ("stem = \"s\"", "stem = \"s\"\t#\t\u{e9}"),
            ("stem = \"s\"", "stem = \"\"\"s\"\"\"#"),
            ("stem = \"s\"", &long),
            ("stem = \"s\"", &quotes),
            ("stem = \"s\"", &literal_quotes),
            ("correct = true", "correct = true#"),
            ("correct = true", "correct = truee"),
            ("correct = true", "correct = tru"),
            ("correct = true", "correct = true,"),
            ("[[question]]", "[[question]]\r"),
            ("[[question]]", "  [[question]]  # x"),
            ("[[question]]", "[[question]]]"),
            ("[[question]]", "[[scenario]]\nid = \"s\"\ntitle = \"t\"\ntext = \"x\"\n[[question]]"),
        ] {
            cases.push(base.replacen(from, to, 1));
        }
        let ordering = "[[question]]\nid = \"o\"\ndomain = \"d\"\nkind = \"ordering\"\nstem = \"s\"\n\
            [[question.step]]\ntext = \"a\"\nposition = 1\n";
        for value in [
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999999",
            "-",
            "--1",
            "1-",
            "0",
            "00",
            "0x1",
            "0o1",
            "0b1",
            "1 # c",
            "1#c",
            "1\r",
            "inf",
            "nan",
            "true",
            "1979-05-27",
            "\"1\"",
        ] {
            cases.push(ordering.replacen("position = 1", &format!("position = {value}"), 1));
        }
        let head = "[[question]]\nid = \"q\"\ndomain = \"d\"\nkind = \"matching\"\nstem = \"s\"\n";
        for tail in [
            "[question.source]\n[question.source]\n",
            "[source]\n",
            "[[question.option]]\ntext = \"a\"\n[question.source]\nurl = \"u\"\n[[question.option]]\ntext = \"b\"\n",
            "[[scenario]]\nid = \"s\"\ntitle = \"t\"\ntext = \"x\"\n[[question.option]]\ntext = \"a\"\n[question.source]\n",
            "source = {}\n",
            "[question.source]\nurl = \"u\"\nurl = \"v\"\n",
            "tags = []\ntags = []\n",
            "[source.x]\n",
            "[[question.option.x]]\n",
        ] {
            cases.push(format!("{head}{tail}"));
            cases.push(format!("[source]\n{head}{tail}"));
        }
        for text in [
            "[question.source]\n[[question]]\n",
            "[source]\n[source]\n",
            "[[question.option]]\ntext = \"a\"\n",
            "[[scenario]]\nid = \"s\"\ntitle = \"t\"\ntext = \"x\"\n[[scenario]]\nid = \"s\"\ntitle = \"t\"\ntext = \"x\"\n",
            "question = 1\n",
            "[[question]]",
            "[[question]]\n[[question]]\n",
        ] {
            cases.push(text.to_string());
        }
        for text in &cases {
            assert_same(text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // The shipped banks, changed in one to four places with the edge fragments above (or
        // cut, or a line repeated, or a piece moved): the fast path reads each exactly as toml
        // does, or leaves it to toml; it never panics.
        #[test]
        fn the_fast_path_agrees_with_toml_on_changed_shipped_banks(
            file in any::<usize>(),
            changes in prop::collection::vec(
                (0..7usize, any::<usize>(), any::<usize>(), any::<usize>()), 1..5),
        ) {
            let banks = shipped_banks();
            let mut text = banks[file % banks.len()].clone();
            for (how, at, fragment, span) in changes {
                mutate(&mut text, how, at, FRAGMENTS[fragment % FRAGMENTS.len()], span);
            }
            assert_same(&text);
        }

        // Generated files with edge fragments put in: a small document, so a change lands
        // inside strings, headers and values often.
        #[test]
        fn the_fast_path_agrees_with_toml_on_generated_files_with_edge_fragments(
            seed in 1u64..u64::MAX,
            changes in prop::collection::vec(
                (0..7usize, any::<usize>(), any::<usize>(), any::<usize>()), 1..4),
        ) {
            let mut text = Gen(seed).document();
            for (how, at, fragment, span) in changes {
                mutate(&mut text, how, at, FRAGMENTS[fragment % FRAGMENTS.len()], span);
            }
            assert_same(&text);
        }
    }

    #[test]
    fn the_fast_path_reads_megabyte_hostile_files_to_the_end() {
        // Each is a megabyte or so of one hostile pattern; a quadratic scan would take minutes.
        let n = 200_000;
        let head = "[[question]]\nid = \"q\"\ndomain = \"d\"\nkind = \"multiple-choice\"\n";
        let files = [
            format!("{head}stem = \"\"\"{}\"\"\"\n", "\"\"x".repeat(n)),
            format!("{head}stem = '''{}'''\n", "''x".repeat(n)),
            format!("{head}stem = \"{}\"\n", "\\\\\\u00e9".repeat(n)),
            format!("{head}stem = \"\"\"{}\"\"\"\n", "\\\n \n".repeat(n)),
            format!("{head}stem = \"s\"\ntags = [{}]\n", "'a', # c\n".repeat(n)),
            format!("{head}stem = \"s\"\n{}", "[[question.option]]\ntext = \"a\"\n".repeat(n / 4)),
            "[[question]]\n".repeat(n),
            format!("{}{head}", "\n# c\n\t \n".repeat(n)),
            format!("{head}stem = \"{}", "é".repeat(n)),
            format!("{head}stem = \"\"\"{}", "\"".repeat(n)),
            format!("{head}stem = [{}", "\"a\",".repeat(n)),
            format!("[[step]]\nposition = {}\n", "9".repeat(n)),
        ];
        // No timed assertion (tests never time): each file must simply be read to its end
        // without a panic; a quadratic path would show as a test that does not finish.
        for text in &files {
            let _ = fast::parse(text);
        }
    }
}
