//! Authoring checks: cues in a bank that let a test-wise candidate find the key without
//! knowing the subject (docs/bank-format.md, "Authoring checks"). They are warnings, each at
//! a question's place. Pure: questions in, diagnostics out.
//!
//! Most checks count over one question file (`Authoring::file`). Near-duplicate stems are
//! found across the whole exam from small MinHash fingerprints (64 numbers a question, in
//! LSH buckets), so the stems of earlier files are not kept and the cost stays linear in
//! the number of questions, not in the number of pairs.

use std::collections::HashMap;

use super::diagnostic::{Check, Diagnostic};
use super::parse::LocatedQuestion;
use super::validate::QuestionFacts;
use super::{Body, Question};

/// A pattern is reported when chance alone would produce it less often than this (after
/// multiplying by the number of patterns tried, e.g. the four key positions).
pub const SIGNIFICANCE: f64 = 0.001;
/// ... and only when it is also far from chance in size: this many times the chance share.
pub const SHARE_OVER_CHANCE: f64 = 1.5;
/// A file with at least this many multiple-choice questions whose keys all sit at the same
/// stored position is reported whatever the statistics say.
pub const MIN_SAME_POSITION: usize = 4;
/// Fewest multiple-choice questions (of three options or more) in a file before the key
/// length is judged.
pub const MIN_KEY_LENGTH_QUESTIONS: usize = 10;
/// The absolute words counted in option texts (whole words, any case).
pub const ABSOLUTE_WORDS: [&str; 12] = [
    "always",
    "never",
    "every",
    "all",
    "none",
    "only",
    "must",
    "entirely",
    "completely",
    "guaranteed",
    "guarantees",
    "impossible",
];
/// Fewest options with an absolute word in a file before their spread is judged.
pub const MIN_ABSOLUTE_OPTIONS: usize = 10;
/// Absolute words are reported when their rate in distractors is at least this many times
/// their rate in correct options ...
pub const ABSOLUTE_RATE_RATIO: f64 = 3.0;
/// ... and chance alone would put that many of them in distractors less often than this.
pub const ABSOLUTE_SIGNIFICANCE: f64 = 0.01;
/// Stems are shingled into runs of this many words.
pub const SHINGLE_WORDS: usize = 3;
/// Two stems of an exam whose shingle sets have an (estimated) Jaccard similarity of at
/// least this are near duplicates.
pub const NEAR_DUPLICATE: f64 = 0.7;

/// MinHash values per stem, split into `BANDS` bands of `ROWS` for the LSH buckets: two
/// stems of similarity 0.7 share a bucket with probability 1 - (1 - 0.7^4)^16 = 0.99.
const HASHES: usize = 64;
// `signature` computes them four at a time.
const _: () = assert!(HASHES.is_multiple_of(4));
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Most earlier stems of one bucket compared with a new stem.
const MAX_CANDIDATES: usize = 64;

/// Option letters as the exam shows them; the stored position `i` is `LETTERS[i]`.
const LETTERS: &[u8] = b"ABCDEFGHIJ";

/// The authoring checks of one exam, fed one question file at a time.
#[derive(Default)]
pub struct Authoring {
    stems: StemIndex,
    /// The facts of the questions seen so far, for `file` (tests feed files one by one).
    #[cfg(test)]
    facts: Vec<QuestionFacts>,
}

impl Authoring {
    /// The checks of one file's questions, and its stems against the exam's earlier ones.
    #[cfg(test)]
    pub fn file(&mut self, questions: &[LocatedQuestion]) -> Vec<Diagnostic> {
        let first = self.facts.len();
        self.facts.extend(questions.iter().map(QuestionFacts::of));
        let found = self.add(check_file(questions), first);
        found.into_iter().filter_map(|finding| finding.into_diagnostic(&self.facts)).collect()
    }

    /// A file's findings (from `check_file`, which may run on another thread), with its
    /// stems checked against the exam's earlier ones; files must come in order. `first`:
    /// the index of the file's first question among the exam's questions in file order
    /// (only that index is kept per stem; a near duplicate names its two questions by
    /// index, and `Finding::into_diagnostic` reads their ids and places from the facts).
    pub fn add(&mut self, findings: FileFindings, first: usize) -> Vec<Finding> {
        let mut found: Vec<Finding> = findings.diagnostics.into_iter().map(Finding::from).collect();
        for fingerprint in findings.fingerprints {
            found.extend(
                self.stems.add(first + fingerprint.question, fingerprint.signature).map(Finding::from),
            );
        }
        found
    }
}

/// What the authoring checks report: a diagnostic, or a near-duplicate stem kept as two
/// question indices and a count until the report is written. A large bank can have one
/// near duplicate per question (every stem from one template), and the compact form keeps
/// them out of memory until then (12 bytes each instead of a formatted message).
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Diagnostic(Box<Diagnostic>),
    NearDuplicate(NearDuplicate),
}

impl From<Diagnostic> for Finding {
    fn from(diagnostic: Diagnostic) -> Finding {
        Finding::Diagnostic(Box::new(diagnostic))
    }
}

impl From<NearDuplicate> for Finding {
    fn from(duplicate: NearDuplicate) -> Finding {
        Finding::NearDuplicate(duplicate)
    }
}

impl Finding {
    /// The diagnostic, a near duplicate's written from `exam` (the facts of the exam's
    /// questions in file order, as given to `Authoring::add`); `None` only for indices
    /// that are not in `exam`.
    pub fn into_diagnostic(self, exam: &[QuestionFacts]) -> Option<Diagnostic> {
        match self {
            Finding::Diagnostic(diagnostic) => Some(*diagnostic),
            Finding::NearDuplicate(duplicate) => duplicate.diagnostic(exam),
        }
    }
}

/// A stem nearly the same as an earlier one of the exam: the questions' indices among the
/// exam's questions, and how many of the `HASHES` MinHash values the two stems share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearDuplicate {
    question: u32,
    earlier: u32,
    equal: u32,
}

impl NearDuplicate {
    fn similarity(&self) -> f64 {
        f64::from(self.equal) / HASHES as f64
    }

    /// The warning, at the later question's place.
    pub fn diagnostic(&self, exam: &[QuestionFacts]) -> Option<Diagnostic> {
        let this = exam.get(self.question as usize)?;
        let other = exam.get(self.earlier as usize)?;
        Some(Diagnostic::authoring(
            Check::NearDuplicateStem,
            this.location.clone(),
            format!(
                "question {}: its stem is nearly the same as question {}'s at {} (about {} of their \
                 {SHINGLE_WORDS}-word runs shared): one gives the other away; merge them or make them ask \
                 different things",
                this.id,
                other.id,
                other.location,
                percent(self.similarity())
            ),
        ))
    }
}

