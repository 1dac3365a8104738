//! The JSON Schema of bank files (`proctor schema bank`), derived from the very types the
//! loader deserializes (`raw`), so editors (taplo / Even Better TOML, tombi) complete and
//! validate bank files. The checks that need more than one value (weights summing to 100,
//! the key of each kind, ids across files) stay with `proctor check`.

use schemars::JsonSchema;

use super::raw::{RawBlueprint, RawQuestion, RawScenario, RawSource};

/// A question file: every `*.toml` of an exam folder other than `exam.toml`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used: the loader reads question files table by table
struct QuestionFile {
    #[serde(default)]
    question: Vec<RawQuestion>,
    /// Case-study scenarios that questions point at with `scenario = "ID"`.
    #[serde(default)]
    scenario: Vec<RawScenario>,
    /// Provenance of every question in the file (a question's own `[question.source]`
    /// overrides it key by key).
    source: Option<RawSource>,
}

/// A proctor bank file (format 1): an exam's blueprint (`exam.toml`) or a question file.
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(title = "proctor bank file (format 1)")]
#[allow(dead_code)]
enum BankFile {
    Blueprint(Box<RawBlueprint>),
    Questions(Box<QuestionFile>),
}

/// The schema as pretty-printed JSON, ending with a newline.
pub fn bank_schema() -> Result<String, serde_json::Error> {
    let schema = schemars::schema_for!(BankFile);
    serde_json::to_string_pretty(&schema).map(|text| text + "\n")
}
