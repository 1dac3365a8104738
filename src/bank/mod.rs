//! Question banks: the model (this file), parsing TOML with locations (`parse`), checks that
//! span files (`validate`), authoring checks (`lint`), diagnostics (`diagnostic`) and finding banks on disk or in the
//! binary (`source`), and the `--bank-dir` cache in the data folder (`cache`). Everything but
//! `source` and `cache` is pure: text in, model and diagnostics out.

pub mod cache;
pub mod coverage;
pub mod diagnostic;
pub mod lint;
pub mod parse;
pub mod prebuilt;
pub mod raw;
pub mod schema;
pub mod source;
pub mod split;
pub mod validate;

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One exam: its blueprint and the questions of its bank, sorted by id (so a seeded draw
/// does not depend on file layout, and a question is found by id by binary search).
///
/// A shipped exam is decoded lazily (`Exam::prebuilt`): at first only its index (each
/// question's id, domain, scenario, shape, content hash and where its record is), and a question
/// when it is asked for, so a mock exam decodes its ~65 questions, not the bank
/// (docs/performance.md, "Start-up"). `questions()` decodes them all, once, for the code
/// that reads the whole bank.
#[derive(Debug, Clone)]
pub struct Exam {
    pub blueprint: Blueprint,
    /// Case-study scenarios that questions point at, sorted by id.
    pub scenarios: Vec<Scenario>,
    storage: Storage,
}

#[derive(Debug, Clone)]
enum Storage {
    Decoded { questions: Vec<Question> },
    Encoded(Box<Encoded>),
}

/// A prebuilt exam's questions as build.rs encoded them (`prebuilt`), decoded on demand.
#[derive(Debug, Clone)]
struct Encoded {
    index: Vec<prebuilt::IndexEntry<'static>>,
    /// The records, one postcard-encoded `Question` after another; `index[i].end` is
    /// where question i's ends (its start is the previous one's end).
    records: &'static [u8],
    /// Boxed: a start decodes one question or two, and a slot per question of the bank's
    /// size would be tens of KiB of fresh memory to touch (a page fault per 4 KiB).
    one: Vec<OnceLock<Box<Question>>>,
    all: OnceLock<Vec<Question>>,
}

impl Encoded {
    fn decode(&self, i: usize) -> Question {
        let start = if i == 0 { 0 } else { self.index[i - 1].end as usize };
        let record = self.records.get(start..self.index[i].end as usize);
        // build.rs decodes every record of every shipped exam before it embeds them
        // (`prebuilt::decode_exam_whole`, the same decode of the same slices), so these
        // bytes are known to decode.
        record
            .and_then(|bytes| postcard::from_bytes(bytes).ok())
            .expect("a shipped question's record decodes: build.rs checked it")
    }
}

impl Exam {
    pub fn new(blueprint: Blueprint, mut questions: Vec<Question>, mut scenarios: Vec<Scenario>) -> Exam {
        // Ids are unique in a loaded exam, so the unstable sort (no buffer of half the
        // questions) gives the one order there is.
        questions.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        scenarios.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Exam { blueprint, scenarios, storage: Storage::Decoded { questions } }
    }

    /// A prebuilt exam from its index (sorted by id) and records, decoded on demand.
    fn prebuilt(
        blueprint: Blueprint,
        scenarios: Vec<Scenario>,
        index: Vec<prebuilt::IndexEntry<'static>>,
        records: &'static [u8],
    ) -> Exam {
        let one = (0..index.len()).map(|_| OnceLock::new()).collect();
        let encoded = Encoded { index, records, one, all: OnceLock::new() };
        Exam { blueprint, scenarios, storage: Storage::Encoded(Box::new(encoded)) }
    }

    /// Every question of the bank, in id order (a prebuilt exam decodes them all, once).
    pub fn questions(&self) -> &[Question] {
        match &self.storage {
            Storage::Decoded { questions } => questions,
            Storage::Encoded(encoded) => {
                encoded.all.get_or_init(|| (0..encoded.index.len()).map(|i| encoded.decode(i)).collect())
            }
        }
    }

    /// How many questions the bank has.
    pub fn len(&self) -> usize {
        match &self.storage {
            Storage::Decoded { questions } => questions.len(),
            Storage::Encoded(encoded) => encoded.index.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The question at `index` (in id order), decoded if it was not yet.
    pub fn question_at(&self, index: usize) -> &Question {
        match &self.storage {
            Storage::Decoded { questions } => &questions[index],
            Storage::Encoded(encoded) => match encoded.all.get() {
                Some(all) => &all[index],
                None => encoded.one[index].get_or_init(|| Box::new(encoded.decode(index))),
            },
        }
    }

    /// The id, domain and scenario of the question at `index`, without decoding it.
    pub fn listing(&self, index: usize) -> Listing<'_> {
        match &self.storage {
            Storage::Decoded { questions } => {
                let q = &questions[index];
                Listing { id: &q.id, domain: &q.domain, scenario: q.scenario.as_deref() }
            }
            Storage::Encoded(encoded) => {
                let entry = &encoded.index[index];
                Listing { id: entry.id, domain: entry.domain, scenario: entry.scenario }
            }
        }
    }

    /// The listings of every question, in id order.
    pub fn listings(&self) -> impl Iterator<Item = Listing<'_>> {
        (0..self.len()).map(|i| self.listing(i))
    }

    /// `Shape::of` the question at `index`, without decoding it (a prebuilt exam has it in
    /// its index).
    pub fn shape_at(&self, index: usize) -> Shape {
        match &self.storage {
            Storage::Decoded { questions } => Shape::of(&questions[index]),
            Storage::Encoded(encoded) => encoded.index[index].shape,
        }
    }

    /// `Question::content_hash` of the question at `index` (a prebuilt exam has it in its
    /// index, computed at build time).
    pub fn content_hash_at(&self, index: usize) -> String {
        match &self.storage {
            Storage::Decoded { questions } => questions[index].content_hash(),
            Storage::Encoded(encoded) => format!("{:016x}", encoded.index[index].content_hash),
        }
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.binary_search_by(|s| s.id.as_str().cmp(id)).ok().map(|i| &self.scenarios[i])
    }

    /// The question with this id, found through the index (attempts look questions up
    /// several times per item).
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index_of(id).map(|i| self.question_at(i))
    }

    /// Where the question with this id is in `questions()`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        match &self.storage {
            // Both are sorted by id, without repeats (`new` sorts; the prebuilt index is
            // checked to be strictly increasing when decoded).
            Storage::Decoded { questions } => questions.binary_search_by(|q| q.id.as_str().cmp(id)).ok(),
            Storage::Encoded(encoded) => encoded.index.binary_search_by(|e| e.id.cmp(id)).ok(),
        }
    }

    /// The blueprint's domains that have no question in the bank: a paper by the blueprint
    /// cannot meet their weights.
    pub fn empty_domains(&self) -> Vec<&Domain> {
        self.blueprint.domains.iter().filter(|d| self.count_in_domain(&d.id) == 0).collect()
    }

    /// How many questions of the bank belong to `domain`.
    pub fn count_in_domain(&self, domain: &str) -> usize {
        self.listings().filter(|q| q.domain == domain).count()
    }
}

