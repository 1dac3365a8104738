//! `proctor exam` and `proctor resume` through scripted stdin: exact scores from fixed
//! seeds, resuming after EOF and after kill -9, and the deadline.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Run, Test, missed_ids, tiny_bank};

fn exam(test: Test, extra: &[&str], script: &str) -> (Test, Run) {
    let bank = tiny_bank();
    // Every question scored, so the totals below are the paper's (unscored items, the
    // default, have their own test).
    let mut args = vec!["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--json", "--all-scored"];
    args.extend_from_slice(extra);
    let test = test.args(&args).stdin(script);
    let run = test.run();
    (test, run)
}

/// The key, as letters per position, of the tiny exam with `seed` (from a submitted run).
fn key(seed: &str) -> Vec<String> {
    let (_, run) = exam(Test::new(), &["--seed", seed], "submit\n");
    let result = run.json();
    result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["correct_response"].as_str().unwrap().to_string())
        .collect()
}

fn answers(letters: &[String]) -> String {
    letters.iter().map(|l| format!("{}\n", l.to_lowercase())).collect()
}

#[test]
fn nothing_answered_scores_nothing() {
    let (_, run) = exam(Test::new(), &["--seed", "7"], "submit\n");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let result = run.json();
    assert_eq!(result["mode"], "exam");
    assert_eq!(result["exam"], "tiny");
    assert_eq!(result["seed"], 7);
    assert_eq!(result["total"], 5);
    assert_eq!(result["correct"], 0);
    assert_eq!(result["scaled_score"], 100);
    assert_eq!(result["passing_score"], 720);
    assert_eq!(result["passed"], false);
    assert_eq!(result["end_reason"], "submitted");
    let questions = result["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5);
    for (i, q) in questions.iter().enumerate() {
        assert_eq!(q["position"], i + 1);
        assert_eq!(q["response"], "");
        assert_eq!(q["correct"], false);
        assert!(!q["correct_response"].as_str().unwrap().is_empty());
    }
    // Domain quotas from the weights 60/40 of 5 questions: 3 and 2.
    let domains = result["domains"].as_array().unwrap();
    assert_eq!((domains[0]["id"].as_str(), domains[0]["total"].as_u64()), (Some("alpha"), Some(3)));
    assert_eq!((domains[1]["id"].as_str(), domains[1]["total"].as_u64()), (Some("beta"), Some(2)));
    assert_eq!(domains[0]["classification"], "Needs improvement");
}

#[test]
fn answering_from_the_key_passes_with_full_marks() {
    let key = key("11");
    let (_, run) = exam(Test::new(), &["--seed", "11"], &(answers(&key) + "submit\n"));
    let result = run.json();
    assert_eq!(result["correct"], 5, "{}", run.stderr);
    assert_eq!(result["scaled_score"], 1000);
    assert_eq!(result["passed"], true);
    for d in result["domains"].as_array().unwrap() {
        assert_eq!(d["classification"], "Meets competencies");
        assert_eq!(d["percent"], 100.0);
    }
    // The text report is on stderr with --json.
    assert!(run.stderr.contains("Result: PASS"), "{}", run.stderr);
    assert!(run.stderr.contains("Nothing missed."), "{}", run.stderr);
}

#[test]
fn the_seed_reproduces_questions_and_letters() {
    let bank = tiny_bank();
    let a = exam(Test::new(), &["--seed", "99"], "submit\n").1.json();
    let b = exam(Test::new(), &["--seed", "99"], "submit\n").1.json();
    let strip = |v: &Value| {
        v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (q["id"].clone(), q["correct_response"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
    let different: Vec<Value> =
        (0..8).map(|s| exam(Test::new(), &["--seed", &s.to_string()], "submit\n").1.json()).collect();
    assert!(different.iter().any(|r| strip(r) != strip(&a)), "seeds should vary the paper");
    assert!(bank.exists());
}

#[test]
fn multiple_response_half_right_gets_no_credit() {
    let key = key("5");
    let multi = key.iter().position(|k| k.len() == 2).expect("the multiple-response question is drawn");
    let right = key[multi].chars().next().unwrap();
    let wrong = ('A'..='E').find(|c| !key[multi].contains(*c)).unwrap();
    let mut script = answers(&key);
    // Go back and give one right and one wrong letter, then only one letter (refused).
    script.push_str(&format!("goto {}\n{right}{wrong}\ngoto {}\n{right}\nsubmit\n", multi + 1, multi + 1));
    let (_, run) = exam(Test::new(), &["--seed", "5"], &script);
    let result = run.json();
    let q = &result["questions"][multi];
    assert_eq!(
        q["response"].as_str().unwrap(),
        format!("{right}{wrong}")
            .chars()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<String>()
    );
    assert_eq!(q["correct"], false);
    assert_eq!(result["correct"], 4);
    assert!(run.stderr.contains("this question needs exactly 2 options; you gave 1"), "{}", run.stderr);
}

#[test]
fn unscored_items_do_not_count() {
    let bank = tiny_bank();
    let run = Test::new()
        .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--json", "--seed", "3", "--unscored"])
        .stdin("a\na\na\na\nab\nsubmit\n")
        .run();
    let result = run.json();
    // The tiny exam has 5 questions, 4 scored: one is unscored.
    assert_eq!(result["total"], 4, "{}", run.stdout);
    let unscored = result["questions"].as_array().unwrap().iter().filter(|q| q["scored"] == false).count();
    assert_eq!(unscored, 1);
}

#[test]
fn commands_flag_strike_review_and_navigate() {
    let script = "fl\nx b\nreview flagged\nnext\nprev\nreview unanswered\ntime\nhelp\nbogus\ngoto 9\nflag 3\n\
                  review\nreview unseen\nsubmit\n";
    let (_, run) = exam(Test::new(), &["--seed", "1"], script);
    let result = run.json();
    assert_eq!(result["questions"][0]["flagged"], true);
    assert_eq!(result["questions"][2]["flagged"], true);
    let out = &run.stderr;
    assert!(out.contains("Question 1 flagged for review."), "{out}");
    assert!(out.contains("B. [struck out] "), "{out}");
    // The real exam's states: question 1 seen (incomplete, flagged), the rest unseen.
    assert!(out.contains("Review (flagged: 1): 0 complete, 1 incomplete, 4 unseen, 1 flagged."), "{out}");
    assert!(out.contains(">  1 --!"), "{out}");
    // Flagged from the review screen without moving; the others never shown are unseen.
    assert!(out.contains("Question 3 flagged for review."), "{out}");
    assert!(out.contains(">  1 --!     2 --      3 ..!     4 ..      5 .."), "{out}");
    assert!(out.contains("Review (unseen: 3)"), "{out}");
    assert!(out.contains("`bogus` is not an answer (options are a to d) nor a command"), "{out}");
    assert!(out.contains("there is no question 9; questions are 1 to 5"), "{out}");
    assert!(out.contains("0:10:00 left.") || out.contains("0:09:59 left."), "time left shown: {out}");
    assert!(out.contains("strike X"), "help shown: {out}");
}

#[test]
fn eof_saves_and_resume_continues() {
    let key = key("21");
    let test = Test::new();
    let (test, run) = exam(test, &["--seed", "21"], &answers(&key[..2]));
    assert_eq!(run.status, 0);
    assert!(run.stdout.is_empty(), "no result yet: {}", run.stdout);
    assert!(
        run.stderr.contains("Saved attempt 1: 2 of 5 answered. Continue with `proctor resume 1`"),
        "{}",
        run.stderr
    );
    let bank = tiny_bank();
    let resume = test
        .args(["--bank-dir", bank.to_str().unwrap(), "resume", "--json"])
        .stdin(&(answers(&key[2..]) + "submit\n"));
    let run = resume.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let result = run.json();
    assert_eq!(result["attempt"], 1);
    assert_eq!(result["correct"], 5);
    // A finished attempt cannot be resumed.
    let again = resume.args(["--bank-dir", bank.to_str().unwrap(), "resume", "1"]).stdin("").run();
    assert_eq!(again.status, 2);
    assert!(again.stderr.contains("attempt 1 is already finished"), "{}", again.stderr);
}

#[test]
fn kill_9_loses_nothing_that_was_confirmed() {
    let key = key("8");
    let bank = tiny_bank();
    let test = Test::new().args([
        "--bank-dir",
        bank.to_str().unwrap(),
        "exam",
        "tiny",
        "--seed",
        "8",
        "--all-scored",
    ]);
    let mut child =
        test.command().stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "{}\nfl\n{}", key[0], key[1]).unwrap();
    stdin.flush().unwrap();
    // Wait until the second answer is confirmed, then kill without warning.
    let mut seen = String::new();
    let mut line = String::new();
    while !seen.contains("Question 2: answer") {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            panic!("proctor ended early: {seen}");
        }
        seen.push_str(&line);
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(stdin);
    let run = test.args(["--bank-dir", bank.to_str().unwrap(), "resume", "--json"]).stdin("submit\n").run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let result = run.json();
    assert_eq!(result["questions"][0]["response"].as_str().unwrap(), key[0]);
    assert_eq!(result["questions"][1]["response"].as_str().unwrap(), key[1]);
    assert_eq!(result["questions"][1]["flagged"], true);
    assert_eq!(result["correct"], 2);
}

#[test]
fn an_idle_script_is_ended_and_scored_at_the_deadline() {
    let bank = tiny_bank();
    let test = Test::new().args([
        "--bank-dir",
        bank.to_str().unwrap(),
        "exam",
        "tiny",
        "--seed",
        "4",
        "--json",
        "--time-limit",
        "2s",
    ]);
    let mut child =
        test.command().stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "b").unwrap();
    stdin.flush().unwrap();
    // Keep stdin open and idle: the deadline alone must end the attempt.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the deadline never ended the session");
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(status.success());
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["end_reason"], "time-up");
    assert_eq!(result["questions"][0]["response"], "B");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Time is up"));
}

#[test]
fn answers_after_the_deadline_do_not_count() {
    // A fake clock that moves 20 s per reading, with a 3-minute limit: the first answers
    // land in time, the rest after the deadline. (Seed 2 puts the multiple-response
    // question first.)
    let script = "ab\na\na\na\na\nsubmit\n";
    let (_, run) = exam(
        Test::new().env("PROCTOR_FAKE_CLOCK", "1000000+20000"),
        &["--seed", "2", "--time-limit", "3m"],
        script,
    );
    let result = run.json();
    assert_eq!(result["end_reason"], "time-up", "{}", run.stderr);
    let responses: Vec<&str> =
        result["questions"].as_array().unwrap().iter().map(|q| q["response"].as_str().unwrap()).collect();
    // The answers typed before the deadline count, the rest do not (how many fit depends on
    // how often the session reads the clock, so only the shape is pinned).
    let in_time = responses.iter().take_while(|r| !r.is_empty()).count();
    assert!((1..5).contains(&in_time), "{responses:?}");
    assert!(responses[in_time..].iter().all(|r| r.is_empty()), "{responses:?}");
    assert_eq!(responses[0], "AB");
    assert_eq!(result["seconds_used"], 180.0);
    assert_eq!(result["started_at"], "1970-01-01T00:16:40Z");
}

#[test]
fn resume_after_the_deadline_scores_at_once() {
    let bank = tiny_bank();
    let test = Test::new()
        .env("PROCTOR_FAKE_CLOCK", "1000000")
        .args([
            "--bank-dir",
            bank.to_str().unwrap(),
            "exam",
            "tiny",
            "--seed",
            "4",
            "--time-limit",
            "1m",
            "--all-scored",
        ])
        .stdin("b\n");
    test.run();
    let later = test
        .env("PROCTOR_FAKE_CLOCK", "9000000")
        .args(["--bank-dir", bank.to_str().unwrap(), "resume", "--json"])
        .stdin("a\nsubmit\n");
    let run = later.run();
    let result = run.json();
    assert_eq!(result["end_reason"], "time-up");
    assert_eq!(result["questions"][0]["response"], "B");
    assert_eq!(result["questions"][1]["response"], "");
    assert_eq!(result["seconds_used"], 60.0);
}

#[test]
fn a_damaged_store_is_reported_and_left_untouched() {
    let test = Test::new();
    let db = test.write("data/proctor.db", "definitely not SQLite ".repeat(200));
    let before = std::fs::read(&db).unwrap();
    let (test, run) = exam(test, &[], "submit\n");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("proctor.db is damaged or not a proctor database"), "{}", run.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    drop(test);
}

#[test]
fn bank_text_escapes_never_reach_the_terminal() {
    let test = Test::new();
    let blueprint = std::fs::read_to_string(tiny_bank().join("exam.toml")).unwrap();
    let questions = std::fs::read_to_string(tiny_bank().join("questions.toml")).unwrap();
    test.write("evil/tiny/exam.toml", blueprint);
    test.write(
        "evil/tiny/questions.toml",
        questions.replace("Option 1 of question 1", "Option \\u001b[2J one"),
    );
    let run = test.args(["--bank-dir", "evil", "exam", "tiny"]).stdin("submit\n").run();
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("control character U+001B"), "{}", run.stderr);
    assert!(!run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'));
}

#[test]
fn two_mock_exams_with_different_seeds_draw_mostly_different_questions() {
    for exam in ["saa-c03", "clf-c02"] {
        let paper = |seed: &str| -> std::collections::BTreeSet<String> {
            let run = Test::new().args(["exam", exam, "--seed", seed, "--json"]).stdin("submit\n").run();
            let result = run.json();
            assert_eq!(result["questions"].as_array().unwrap().len(), 65, "{exam}: a full exam");
            result["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["id"].as_str().unwrap().to_string())
                .collect()
        };
        let (a, b) = (paper("1"), paper("2"));
        let shared = a.intersection(&b).count();
        assert!(shared * 2 < a.len(), "{exam}: {shared} of 65 questions shared");
    }
}

#[test]
fn a_huge_script_line_is_cut_not_split_into_commands() {
    // 70 KiB of "n" then submit: the tail of the long line must not become 6,000 `n`s.
    let script = format!("{}\nsubmit\n", "n ".repeat(35 * 1024));
    let (_, run) = exam(Test::new(), &["--seed", "1"], &script);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.json()["end_reason"], "submitted");
    // One refusal for the one (cut) line, never thousands of commands.
    assert_eq!(run.stderr.matches("too long").count(), 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
}

#[test]
fn hide_domain_is_kept_across_resume() {
    let bank = tiny_bank();
    let test = Test::new().args([
        "--bank-dir",
        bank.to_str().unwrap(),
        "exam",
        "tiny",
        "--seed",
        "4",
        "--hide-domain",
    ]);
    let test = test.stdin("quit\n");
    let first = test.run();
    assert!(first.stdout.contains("Question 1 of 5\n"), "{}", first.stdout);
    assert!(!first.stdout.contains("Question 1 of 5  |"), "{}", first.stdout);
    let resumed = test.args(["--bank-dir", bank.to_str().unwrap(), "resume"]).stdin("quit\n").run();
    assert!(resumed.stdout.contains("Question 1 of 5\n"), "{}", resumed.stdout);
}

#[test]
fn a_full_shipped_mock_exam_answered_from_the_key_passes() {
    // The real bank, the real exam length: 65 questions answered from the key.
    let key_run = Test::new()
        .args(["exam", "saa-c03", "--seed", "77", "--json", "--all-scored"])
        .stdin("submit\n")
        .run();
    let key: Vec<String> = key_run.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["correct_response"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(key.len(), 65);
    let script: String = key.iter().map(|k| format!("{k}\n")).collect::<String>() + "submit\n";
    let run =
        Test::new().args(["exam", "saa-c03", "--seed", "77", "--json", "--all-scored"]).stdin(&script).run();
    let result = run.json();
    assert_eq!(
        (result["correct"].as_u64(), result["total"].as_u64()),
        (Some(65), Some(65)),
        "{}",
        run.stderr
    );
    assert_eq!(result["passed"], true);
    assert_eq!(result["domains"].as_array().unwrap().len(), 4);
    assert!(run.stderr.contains("Result: PASS"), "{}", run.stderr);
}

/// A full disk is reported as a full disk, and the healthy store keeps what it had. Needs a
/// small tmpfs (root on Linux); elsewhere the test says it was skipped. The wording of the
/// error itself is unit-tested in `store`.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_not_called_a_damaged_store() {
    let test = Test::new();
    let mount_point = test.dir.path().join("small");
    std::fs::create_dir_all(&mount_point).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&mount_point)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root); the disk-full path is not exercised");
        return;
    }
    let data = mount_point.join("data");
    let data_arg = data.to_str().unwrap().to_string();
    let first =
        Test::new().args(["--data-dir", &data_arg, "exam", "clf-c02", "--seed", "1"]).stdin("submit\n").run();
    assert_eq!(first.status, 0, "{}", first.stderr);
    // Fill the disk, then try to start another exam.
    let filler = mount_point.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 1024 * 1024]);
    let full =
        Test::new().args(["--data-dir", &data_arg, "exam", "saa-c03", "--seed", "2"]).stdin("submit\n").run();
    let _ = std::fs::remove_file(&filler);
    let history = Test::new().args(["--data-dir", &data_arg, "history", "--json"]).run();
    let _ = std::process::Command::new("umount").arg(&mount_point).status();
    assert_eq!(full.status, 2);
    assert!(full.stderr.contains("is full"), "{}", full.stderr);
    assert!(!full.stderr.contains("damaged"), "{}", full.stderr);
    assert_eq!(history.status, 0, "{}", history.stderr);
    assert_eq!(history.json().as_array().unwrap().len(), 1, "the first exam is still there");
}