/// What the checks of one file found, and its stems' fingerprints for the exam-wide index.
#[derive(Debug)]
pub struct FileFindings {
    diagnostics: Vec<Diagnostic>,
    fingerprints: Vec<Fingerprint>,
}

/// The checks that need only one file's questions, and their stems' fingerprints.
pub fn check_file(questions: &[LocatedQuestion]) -> FileFindings {
    let mut checks = FileChecks::default();
    checks.add(questions);
    checks.finish(&facts_of(questions))
}

fn facts_of(questions: &[LocatedQuestion]) -> Vec<QuestionFacts> {
    questions.iter().map(QuestionFacts::of).collect()
}

/// The checks of one question file, fed its questions in file order a piece at a time (a
/// large file is parsed in pieces: only one piece's questions need be in memory). What the
/// file-wide counts need of each question is kept, small; places are read at the end from
/// the file's facts, by the question's index in the file.
#[derive(Default)]
pub struct FileChecks {
    /// Questions seen so far: the index in the file of the next one.
    seen: usize,
    /// Single-answer multiple-choice questions: (index in the file, stored index of the key,
    /// options).
    keyed: Vec<(usize, usize, usize)>,
    lengths: KeyLengths,
    words: AbsoluteWords,
    /// Letters cited in explanations, question by question.
    letters: Vec<Diagnostic>,
    fingerprints: Vec<Fingerprint>,
}

impl FileChecks {
    /// The file's next questions.
    pub fn add(&mut self, questions: &[LocatedQuestion]) {
        for q in questions {
            let index = self.seen;
            self.seen += 1;
            if let Some((options, key)) = single_key(&q.question) {
                self.keyed.push((index, key, options.len()));
                self.lengths.add(index, options, key);
            }
            self.words.add(index, &q.question);
            self.letters.extend(letters_in_explanations(q));
            let shingles = shingles(&q.question.stem);
            if !shingles.is_empty() {
                self.fingerprints.push(Fingerprint { question: index, signature: signature(&shingles) });
            }
        }
    }

    /// What the file's checks found. `facts`: the facts of the file's questions, in order
    /// (where each one was written).
    pub fn finish(self, facts: &[QuestionFacts]) -> FileFindings {
        let mut diagnostics = Vec::new();
        diagnostics.extend(key_position_of(&self.keyed, facts));
        diagnostics.extend(self.lengths.judge(facts));
        diagnostics.extend(self.words.judge(facts));
        diagnostics.extend(self.letters);
        FileFindings { diagnostics, fingerprints: self.fingerprints }
    }
}

/// P(X >= k) for X ~ Binomial(n, p), summed term by term from the largest one (the first
/// in logarithms), so that nothing underflows on files of any size: above the mean the terms
/// from k up, below it 1 - the terms from k - 1 down. build.rs compiles this module too, so
/// no statistics crate.
fn tail(n: usize, k: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_pmf = |i: usize| {
        let ln_choose: f64 = (1..=i).map(|j| ((n - i + j) as f64 / j as f64).ln()).sum();
        ln_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()
    };
    let ratio = p / (1.0 - p);
    let mut sum = 0.0;
    if k as f64 > n as f64 * p {
        let mut term = ln_pmf(k).exp();
        for i in k..=n {
            sum += term;
            if term <= sum * 1e-17 {
                break;
            }
            term *= (n - i) as f64 / (i + 1) as f64 * ratio;
        }
        sum.min(1.0)
    } else {
        let mut term = ln_pmf(k - 1).exp();
        for i in (0..k).rev() {
            sum += term;
            if term <= sum * 1e-17 {
                break;
            }
            term *= i as f64 / (n - i + 1) as f64 / ratio;
        }
        (1.0 - sum).max(0.0)
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A single-answer multiple-choice question's options and the stored index of its key.
fn single_key(q: &Question) -> Option<(&[super::Choice], usize)> {
    let Body::Choice(choice) = &q.body else { return None };
    if choice.multiple {
        return None;
    }
    let correct = choice.correct_indices();
    match correct.as_slice() {
        [key] => Some((&choice.options, *key)),
        _ => None,
    }
}

/// The key at the same stored position across a file: all of at least four questions, or
/// a share far above chance (chance for position i: the mean of 1/options over the
/// questions that have an option i).
#[cfg(test)]
fn key_position(questions: &[LocatedQuestion]) -> Option<Diagnostic> {
    let mut checks = FileChecks::default();
    checks.add(questions);
    key_position_of(&checks.keyed, &facts_of(questions))
}

/// `key_position` over the file's keyed questions: (index in the file, key, options).
fn key_position_of(keyed: &[(usize, usize, usize)], facts: &[QuestionFacts]) -> Option<Diagnostic> {
    let n = keyed.len();
    if n < MIN_SAME_POSITION {
        return None;
    }
    let positions = keyed.iter().map(|(_, _, count)| *count).max().unwrap_or(0);
    let mut worst: Option<(usize, usize, f64, f64)> = None; // (position, count, chance, p)
    for position in 0..positions {
        let count = keyed.iter().filter(|(_, key, _)| *key == position).count();
        let chance = keyed
            .iter()
            .filter(|(_, _, options)| *options > position)
            .map(|(_, _, options)| 1.0 / *options as f64)
            .sum::<f64>()
            / n as f64;
        let p = tail(n, count, chance) * positions as f64;
        if worst.is_none_or(|(_, _, _, best)| p < best) {
            worst = Some((position, count, chance, p));
        }
    }
    let (position, count, chance, p) = worst?;
    let all_same = count == n;
    let far = p < SIGNIFICANCE && count as f64 >= SHARE_OVER_CHANCE * chance * n as f64;
    if !(all_same || far) {
        return None;
    }
    let first = keyed.iter().find(|(_, key, _)| *key == position)?.0;
    let letter = char::from(LETTERS[position.min(LETTERS.len() - 1)]);
    Some(Diagnostic::authoring(
        Check::SameKeyPosition,
        facts.get(first)?.location.clone(),
        format!(
            "the correct option is written at position {} ({letter}) in {count} of this file's {n} \
             multiple-choice questions (chance: {}); exports and printed copies keep the written order: \
             move some keys to other positions",
            position + 1,
            percent(chance)
        ),
    ))
}

/// The key systematically the longest (or the shortest) option across a file: the share
/// of questions whose key is the unique longest option, against chance (1/options each).
#[cfg(test)]
fn key_length(questions: &[LocatedQuestion]) -> Option<Diagnostic> {
    let mut checks = FileChecks::default();
    checks.add(questions);
    checks.lengths.judge(&facts_of(questions))
}

/// The counts `key_length` judges, question by question.
#[derive(Default)]
struct KeyLengths {
    n: usize,
    /// The sum of 1/options.
    chance: f64,
    /// The questions (index in the file) whose key is the unique longest option ...
    longest: Vec<usize>,
    /// ... and the unique shortest.
    shortest: Vec<usize>,
}

impl KeyLengths {
    fn add(&mut self, index: usize, options: &[super::Choice], key: usize) {
        if options.len() < 3 {
            return;
        }
        self.n += 1;
        self.chance += 1.0 / options.len() as f64;
        let lengths: Vec<usize> = options.iter().map(|o| o.text.trim().chars().count()).collect();
        let unique = |pick: usize| lengths.iter().filter(|&&l| l == pick).count() == 1;
        let max = lengths.iter().copied().max().unwrap_or(0);
        let min = lengths.iter().copied().min().unwrap_or(0);
        if lengths[key] == max && unique(max) {
            self.longest.push(index);
        }
        if lengths[key] == min && unique(min) {
            self.shortest.push(index);
        }
    }

    fn judge(&self, facts: &[QuestionFacts]) -> Option<Diagnostic> {
        let n = self.n;
        if n < MIN_KEY_LENGTH_QUESTIONS {
            return None;
        }
        let chance = self.chance / n as f64;
        let judge = |hits: &[usize], word: &str| -> Option<Diagnostic> {
            let count = hits.len();
            // Two directions tried: longest and shortest.
            let p = tail(n, count, chance) * 2.0;
            if p >= SIGNIFICANCE || (count as f64) < SHARE_OVER_CHANCE * chance * n as f64 {
                return None;
            }
            Some(Diagnostic::authoring(
                Check::KeyLength,
                facts.get(hits[0])?.location.clone(),
                format!(
                    "the correct option is the {word} option in {count} of this file's {n} multiple-choice \
                     questions (chance: {}): a candidate can guess by length; make distractors as specific \
                     as the key (or the key as short as they are)",
                    percent(chance)
                ),
            ))
        };
        judge(&self.longest, "longest").or_else(|| judge(&self.shortest, "shortest"))
    }
}

/// The absolute words in `text`, lower-cased, in order.
fn absolute_words_in(text: &str) -> Vec<&'static str> {
    if text.is_ascii() {
        // The same words, split a byte at a time (no decoding); only words as long as an
        // absolute word are compared.
        return text
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|w| ABSOLUTE_WORD_LENGTHS.contains(&w.len()))
            .filter_map(|w| ABSOLUTE_WORDS.iter().find(|a| w.eq_ignore_ascii_case(a.as_bytes())).copied())
            .collect();
    }
    absolute_words_by_chars(text)
}

