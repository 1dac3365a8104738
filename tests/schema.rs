//! `proctor schema bank`: the committed schema is current, and it accepts every shipped
//! bank file and refuses a typo.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::Test;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "toml") {
            found.push(path);
        }
    }
}

fn validator() -> jsonschema::Validator {
    let run = Test::new().args(["schema", "bank"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    toml::from_str(toml_text).unwrap()
}

#[test]
fn the_committed_schema_is_current() {
    let run = Test::new().args(["schema", "bank"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let committed = std::fs::read_to_string(root().join("docs/schema/bank.schema.json")).unwrap();
    assert!(
        run.stdout == committed,
        "docs/schema/bank.schema.json is stale: run `proctor schema bank > docs/schema/bank.schema.json`"
    );
}

#[test]
fn every_shipped_bank_file_matches_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    toml_files(&root().join("question-banks"), &mut files);
    toml_files(&root().join("tests/fixtures/banks"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    for file in &files {
        let value = as_json(&std::fs::read_to_string(file).unwrap());
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

#[test]
fn the_schema_refuses_typos_missing_keys_and_bad_values() {
    let validator = validator();
    let questions = std::fs::read_to_string(root().join("tests/fixtures/banks/tiny/questions.toml")).unwrap();
    let blueprint = std::fs::read_to_string(root().join("tests/fixtures/banks/tiny/exam.toml")).unwrap();
    assert!(validator.is_valid(&as_json(&questions)));
    assert!(validator.is_valid(&as_json(&blueprint)));
    let typo = questions.replacen("explanation =", "explanaton =", 1);
    assert!(!validator.is_valid(&as_json(&typo)));
    let bad_kind = questions.replacen("kind = \"multiple-choice\"", "kind = \"essay\"", 1);
    assert!(!validator.is_valid(&as_json(&bad_kind)));
    let no_id = blueprint.replacen("id = \"tiny\"", "", 1);
    assert!(!validator.is_valid(&as_json(&no_id)));
    let long = blueprint.replacen("minutes = 10", "minutes = 5000", 1);
    assert!(!validator.is_valid(&as_json(&long)));
}
