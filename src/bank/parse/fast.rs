//! A fast path for the TOML that question files actually use, straight into the raw model
//! (`bank::raw`), with the same spans the toml crate gives.
//!
//! It reads only a subset: the table headers of a question file written exactly as
//! `[[question]]`, `[[question.option]]`, `[[question.step]]`, `[[question.prompt]]`,
//! `[[question.response]]`, `[question.source]`, `[[scenario]]` and `[source]`; bare keys of
//! the raw model, each once per table; strings in all four forms, booleans, decimal
//! integers and arrays of strings; spaces, tabs, LF line ends and comments. Anything else
//! (a syntax error, an unknown key, a missing field, a wrong type, a quoted or dotted key,
//! an escape it does not know, an integer it does not read ...) makes it give up with
//! `None`, and the caller parses the file with the toml crate instead, so every message and
//! every value is the toml crate's. When it does return a file, the raw model is the one
//! the toml crate's deserializer would build (the differential and property tests in
//! `parse.rs` compare the two on every shipped bank and on generated documents).
//!
//! Linear time, no recursion, no panic: one pass over the bytes; a string is scanned once
//! and copied once.

use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::Error as ValueError;
use toml::Spanned;

use crate::bank::raw::{RawOption, RawPrompt, RawQuestion, RawResponse, RawScenario, RawSource, RawStep};
use crate::bank::{Difficulty, Kind};

/// A question file's raw model: its `[source]`, its questions and its scenarios, in order.
#[derive(Debug)]
pub struct Parsed {
    pub source: Option<RawSource>,
    pub questions: Vec<RawQuestion>,
    pub scenarios: Vec<RawScenario>,
}

/// The raw model of `text`, or `None` when the file uses anything beyond the subset (or is
/// not valid TOML, or does not fit the raw model).
pub fn parse(text: &str) -> Option<Parsed> {
    let mut parser = Parser { text, bytes: text.as_bytes(), at: 0 };
    let mut doc = Doc::default();
    let mut table = Table::Root;
    loop {
        parser.skip_blank();
        let Some(&b) = parser.bytes.get(parser.at) else { break };
        match b {
            b'\n' => parser.at += 1,
            b'#' => {
                parser.comment()?;
            }
            b'[' => {
                doc.close(std::mem::replace(&mut table, Table::Root))?;
                table = parser.header(&mut doc)?;
                parser.line_end()?;
            }
            b if is_bare_key(b) => {
                let key = parser.key();
                parser.skip_blank();
                if parser.bytes.get(parser.at) != Some(&b'=') {
                    return None;
                }
                parser.at += 1;
                parser.skip_blank();
                parser.key_value(&mut doc, &mut table, key)?;
                parser.line_end()?;
            }
            _ => return None,
        }
    }
    doc.close(table)?;
    doc.finish()
}

/// What toml refuses raw in a string: control characters other than tab (a line end is
/// allowed in multi-line strings only).
fn is_control(b: u8) -> bool {
    // `|` and `&`, not `||` and `&&`: no branch, so the scans over strings vectorise.
    ((b < 0x20) & (b != b'\t')) | (b == 0x7f)
}