/// The shortest and longest of `ABSOLUTE_WORDS`.
const ABSOLUTE_WORD_LENGTHS: std::ops::RangeInclusive<usize> = 3..=10;

/// `absolute_words_in` a character at a time, whatever the text.
fn absolute_words_by_chars(text: &str) -> Vec<&'static str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter_map(|w| ABSOLUTE_WORDS.iter().find(|a| w.eq_ignore_ascii_case(a)).copied())
        .collect()
}

/// Absolute words mostly in distractors: over the file's choice questions, the options with
/// such a word split between keys and distractors, against chance (their share of options).
#[cfg(test)]
fn absolute_words(questions: &[LocatedQuestion]) -> Option<Diagnostic> {
    let mut checks = FileChecks::default();
    checks.add(questions);
    checks.words.judge(&facts_of(questions))
}

/// The counts `absolute_words` judges, question by question.
#[derive(Default)]
struct AbsoluteWords {
    keys: usize,
    distractors: usize,
    in_keys: usize,
    in_distractors: usize,
    /// The first question (index in the file) with such a word in a distractor.
    first: Option<usize>,
    words: HashMap<&'static str, usize>,
}

impl AbsoluteWords {
    fn add(&mut self, index: usize, question: &Question) {
        let Body::Choice(choice) = &question.body else { return };
        for option in &choice.options {
            let found = absolute_words_in(&option.text);
            if option.correct {
                self.keys += 1;
                self.in_keys += usize::from(!found.is_empty());
            } else {
                self.distractors += 1;
                if !found.is_empty() {
                    self.in_distractors += 1;
                    self.first.get_or_insert(index);
                    for word in found {
                        *self.words.entry(word).or_default() += 1;
                    }
                }
            }
        }
    }

    fn judge(&self, facts: &[QuestionFacts]) -> Option<Diagnostic> {
        let (keys, distractors, in_keys, in_distractors) =
            (self.keys, self.distractors, self.in_keys, self.in_distractors);
        let with_word = in_keys + in_distractors;
        if with_word < MIN_ABSOLUTE_OPTIONS || keys == 0 || distractors == 0 {
            return None;
        }
        let key_rate = in_keys as f64 / keys as f64;
        let distractor_rate = in_distractors as f64 / distractors as f64;
        let chance = distractors as f64 / (keys + distractors) as f64;
        let p = tail(with_word, in_distractors, chance);
        if distractor_rate < ABSOLUTE_RATE_RATIO * key_rate || p >= ABSOLUTE_SIGNIFICANCE {
            return None;
        }
        let mut common: Vec<(&str, usize)> = self.words.iter().map(|(w, c)| (*w, *c)).collect();
        common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let common: Vec<String> = common.iter().take(4).map(|(w, c)| format!("{w:?} ({c})")).collect();
        Some(Diagnostic::authoring(
            Check::AbsoluteWords,
            facts.get(self.first?)?.location.clone(),
            format!(
                "absolute words are in {in_distractors} of this file's {distractors} distractors ({}) but in \
                 {in_keys} of its {keys} correct options ({}), most often {}: a candidate can rule such options \
                 out unread; reword those distractors or state keys as firmly",
                percent(distractor_rate),
                percent(key_rate),
                common.join(", ")
            ),
        ))
    }
}

/// Words that name an option by its letter when a letter follows them.
const LETTER_NOUNS: [&str; 6] = ["option", "options", "answer", "answers", "choice", "choices"];
/// Verbs after "(C)" that make it a reference to an option.
const LETTER_VERBS: [&str; 9] = ["is", "are", "was", "were", "would", "will", "does", "can", "could"];
/// Words before "A and D" that keep it a reference to options (after any other word, as
/// in "zones B and C", the letters name something else).
const LETTER_LEADS: [&str; 9] =
    ["both", "either", "neither", "only", "and", "choose", "select", "pick", "so"];
const VERDICTS: [&str; 6] = ["correct", "incorrect", "wrong", "right", "true", "false"];