/// What the draw needs of a question, readable without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing<'a> {
    pub id: &'a str,
    pub domain: &'a str,
    pub scenario: Option<&'a str>,
}

/// The exam's shape: what the real exam looks like and how it is weighted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blueprint {
    pub id: String,
    pub code: String,
    pub title: String,
    pub vendor: String,
    pub level: Level,
    /// Questions on the real exam, scored and unscored.
    pub exam_questions: u32,
    pub scored_questions: u32,
    pub minutes: u32,
    pub passing_score: u32,
    pub guide: Option<String>,
    pub status: Status,
    pub domains: Vec<Domain>,
    /// The item types the real exam uses (multiple choice and multiple response unless the
    /// blueprint says otherwise).
    pub item_types: Vec<ItemType>,
}

/// The item types an exam guide names; a question's kind, plus case studies (a scenario
/// shared by several questions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemType {
    MultipleChoice,
    MultipleResponse,
    Ordering,
    Matching,
    CaseStudy,
}

impl ItemType {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemType::MultipleChoice => "multiple-choice",
            ItemType::MultipleResponse => "multiple-response",
            ItemType::Ordering => "ordering",
            ItemType::Matching => "matching",
            ItemType::CaseStudy => "case-study",
        }
    }
}

impl Kind {
    /// The item type of a question of this kind.
    pub fn item_type(self) -> ItemType {
        match self {
            Kind::MultipleChoice => ItemType::MultipleChoice,
            Kind::MultipleResponse => ItemType::MultipleResponse,
            Kind::Ordering => ItemType::Ordering,
            Kind::Matching => ItemType::Matching,
        }
    }
}

