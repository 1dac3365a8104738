//! Command-line conventions: shell completions, the man page, discard, read-only commands
//! that create nothing, and answers that are slips.

use crate::util::{Test, tiny_bank};

#[test]
fn completions_and_the_man_page_come_from_the_command_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let run = Test::new().args(["completions", shell]).run();
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(run.stdout.contains("proctor") && run.stdout.contains("drill"), "{shell}: {}", run.stdout);
    }
    let man = Test::new().args(["man"]).run();
    assert_eq!(man.status, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH proctor"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("exam"));
}

#[test]
fn reading_commands_never_create_the_store() {
    // Before: `proctor history` on a fresh machine created the data folder and a database.
    let test = Test::new();
    let data = test.data_dir();
    for args in
        [&["history"][..], &["stats"][..], &["history", "--json"][..], &["stats", "saa-c03", "--json"][..]]
    {
        let run = Test::new().args(args).env("PROCTOR_DATA_DIR", data.to_str().unwrap()).run();
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
    }
    let show = Test::new().args(["show", "1"]).env("PROCTOR_DATA_DIR", data.to_str().unwrap()).run();
    assert_eq!(show.status, 2);
    assert!(show.stderr.contains("no attempt 1"), "{}", show.stderr);
    assert!(!data.exists(), "the data folder was created");
}

#[test]
fn discard_deletes_an_abandoned_attempt_and_keeps_history() {
    let test = Test::new();
    let data = test.data_dir();
    let env = data.to_str().unwrap();
    let bank = tiny_bank();
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--bank-dir", bank.to_str().unwrap()];
        all.extend_from_slice(args);
        Test::new().args(&all).stdin(stdin).env("PROCTOR_DATA_DIR", env).run()
    };
    assert!(run(&["exam", "tiny", "--seed", "1"], "quit\n").stdout.contains("Saved attempt 1"));
    assert_eq!(run(&["exam", "tiny", "--seed", "2"], "submit\n").status, 0);
    // A script must say --yes: discard asks first.
    let asked = run(&["discard", "1"], "");
    assert_eq!(asked.status, 2);
    assert!(asked.stderr.contains("--yes"), "{}", asked.stderr);
    let finished = run(&["discard", "2", "--yes"], "");
    assert_eq!(finished.status, 2);
    assert!(finished.stderr.contains("is finished"), "{}", finished.stderr);
    let deleted = run(&["discard", "1", "--yes"], "");
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    assert!(deleted.stdout.contains("Deleted attempt 1."));
    let history = run(&["history", "--json"], "").json();
    let ids: Vec<i64> = history.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [2]);
}

#[test]
fn a_letter_twice_or_a_pasted_flood_is_not_an_answer() {
    let bank = tiny_bank();
    let script = format!("aa\n{}\nquit\n", "a".repeat(5000));
    let run = Test::new()
        .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "1"])
        .stdin(&script)
        .run();
    assert!(run.stdout.contains("each letter once"), "{}", run.stdout);
    assert!(run.stdout.contains("too long"), "{}", run.stdout);
    assert!(run.stdout.contains("Saved attempt 1: 0 of 5 answered"), "{}", run.stdout);
}