/// The words (runs of letters and digits) and punctuation characters of `text`, in order,
/// each with its byte offset.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
        if !c.is_whitespace() {
            out.push((i, &text[i..i + c.len_utf8()]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The option letter at `tokens[i]` (`B` or `(B)`): how many tokens it takes, and whether
/// it was in parentheses.
fn letter_at(tokens: &[&str], i: usize) -> Option<(usize, bool)> {
    let is_letter = |t: &str| t.len() == 1 && LETTERS.contains(&t.as_bytes()[0]);
    match tokens.get(i..i + 3) {
        Some(["(", l, ")"]) if is_letter(l) => Some((3, true)),
        _ => match tokens.get(i) {
            Some(t) if is_letter(t) => Some((1, false)),
            _ => None,
        },
    }
}

/// The first place where `text` cites an option by its letter ("option B", "(C) is",
/// "A and D", "B is correct"), as the words that do it.
pub fn cited_letter(text: &str) -> Option<String> {
    // Most texts have no letter A to J standing alone: skip them without tokenising.
    let bytes = text.as_bytes();
    let alone = |i: usize| {
        let edge = |j: Option<usize>| j.and_then(|j| bytes.get(j)).is_none_or(|b| !b.is_ascii_alphanumeric());
        (b'A'..=b'J').contains(&bytes[i]) && edge(i.checked_sub(1)) && edge(Some(i + 1))
    };
    // Most have no capital A to J at all: a block scan (vectorised) says so first.
    if crate::text::all_bytes(bytes, |b| b.wrapping_sub(b'A') >= 10) || !(0..bytes.len()).any(alone) {
        return None;
    }
    let spans = tokens(text);
    let tokens: Vec<&str> = spans.iter().map(|(_, t)| *t).collect();
    let is =
        |i: usize, set: &[&str]| tokens.get(i).is_some_and(|t| set.iter().any(|w| t.eq_ignore_ascii_case(w)));
    // A letter starts a reference only at the start of a sentence or clause, or after a word
    // that introduces options ("both A and D").
    let leads =
        |i: usize| i == 0 || is(i - 1, &LETTER_LEADS) || tokens[i - 1].chars().all(|c| !c.is_alphanumeric());
    for i in 0..tokens.len() {
        let quote = |len: usize| {
            let (end, last) = spans[(i + len).min(spans.len()) - 1];
            text[spans[i].0..end + last.len()].to_string()
        };
        if is(i, &LETTER_NOUNS) {
            let colon = usize::from(tokens.get(i + 1) == Some(&":"));
            if let Some((len, _)) = letter_at(&tokens, i + 1 + colon) {
                return Some(quote(1 + colon + len));
            }
        }
        let Some((len, paren)) = letter_at(&tokens, i) else { continue };
        if paren && is(i + len, &LETTER_VERBS) {
            return Some(quote(len + 1));
        }
        if !leads(i) {
            continue;
        }
        if is(i + len, &["and", "or"])
            && let Some((second, _)) = letter_at(&tokens, i + len + 1)
        {
            return Some(quote(len + 1 + second));
        }
        if is(i + len, &["is", "are"]) && is(i + len + 1, &VERDICTS) {
            return Some(quote(len + 2));
        }
    }
    None
}

/// Explanations and rationales that cite option letters: the options are shuffled when
/// shown, so the letter the author saw is not the one the candidate sees.
fn letters_in_explanations(q: &LocatedQuestion) -> Vec<Diagnostic> {
    let question = &q.question;
    // (what the field is, its 1-based number, its text): the name is only written out for
    // a field that cites a letter.
    let mut fields: Vec<(&str, usize, &str)> = vec![("explanation", 0, question.explanation.as_str())];
    match &question.body {
        Body::Choice(choice) => {
            for (i, option) in choice.options.iter().enumerate() {
                fields.push(("option", i + 1, option.rationale.as_str()));
            }
        }
        Body::Ordering(ordering) => {
            for (i, step) in ordering.steps.iter().enumerate() {
                fields.push(("step", i + 1, step.rationale.as_str()));
            }
        }
        Body::Matching(matching) => {
            for (i, prompt) in matching.prompts.iter().enumerate() {
                fields.push(("prompt", i + 1, prompt.rationale.as_str()));
            }
        }
    }
    fields
        .into_iter()
        .filter_map(|(what, n, text)| {
            let cited = cited_letter(text)?;
            let field = if n == 0 { what.to_string() } else { format!("rationale of {what} {n}") };
            Some(Diagnostic::authoring(
                Check::LetterInExplanation,
                q.location.clone(),
                format!(
                    "question {}: the {field} cites an option by letter ({cited:?}); options are shuffled \
                     when shown, so the letter is wrong: name the option by what it says",
                    question.id
                ),
            ))
        })
        .collect()
}

/// The word shingles of a stem, hashed, sorted and without repeats: lower-case words of
/// letters and digits, in runs of `SHINGLE_WORDS` (a shorter stem is one shingle). Each word
/// is hashed once, with no allocation per word.
fn shingles(stem: &str) -> Vec<u64> {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    // Sized once: a word takes two bytes or more (a letter and what ends it).
    let mut words: Vec<u64> = Vec::with_capacity(stem.len() / 2 + 1);
    let mut hash = FNV_OFFSET;
    let mut in_word = false;
    let mut end_word = |hash: &mut u64, in_word: &mut bool| {
        if *in_word {
            words.push(*hash);
            *hash = FNV_OFFSET;
            *in_word = false;
        }
    };
    if stem.is_ascii() {
        // The same hashes, a byte at a time (no decoding).
        for &b in stem.as_bytes().iter().chain(b" ") {
            if b.is_ascii_alphanumeric() {
                hash ^= u64::from(b.to_ascii_lowercase());
                hash = hash.wrapping_mul(0x0100_0000_01b3);
                in_word = true;
            } else {
                end_word(&mut hash, &mut in_word);
            }
        }
    } else {
        for c in stem.chars().chain([' ']) {
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    hash ^= u64::from(u32::from(lower));
                    hash = hash.wrapping_mul(0x0100_0000_01b3);
                }
                in_word = true;
            } else {
                end_word(&mut hash, &mut in_word);
            }
        }
    }
    let size = SHINGLE_WORDS.min(words.len());
    if size == 0 {
        return Vec::new();
    }
    let mut shingles: Vec<u64> =
        words.windows(size).map(|run| run.iter().fold(0, |acc: u64, &word| mix(acc ^ word))).collect();
    shingles.sort_unstable();
    shingles.dedup();
    shingles
}

/// SplitMix64's finaliser: one independent-looking hash per seed.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The MinHash signature of a set of shingles: for each of `HASHES` hash functions, the
/// smallest value over the set. Equal positions estimate the Jaccard similarity. The hash
/// functions are multiply-shift ones (`(a * x + b) >> 32`, `a` odd) over the mixed shingle
/// hash: one multiplication each, so a long stem costs little.
fn signature(shingles: &[u64]) -> [u32; HASHES] {
    let mut signature = [u32::MAX; HASHES];
    let (a, b) = hash_family();
    let mixed: Vec<u64> = shingles.iter().map(|&shingle| mix(shingle)).collect();
    // Four hash functions at a time over every shingle: their multipliers, offsets and
    // minimums stay in registers (the same values as a shingle at a time over the 64
    // functions). Written out as four scalar lanes: measured a quarter faster than one
    // function at a time, which the compiler turns into SSE2 code where a 64-bit
    // multiplication takes three 32-bit ones, and than a shingle at a time.
    let hash = |a: u64, b: u64, x: u64| (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
    for j in (0..HASHES).step_by(4) {
        let [mut m0, mut m1, mut m2, mut m3] = [u32::MAX; 4];
        for &x in &mixed {
            m0 = m0.min(hash(a[j], b[j], x));
            m1 = m1.min(hash(a[j + 1], b[j + 1], x));
            m2 = m2.min(hash(a[j + 2], b[j + 2], x));
            m3 = m3.min(hash(a[j + 3], b[j + 3], x));
        }
        signature[j..j + 4].copy_from_slice(&[m0, m1, m2, m3]);
    }
    signature
}

/// The fixed multipliers (odd) and offsets of the `HASHES` hash functions.
fn hash_family() -> &'static ([u64; HASHES], [u64; HASHES]) {
    static FAMILY: std::sync::OnceLock<([u64; HASHES], [u64; HASHES])> = std::sync::OnceLock::new();
    FAMILY.get_or_init(|| {
        let mut a = [0; HASHES];
        let mut b = [0; HASHES];
        for i in 0..HASHES {
            a[i] = mix(2 * i as u64 + 1) | 1;
            b[i] = mix(2 * i as u64 + 2);
        }
        (a, b)
    })
}

/// How many positions of two signatures hold the same value.
fn equal_values(a: &[u32; HASHES], b: &[u32; HASHES]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(x == y)).sum()
}

