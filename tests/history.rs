//! Long histories: `history` shows the newest attempts with a footer that says how many are
//! left out and how to see them (`--all`, `--limit N`), `--json` lists every one, the newest
//! open attempt is named even when it is not shown, and `stats` draws the newest mock exams
//! of a long trend while `stats --json` keeps every one.

use std::io::Write;
use std::process::Stdio;

use crate::util::{Run, Test, tiny_bank};

fn run(test: &Test, rest: &[&str], stdin: &str) -> Run {
    let bank = tiny_bank();
    let mut command = test.command();
    command
        .args(["--bank-dir", bank.to_str().unwrap()])
        .args(rest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One finished mock exam through the binary, then `copies` more of it written into the
/// store as `finish` leaves them (the attempt row, its items and its running totals), each
/// started an hour after the one before: attempts 1..=copies+1, the last the newest.
fn long_history(test: &Test, copies: i64) {
    let done = run(test, &["exam", "tiny", "--seed", "3", "--all-scored"], "a\na\na\na\nab\nsubmit\n");
    assert_eq!(done.status, 0, "{}", done.stderr);
    let conn = rusqlite::Connection::open(test.data_dir().join("proctor.db")).unwrap();
    for n in 2..=copies + 1 {
        conn.execute_batch(&format!(
            "INSERT INTO attempts (id, exam, mode, seed, engine_version, started_at, deadline, time_limit_ms,
                                   position, last_tick, finished_at, end_reason, hide_domain)
                 SELECT {n}, exam, mode, {n}, engine_version, started_at + {n} * 3600000, deadline + {n} * 3600000,
                        time_limit_ms, position, last_tick, finished_at + {n} * 3600000, end_reason, hide_domain
                 FROM attempts WHERE id = 1;
             INSERT INTO attempt_items
                 SELECT {n}, position, question_id, domain, content_hash, scored, flagged, struck, millis, correct,
                        layout, answer, seen_at, confidence
                 FROM attempt_items WHERE attempt_id = 1;
             INSERT INTO attempt_totals SELECT {n}, questions, scored, correct, answered, answered_millis
                 FROM attempt_totals WHERE attempt_id = 1;
             INSERT INTO domain_totals SELECT exam, {n}, domain, 0, 0, new_right + repeat_right, new_wrong + repeat_wrong
                 FROM domain_totals WHERE attempt_id = 1;"
        ))
        .unwrap();
    }
    // The per-exam running sums `finish` keeps with them (migration 12): rebuilt by taking
    // the store back to schema 11, so the next open backfills them from these totals.
    conn.execute_batch(
        "DROP TABLE exam_group_sums; DROP TABLE exam_domain_sums;
         DROP INDEX attempts_mock_by_start; DROP INDEX attempts_mock_by_id; PRAGMA user_version = 11;",
    )
    .unwrap();
}

/// The attempt ids of a history table, top to bottom.
fn table_ids(text: &str) -> Vec<i64> {
    text.lines().skip(1).map_while(|l| l.split_whitespace().next()?.parse().ok()).collect()
}

#[test]
fn history_shows_the_newest_25_and_says_how_to_see_the_rest() {
    let test = Test::new();
    long_history(&test, 29);
    let table = run(&test, &["history"], "");
    assert_eq!(table.status, 0, "{}", table.stderr);
    assert_eq!(table_ids(&table.stdout), (6..=30).rev().collect::<Vec<i64>>(), "{}", table.stdout);
    assert!(
        table.stdout.ends_with(
            "\nThe newest 25 of 30 attempts; 5 older are not shown: `proctor history --all` lists every one, \
             `--limit N` the newest N.\n"
        ),
        "{}",
        table.stdout
    );
    let all = run(&test, &["history", "--all"], "");
    assert_eq!(table_ids(&all.stdout), (1..=30).rev().collect::<Vec<i64>>());
    assert!(!all.stdout.contains("not shown"), "{}", all.stdout);
    let three = run(&test, &["history", "tiny", "--limit", "3"], "");
    assert_eq!(table_ids(&three.stdout), [30, 29, 28]);
    assert!(
        three
            .stdout
            .contains("The newest 3 of 30 attempts; 27 older are not shown: `proctor history tiny --all`"),
        "{}",
        three.stdout
    );
    // A page that holds every attempt has no footer.
    let exact = run(&test, &["history", "--limit", "30"], "");
    assert_eq!(table_ids(&exact.stdout).len(), 30);
    assert!(!exact.stdout.contains("not shown"), "{}", exact.stdout);

    let both = run(&test, &["history", "--all", "--limit", "3"], "");
    assert_eq!(both.status, 2, "{}", both.stdout);
    let zero = run(&test, &["history", "--limit", "0"], "");
    assert_eq!(zero.status, 2, "{}", zero.stdout);
}

#[test]
fn history_json_lists_every_attempt_unless_limited() {
    let test = Test::new();
    long_history(&test, 29);
    let all = run(&test, &["history", "--json"], "").json();
    let ids: Vec<i64> = all.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=30).rev().collect::<Vec<i64>>());
    let two = run(&test, &["history", "--json", "--limit", "2"], "").json();
    assert_eq!(two.as_array().unwrap()[..], all.as_array().unwrap()[..2]);
    assert_eq!(run(&test, &["history", "--json", "--all"], "").json(), all);
}

