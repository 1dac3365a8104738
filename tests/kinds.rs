//! Ordering, matching and case-study items end to end through the real binary, on the
//! fixture bank `kinds` (all six of its questions on every paper).

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{Run, Test};

fn kinds_bank() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/kinds")
}

fn run(test: &Test, args: &[&str], stdin: &str) -> Run {
    let mut command = test.command();
    command.arg("--bank-dir").arg(kinds_bank()).args(args);
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The paper of seed 9, from an exam submitted at once: (id, correct response) in order.
fn key(test: &Test) -> Vec<(String, String)> {
    let result = run(test, &["exam", "kinds", "--seed", "9", "--json"], "submit\n").json();
    result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_str().unwrap().to_string(), q["correct_response"].as_str().unwrap().to_string()))
        .collect()
}

/// A script answering each question with `answer(id, key)`, in paper order, then submit.
fn script(key: &[(String, String)], answer: impl Fn(&str, &str) -> String) -> String {
    let mut script: String = key.iter().map(|(id, k)| answer(id, k) + "\n").collect();
    script.push_str("submit\n");
    script
}

/// Two letters of an ordering answer swapped: one step out of order.
fn swapped(order: &str) -> String {
    let mut letters: Vec<char> = order.chars().collect();
    letters.swap(1, 2);
    letters.into_iter().map(String::from).collect::<Vec<_>>().join(" ")
}

fn correct_ids(result: &Value) -> Vec<String> {
    result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["correct"] == true)
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_exam_with_every_kind_scores_exactly() {
    let test = Test::new();
    let key = key(&test);
    assert_eq!(key.len(), 6);
    // Ordering answers typed spaced ("e b a d"), matching as pairs ("1b 2d 3a").
    let spaced = |id: &str, k: &str| {
        if id == "k-order" {
            k.chars().map(String::from).collect::<Vec<_>>().join(" ")
        } else {
            k.to_string()
        }
    };
    let all_right = run(&test, &["exam", "kinds", "--seed", "9", "--json"], &script(&key, spaced)).json();
    assert_eq!(
        (all_right["correct"].as_u64(), all_right["total"].as_u64()),
        (Some(6), Some(6)),
        "{all_right:#}"
    );
    assert_eq!(all_right["percent"], 100.0);

    // One step out of order: that item is wrong, and only that one.
    let out_of_order = run(
        &test,
        &["exam", "kinds", "--seed", "9", "--json"],
        &script(&key, |id, k| if id == "k-order" { swapped(k) } else { spaced(id, k) }),
    )
    .json();
    assert_eq!(out_of_order["correct"], 5);
    assert!(!correct_ids(&out_of_order).contains(&"k-order".to_string()));

    // Case-study questions are scored separately; one wrong pair fails the matching item.
    let mixed = run(
        &test,
        &["exam", "kinds", "--seed", "9", "--json"],
        &script(&key, |id, k| match id {
            "k-case-2" => {
                if k == "A" {
                    "b".into()
                } else {
                    "a".into()
                }
            }
            "k-match" => {
                let mut pairs: Vec<String> = k.split(' ').map(str::to_string).collect();
                let (first, second) = (pairs[0].clone(), pairs[1].clone());
                pairs[0] = format!("1{}", &second[1..]);
                pairs[1] = format!("2{}", &first[1..]);
                pairs.join(" ")
            }
            _ => spaced(id, k),
        }),
    )
    .json();
    let right = correct_ids(&mixed);
    assert_eq!(mixed["correct"], 4, "{mixed:#}");
    assert!(right.contains(&"k-case-1".to_string()) && !right.contains(&"k-case-2".to_string()));
    assert!(!right.contains(&"k-match".to_string()));
}

#[test]
fn a_case_study_is_drawn_together_in_order_with_its_scenario_above_each_question() {
    let test = Test::new();
    for seed in ["1", "2", "3", "9"] {
        let run = run(
            &test,
            &["exam", "kinds", "--seed", seed, "--json"],
            "next\nnext\nnext\nnext\nnext\nsubmit\n",
        );
        let ids: Vec<String> = run.json()["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect();
        let first = ids.iter().position(|id| id == "k-case-1").unwrap();
        assert_eq!(ids[first + 1], "k-case-2", "seed {seed}: {ids:?}");
        assert_eq!(
            run.stderr.matches("Case study: A retail company moves to AWS").count(),
            2,
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("(question 2 of 2)"));
    }
}

#[test]
fn malformed_ordering_and_matching_answers_are_refused_and_partial_ones_kept() {
    let test = Test::new();
    let key = key(&test);
    let position = |id: &str| key.iter().position(|(k, _)| k == id).unwrap() + 1;
    let (order, matching) = (position("k-order"), position("k-match"));
    let script = format!("goto {order}\na a b\ngoto {matching}\n9b\n1a\nquit\n");
    let saved = run(&test, &["exam", "kinds", "--seed", "9"], &script);
    assert!(saved.stdout.contains("step A is in your order twice"), "{}", saved.stdout);
    assert!(saved.stdout.contains("there is no prompt 9; this question has 3"), "{}", saved.stdout);
    assert!(saved.stdout.contains("answer 1A 2- 3- saved"), "{}", saved.stdout);
    assert!(saved.stdout.contains("Not complete yet"), "{}", saved.stdout);
    // The partial answer survives a resume and is built on.
    let resumed = run(&test, &["resume", "--json"], "2b\nsubmit\n");
    assert!(resumed.stderr.contains("answer 1A 2B 3- saved"), "{}", resumed.stderr);
    let result = resumed.json();
    let matched = result["questions"].as_array().unwrap().iter().find(|q| q["id"] == "k-match").unwrap();
    assert_eq!(matched["response"], "1A 2B 3-");
}

#[test]
fn drill_feedback_and_show_give_the_right_order_and_pairs_with_rationales() {
    let test = Test::new();
    // Domain one: choice, multiple response and ordering. Every line that does not fit the
    // question on screen is refused, so this script answers each kind whatever the order.
    let drill =
        run(&test, &["drill", "kinds", "--domain", "one", "--seed", "4"], &"a\nad\ne b a d\n".repeat(3));
    assert!(drill.stdout.contains("step 1"), "{}", drill.stdout);
    assert!(drill.stdout.contains("A user can hold two keys"), "{}", drill.stdout);
    assert!(drill.stdout.contains("Correct: ") || drill.stdout.contains("Incorrect: "));
    let exam = run(&test, &["exam", "kinds", "--seed", "9", "--json"], "submit\n").json();
    let attempt = exam["attempt"].to_string();
    let show = run(&test, &["show", &attempt], "");
    assert!(show.stdout.contains("step 1 (you left it out): A user can hold two keys"), "{}", show.stdout);
    assert!(show.stdout.contains("not a step: Never share a secret"), "{}", show.stdout);
    assert!(show.stdout.contains("-> B: Amazon SQS (not matched)"), "{}", show.stdout);
    assert!(show.stdout.contains("Amazon SQS queues messages."), "{}", show.stdout);
    assert!(show.stdout.contains("Case study: A retail company moves to AWS"));
}