impl Blueprint {
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The real exam's unscored (pretest) items.
    pub fn unscored_questions(&self) -> u32 {
        self.exam_questions.saturating_sub(self.scored_questions)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Foundational,
    Associate,
    Professional,
    Specialty,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Foundational => "foundational",
            Level::Associate => "associate",
            Level::Professional => "professional",
            Level::Specialty => "specialty",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub state: StatusState,
    /// `YYYY-MM-DD`; what it means depends on the state (see docs/bank-format.md).
    pub date: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StatusState {
    Beta,
    Active,
    Retiring,
    Retired,
}

impl StatusState {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusState::Beta => "beta",
            StatusState::Active => "active",
            StatusState::Retiring => "retiring",
            StatusState::Retired => "retired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    pub name: String,
    /// Percent of scored content.
    pub weight: u32,
    /// The exam guide's task statements for the domain (none when the blueprint lists none).
    pub tasks: Vec<TaskStatement>,
}

/// A task statement of the exam guide: its number ("1.2") and its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStatement {
    pub id: String,
    pub text: String,
}

/// Where a question comes from: each part optional, each one line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Source {
    pub url: Option<String>,
    pub licence: Option<String>,
    pub commit: Option<String>,
    /// The question's id in the source.
    pub original_id: Option<String>,
    /// The source file it was imported from.
    pub file: Option<String>,
}

impl Source {
    pub fn is_empty(&self) -> bool {
        self == &Source::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub domain: String,
    pub difficulty: Option<Difficulty>,
    pub tags: Vec<String>,
    pub stem: String,
    pub explanation: String,
    pub references: Vec<String>,
    /// The case-study scenario this question belongs to, if any.
    pub scenario: Option<String>,
    /// The id of the domain's task statement it tests, if tagged.
    pub task: Option<String>,
    /// Its provenance (the question's `[question.source]` over the file's `[source]`).
    pub source: Option<Source>,
    /// What is asked and what the key is: one variant per question kind.
    pub body: Body,
}

/// A case study's shared scenario, shown above each of its questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// The part of a question that depends on its kind. Every kind-specific rule (layout,
/// answering, scoring, rendering, storing) matches on this, so a new kind makes the
/// compiler list every place that must handle it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// Multiple choice (one correct option) or multiple response (two or more, all-or-nothing).
    Choice(ChoiceBody),
    /// Select the right steps and put them in the right order; all-or-nothing.
    Ordering(OrderingBody),
    /// Match every prompt with its response; all pairs right for credit.
    Matching(MatchingBody),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderingBody {
    /// Every listed step; those with a `position` make up the answer.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub text: String,
    /// 1-based place in the correct sequence; `None` for a step that does not belong.
    pub position: Option<u32>,
    pub rationale: String,
}

impl OrderingBody {
    /// Bank indices of the steps of the answer, in the correct order.
    pub fn sequence(&self) -> Vec<usize> {
        let mut steps: Vec<(u32, usize)> =
            self.steps.iter().enumerate().filter_map(|(i, s)| s.position.map(|p| (p, i))).collect();
        steps.sort_unstable();
        steps.into_iter().map(|(_, i)| i).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchingBody {
    pub prompts: Vec<Prompt>,
    pub responses: Vec<MatchResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    pub text: String,
    /// Index into `responses` of the response that matches.
    pub answer: usize,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceBody {
    pub options: Vec<Choice>,
    /// Multiple response: the answer must be exactly the set of correct options.
    pub multiple: bool,
}

impl ChoiceBody {
    /// Indices (in bank order) of the correct options.
    pub fn correct_indices(&self) -> Vec<usize> {
        self.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| i).collect()
    }

    /// How many options the answer must have: 1, or N for "Select N".
    pub fn select_count(&self) -> usize {
        if self.multiple { self.options.iter().filter(|o| o.correct).count() } else { 1 }
    }
}

/// What an answer to a question must look like: its kind and counts, all that laying it
/// out on a paper and checking an answer's form need. Prebuilt exams keep it in their
/// index, so a paper is drawn and laid out without decoding its questions; the answer
/// rules are `exam::item`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shape {
    Choice {
        options: usize,
        /// How many options the answer must have.
        select: usize,
    },
    Ordering {
        /// Steps listed.
        steps: usize,
        /// Steps in the correct sequence (the rest do not belong).
        need: usize,
    },
    Matching {
        prompts: usize,
        responses: usize,
    },
}

impl Shape {
    pub fn of(question: &Question) -> Shape {
        match &question.body {
            Body::Choice(choice) => {
                Shape::Choice { options: choice.options.len(), select: choice.select_count() }
            }
            Body::Ordering(ordering) => {
                Shape::Ordering { steps: ordering.steps.len(), need: ordering.sequence().len() }
            }
            Body::Matching(matching) => {
                Shape::Matching { prompts: matching.prompts.len(), responses: matching.responses.len() }
            }
        }
    }
}

impl Question {
    pub fn kind(&self) -> Kind {
        match &self.body {
            Body::Choice(choice) if choice.multiple => Kind::MultipleResponse,
            Body::Choice(_) => Kind::MultipleChoice,
            Body::Ordering(_) => Kind::Ordering,
            Body::Matching(_) => Kind::Matching,
        }
    }

