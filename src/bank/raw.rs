//! The bank files exactly as written, with the location of every value a check may point
//! at. Only the toml deserializer fills these (spans do not survive other formats).

use serde::Deserialize;
use toml::Spanned;

use super::{Difficulty, Kind, Level, StatusState};

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
    #[serde(rename = "option", default)]
    pub options: Vec<Spanned<RawOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub text: Spanned<String>,
    pub correct: Option<Spanned<bool>>,
    pub rationale: Option<Spanned<String>>,
}
