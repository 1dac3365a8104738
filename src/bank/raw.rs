//! The bank files exactly as written, with the location of every value a check may point
//! at. Only the toml deserializer fills these (spans do not survive other formats).

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::{Difficulty, ItemType, Kind, Level, StatusState};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBlueprint {
    #[schemars(with = "u32", range(min = 1, max = 1))]
    pub format: Spanned<u32>,
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    #[schemars(with = "String")]
    pub vendor: Spanned<String>,
    #[schemars(with = "Level")]
    pub level: Spanned<Level>,
    #[schemars(with = "u32", range(min = 1, max = 500))]
    pub exam_questions: Spanned<u32>,
    #[schemars(with = "u32", range(min = 1, max = 500))]
    pub scored_questions: Spanned<u32>,
    #[schemars(with = "u32", range(min = 1, max = 1440))]
    pub minutes: Spanned<u32>,
    #[schemars(with = "u32", range(min = 100, max = 1000))]
    pub passing_score: Spanned<u32>,
    #[schemars(with = "Option<String>")]
    pub guide: Option<Spanned<String>>,
    pub status: RawStatus,
    #[serde(rename = "domain")]
    #[schemars(with = "Vec<RawDomain>")]
    pub domains: Spanned<Vec<RawDomain>>,
    /// The item types the exam uses; default multiple choice and multiple response.
    #[schemars(with = "Option<Vec<ItemType>>")]
    pub item_types: Option<Spanned<Vec<Spanned<ItemType>>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    #[schemars(with = "StatusState")]
    pub state: Spanned<StatusState>,
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    #[schemars(with = "Option<String>")]
    pub note: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    #[schemars(with = "u32", range(min = 1, max = 100))]
    pub weight: Spanned<u32>,
    /// The exam guide's task statements for this domain (`[[domain.task]]`).
    #[serde(rename = "task", default)]
    pub tasks: Vec<RawTask>,
}

/// One task statement of a domain, as the exam guide numbers and words it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    /// The guide's number, e.g. "1.2".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// Where a question comes from (`[question.source]`, or `[source]` for a whole file):
/// every key optional, each one line.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Where the original lives.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// The licence it is used under, e.g. "CC-BY-4.0".
    #[schemars(with = "Option<String>")]
    pub licence: Option<Spanned<String>>,
    /// The commit (or version) of the source it was taken from.
    #[schemars(with = "Option<String>")]
    pub commit: Option<Spanned<String>>,
    /// The question's id in the source.
    #[schemars(with = "Option<String>")]
    pub original_id: Option<Spanned<String>>,
    /// The source file it was imported from.
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub domain: Spanned<String>,
    #[schemars(with = "Kind")]
    pub kind: Spanned<Kind>,
    #[schemars(with = "Option<Difficulty>")]
    pub difficulty: Option<Spanned<Difficulty>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<Spanned<String>>,
    #[schemars(with = "String")]
    pub stem: Spanned<String>,
    #[schemars(with = "Option<String>")]
    pub explanation: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub references: Option<Spanned<Vec<Spanned<String>>>>,
    /// Case study: the id of the scenario this question belongs to.
    #[schemars(with = "Option<String>")]
    pub scenario: Option<Spanned<String>>,
    /// The id of one of its domain's task statements.
    #[schemars(with = "Option<String>")]
    pub task: Option<Spanned<String>>,
    /// Provenance; keys not given here come from the file's `[source]`.
    pub source: Option<RawSource>,
    #[serde(rename = "option", default)]
    #[schemars(with = "Vec<RawOption>")]
    pub options: Vec<Spanned<RawOption>>,
    #[serde(rename = "step", default)]
    #[schemars(with = "Vec<RawStep>")]
    pub steps: Vec<Spanned<RawStep>>,
    #[serde(rename = "prompt", default)]
    #[schemars(with = "Vec<RawPrompt>")]
    pub prompts: Vec<Spanned<RawPrompt>>,
    #[serde(rename = "response", default)]
    #[schemars(with = "Vec<RawResponse>")]
    pub responses: Vec<Spanned<RawResponse>>,
}

/// An ordering question's step; `position` (1-based) when it belongs to the answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    #[schemars(with = "Option<i64>")]
    pub position: Option<Spanned<i64>>,
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
}

/// A matching question's prompt and the id of the response that matches it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    #[serde(rename = "match")]
    #[schemars(with = "String")]
    pub answer: Spanned<String>,
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// A case study's shared scenario (`[[scenario]]` in a question file).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    #[schemars(with = "Option<bool>")]
    pub correct: Option<Spanned<bool>>,
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
}
