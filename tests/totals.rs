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

/// Runs proctor and returns (stdout, stderr).
fn run_both(test: &Test, clock: &str, rest: &[&str]) -> (String, String) {
    let bank = tiny_bank();
    let output = test
        .command()
        .args(["--bank-dir", bank.to_str().unwrap(), "--fake-clock", clock])
        .args(rest)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{rest:?}: {}", String::from_utf8_lossy(&output.stderr));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A store written before the running sums (schema 11: migration 12's tables and indexes
/// are not there) upgrades to the same `stats`, text and JSON, as the store that kept
/// them at `finish`; and damaged sums are rebuilt with a note, the figures unchanged.
#[test]
fn a_store_from_before_the_running_sums_upgrades_to_the_same_stats() {
    let test = Test::new();
    scripted_history(&test);
    let now = "1800600000000";
    let text = run_both(&test, now, &["stats", "tiny"]);
    let json = run_both(&test, now, &["stats", "tiny", "--json"]);
    assert_eq!(json.0, fixture("stats.json"));
    assert!(text.0.contains("Pass probability") && text.1.is_empty(), "{text:?}");
    let db = test.data_dir().join("proctor.db");
    let sql = |batch: &str| {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(batch).unwrap();
    };
    // Schema 11, as the proctor before migration 12 left it.
    sql("DROP TABLE exam_group_sums; DROP TABLE exam_domain_sums;
         DROP INDEX attempts_mock_by_start; DROP INDEX attempts_mock_by_id; PRAGMA user_version = 11;");
    assert_eq!(run_both(&test, now, &["stats", "tiny"]), text);
    assert_eq!(run_both(&test, now, &["stats", "tiny", "--json"]), json);
    let version: i64 =
        rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 12);

    // A damaged row: rebuilt from the totals, said on stderr, the same figures.
    sql("UPDATE exam_domain_sums SET new_right = -1e9");
    let damaged = run_both(&test, now, &["stats", "tiny"]);
    assert_eq!(damaged.0, text.0);
    assert!(
        damaged.1.contains("the running sums of tiny were damaged") && damaged.1.contains("rebuilt"),
        "{}",
        damaged.1
    );
    assert_eq!(run_both(&test, now, &["stats", "tiny"]), text, "rebuilt in place");
}