/// The estimated Jaccard similarity of two stems sharing `equal` signature values.
fn similarity_of(equal: u32) -> f64 {
    f64::from(equal) / HASHES as f64
}

#[cfg(test)]
fn similarity(a: &[u32; HASHES], b: &[u32; HASHES]) -> f64 {
    similarity_of(equal_values(a, b))
}

/// One stem's fingerprint, and its question's place among its file's questions.
#[derive(Debug)]
struct Fingerprint {
    question: usize,
    signature: [u32; HASHES],
}

/// The exam's stems so far, as fingerprints in LSH buckets (one per band). Only the
/// signatures, the index of each stem's question and the buckets' links are kept (some 330
/// bytes a question).
#[derive(Default)]
struct StemIndex {
    /// In blocks of `SIGNATURE_BLOCK`, each allocated once: a growing exam never copies
    /// its signatures into a list twice the size (a large bank's biggest allocation).
    signatures: Vec<Vec<[u32; HASHES]>>,
    /// The index of each stem's question in the exam's facts.
    owners: Vec<u32>,
    /// Per band, the most recent stem of each bucket (a bucket: the stems whose values in
    /// that band are the same).
    heads: [BandTable; BANDS],
    /// For each stem and band (`stem * BANDS + band`), the stem before it in its bucket
    /// (`NONE` for the first): a bucket is a list through the stems, newest first, with
    /// no allocation per bucket.
    previous: Vec<u32>,
    /// For each earlier stem, 1 + the index of the last new stem compared with it (the
    /// candidates already seen, without a set per stem).
    compared_for: Vec<u32>,
}

/// No stem (an empty slot, the end of a bucket).
const NONE: u32 = u32::MAX;

/// Signatures per block of the stem index (1 MiB).
const SIGNATURE_BLOCK: usize = 4096;

/// Signature `index` of the blocks.
fn signature_at(blocks: &[Vec<[u32; HASHES]>], index: u32) -> &[u32; HASHES] {
    let index = index as usize;
    &blocks[index / SIGNATURE_BLOCK][index % SIGNATURE_BLOCK]
}

/// The values of one band of a signature.
fn band_of(signature: &[u32; HASHES], band: usize) -> &[u32] {
    &signature[band * ROWS..(band + 1) * ROWS]
}

/// One band's buckets: an open-addressing table (linear probing, at most 3/4 full) of the
/// most recent stem of each bucket, keyed by the band's values, which are read from that
/// stem's signature (4 bytes a slot; the values are not stored twice).
#[derive(Default)]
struct BandTable {
    slots: Vec<u32>,
    len: usize,
}

/// Where a band's values start probing: MinHash values are already uniform, mixed once
/// more so that equal leading values do not cluster.
fn band_hash(rows: &[u32]) -> u64 {
    rows.iter().fold(0u64, |acc, &r| mix(acc ^ u64::from(r)).wrapping_add(u64::from(r)))
}

