//! Learning from attempts: drill, review on the spaced-repetition queue, history, show,
//! stats, and two processes writing at once.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::util::{Run, Test, missed_ids, tiny_bank};

fn bank_args(rest: &[&str]) -> Vec<String> {
    let bank = tiny_bank();
    let mut args = vec!["--bank-dir".to_string(), bank.to_str().unwrap().to_string()];
    args.extend(rest.iter().map(|s| s.to_string()));
    args
}

/// Runs proctor with the tiny bank on `test`'s data folder.
fn run(test: &Test, rest: &[&str], stdin: &str) -> Run {
    let mut command = test.command();
    command.args(bank_args(rest)).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ids(result: &Value) -> Vec<String> {
    let mut ids: Vec<String> = result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // The store's files; not the bank cache's folder (a copy does without it).
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn review_presents_the_misses_and_right_answers_empty_the_due_queue() {
    let test = Test::new();
    // An exam answered all "a": some right, most wrong.
    let exam =
        run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "a\na\na\na\nab\nsubmit\n")
            .json();
    let missed = missed_ids(&exam);
    assert!(!missed.is_empty() && missed.len() < 5, "a mix of right and wrong: {exam}");

    // The key of the review paper, learned on a copy of the store (the same seed and the
    // same set give the same letters).
    let scratch = Test::new();
    copy_dir(&test.data_dir(), &scratch.data_dir());
    let probe = run(&scratch, &["review", "--all", "--seed", "5", "--json"], "submit\n").json();
    assert_eq!(ids(&probe), missed, "review --all presents exactly the missed questions");
    let key: String = probe["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| format!("{}\n", q["correct_response"].as_str().unwrap()))
        .collect();

    let review = run(&test, &["review", "--all", "--seed", "5", "--json"], &key);
    let result = review.json();
    assert_eq!(result["mode"], "review");
    assert_eq!(result["correct"], result["total"], "{}", review.stderr);
    assert!(review.stderr.contains("Correct: "), "feedback after each answer: {}", review.stderr);
    assert!(review.stderr.contains("See: https://docs.aws.amazon.com/"), "{}", review.stderr);

    // Nothing is due now; the next review is in the future.
    let empty = run(&test, &["review", "--json"], "").json();
    assert_eq!(empty["total"], 0);
    assert!(empty["next_due"].is_string(), "{empty}");
    let text = run(&test, &["review"], "");
    assert_eq!(text.status, 0);
    assert!(text.stdout.contains("Nothing is due for review. The next is due in "), "{}", text.stdout);
    // Still being learned: --all presents them again.
    let all = run(&scratch, &["review", "--all", "--seed", "5", "--json"], "submit\n").json();
    assert_eq!(ids(&all), missed);
}

#[test]
fn review_of_one_attempt_and_wrong_answers_stay_due() {
    let test = Test::new();
    let exam =
        run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "a\na\na\na\nab\nsubmit\n")
            .json();
    let attempt = exam["attempt"].as_i64().unwrap().to_string();
    let review = run(&test, &["review", "--attempt", &attempt, "--json"], "submit\n").json();
    assert_eq!(review["total"], exam["total"].as_u64().unwrap() - exam["correct"].as_u64().unwrap());
    // Unanswered in review counts as missed again: still due now.
    let due = run(&test, &["review", "--json"], "submit\n").json();
    assert_eq!(ids(&due), ids(&review));
}

#[test]
fn a_review_left_unfinished_is_named_when_the_next_one_starts() {
    let test = Test::new();
    let exam =
        run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "a\na\na\na\nab\nsubmit\n")
            .json();
    assert!(!missed_ids(&exam).is_empty(), "{exam}");
    // An answer (seed 5 asks a single-answer question first), then quit: kept (a review
    // quit with nothing answered is not).
    let first = run(&test, &["review", "--all", "--seed", "5"], "a\nquit\n");
    assert_eq!(first.status, 0, "{}", first.stderr);
    let said = |r: &Run| format!("{}{}", r.stdout, r.stderr);
    assert!(!said(&first).contains("is unfinished"), "{}", said(&first));
    let second = run(&test, &["review", "--all"], "quit\n");
    assert!(
        said(&second).contains("Note: review attempt 2 is unfinished; `proctor resume 2` continues it."),
        "{}",
        said(&second)
    );
}