#[test]
fn an_open_attempt_older_than_the_page_is_still_named() {
    let test = Test::new();
    long_history(&test, 29);
    let open = run(&test, &["exam", "tiny", "--seed", "9"], "a\nquit\n");
    assert_eq!(open.status, 0, "{}", open.stderr);
    // Older than every other attempt.
    let conn = rusqlite::Connection::open(test.data_dir().join("proctor.db")).unwrap();
    conn.execute("UPDATE attempts SET started_at = 1000 WHERE id = 31", []).unwrap();
    let table = run(&test, &["history"], "");
    assert!(!table_ids(&table.stdout).contains(&31), "{}", table.stdout);
    assert!(table.stdout.contains("The newest 25 of 31 attempts; 6 older"), "{}", table.stdout);
    assert!(table.stdout.contains("(latest: `proctor resume 31`)"), "{}", table.stdout);
}

#[test]
fn stats_draws_the_newest_mock_exams_and_json_keeps_every_one() {
    let test = Test::new();
    long_history(&test, 29);
    let text = run(&test, &["stats", "tiny"], "");
    assert_eq!(text.status, 0, "{}", text.stderr);
    let line = text.stdout.lines().find(|l| l.starts_with("Mock exams")).unwrap();
    assert!(line.starts_with("Mock exams (the latest 20 of 30): "), "{line}");
    // The sparkline, then the 20 scores.
    let scores = line.split("  ").nth(1).unwrap().split(' ').count();
    assert_eq!(scores, 20, "{line}");
    assert!(text.stdout.contains("30 finished attempt(s)"), "{}", text.stdout);
    let json = run(&test, &["stats", "tiny", "--json"], "").json();
    assert_eq!(json["trend"].as_array().unwrap().len(), 30);
    assert_eq!(json["readiness"]["exams_taken"], 30);
    for domain in json["domains"].as_array().unwrap() {
        assert_eq!(domain["by_attempt"].as_array().unwrap().len(), 30, "{domain}");
    }
    // The figures over every attempt are the same in both.
    let answered: u64 =
        json["domains"].as_array().unwrap().iter().map(|d| d["answered"].as_u64().unwrap()).sum();
    assert_eq!(answered, 30 * 5);
}

#[test]
fn the_browser_lists_the_newest_50_with_a_link_to_every_one() {
    let test = Test::new();
    long_history(&test, 59);
    let server = crate::serve::Server::start(&test, &tiny_bank());
    let page = crate::serve::get(&format!("{}/history", server.base));
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("/show/").count(), 50, "{}", page.body);
    assert!(page.body.contains("The newest 50 of 60 attempts."), "{}", page.body);
    assert!(page.body.contains("/history?all=1\">Show all 60</a>"), "{}", page.body);
    let all = crate::serve::get(&format!("{}/history?all=1", server.base));
    assert_eq!(all.body.matches("/show/").count(), 60);
    assert!(!all.body.contains("Show all"), "{}", all.body);
    let stats = crate::serve::get(&format!("{}/stats/tiny", server.base));
    assert!(stats.body.contains("The latest 20 of 60 mock exams."), "{}", stats.body);
    assert!(
        stats.body.contains("Estimated scaled scores of the latest 20 of 60 mock exams"),
        "{}",
        stats.body
    );
}
