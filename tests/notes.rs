//! Notes on questions: `report TEXT` in an exam, a drill and a review at the scripted
//! prompt, then `proctor notes` (text and `--json`). The browser's form is in serve.rs.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{Run, Test, tiny_bank};

/// Runs proctor with the tiny bank on `test`'s data folder.
fn run(test: &Test, rest: &[&str], stdin: &str) -> Run {
    let mut command = test.command();
    command.arg("--bank-dir").arg(tiny_bank()).args(rest);
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

fn notes(test: &Test, rest: &[&str]) -> Vec<Value> {
    let mut args = vec!["notes", "--json"];
    args.extend(rest);
    let listed = run(test, &args, "");
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    listed.json().as_array().unwrap().clone()
}

fn question_id(result: &Value, position: usize) -> &str {
    result["questions"][position]["id"].as_str().unwrap()
}

#[test]
fn a_note_in_a_mock_exam_is_kept_with_its_question_and_attempt_and_changes_nothing() {
    let test = Test::new();
    // Question 1: a note, then its answer; question 2: a hostile note; then the rest.
    let script = "report The key looks wrong: the stem asks for TWO AZs\nb\n\
                  report \u{1b}[2J\u{1b}[31mred\u{200b} alert\u{7}\t  tabbed\u{85}on\r\nb\nb\nb\nbc\nsubmit\n";
    let exam = run(&test, &["exam", "tiny", "--seed", "3", "--json"], script);
    assert_eq!(exam.status, 0, "{}", exam.stderr);
    assert!(
        exam.stderr.contains("Question 1: note saved for the bank's authors (`proctor notes` lists them)."),
        "{}",
        exam.stderr
    );
    assert!(exam.stderr.contains("Question 2: note saved"), "{}", exam.stderr);
    let result = exam.json();
    // The note did not answer or move: the same answers as without it score the same.
    let plain = Test::new();
    let without = run(&plain, &["exam", "tiny", "--seed", "3", "--json"], "b\nb\nb\nb\nbc\nsubmit\n").json();
    assert_eq!(result["correct"], without["correct"]);
    assert_eq!(result["questions"][0]["response"], without["questions"][0]["response"]);

    let listed = notes(&test, &[]);
    assert_eq!(listed.len(), 2, "{listed:#?}");
    // Newest first.
    assert_eq!(listed[0]["question_id"], question_id(&result, 1));
    assert_eq!(
        listed[0]["text"], "[2J[31mred alert tabbed on",
        "control characters dropped, whitespace runs one space"
    );
    assert_eq!(listed[1]["question_id"], question_id(&result, 0));
    assert_eq!(listed[1]["text"], "The key looks wrong: the stem asks for TWO AZs");
    for note in &listed {
        assert_eq!(note["exam"], "tiny");
        assert_eq!(note["mode"], "exam");
        assert_eq!(note["attempt"], result["attempt"]);
        assert!(note["created_at"].as_str().unwrap().ends_with('Z'), "{note}");
        assert_eq!(note["question_hash"].as_str().unwrap().len(), 16, "{note}");
    }
    assert_eq!(notes(&test, &["TINY"]).len(), 2, "the exam id in any case");

    // For people: when, exam, question, attempt, then the text; nothing raw from the store.
    let text = run(&test, &["notes"], "");
    assert_eq!(text.status, 0, "{}", text.stderr);
    let attempt = result["attempt"].as_i64().unwrap();
    let header = format!("  tiny  question {}  (attempt {attempt}, exam)", question_id(&result, 0));
    assert!(text.stdout.contains(&header), "{}", text.stdout);
    assert!(text.stdout.contains("UTC  tiny"), "{}", text.stdout);
    assert!(text.stdout.contains("\n  The key looks wrong: the stem asks for TWO AZs\n"), "{}", text.stdout);
    assert!(!text.stdout.contains('\u{1b}'), "{}", text.stdout);
    let first = text.stdout.find("red alert").unwrap();
    assert!(first < text.stdout.find("The key looks wrong").unwrap(), "newest first: {}", text.stdout);
}

#[test]
fn an_empty_or_overlong_note_is_refused_and_nothing_is_saved() {
    let test = Test::new();
    let long = format!("report {}\n", "x".repeat(2001));
    let script = format!("report\nreport  \u{200b} \n{long}quit\n");
    let exam = run(&test, &["exam", "tiny", "--seed", "3"], &script);
    assert_eq!(exam.status, 0, "{}", exam.stderr);
    assert_eq!(
        exam.stdout.matches("the note is empty: say what is wrong with the question").count(),
        2,
        "{}",
        exam.stdout
    );
    assert!(
        exam.stdout.contains("a note holds at most 2000 characters (this one has 2001); nothing was saved"),
        "{}",
        exam.stdout
    );
    assert!(notes(&test, &[]).is_empty());
    let text = run(&test, &["notes"], "");
    assert!(text.stdout.starts_with("No notes yet."), "{}", text.stdout);
}

#[test]
fn a_note_in_a_drill_outlives_the_drill_left_before_any_answer() {
    let test = Test::new();
    let drill =
        run(&test, &["drill", "tiny", "--count", "2", "--seed", "5"], "report typo in the stem\nquit\n");
    assert_eq!(drill.status, 0, "{}", drill.stderr);
    assert!(drill.stdout.contains("Question 1: note saved"), "{}", drill.stdout);
    assert!(
        drill.stdout.contains("Nothing answered, so the attempt was not kept; your notes are."),
        "{}",
        drill.stdout
    );
    let listed = notes(&test, &["tiny"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["mode"], "drill");
    assert_eq!(listed[0]["attempt"], Value::Null, "{listed:#?}");
    assert_eq!(listed[0]["text"], "typo in the stem");
    let text = run(&test, &["notes", "tiny"], "");
    assert!(text.stdout.contains("(attempt discarded, drill)"), "{}", text.stdout);
}

#[test]
fn a_note_in_a_review_and_after_feedback_in_a_drill() {
    let test = Test::new();
    let exam =
        run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "a\na\na\na\nab\nsubmit\n");
    let attempt = exam.json()["attempt"].to_string();
    let review = run(
        &test,
        &["review", "--attempt", &attempt, "--json"],
        "report the rationale for C is outdated\nsubmit\n",
    );
    assert_eq!(review.status, 0, "{}", review.stderr);
    let reviewed = review.json();
    assert!(review.stderr.contains("Question 1: note saved"), "{}", review.stderr);
    // A drill: the first question answered (feedback shown, answer locked), then a note on it.
    let drill = run(
        &test,
        &["drill", "tiny", "--count", "2", "--seed", "5", "--json"],
        "a\nreport after the feedback\nquit\n",
    );
    assert_eq!(drill.status, 0, "{}", drill.stderr);
    let listed = notes(&test, &[]);
    assert_eq!(listed.len(), 2, "{listed:#?}");
    assert_eq!(listed[0]["mode"], "drill");
    assert_eq!(listed[0]["text"], "after the feedback");
    assert!(listed[0]["attempt"].is_i64(), "the drill was answered, so it is kept: {listed:#?}");
    assert_eq!(listed[1]["mode"], "review");
    assert_eq!(listed[1]["attempt"], reviewed["attempt"]);
    assert_eq!(listed[1]["question_id"], question_id(&reviewed, 0));
}

#[test]
fn notes_of_an_unknown_exam_is_an_error_and_help_names_the_command() {
    let test = Test::new();
    let unknown = run(&test, &["notes", "nope-c01"], "");
    assert_eq!(unknown.status, 2, "{}", unknown.stdout);
    assert!(unknown.stderr.contains("nope-c01"), "{}", unknown.stderr);
    assert!(!test.data_dir().exists(), "listing creates no store");
    let help = run(&test, &["exam", "tiny", "--seed", "3"], "help\nquit\n");
    assert!(help.stdout.contains("report TEXT"), "{}", help.stdout);
    assert!(
        help.stdout.contains("note a problem with this question for the bank's authors"),
        "{}",
        help.stdout
    );
}