fn is_bare_key(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The table that key/value lines currently go to.
enum Table {
    /// Before the first header: a question file has no keys of its own there.
    Root,
    /// The last `[[question]]` itself.
    Question,
    /// The last question's `[question.source]`.
    QuestionSource,
    Choice(Range<usize>, OptionFields),
    Step(Range<usize>, StepFields),
    Prompt(Range<usize>, PromptFields),
    Response(Range<usize>, ResponseFields),
    Scenario(ScenarioFields),
    FileSource,
}

#[derive(Default)]
struct OptionFields {
    text: Option<Spanned<String>>,
    correct: Option<Spanned<bool>>,
    rationale: Option<Spanned<String>>,
}

#[derive(Default)]
struct StepFields {
    text: Option<Spanned<String>>,
    position: Option<Spanned<i64>>,
    rationale: Option<Spanned<String>>,
}

#[derive(Default)]
struct PromptFields {
    text: Option<Spanned<String>>,
    answer: Option<Spanned<String>>,
    rationale: Option<Spanned<String>>,
}

#[derive(Default)]
struct ResponseFields {
    id: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
}

#[derive(Default)]
struct ScenarioFields {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
}

#[derive(Default)]
struct QuestionFields {
    id: Option<Spanned<String>>,
    domain: Option<Spanned<String>>,
    kind: Option<Spanned<Kind>>,
    difficulty: Option<Spanned<Difficulty>>,
    tags: Option<Vec<Spanned<String>>>,
    stem: Option<Spanned<String>>,
    explanation: Option<Spanned<String>>,
    references: Option<Spanned<Vec<Spanned<String>>>>,
    scenario: Option<Spanned<String>>,
    task: Option<Spanned<String>>,
    source: Option<RawSource>,
    options: Vec<Spanned<RawOption>>,
    steps: Vec<Spanned<RawStep>>,
    prompts: Vec<Spanned<RawPrompt>>,
    responses: Vec<Spanned<RawResponse>>,
}

#[derive(Default)]
struct Doc {
    source: Option<RawSource>,
    questions: Vec<QuestionFields>,
    scenarios: Vec<RawScenario>,
}

/// Sets a field once: a second value for the same key is toml's "duplicate key".
fn set<T>(field: &mut Option<T>, value: T) -> Option<()> {
    if field.is_some() {
        return None;
    }
    *field = Some(value);
    Some(())
}

impl Doc {
    /// Files a finished sub-table (an option, a step ...) under the last question.
    fn close(&mut self, table: Table) -> Option<()> {
        match table {
            Table::Choice(span, o) => {
                let option = RawOption { text: o.text?, correct: o.correct, rationale: o.rationale };
                self.questions.last_mut()?.options.push(Spanned::new(span, option));
            }
            Table::Step(span, s) => {
                let step = RawStep { text: s.text?, position: s.position, rationale: s.rationale };
                self.questions.last_mut()?.steps.push(Spanned::new(span, step));
            }
            Table::Prompt(span, p) => {
                let prompt = RawPrompt { text: p.text?, answer: p.answer?, rationale: p.rationale };
                self.questions.last_mut()?.prompts.push(Spanned::new(span, prompt));
            }
            Table::Response(span, r) => {
                let response = RawResponse { id: r.id?, text: r.text? };
                self.questions.last_mut()?.responses.push(Spanned::new(span, response));
            }
            Table::Scenario(s) => {
                self.scenarios.push(RawScenario { id: s.id?, title: s.title?, text: s.text? });
            }
            Table::Root | Table::Question | Table::QuestionSource | Table::FileSource => {}
        }
        Some(())
    }

    fn finish(self) -> Option<Parsed> {
        let mut questions = Vec::with_capacity(self.questions.len());
        for q in self.questions {
            questions.push(RawQuestion {
                id: q.id?,
                domain: q.domain?,
                kind: q.kind?,
                difficulty: q.difficulty,
                tags: q.tags.unwrap_or_default(),
                stem: q.stem?,
                explanation: q.explanation,
                references: q.references,
                scenario: q.scenario,
                task: q.task,
                source: q.source,
                options: q.options,
                steps: q.steps,
                prompts: q.prompts,
                responses: q.responses,
            });
        }
        Some(Parsed { source: self.source, questions, scenarios: self.scenarios })
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Moves to the next byte that `stop` accepts; `None` at the end of the text.
    fn skip_to(&mut self, stop: impl Fn(u8) -> bool) -> Option<()> {
        self.at = crate::text::first_of(self.bytes, self.at, stop)?;
        Some(())
    }

    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment, up to (not including) its line end. Control characters other than tab
    /// are refused, as toml refuses them.
    fn comment(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
            self.at += 1;
        }
        Some(())
    }

    /// After a header or a value: blanks, an optional comment, then a line end or the end.
    fn line_end(&mut self) -> Option<()> {
        self.skip_blank();
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(b'#') => self.comment(),
            Some(_) => None,
        }
    }

    fn key(&mut self) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(is_bare_key) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// A table header, written exactly as bank files write them.
    fn header(&mut self, doc: &mut Doc) -> Option<Table> {
        const HEADERS: [&str; 8] = [
            "[[question]]",
            "[[question.option]]",
            "[[question.step]]",
            "[[question.prompt]]",
            "[[question.response]]",
            "[question.source]",
            "[[scenario]]",
            "[source]",
        ];
        let rest = &self.text[self.at..];
        let header = HEADERS.iter().find(|h| rest.starts_with(**h))?;
        let span = self.at..self.at + header.len();
        self.at = span.end;
        Some(match *header {
            "[[question]]" => {
                doc.questions.push(QuestionFields::default());
                Table::Question
            }
            "[[question.option]]" => {
                doc.questions.last()?;
                Table::Choice(span, OptionFields::default())
            }
            "[[question.step]]" => {
                doc.questions.last()?;
                Table::Step(span, StepFields::default())
            }
            "[[question.prompt]]" => {
                doc.questions.last()?;
                Table::Prompt(span, PromptFields::default())
            }
            "[[question.response]]" => {
                doc.questions.last()?;
                Table::Response(span, ResponseFields::default())
            }
            "[question.source]" => {
                set(&mut doc.questions.last_mut()?.source, RawSource::default())?;
                Table::QuestionSource
            }
            "[[scenario]]" => Table::Scenario(ScenarioFields::default()),
            _ => {
                set(&mut doc.source, RawSource::default())?;
                Table::FileSource
            }
        })
    }

    /// The value of `key` in the current table, into its field.
    fn key_value(&mut self, doc: &mut Doc, table: &mut Table, key: &str) -> Option<()> {
        match table {
            Table::Root => None,
            Table::Question => {
                let q = doc.questions.last_mut()?;
                match key {
                    "id" => set(&mut q.id, self.string()?),
                    "domain" => set(&mut q.domain, self.string()?),
                    "kind" => set(&mut q.kind, self.unit_enum()?),
                    "difficulty" => set(&mut q.difficulty, self.unit_enum()?),
                    "tags" => set(&mut q.tags, self.strings()?.into_inner()),
                    "stem" => set(&mut q.stem, self.string()?),
                    "explanation" => set(&mut q.explanation, self.string()?),
                    "references" => set(&mut q.references, self.strings()?),
                    "scenario" => set(&mut q.scenario, self.string()?),
                    "task" => set(&mut q.task, self.string()?),
                    _ => None,
                }
            }
            Table::QuestionSource => {
                let source = doc.questions.last_mut()?.source.as_mut()?;
                self.source_key(source, key)
            }
            Table::FileSource => {
                let source = doc.source.as_mut()?;
                self.source_key(source, key)
            }
            Table::Choice(_, o) => match key {
                "text" => set(&mut o.text, self.string()?),
                "correct" => set(&mut o.correct, self.boolean()?),
                "rationale" => set(&mut o.rationale, self.string()?),
                _ => None,
            },
            Table::Step(_, s) => match key {
                "text" => set(&mut s.text, self.string()?),
                "position" => set(&mut s.position, self.integer()?),
                "rationale" => set(&mut s.rationale, self.string()?),
                _ => None,
            },
            Table::Prompt(_, p) => match key {
                "text" => set(&mut p.text, self.string()?),
                "match" => set(&mut p.answer, self.string()?),
                "rationale" => set(&mut p.rationale, self.string()?),
                _ => None,
            },
            Table::Response(_, r) => match key {
                "id" => set(&mut r.id, self.string()?),
                "text" => set(&mut r.text, self.string()?),
                _ => None,
            },
            Table::Scenario(s) => match key {
                "id" => set(&mut s.id, self.string()?),
                "title" => set(&mut s.title, self.string()?),
                "text" => set(&mut s.text, self.string()?),
                _ => None,
            },
        }
    }

    fn source_key(&mut self, source: &mut RawSource, key: &str) -> Option<()> {
        let field = match key {
            "url" => &mut source.url,
            "licence" => &mut source.licence,
            "commit" => &mut source.commit,
            "original_id" => &mut source.original_id,
            "file" => &mut source.file,
            _ => return None,
        };
        set(field, self.string()?)
    }

    /// A string naming a unit variant (a kind, a difficulty), read as serde reads it.
    fn unit_enum<T: for<'de> Deserialize<'de>>(&mut self) -> Option<Spanned<T>> {
        let value = self.string()?;
        let span = value.span();
        let name: serde::de::value::StrDeserializer<'_, ValueError> =
            value.get_ref().as_str().into_deserializer();
        Some(Spanned::new(span, T::deserialize(name).ok()?))
    }

    /// Whether the value just read ends here (what may follow a scalar on its line).
    fn at_value_end(&self) -> bool {
        matches!(self.peek(), None | Some(b' ' | b'\t' | b'\n' | b'#'))
    }

    fn boolean(&mut self) -> Option<Spanned<bool>> {
        let start = self.at;
        let rest = &self.bytes[start..];
        let (value, len) = if rest.starts_with(b"true") {
            (true, 4)
        } else if rest.starts_with(b"false") {
            (false, 5)
        } else {
            return None;
        };
        self.at += len;
        self.at_value_end().then(|| Spanned::new(start..self.at, value))
    }

    /// A decimal integer: an optional '-', then 0 or digits without a leading zero, no
    /// underscores; one that does not fit an i64 is left to toml.
    fn integer(&mut self) -> Option<Spanned<i64>> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let digits = self.at;
        let mut value: i64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            let digit = i64::from(b - b'0');
            value = value.checked_mul(10)?;
            value = if negative { value.checked_sub(digit)? } else { value.checked_add(digit)? };
            self.at += 1;
        }
        let len = self.at - digits;
        if len == 0 || (len > 1 && self.bytes[digits] == b'0') || (negative && value == 0) {
            return None;
        }
        self.at_value_end().then(|| Spanned::new(start..self.at, value))
    }

    /// An array of strings, spanning its brackets; its strings may be on many lines, with
    /// comments between them and a trailing comma.
    fn strings(&mut self) -> Option<Spanned<Vec<Spanned<String>>>> {
        let start = self.at;
        if self.peek() != Some(b'[') {
            return None;
        }
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.array_blank()?;
            match self.peek()? {
                b']' => break,
                b'"' | b'\'' => items.push(self.string_token()?),
                _ => return None,
            }
            self.array_blank()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        self.at_value_end().then(|| Spanned::new(start..self.at, items))
    }

    /// Blanks, line ends and comments inside an array.
    fn array_blank(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.at += 1,
                Some(b'#') => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    /// A string value ending its line's value.
    fn string(&mut self) -> Option<Spanned<String>> {
        let value = self.string_token()?;
        self.at_value_end().then_some(value)
    }

    /// A string in any of TOML's four forms, spanning its quotes.
    fn string_token(&mut self) -> Option<Spanned<String>> {
        let start = self.at;
        let rest = &self.bytes[start..];
        let value = if rest.starts_with(b"\"\"\"") {
            self.multi_line_basic()?
        } else if rest.starts_with(b"'''") {
            self.multi_line_literal()?
        } else if rest.first() == Some(&b'"') {
            self.basic()?
        } else if rest.first() == Some(&b'\'') {
            self.literal()?
        } else {
            return None;
        };
        Some(Spanned::new(start..self.at, value))
    }

    fn basic(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        let mut from = self.at;
        loop {
            self.skip_to(|b| (b == b'"') | (b == b'\\') | is_control(b))?;
            match self.bytes[self.at] {
                b'"' => {
                    out.push_str(&self.text[from..self.at]);
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[from..self.at]);
                    self.at += 1;
                    out.push(self.escape()?);
                    from = self.at;
                }
                _ => return None,
            }
        }
    }

    fn multi_line_basic(&mut self) -> Option<String> {
        self.at += 3;
        if self.peek() == Some(b'\n') {
            self.at += 1;
        }
        let mut out = String::new();
        let mut from = self.at;
        loop {
            self.skip_to(|b| (b == b'"') | (b == b'\\') | ((b != b'\n') & is_control(b)))?;
            match self.bytes[self.at] {
                b'"' => {
                    let run = self.bytes[self.at..].iter().take_while(|&&b| b == b'"').count();
                    if run < 3 {
                        self.at += run;
                        continue;
                    }
                    // The first three quotes close the string; up to two more are its own.
                    if run > 5 {
                        return None;
                    }
                    out.push_str(&self.text[from..self.at + run - 3]);
                    self.at += run;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[from..self.at]);
                    self.at += 1;
                    if matches!(self.peek()?, b' ' | b'\t' | b'\n') {
                        // A line-ending backslash: the line end and every blank after it go.
                        self.skip_blank();
                        if self.peek()? != b'\n' {
                            return None;
                        }
                        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n')) {
                            self.at += 1;
                        }
                    } else {
                        out.push(self.escape()?);
                    }
                    from = self.at;
                }
                _ => return None,
            }
        }
    }

    fn literal(&mut self) -> Option<String> {
        self.at += 1;
        let from = self.at;
        self.skip_to(|b| (b == b'\'') | is_control(b))?;
        if self.bytes[self.at] != b'\'' {
            return None;
        }
        let out = self.text[from..self.at].to_string();
        self.at += 1;
        Some(out)
    }

    fn multi_line_literal(&mut self) -> Option<String> {
        self.at += 3;
        if self.peek() == Some(b'\n') {
            self.at += 1;
        }
        let from = self.at;
        loop {
            self.skip_to(|b| (b == b'\'') | ((b != b'\n') & is_control(b)))?;
            match self.bytes[self.at] {
                b'\'' => {
                    let run = self.bytes[self.at..].iter().take_while(|&&b| b == b'\'').count();
                    if run < 3 {
                        self.at += run;
                        continue;
                    }
                    if run > 5 {
                        return None;
                    }
                    let out = self.text[from..self.at + run - 3].to_string();
                    self.at += run;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// The character of an escape (after its backslash). TOML 1.1's `\e` and `\xHH` are left
    /// to toml, as is any other.
    fn escape(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(match c {
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            b'u' => self.hex(4)?,
            b'U' => self.hex(8)?,
            _ => return None,
        })
    }

    fn hex(&mut self, digits: usize) -> Option<char> {
        let end = self.at.checked_add(digits)?;
        let hex = self.bytes.get(self.at..end)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let value = u32::from_str_radix(&self.text[self.at..end], 16).ok()?;
        self.at = end;
        char::from_u32(value)
    }
}