    /// A stable fingerprint of what the question says and its key, so history can tell
    /// when a question was edited after it was answered: `content_digest` in hex.
    pub fn content_hash(&self) -> String {
        format!("{:016x}", self.content_digest())
    }

    /// FNV-1a 64 of the question's text and key: tiny and stable.
    pub fn content_digest(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |text: &str| {
            for byte in text.bytes().chain(std::iter::once(0xff)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(&self.id);
        feed(&self.domain);
        feed(self.kind().as_str());
        feed(&self.stem);
        match &self.body {
            Body::Choice(choice) => {
                for option in &choice.options {
                    feed(&option.text);
                    feed(if option.correct { "1" } else { "0" });
                }
            }
            Body::Ordering(ordering) => {
                for step in &ordering.steps {
                    feed(&step.text);
                    feed(&step.position.map_or_else(String::new, |p| p.to_string()));
                }
            }
            Body::Matching(matching) => {
                for prompt in &matching.prompts {
                    feed(&prompt.text);
                    feed(&prompt.answer.to_string());
                }
                for response in &matching.responses {
                    feed(&response.text);
                }
            }
        }
        if let Some(scenario) = &self.scenario {
            feed(scenario);
        }
        hash
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One correct option (of four on AWS exams).
    MultipleChoice,
    /// Two or more correct options (of five or more); all-or-nothing.
    MultipleResponse,
    /// 3-5 steps to put in order (some listed steps may not belong); all-or-nothing.
    Ordering,
    /// 3-7 prompts, each matched with a response; all pairs right for credit.
    Matching,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MultipleChoice => "multiple-choice",
            Kind::MultipleResponse => "multiple-response",
            Kind::Ordering => "ordering",
            Kind::Matching => "matching",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// One answer option. (Named `Choice` so it never shadows `std::option::Option`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
    pub rationale: String,
}

impl Blueprint {
    /// Questions per domain for an exam of `total` questions, in blueprint order: each
    /// domain gets its weight's share, rounded by largest remainder so the quotas always
    /// sum to `total` (ties go to the domain declared first).
    pub fn domain_quotas(&self, total: u32) -> Vec<u32> {
        let weights: Vec<u64> = self.domains.iter().map(|d| u64::from(d.weight)).collect();
        largest_remainder(&weights, total)
    }
}

/// Splits `total` in proportion to `weights` with whole numbers that sum to `total`
/// (when any weight is non-zero).
pub fn largest_remainder(weights: &[u64], total: u32) -> Vec<u32> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let total64 = u64::from(total);
    let mut quotas: Vec<u32> =
        weights.iter().map(|w| u32::try_from(w * total64 / sum).unwrap_or(u32::MAX)).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort: equal remainders keep declaration order.
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i] * total64 % sum));
    let assigned: u32 = quotas.iter().sum();
    for &i in order.iter().cycle().take(total.saturating_sub(assigned) as usize) {
        quotas[i] += 1;
    }
    quotas
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn saa_quotas_follow_the_weights() {
        assert_eq!(largest_remainder(&[30, 26, 24, 20], 65), vec![19, 17, 16, 13]);
        assert_eq!(largest_remainder(&[24, 30, 34, 12], 65), vec![16, 19, 22, 8]);
        assert_eq!(largest_remainder(&[30, 26, 24, 20], 50), vec![15, 13, 12, 10]);
    }

    proptest! {
        #[test]
        fn quotas_always_sum_to_the_total(weights in prop::collection::vec(0u64..200, 1..10), total in 0u32..1000) {
            let quotas = largest_remainder(&weights, total);
            prop_assert_eq!(quotas.len(), weights.len());
            if weights.iter().sum::<u64>() > 0 {
                prop_assert_eq!(quotas.iter().sum::<u32>(), total);
                let sum: u64 = weights.iter().sum();
                for (q, w) in quotas.iter().zip(&weights) {
                    // Never more than one away from the exact share.
                    let exact = *w as f64 * f64::from(total) / sum as f64;
                    prop_assert!((f64::from(*q) - exact).abs() < 1.0 + 1e-9);
                }
            }
        }
    }
}