#[test]
fn a_mock_exam_is_like_the_real_one_by_default() {
    // Unscored items mixed in (tiny: 5 questions, 4 scored) and the domains hidden.
    let bank = tiny_bank();
    let run = Test::new()
        .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "3", "--json"])
        .stdin("submit\n")
        .run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let result = run.json();
    assert_eq!(result["total"], 4, "scored questions");
    assert_eq!(result["questions"].as_array().unwrap().len(), 5);
    assert_eq!(result["questions"].as_array().unwrap().iter().filter(|q| q["scored"] == false).count(), 1);
    assert!(
        !run.stderr.contains("|  Alpha Domain") && !run.stderr.contains("|  Beta Domain"),
        "{}",
        run.stderr
    );
    let shown = Test::new()
        .args([
            "--bank-dir",
            bank.to_str().unwrap(),
            "exam",
            "tiny",
            "--seed",
            "3",
            "--show-domain",
            "--all-scored",
        ])
        .stdin("submit\n")
        .run();
    assert!(
        shown.stdout.contains("Alpha Domain") || shown.stdout.contains("Beta Domain"),
        "{}",
        shown.stdout
    );
    assert!(!shown.stdout.contains("unscored"), "{}", shown.stdout);
}

#[test]
fn missed_retakes_an_exams_misses_as_a_timed_set_at_the_exams_pace() {
    let (test, run) = exam(Test::new(), &["--seed", "3"], "a\na\na\na\nab\nsubmit\n");
    let missed = missed_ids(&run.json());
    assert!(!missed.is_empty() && missed.len() < 5, "a mix: {}", run.stdout);

    // Nothing answered: every question of the retake is missed, so its ids are the set's.
    let (test, run) = exam(test, &["--missed", "--seed", "8"], "submit\n");
    let retake = run.json();
    assert_eq!(retake["mode"], "exam");
    assert_eq!(missed_ids(&retake), missed, "{}", run.stderr);
    // The tiny exam allows 10 minutes for 5 questions: 2 minutes each.
    let intro = format!("Mock exam, seed 8: {} questions, {} minutes,", missed.len(), 2 * missed.len());
    assert!(run.stderr.contains(&intro), "{}", run.stderr);
    assert!(run.stderr.contains("A retake of the questions missed in attempt 1, at the real exam's pace."));
    // Its report says what it was, not a seed that would draw a full paper.
    assert!(run.stderr.contains("A retake of the questions missed in attempt 1.\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("reproduces this exam"), "{}", run.stderr);

    // Naming the attempt; and the retake (attempt 2) is now the latest exam.
    let (test, run) = exam(test, &["--missed", "1", "--seed", "9"], "submit\n");
    assert_eq!(missed_ids(&run.json()), missed);
    let (test, run) = exam(test, &["--missed", "--seed", "9"], "submit\n");
    assert!(run.stderr.contains("missed in attempt 3,"), "{}", run.stderr);

    let (_, run) = exam(test, &["--missed", "99"], "");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no attempt 99"), "{}", run.stderr);
    let (_, run) = exam(Test::new(), &["--missed"], "");
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("no finished mock exam of tiny yet: `proctor exam tiny` first"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_mock_exam_draws_unseen_questions_first_and_says_when_it_cannot() {
    // The tiny bank has 6 questions for a 5-question exam: the second paper holds the one
    // question the first left out, and says 4 are repeats.
    // Every question of the first paper put on screen.
    let (test, run) = exam(Test::new(), &["--seed", "3"], "n\nn\nn\nn\nsubmit\n");
    let first_ids = ids_of(&run.json());
    assert!(run.stderr.contains("`--seed 3` reproduces this exam."), "{}", run.stderr);
    let (test, run) = exam(test, &["--seed", "4"], "n\nn\nn\nn\nsubmit\n");
    let second = ids_of(&run.json());
    let new: Vec<&String> = second.iter().filter(|id| !first_ids.contains(id)).collect();
    assert_eq!(new.len(), 1, "the unseen question is on the paper: {second:?}");
    assert!(
        run.stderr.contains("Note: 4 of these questions you have seen before: the bank has too few unseen"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Seed 4, drawn with the"), "{}", run.stderr);
    // --include-seen draws by the seed alone: the same paper as on a machine with no history.
    let (_, run) = exam(test, &["--seed", "4", "--include-seen"], "submit\n");
    let (_, fresh_machine) = exam(Test::new(), &["--seed", "4"], "submit\n");
    assert_eq!(ids_of(&run.json()), ids_of(&fresh_machine.json()));
    assert!(run.stderr.contains("`--seed 4` reproduces this exam."), "{}", run.stderr);
}

/// The paper's question ids, in paper order.
fn ids_of(result: &Value) -> Vec<String> {
    result["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn pace_says_when_the_time_left_no_longer_covers_the_questions_left() {
    let bank = tiny_bank();
    let bank = bank.to_str().unwrap();
    // Every read of the fake clock is 10 s on; the tiny exam in 10 minutes is 2 minutes a
    // question.
    let base = ["--bank-dir", bank, "--fake-clock", "1800000000000+10000", "exam", "tiny", "--all-scored"];
    let script = "time\n".repeat(8) + "quit\n";
    let with_pace = Test::new().args(base.iter().copied().chain(["--pace"])).stdin(&script).run();
    let answers: Vec<&str> = with_pace.stdout.lines().filter(|l| l.ends_with(" pace.")).collect();
    assert_eq!(answers.len(), 8, "{}", with_pace.stdout);
    assert!(answers[0].ends_with("left; on pace."), "{answers:?}");
    assert!(answers[7].ends_with("left; behind pace."), "{answers:?}");
    let quiet = Test::new().args(base).stdin(&script).run();
    assert!(!quiet.stdout.contains("pace"), "off by default: {}", quiet.stdout);
    assert_eq!(quiet.stdout.matches(" left.\n").count(), 8, "{}", quiet.stdout);
}
