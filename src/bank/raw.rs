//! The bank files exactly as written, with the location of every value a check may point
//! at. Only the toml deserializer fills these (spans do not survive other formats).

use serde::Deserialize;
use toml::Spanned;

use super::{Difficulty, ItemType, Kind, Level, StatusState};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlueprint {
    pub format: Spanned<u32>,
    pub id: Spanned<String>,
    pub code: Spanned<String>,
    pub title: Spanned<String>,
    pub vendor: Spanned<String>,
    pub level: Spanned<Level>,
    pub exam_questions: Spanned<u32>,
    pub scored_questions: Spanned<u32>,
    pub minutes: Spanned<u32>,
    pub passing_score: Spanned<u32>,
    pub guide: Option<Spanned<String>>,
    pub status: RawStatus,
    #[serde(rename = "domain")]
    pub domains: Spanned<Vec<RawDomain>>,
    /// The item types the exam uses; default multiple choice and multiple response.
    pub item_types: Option<Spanned<Vec<Spanned<ItemType>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    pub state: Spanned<StatusState>,
    pub date: Spanned<String>,
    pub note: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub weight: Spanned<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    pub domain: Spanned<String>,
    pub kind: Spanned<Kind>,
    pub difficulty: Option<Spanned<Difficulty>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    pub stem: Spanned<String>,
    pub explanation: Option<Spanned<String>>,
    pub references: Option<Spanned<Vec<Spanned<String>>>>,
    /// Case study: the id of the scenario this question belongs to.
    pub scenario: Option<Spanned<String>>,
    #[serde(rename = "option", default)]
    pub options: Vec<Spanned<RawOption>>,
    #[serde(rename = "step", default)]
    pub steps: Vec<Spanned<RawStep>>,
    #[serde(rename = "prompt", default)]
    pub prompts: Vec<Spanned<RawPrompt>>,
    #[serde(rename = "response", default)]
    pub responses: Vec<Spanned<RawResponse>>,
}

/// An ordering question's step; `position` (1-based) when it belongs to the answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub text: Spanned<String>,
    pub position: Option<Spanned<i64>>,
    pub rationale: Option<Spanned<String>>,
}

/// A matching question's prompt and the id of the response that matches it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    pub text: Spanned<String>,
    #[serde(rename = "match")]
    pub answer: Spanned<String>,
    pub rationale: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub id: Spanned<String>,
    pub text: Spanned<String>,
}

/// A case study's shared scenario (`[[scenario]]` in a question file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub text: Spanned<String>,
    pub correct: Option<Spanned<bool>>,
    pub rationale: Option<Spanned<String>>,
}