#[test]
fn drill_stays_in_its_domain_prefers_unseen_and_gives_feedback() {
    let test = Test::new();
    // Both questions are put on screen (the first, then `next`), so both count as seen.
    let first = run(
        &test,
        &["drill", "tiny", "--domain", "alpha", "--count", "2", "--seed", "1", "--json"],
        "next\nsubmit\n",
    );
    let result = first.json();
    assert_eq!(result["mode"], "drill");
    assert_eq!(result["total"], 2);
    assert!(result["questions"].as_array().unwrap().iter().all(|q| q["domain"] == "alpha"));
    // The next drill prefers the two alpha questions never seen.
    let second = run(
        &test,
        &["drill", "tiny", "--domain", "alpha", "--count", "2", "--seed", "1", "--json"],
        "submit\n",
    )
    .json();
    let (a, b) = (ids(&result), ids(&second));
    assert!(a.iter().all(|id| !b.contains(id)), "{a:?} then {b:?}");
    // Every answer gets feedback, and the drill ends when all are answered.
    let answered = run(&test, &["drill", "tiny", "--domain", "beta", "--seed", "2", "--json"], "a\na\n");
    assert_eq!(answered.json()["total"], 2, "{}", answered.stderr);
    assert!(answered.stderr.contains("Incorrect: the answer is") || answered.stderr.contains("Correct: "));
    assert!(answered.stderr.contains("Explanation of question"), "{}", answered.stderr);
    // A mistyped domain names the real ones.
    let bad = run(&test, &["drill", "tiny", "--domain", "gamma"], "");
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("no domain \"gamma\"; its domains: alpha, beta"), "{}", bad.stderr);
}

#[test]
fn history_show_and_stats() {
    let test = Test::new();
    run(&test, &["exam", "tiny", "--seed", "3", "--all-scored"], "a\na\na\na\nab\nsubmit\n");
    run(&test, &["exam", "tiny", "--seed", "4"], "b\nquit\n");
    let history = run(&test, &["history", "--json"], "").json();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0]["id"].as_i64(), entries[0]["finished"].as_bool()), (Some(2), Some(false)));
    assert_eq!((entries[1]["id"].as_i64(), entries[1]["finished"].as_bool()), (Some(1), Some(true)));
    assert_eq!(entries[1]["mode"], "exam");
    assert!(entries[1]["scaled_score"].is_u64());
    let table = run(&test, &["history"], "");
    assert!(table.stdout.contains("latest: `proctor resume 2`"), "{}", table.stdout);

    let show = run(&test, &["show", "1", "--only", "missed"], "");
    assert_eq!(show.status, 0, "{}", show.stderr);
    assert!(show.stdout.contains("Incorrect: the answer is"), "{}", show.stdout);
    assert!(!show.stdout.contains("\nCorrect: "), "only missed: {}", show.stdout);
    let shown = run(&test, &["show", "1", "--json", "--only", "correct"], "").json();
    assert!(shown["questions"].as_array().unwrap().iter().all(|q| q["correct"] == true));
    // An unfinished attempt keeps its key hidden.
    let hidden = run(&test, &["show", "2"], "");
    assert_eq!(hidden.status, 2);
    assert!(hidden.stderr.contains("not finished"), "{}", hidden.stderr);

    let stats = run(&test, &["stats", "tiny", "--json"], "").json();
    let domains = stats["domains"].as_array().unwrap();
    assert_eq!(domains.len(), 2);
    let answered: u64 = domains.iter().map(|d| d["answered"].as_u64().unwrap()).sum();
    assert_eq!(answered, 5, "only the finished attempt counts: {stats}");
    assert_eq!(stats["readiness"]["exams_taken"], 1);
    let text = run(&test, &["stats"], "");
    assert!(text.stdout.contains("Mock exams: "), "{}", text.stdout);
    assert!(text.stdout.contains("Alpha Domain"), "{}", text.stdout);
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let test = Test::new();
    let spawn = |seed: &str| {
        let mut command = test.command();
        command
            .args(bank_args(&["exam", "tiny", "--seed", seed]))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command.spawn().unwrap()
    };
    let mut a = spawn("3");
    let mut b = spawn("4");
    let (mut ia, mut ib) = (a.stdin.take().unwrap(), b.stdin.take().unwrap());
    // Interleave the two sessions' commands.
    for line in ["fl", "next", "fl", "next", "fl", "prev"] {
        writeln!(ia, "{line}").unwrap();
        writeln!(ib, "{line}").unwrap();
    }
    writeln!(ia, "submit").unwrap();
    writeln!(ib, "submit").unwrap();
    drop((ia, ib));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let history = run(&test, &["history", "--json"], "").json();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        assert_eq!(entry["finished"], true);
        let shown = run(&test, &["show", &entry["id"].to_string(), "--json"], "").json();
        let flagged = shown["questions"].as_array().unwrap().iter().filter(|q| q["flagged"] == true).count();
        assert_eq!(flagged, 3, "every flag of both sessions kept: {shown}");
    }
}

