//! `stats --json` and `history --json` read the running totals kept at `finish`: on a
//! scripted history (exams, a drill, a review, a mostly unanswered exam, an open attempt)
//! they print exactly what proctor printed when it read every answer. The expected files
//! were written by the binary from before the totals, on the same script.

use std::io::Write;
use std::process::Stdio;

use crate::util::{Test, tiny_bank};

/// Runs proctor with the tiny bank at the fake time `clock`; returns stdout.
fn run(test: &Test, clock: &str, rest: &[&str], stdin: &str) -> String {
    let bank = tiny_bank();
    let mut command = test.command();
    command
        .args(["--bank-dir", bank.to_str().unwrap(), "--fake-clock", clock])
        .args(rest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The history of `tests/fixtures/totals` (the same script wrote the expected files).
fn scripted_history(test: &Test) {
    // Lines of "a" and "ab" both: a refused answer is asked again, so every question gets one.
    let both = "a\nab\n".repeat(12);
    let either = "ab\nb\n".repeat(12);
    run(
        test,
        "1800000000000+10000",
        &["exam", "tiny", "--seed", "1", "--all-scored", "--json"],
        "a\nb\na\nab\nc\nsubmit\n",
    );
    run(test, "1800100000000+20000", &["exam", "tiny", "--seed", "2", "--json"], "b\nb\nc\nsubmit\n");
    run(test, "1800200000000+5000", &["drill", "tiny", "--seed", "3", "--count", "5", "--json"], &both);
    run(test, "1800300000000+5000", &["review", "tiny", "--all", "--seed", "4", "--json"], &either);
    run(test, "1800400000000+5000", &["exam", "tiny", "--seed", "5", "--json"], "a\nsubmit\n");
    run(test, "1800500000000+5000", &["exam", "tiny", "--seed", "6"], "a\nc\nquit\n");
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/totals/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn stats_and_history_json_are_what_reading_every_answer_gave() {
    let test = Test::new();
    scripted_history(&test);
    assert_eq!(run(&test, "1800600000000", &["stats", "tiny", "--json"], ""), fixture("stats.json"));
    assert_eq!(run(&test, "1800600000000", &["history", "--json"], ""), fixture("history.json"));
}