impl BandTable {
    /// The slot holding the bucket of `rows` in `band` (its most recent stem), or the empty
    /// slot where it would go. The table must have room (`reserve`).
    fn find(&self, rows: &[u32], band: usize, blocks: &[Vec<[u32; HASHES]>]) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = band_hash(rows) as usize & mask;
        loop {
            let stem = self.slots[at];
            if stem == NONE || band_of(signature_at(blocks, stem), band) == rows {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// Room for one more bucket: the table doubles (rebuilt from the stems' signatures)
    /// before it is more than 3/4 full.
    fn reserve(&mut self, band: usize, blocks: &[Vec<[u32; HASHES]>]) {
        if (self.len + 1) * 4 <= self.slots.len() * 3 {
            return;
        }
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![NONE; size]);
        for stem in old.into_iter().filter(|&stem| stem != NONE) {
            let at = self.find(band_of(signature_at(blocks, stem), band), band, blocks);
            self.slots[at] = stem;
        }
    }
}

impl StemIndex {
    /// Adds the stem of the exam's question `owner`; the near duplicate when an earlier stem
    /// of the exam is nearly the same (the most similar, the most recent of those).
    fn add(&mut self, owner: usize, signature: [u32; HASHES]) -> Option<NearDuplicate> {
        let owner = u32::try_from(owner).ok()?;
        let index = u32::try_from(self.owners.len()).ok().filter(|&i| i != NONE)?;
        let mark = index.checked_add(1)?;
        // The new stem goes in first, so its own bands can be read from the blocks.
        match self.signatures.last_mut() {
            Some(block) if block.len() < SIGNATURE_BLOCK => block.push(signature),
            _ => {
                let mut block = Vec::with_capacity(SIGNATURE_BLOCK);
                block.push(signature);
                self.signatures.push(block);
            }
        }
        let mut seen = 0;
        let mut best: Option<(u32, u32)> = None; // (earlier stem, equal values)
        for band in 0..BANDS {
            let rows = band_of(&signature, band);
            let table = &mut self.heads[band];
            table.reserve(band, &self.signatures);
            let slot = table.find(rows, band, &self.signatures);
            let head = table.slots[slot];
            // The most recent stems of the bucket only, and at most MAX_CANDIDATES in all: a
            // bucket of many identical stems (each already reported) must not make the check
            // quadratic.
            let mut other = head;
            let mut taken = 0;
            while other != NONE && taken < MAX_CANDIDATES {
                taken += 1;
                if seen >= MAX_CANDIDATES {
                    break;
                }
                let earlier = other;
                other = self.previous[earlier as usize * BANDS + band];
                if self.compared_for[earlier as usize] == mark {
                    continue;
                }
                self.compared_for[earlier as usize] = mark;
                seen += 1;
                let equal = equal_values(&signature, signature_at(&self.signatures, earlier));
                if similarity_of(equal) >= NEAR_DUPLICATE && best.is_none_or(|(_, b)| equal > b) {
                    best = Some((earlier, equal));
                }
            }
            if head == NONE {
                table.len += 1;
            }
            table.slots[slot] = index;
            self.previous.push(head);
        }
        self.owners.push(owner);
        self.compared_for.push(0);
        let (other, equal) = best?;
        Some(NearDuplicate { question: owner, earlier: self.owners[other as usize], equal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Choice, ChoiceBody};
    use std::collections::HashSet;

    fn choice(id: &str, stem: &str, options: &[&str], key: usize) -> LocatedQuestion {
        LocatedQuestion {
            question: Question {
                id: id.to_string(),
                domain: "d".to_string(),
                difficulty: None,
                tags: Vec::new(),
                stem: stem.to_string(),
                explanation: String::new(),
                references: Vec::new(),
                scenario: None,
                task: None,
                source: None,
                body: Body::Choice(ChoiceBody {
                    options: options
                        .iter()
                        .enumerate()
                        .map(|(i, t)| Choice {
                            text: t.to_string(),
                            correct: i == key,
                            rationale: String::new(),
                        })
                        .collect(),
                    multiple: false,
                }),
            },
            location: crate::bank::diagnostic::Location { path: "q.toml".into(), line: 1, col: 1 },
            scenario_location: None,
        }
    }

    /// Questions with distinct stems, four same-length options, keys at these positions.
    fn keyed(keys: &[usize]) -> Vec<LocatedQuestion> {
        keys.iter()
            .enumerate()
            .map(|(i, &k)| {
                choice(&format!("q{i}"), &format!("stem {i}"), &["aaaa", "bbbb", "cccc", "dddd"], k)
            })
            .collect()
    }

    fn checks(diagnostics: &[Diagnostic]) -> Vec<Check> {
        diagnostics.iter().map(|d| d.check).collect()
    }

    #[test]
    fn binomial_tail_matches_hand_values() {
        assert!((tail(4, 4, 0.25) - 1.0 / 256.0).abs() < 1e-12);
        assert!((tail(10, 0, 0.3) - 1.0).abs() < 1e-12);
        assert_eq!(tail(3, 4, 0.5), 0.0);
        // P(X >= 1) = 1 - 0.75^2.
        assert!((tail(2, 1, 0.25) - 0.4375).abs() < 1e-12);
        // P(X >= 13 | 20, 1/4), summed by hand with exact binomials: 1.8370e-4.
        assert!((tail(20, 13, 0.25) - 1.837_040_581_4e-4).abs() < 1e-12);
        // Large n stays finite and sensible: the upper half of a fair coin is about 1/2.
        let half = tail(10_000, 5_000, 0.5);
        assert!((half - 0.504).abs() < 0.001, "{half}");
        // Far below the mean (a position that almost never holds the key): close to 1, not an
        // underflow to 0.
        assert!(tail(10_000, 1, 0.25) > 0.999);
        assert!(tail(10_000, 2400, 0.25) > 0.98);
        assert!(tail(10_000, 2700, 0.25) < 1e-5);
        assert_eq!(tail(5, 2, 0.0), 0.0);
        assert_eq!(tail(5, 2, 1.0), 1.0);
    }

    #[test]
    fn four_keys_at_one_position_are_reported_three_are_not() {
        let found = key_position(&keyed(&[1, 1, 1, 1])).expect("all four at B");
        assert_eq!(found.check, Check::SameKeyPosition);
        assert!(found.message.contains("at position 2 (B) in 4 of this file's 4"), "{}", found.message);
        assert!(key_position(&keyed(&[1, 1, 1])).is_none(), "three questions are too few");
        assert!(key_position(&keyed(&[1, 1, 1, 2])).is_none(), "not all the same, and too few for a share");
    }

    #[test]
    fn a_share_far_above_chance_is_reported_a_balanced_file_is_not() {
        // 15 of 20 at A: P(X >= 15 | 20, 1/4) * 4 is about 1.5e-5.
        let mut keys = vec![0; 15];
        keys.extend([1, 2, 3, 1, 2]);
        assert!(key_position(&keyed(&keys)).is_some());
        // The threshold (docs/bank-format.md): 13 of 20 at B is reported (7e-4), 12 is not (0.004).
        let at_b = |count: usize| {
            let mut keys = vec![1; count];
            keys.extend((0..20 - count).map(|i| [0, 2, 3][i % 3]));
            key_position(&keyed(&keys))
        };
        assert!(at_b(13).is_some());
        assert!(at_b(12).is_none());
        // 9 of 20 at A (45%): p * 4 is about 0.17: not reported.
        let mut keys = vec![0; 9];
        keys.extend([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]);
        assert!(key_position(&keyed(&keys)).is_none());
        let balanced: Vec<usize> = (0..40).map(|i| i % 4).collect();
        assert!(key_position(&keyed(&balanced)).is_none());
    }

    #[test]
    fn the_key_always_longest_is_reported_with_a_minimum_count() {
        let long: Vec<LocatedQuestion> = (0..10)
            .map(|i| {
                choice(&format!("q{i}"), "s", &["short", "a much longer correct option", "tiny", "brief"], 1)
            })
            .collect();
        let found = key_length(&long).expect("the key is the longest in 10 of 10");
        assert!(found.message.contains("longest option in 10 of this file's 10"), "{}", found.message);
        assert!(key_length(&long[..9]).is_none(), "nine questions are below the minimum");
        let short: Vec<LocatedQuestion> = (0..12)
            .map(|i| choice(&format!("q{i}"), "s", &["longer one", "x", "longer two", "longer three"], 1))
            .collect();
        assert!(key_length(&short).expect("shortest").message.contains("shortest"));
        // Keys as long as the distractors (ties are not "the longest").
        assert!(key_length(&keyed(&[0; 20])).is_none());
        // The key longest in 4 of 12 (33% against 25%): chance.
        let mut mixed: Vec<LocatedQuestion> = (0..4)
            .map(|i| choice(&format!("l{i}"), "s", &["aa", "the longest option", "bb", "cc"], 1))
            .collect();
        mixed.extend(
            (0..8).map(|i| choice(&format!("m{i}"), "s", &["aa", "bb", "the longest option", "cc"], 1)),
        );
        assert!(key_length(&mixed).is_none());
    }

    #[test]
    fn absolute_words_mostly_in_distractors_are_reported() {
        // 20 questions: every question has one distractor with "always", keys have none.
        let firm: Vec<LocatedQuestion> = (0..20)
            .map(|i| {
                choice(
                    &format!("q{i}"),
                    "s",
                    &["Use a queue.", "It always retries.", "Use a topic.", "Use a file."],
                    0,
                )
            })
            .collect();
        let found = absolute_words(&firm).expect("20 of 60 distractors, 0 of 20 keys");
        assert!(found.message.contains("in 20 of this file's 60 distractors"), "{}", found.message);
        assert!(found.message.contains("most often \"always\" (20)"), "{}", found.message);
        // Too few options with such words.
        assert!(absolute_words(&firm[..9]).is_none());
        // 12 of 12 in distractors where 3 of 4 options are distractors: chance gives that
        // 3% of the time, above the 1% threshold.
        assert!(absolute_words(&firm[..12]).is_none());
        assert!(absolute_words(&firm[..17]).is_some(), "0.75^17 = 0.75%");
        // The same words in keys as often as in distractors: no cue.
        let even: Vec<LocatedQuestion> = (0..12)
            .map(|i| {
                let key = if i % 4 == 0 { 1 } else { 0 };
                choice(
                    &format!("q{i}"),
                    "s",
                    &["Use a queue.", "It always retries.", "Use a topic.", "Use a file."],
                    key,
                )
            })
            .collect();
        assert!(absolute_words(&even).is_none(), "3 of 12 keys have the word: 25% vs 9 of 36 = 25%");
        // Whole words only: "alloy", "overall", "nonessential" are not absolute words.
        assert!(absolute_words_in("Use an alloy overall; nonessential").is_empty());
        assert_eq!(absolute_words_in("ALL of them, Never"), vec!["all", "never"]);
        assert!(ABSOLUTE_WORDS.iter().all(|w| ABSOLUTE_WORD_LENGTHS.contains(&w.len())));
        for text in [
            "",
            "It ALWAYS retries, never fails; every_one is-all none.",
            "Only 3 must: entirely/completely guaranteed (guarantees) impossible!",
            "alwaysnever all1 1all a11 ALL",
            "x\tall\nnever\r\nonly",
        ] {
            assert_eq!(absolute_words_in(text), absolute_words_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn letters_cited_in_explanations_are_found() {
        for text in [
            "Option B is wrong because it costs more.",
            "See options A and C.",
            "Answer: D.",
            "The cheaper design, (C) is right.",
            "A and D are both correct.",
            "Both B and D work.",
            "B is correct: it scales.",
            "choice (E) fails.",
        ] {
            assert!(cited_letter(text).is_some(), "{text:?}");
        }
        for text in [
            "A company needs a queue.",
            "Instances in zones B and C were healthy.",
            "A/B testing with weighted aliases.",
            "Use plan B when the primary fails.",
            "A is for availability.",
            "The optional setting is off.",
            "Use (K) notation.",
            "",
        ] {
            assert_eq!(cited_letter(text), None, "{text:?}");
        }
        assert_eq!(cited_letter("Unlike option B, this works.").as_deref(), Some("option B"));
        assert_eq!(cited_letter("So (A) is out.").as_deref(), Some("(A) is"));
        assert_eq!(cited_letter("Pick answer:  C now").as_deref(), Some("answer:  C"));
    }

    #[test]
    fn a_rationale_citing_a_letter_is_reported_with_its_field() {
        let mut q = choice("q1", "s", &["a", "b"], 0);
        q.question.explanation = "Fine.".into();
        assert!(letters_in_explanations(&q).is_empty());
        if let Body::Choice(c) = &mut q.question.body {
            c.options[1].rationale = "Unlike option A, this one fails.".into();
        }
        let found = letters_in_explanations(&q);
        assert_eq!(checks(&found), vec![Check::LetterInExplanation]);
        assert!(found[0].message.contains("rationale of option 2"), "{}", found[0].message);
    }

    #[test]
    fn near_duplicate_stems_are_found_across_files_and_distinct_ones_are_not() {
        let a = "A company runs a web application on Amazon EC2 instances behind an Application Load \
                 Balancer and needs to reduce the latency for users in Europe. Which solution meets these \
                 requirements?";
        // One word changed in 30: most 3-word runs are still shared.
        let b = a.replace("Europe", "Asia");
        let c = "A team stores backups in Amazon S3 and must keep them for seven years at the lowest \
                 cost. Which storage class should it use?";
        let mut authoring = Authoring::default();
        let first = authoring.file(&[choice("q1", a, &["x", "y"], 0), choice("q2", c, &["x", "y"], 0)]);
        assert!(first.iter().all(|d| d.check != Check::NearDuplicateStem), "{first:?}");
        let second = authoring.file(&[choice("q3", &b, &["x", "y"], 0)]);
        let dups: Vec<&Diagnostic> = second.iter().filter(|d| d.check == Check::NearDuplicateStem).collect();
        assert_eq!(dups.len(), 1, "{second:?}");
        assert!(dups[0].message.contains("question q3") && dups[0].message.contains("question q1's"));
        // Below the threshold: half the stem rewritten.
        let half = "A company runs a web application on Amazon EC2 instances and wants a cheaper way to \
                    store its logs for a year. Which option is cheapest?";
        let mut authoring = Authoring::default();
        authoring.file(&[choice("q1", a, &["x", "y"], 0)]);
        let found = authoring.file(&[choice("q2", half, &["x", "y"], 0)]);
        assert!(found.iter().all(|d| d.check != Check::NearDuplicateStem), "{found:?}");
    }

    #[test]
    fn minhash_estimates_jaccard() {
        let words: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let a = words[..150].join(" ");
        let b = words[50..].join(" ");
        // True Jaccard of the 3-word runs: 98 shared of 198.
        let (sa, sb): (HashSet<u64>, HashSet<u64>) =
            (shingles(&a).into_iter().collect(), shingles(&b).into_iter().collect());
        let truth = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
        let (ga, gb) = (signature(&shingles(&a)), signature(&shingles(&b)));
        let estimate = similarity(&ga, &gb);
        assert!((estimate - truth).abs() < 0.2, "estimate {estimate}, truth {truth}");
        assert_eq!(similarity(&ga, &ga), 1.0);
        // Case and punctuation do not matter; word order does.
        assert_eq!(shingles("Which SERVICE, stores objects?"), shingles("which service stores objects"));
        assert_ne!(shingles("stores which service objects"), shingles("which service stores objects"));
    }

    #[test]
    fn a_near_duplicate_is_found_across_blocks_of_the_index() {
        // Distinct stems fill more than one block of signatures; the last repeats the first.
        let stem = |i: usize| {
            format!("Team {i} runs workload w{i} in region r{i} and needs plan p{i} for case c{i}?")
        };
        let mut questions: Vec<LocatedQuestion> =
            (0..SIGNATURE_BLOCK + 10).map(|i| choice(&format!("q{i}"), &stem(i), &["x", "y"], 0)).collect();
        questions.push(choice("last", &stem(0), &["x", "y"], 0));
        let found = Authoring::default().file(&questions);
        let dups: Vec<&Diagnostic> = found.iter().filter(|d| d.check == Check::NearDuplicateStem).collect();
        assert_eq!(dups.len(), 1, "{dups:?}");
        assert!(dups[0].message.starts_with("question last:") && dups[0].message.contains("question q0's"));
    }

    /// The near duplicates the index reported before its buckets became per-band tables
    /// of lists through the stems: a map from (band, the band's values) to the stems of the
    /// bucket, newest last.
    fn near_duplicates_by_map(signatures: &[[u32; HASHES]]) -> Vec<Option<(u32, u32)>> {
        let mut buckets: HashMap<(usize, Vec<u32>), Vec<u32>> = HashMap::new();
        let mut compared_for: Vec<u32> = Vec::new();
        let mut found = Vec::new();
        for (index, signature) in signatures.iter().enumerate() {
            let mark = index as u32 + 1;
            let mut seen = 0;
            let mut best: Option<(u32, u32)> = None;
            for band in 0..BANDS {
                let bucket = buckets.entry((band, band_of(signature, band).to_vec())).or_default();
                for &other in bucket.iter().rev().take(MAX_CANDIDATES) {
                    if seen >= MAX_CANDIDATES {
                        break;
                    }
                    if compared_for[other as usize] == mark {
                        continue;
                    }
                    compared_for[other as usize] = mark;
                    seen += 1;
                    let equal = equal_values(signature, &signatures[other as usize]);
                    if similarity_of(equal) >= NEAR_DUPLICATE && best.is_none_or(|(_, b)| equal > b) {
                        best = Some((other, equal));
                    }
                }
                bucket.push(index as u32);
            }
            compared_for.push(0);
            found.push(best);
        }
        found
    }

    #[test]
    fn the_band_tables_find_what_a_map_of_buckets_finds() {
        // Families of signatures, each a base with a few values changed, over few distinct
        // values so that bands collide often; more than a block of signatures, and tables
        // that grow many times.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            state = mix(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
            state % n
        };
        let bases: Vec<[u32; HASHES]> = (0..40).map(|_| std::array::from_fn(|_| next(6) as u32)).collect();
        let signatures: Vec<[u32; HASHES]> = (0..SIGNATURE_BLOCK + 900)
            .map(|_| {
                let mut signature = bases[next(bases.len() as u64) as usize];
                for _ in 0..next(30) {
                    signature[next(HASHES as u64) as usize] = next(1000) as u32;
                }
                signature
            })
            .collect();
        let expected = near_duplicates_by_map(&signatures);
        assert!(expected.iter().filter(|f| f.is_some()).count() > signatures.len() / 2);
        assert!(expected.iter().any(|f| f.is_none()));
        let mut index = StemIndex::default();
        for (i, (signature, expected)) in signatures.iter().zip(&expected).enumerate() {
            let found = index.add(i, *signature);
            let expected =
                expected.map(|(earlier, equal)| NearDuplicate { question: i as u32, earlier, equal });
            assert_eq!(found, expected, "stem {i}");
        }
    }

    #[test]
    fn the_signature_is_the_one_a_shingle_at_a_time_gives() {
        let (a, b) = hash_family();
        for stem in
            ["", "one", "Which SERVICE, stores objects? A 3-tier app (v2.1) on EC2.", &"w x y z ".repeat(40)]
        {
            let shingles = shingles(stem);
            let mut expected = [u32::MAX; HASHES];
            for &shingle in &shingles {
                let x = mix(shingle);
                for ((slot, a), b) in expected.iter_mut().zip(a).zip(b) {
                    *slot = (*slot).min((a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32);
                }
            }
            assert_eq!(signature(&shingles), expected, "{stem:?}");
        }
    }

    /// `shingles` as it was: a character at a time, whatever the text.
    fn shingles_by_chars(stem: &str) -> Vec<u64> {
        let mut words: Vec<u64> = Vec::new();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut in_word = false;
        for c in stem.chars().chain([' ']) {
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    hash = (hash ^ u64::from(u32::from(lower))).wrapping_mul(0x0100_0000_01b3);
                }
                in_word = true;
            } else if in_word {
                words.push(hash);
                hash = 0xcbf2_9ce4_8422_2325;
                in_word = false;
            }
        }
        let size = SHINGLE_WORDS.min(words.len());
        if size == 0 {
            return Vec::new();
        }
        let mut shingles: Vec<u64> =
            words.windows(size).map(|run| run.iter().fold(0, |acc: u64, &word| mix(acc ^ word))).collect();
        shingles.sort_unstable();
        shingles.dedup();
        shingles
    }

    #[test]
    fn ascii_stems_shingle_as_they_did_a_character_at_a_time() {
        for stem in [
            "",
            "?",
            "one",
            "Which SERVICE, stores objects? A 3-tier app (v2.1) on EC2.",
            "Ünïcödé stems Straße İstanbul ΣΊΣΥΦΟΣ mixed with ASCII words",
            "tabs\tand\nlines  and   spaces",
            "日本語 のテキスト and 123 numbers",
        ] {
            assert_eq!(shingles(stem), shingles_by_chars(stem), "{stem:?}");
        }
    }

    #[test]
    fn many_identical_stems_stay_linear() {
        // 2,000 copies of one stem: every copy after the first is reported, and each is
        // compared with at most MAX_CANDIDATES earlier stems.
        let questions: Vec<LocatedQuestion> = (0..2000)
            .map(|i| choice(&format!("q{i}"), "Which service stores objects durably?", &["x", "y"], 0))
            .collect();
        let mut authoring = Authoring::default();
        let found = authoring.file(&questions);
        assert_eq!(found.iter().filter(|d| d.check == Check::NearDuplicateStem).count(), 1999);
    }
}