/// Every review recorded in the queue, summed over its cards.
fn total_reviews(test: &Test) -> i64 {
    let conn = rusqlite::Connection::open(test.data_dir().join("proctor.db")).unwrap();
    conn.query_row("SELECT coalesce(sum(reviews), 0) FROM review_cards", [], |r| r.get(0)).unwrap()
}

#[test]
fn attempts_finishing_together_each_record_their_review() {
    // Before: the review cards were read before the finishing transaction, so processes
    // finishing at once overwrote each other's reviews (1-3 recorded instead of 4).
    let test = Test::new();
    let exam = run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "submit\n").json();
    let attempt = exam["attempt"].as_i64().unwrap().to_string();
    for round in 0..8 {
        let before = total_reviews(&test);
        let children: Vec<_> = (0..4)
            .map(|_| {
                let mut command = test.command();
                command
                    .args(bank_args(&["review", "--attempt", &attempt, "--seed", "1", "--json"]))
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                let mut child = command.spawn().unwrap();
                // Each review puts its first question on screen and submits: one seen miss.
                child.stdin.take().unwrap().write_all(b"submit\n").unwrap();
                child
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        }
        assert_eq!(total_reviews(&test), before + 4, "round {round}");
    }
}

#[test]
fn a_question_moved_past_without_time_is_still_seen() {
    // Before: "seen" was inferred from time spent, so `goto 2` then `goto 3` at once left
    // question 2 "never shown" and out of the review queue.
    let test = Test::new();
    let result = run(
        &test,
        &["--fake-clock", "1800000000000", "exam", "tiny", "--seed", "3", "--json"],
        "goto 2\ngoto 3\nsubmit\n",
    )
    .json();
    let shown: Vec<String> = result["questions"].as_array().unwrap()[..3]
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    let due = run(&test, &["--fake-clock", "1800000000000", "review", "--all", "--json"], "submit\n").json();
    let mut queued = ids(&due);
    queued.sort();
    let mut expected = shown.clone();
    expected.sort();
    assert_eq!(queued, expected, "the three questions put on screen, and only they, are in the queue");
}

