//! docs/json.md is the contract for `--json`: every documented output parses, and carries
//! every field its table documents (nested `{a, b}` fields too), read from the doc itself.

use serde_json::Value;

use crate::util::{Test, tiny_bank};

/// The documented fields of the section whose heading contains `heading`: the backticked
/// names in each table row's first column, with the nested fields named in `{...}`.
fn documented(heading: &str) -> Vec<(String, Vec<String>)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let section = doc
        .split("\n## ")
        .find(|s| s.lines().next().unwrap_or_default().contains(heading))
        .unwrap_or_else(|| panic!("docs/json.md has no section {heading:?}"));
    let mut fields = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let names: Vec<String> = cells[1]
            .split(',')
            .map(|n| n.trim().trim_matches('`').to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let rest = cells[2..].join(" ");
        let nested: Vec<String> = match (rest.find('{'), rest.find('}')) {
            (Some(a), Some(b)) if a < b => rest[a + 1..b].split(',').map(|n| n.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        for name in names {
            fields.push((name, nested.clone()));
        }
    }
    assert!(!fields.is_empty(), "no fields documented under {heading:?}");
    fields
}

fn assert_carries(value: &Value, heading: &str) {
    assert_fields(value, heading, true);
}

/// `nested`: also check the fields inside arrays and objects (which must not be empty).
fn assert_fields(value: &Value, heading: &str, nested_too: bool) {
    for (name, nested) in documented(heading) {
        let field = value.get(&name).unwrap_or_else(|| panic!("{heading}: no field `{name}` in {value:#}"));
        if nested.is_empty() || !nested_too {
            continue;
        }
        let first = match field {
            Value::Array(items) => items.first().unwrap_or_else(|| panic!("{heading}: `{name}` is empty")),
            other => other,
        };
        for key in &nested {
            assert!(first.get(key).is_some(), "{heading}: `{name}` lacks `{key}`: {first:#}");
        }
    }
}

/// Runs proctor with the tiny bank on `test`'s data folder; stdout must be JSON.
fn proctor(test: &Test, args: &[&str], stdin: &str) -> Value {
    use std::io::Write;
    use std::process::Stdio;
    let bank = tiny_bank();
    let mut command = test.command();
    command.arg("--bank-dir").arg(&bank).args(args);
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stderr}"))
}

#[test]
fn every_documented_json_output_carries_its_documented_fields() {
    let test = Test::new();
    let list = proctor(&test, &["list", "--json"], "");
    assert_carries(&list.as_array().unwrap()[0], "proctor list --json");

    // Nothing in the queue yet: the nothing-due object has the result's fields.
    let nothing = proctor(&test, &["review", "--json"], "");
    assert_fields(&nothing, "The attempt result", false);
    assert!(nothing.get("next_due").is_some() && nothing.get("learning").is_some(), "{nothing:#}");

    // Two exams on one paper answered "a" and "b" throughout: each single-answer question
    // is missed at least once, so `most_missed` has entries.
    proctor(&test, &["exam", "tiny", "--seed", "3", "--json"], "b\nb\nb\nb\nbc\nsubmit\n");
    let result = proctor(&test, &["exam", "tiny", "--seed", "3", "--json"], "a\nflag\na\na\na\nab\nsubmit\n");
    assert_carries(&result, "The attempt result");
    let attempt = result["attempt"].to_string();
    assert_carries(&proctor(&test, &["show", &attempt, "--json"], ""), "The attempt result");
    let drill = proctor(&test, &["drill", "tiny", "--count", "1", "--seed", "5", "--json"], "a\n");
    assert_carries(&drill, "The attempt result");

    // list --all: the wrapper's two fields, then every certification field of the second table.
    let all = proctor(&test, &["list", "--all", "--json"], "");
    let first = &all["program"]["certifications"][0];
    for (name, _) in documented("proctor list --all --json") {
        let holder = if name == "exams" || name == "program" { &all } else { first };
        assert!(holder.get(&name).is_some(), "list --all: no `{name}` in {holder:#}");
    }
    for key in ["verified_on", "source", "certifications", "paths"] {
        assert!(all["program"].get(key).is_some(), "list --all: program lacks `{key}`");
    }
    assert_carries(&proctor(&test, &["paths", "--json"], "")[0], "proctor paths --json");

    let history = proctor(&test, &["history", "--json"], "");
    assert_carries(&history.as_array().unwrap()[0], "proctor history --json");
    let stats = proctor(&test, &["stats", "tiny", "--json"], "");
    assert!(!stats["pass_probability"].is_null(), "two counted exams give an estimate: {stats:#}");
    assert_carries(&stats, "proctor stats EXAM --json");

    // A note left in a drill, exported for authors.
    proctor(
        &test,
        &["drill", "tiny", "--count", "1", "--seed", "5", "--json"],
        "report the key looks wrong\na\n",
    );
    let notes = proctor(&test, &["notes", "--json"], "");
    assert_carries(&notes.as_array().unwrap()[0], "proctor notes --json");

    // check --format json on the fixture bank that trips every authoring check.
    let cues = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/banks/cues");
    assert_carries(&proctor(&test, &["check", cues, "--format", "json"], ""), "proctor check --format json");
}