#[test]
fn a_throwaway_exam_does_not_drag_readiness_down() {
    // Before: one real exam at a pass, then an idle exam, gave "mean of the last 2 exams:
    // below the pass mark". The idle one is not evidence now.
    let test = Test::new();
    let key = run(&test, &["exam", "tiny", "--seed", "5", "--all-scored", "--json"], "submit\n").json();
    let answers: String = key["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["correct_response"].as_str().unwrap().to_lowercase() + "\n")
        .collect();
    // The same paper again: by the seed alone, not unseen-first.
    run(&test, &["exam", "tiny", "--seed", "5", "--all-scored", "--include-seen"], &(answers + "submit\n"));
    let before = run(&test, &["stats", "tiny", "--json"], "").json();
    run(&test, &["exam", "tiny", "--seed", "6", "--all-scored"], "submit\n");
    let after = run(&test, &["stats", "tiny", "--json"], "").json();
    assert_eq!(after["readiness"]["latest_scaled"], 1000, "{after:#}");
    assert_eq!(after["readiness"]["ready"], true);
    assert_eq!(after["pass_probability"]["probability"], before["pass_probability"]["probability"]);
    let excluded = after["pass_probability"]["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 2, "the key run and the idle run: {after:#}");
    assert!(excluded.iter().all(|e| e["reason"] == "mostly-unanswered"));
    let trend = after["trend"].as_array().unwrap();
    assert_eq!(trend.iter().filter(|t| t["counted"] == true).count(), 1);
}

#[test]
fn confidence_marks_send_lucky_guesses_to_review_and_sure_mistakes_first() {
    let test = Test::new();
    // The paper's key, from a copy taken with the same seed.
    let scratch = Test::new();
    let probe = run(&scratch, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], "submit\n").json();
    let questions = probe["questions"].as_array().unwrap();
    let key: Vec<String> =
        questions.iter().map(|q| q["correct_response"].as_str().unwrap().to_lowercase()).collect();
    let wrong = |k: &str| if k == "a" { "b".to_string() } else { "a".to_string() };
    // 1 right but unsure, 2 wrong but sure, 3 right and sure, 4 wrong unmarked, 5 right unmarked.
    let script =
        format!("{}?\n{} !\n{}!\n{}\n{}\nsubmit\n", key[0], wrong(&key[1]), key[2], wrong(&key[3]), key[4]);
    let exam = run(&test, &["exam", "tiny", "--seed", "3", "--json", "--all-scored"], &script);
    let result = exam.json();
    let marks: Vec<(Value, Value)> = result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["correct"].clone(), q["confidence"].clone()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (Value::Bool(true), Value::from("unsure")),
            (Value::Bool(false), Value::from("sure")),
            (Value::Bool(true), Value::from("sure")),
            (Value::Bool(false), Value::Null),
            (Value::Bool(true), Value::Null),
        ],
        "{}",
        exam.stderr
    );
    assert!(
        exam.stderr.contains("Right but unsure 1: questions 1 (they go to review too)."),
        "{}",
        exam.stderr
    );
    assert!(
        exam.stderr.contains("Wrong but sure 1: questions 2 (asked first in review)."),
        "{}",
        exam.stderr
    );

    // The queue holds the two misses and the lucky guess; the sure mistake comes first,
    // whatever the review's seed.
    let id = |i: usize| questions[i]["id"].as_str().unwrap().to_string();
    let mut expected = vec![id(0), id(1), id(3)];
    expected.sort();
    for seed in ["1", "2", "3", "4"] {
        let scratch = Test::new();
        copy_dir(&test.data_dir(), &scratch.data_dir());
        let review = run(&scratch, &["review", "--all", "--seed", seed, "--json"], "submit\n").json();
        assert_eq!(ids(&review), expected);
        assert_eq!(review["questions"][0]["id"].as_str().unwrap(), id(1), "seed {seed}: {review}");
    }
}

#[test]
fn stats_show_each_domains_accuracy_attempt_by_attempt() {
    let test = Test::new();
    // The same paper twice: all wrong, then all right.
    let key = run(&test, &["exam", "tiny", "--seed", "5", "--all-scored", "--json"], "submit\n").json();
    let questions = key["questions"].as_array().unwrap();
    let right: String =
        questions.iter().map(|q| q["correct_response"].as_str().unwrap().to_lowercase() + "\n").collect();
    let wrong: String = questions
        .iter()
        .map(|q| if q["correct_response"] == "A" { "b\n".to_string() } else { "a\n".to_string() })
        .collect();
    let args = ["exam", "tiny", "--seed", "5", "--all-scored", "--include-seen"];
    run(&test, &args, &(wrong + "submit\n"));
    run(&test, &args, &(right + "submit\n"));
    let stats = run(&test, &["stats", "tiny", "--json"], "").json();
    for domain in stats["domains"].as_array().unwrap() {
        let percents: Vec<f64> =
            domain["by_attempt"].as_array().unwrap().iter().map(|p| p["percent"].as_f64().unwrap()).collect();
        assert_eq!(percents, [0.0, 100.0], "the key run answered nothing, so it is not a point: {domain}");
    }
    let text = run(&test, &["stats", "tiny"], "");
    assert_eq!(text.stdout.matches("    by attempt ").count(), 2, "{}", text.stdout);
    assert!(text.stdout.contains("  0% 100%\n"), "{}", text.stdout);
}
