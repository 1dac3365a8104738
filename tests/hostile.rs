//! Hostile and awkward input, each case from the test campaign of the hardening issue:
//! never a hang, a panic or raw text on the terminal, and nothing lost.

use crate::util::{Test, tiny_bank};

/// The tiny fixture bank copied into `test`'s folder (so a test can change it).
fn copy_tiny(test: &Test, to: &str) -> std::path::PathBuf {
    let dir = test.dir.path().join(to);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(tiny_bank()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn crlf_line_ends_are_line_ends() {
    let test = Test::new();
    let dir = copy_tiny(&test, "crlf/tiny");
    for name in ["exam.toml", "questions.toml"] {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        std::fs::write(&path, text).unwrap();
    }
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s)"), "{}", run.stdout);
    // A lone carriage return is still refused, with its place.
    let path = dir.join("questions.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen("Scenario 1:", "Scenario\r1:", 1);
    std::fs::write(&path, text).unwrap();
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("questions.toml:8:10: error: carriage return"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_toml_is_reported_not_waited_on() {
    let test = Test::new();
    let dir = copy_tiny(&test, "fifo/tiny");
    let fifo = dir.join("zz-pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // Before: check, list and exam blocked for ever opening the FIFO.
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("zz-pipe.toml:1:1: error: not a regular file"), "{}", run.stdout);
    let list = Test::new().args(["--bank-dir", dir.to_str().unwrap(), "list"]).run();
    assert_eq!(list.status, 2, "the broken bank is named: {}", list.stderr);
    assert!(list.stdout.contains("saa-c03"), "the other exams are listed");
}

#[test]
fn a_line_break_in_a_one_line_field_is_refused() {
    let test = Test::new();
    let dir = copy_tiny(&test, "newline/tiny");
    let path = dir.join("exam.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name = \"Alpha Domain\"", "name = \"Alpha\\nTime is up. Your score: 1000 (PASS).\"");
    std::fs::write(&path, text).unwrap();
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("domain name must be one line"), "{}", run.stdout);
}

#[test]
fn invisible_characters_in_bank_text_are_refused_with_their_place() {
    let test = Test::new();
    for (i, hostile) in [
        "\u{200b}",
        "\u{00ad}",
        "\u{200f}",
        "\u{e0041}\u{e0042}",
        "\u{2028}",
        "\u{fff9}",
        "e\u{301}\u{301}\u{301}\u{301}",
    ]
    .iter()
    .enumerate()
    {
        let dir = copy_tiny(&test, &format!("invisible{i}/tiny"));
        let path = dir.join("questions.toml");
        let text = std::fs::read_to_string(&path).unwrap().replacen(
            "Option 2 of question 1",
            &format!("Option{hostile}2"),
            1,
        );
        std::fs::write(&path, text).unwrap();
        let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
        assert_eq!(run.status, 1, "{hostile:?}: {}", run.stdout);
        assert!(
            run.stdout.contains("questions.toml:") && run.stdout.contains("option text contains"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains(*hostile), "never echoed raw: {hostile:?}");
    }
}

#[test]
fn typed_input_is_never_echoed_raw() {
    // ESC, BEL, C1 and RLO in a piped answers file.
    let script = "\u{1b}[2J\u{7}hello\nz\u{9b}31m\n\u{202e}abc 9\nq\n";
    let run = Test::new()
        .args(["--bank-dir", tiny_bank().to_str().unwrap(), "exam", "tiny", "--seed", "1"])
        .stdin(script)
        .run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!run.stdout.contains(raw), "{raw:?} reached the terminal:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("unknown command"), "{}", run.stdout);
}

#[test]
fn a_blueprint_with_fifty_thousand_domains_is_checked_in_linear_time() {
    // Before: each domain was compared with every earlier one, and each question looked its
    // domain up in a list: 100,000 domains took 20 s. This run would take minutes then.
    let test = Test::new();
    let mut blueprint = String::from(
        "format = 1\nid = \"many\"\ncode = \"M\"\ntitle = \"M\"\nvendor = \"M\"\nlevel = \"associate\"\n\
         exam_questions = 1\nscored_questions = 1\nminutes = 1\npassing_score = 700\n\
         [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n",
    );
    for i in 0..50_000 {
        blueprint.push_str(&format!("[[domain]]\nid = \"d{i}\"\nname = \"D\"\nweight = 1\n"));
    }
    test.write("many/exam.toml", &blueprint);
    test.write(
        "many/q.toml",
        "[[question]]\nid = \"q\"\ndomain = \"d49999\"\nkind = \"multiple-choice\"\nstem = \"s\"\n\
         explanation = \"e\"\nreferences = [\"https://example.com\"]\n\
         [[question.option]]\ntext = \"a\"\ncorrect = true\nrationale = \"r\"\n\
         [[question.option]]\ntext = \"b\"\nrationale = \"r\"\n",
    );
    let run = test.args(["check", "many"]).run();
    assert_eq!(run.status, 1, "the weights sum to 50000: {}", &run.stdout[..run.stdout.len().min(500)]);
    assert!(
        run.stdout.contains("domain weights sum to 50000, not 100"),
        "{}",
        &run.stdout[..run.stdout.len().min(500)]
    );
}

#[test]
fn damaged_text_in_the_store_is_not_printed_raw() {
    let test = Test::new();
    let run = Test::new()
        .args(["--bank-dir", tiny_bank().to_str().unwrap(), "exam", "tiny", "--seed", "1"])
        .stdin("submit\n");
    let run = run.env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap()).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let conn = rusqlite::Connection::open(test.data_dir().join("proctor.db")).unwrap();
    conn.execute_batch("UPDATE attempts SET exam = 'tiny' || char(27) || '[2J' || char(133); UPDATE attempt_items SET question_id = question_id || char(155);").unwrap();
    drop(conn);
    let history =
        Test::new().args(["history"]).env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap()).run();
    let json = Test::new()
        .args(["history", "--json"])
        .env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap())
        .run();
    for out in [&history.stdout, &history.stderr, &json.stdout] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{85}') && !out.contains('\u{9b}'), "raw: {out}");
    }
    assert!(
        json.stdout.contains("\\u001b") || json.stdout.contains("\\u0085"),
        "escaped in JSON: {}",
        json.stdout
    );
}

/// Starts `proctor resume ID` on `test`'s data folder with stdin kept open (the session
/// waits at its prompt) and waits until it has shown its first question.
fn hold_resume(test: &Test, id: &str) -> (std::process::Child, std::process::ChildStdin) {
    use std::io::Read;
    let mut command = test.command();
    command.args(["--bank-dir", tiny_bank().to_str().unwrap(), "resume", id]);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("Question ") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "the first session ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || while stdout.read(&mut buf).is_ok_and(|n| n > 0) {});
    (child, stdin)
}

#[test]
fn an_attempt_has_one_live_session_at_a_time() {
    use std::io::Write;
    let test = Test::new();
    let bank = tiny_bank();
    let args = |rest: &[&str]| {
        let mut all = vec!["--bank-dir".to_string(), bank.to_str().unwrap().to_string()];
        all.extend(rest.iter().map(|s| s.to_string()));
        all
    };
    let start = Test::new().args(args(&["exam", "tiny", "--seed", "1"])).stdin("quit\n");
    let start = start.env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap()).run();
    assert!(start.stdout.contains("Saved attempt 1"), "{}", start.stdout);

    // Before: both resumed, both finished, and reported different scores.
    let (mut first, mut first_in) = hold_resume(&test, "1");
    let second = Test::new().args(args(&["resume", "1"])).stdin("b\nsubmit\n");
    let second = second.env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap()).run();
    assert_eq!(second.status, 2, "{}{}", second.stdout, second.stderr);
    assert!(second.stderr.contains("attempt 1 is open in another proctor"), "{}", second.stderr);

    // Once the first session quits, the attempt can be resumed again.
    first_in.write_all(b"quit\n").unwrap();
    drop(first_in);
    assert!(first.wait().unwrap().success());
    let third = Test::new().args(args(&["resume", "1", "--json"])).stdin("b\nsubmit\n");
    let third = third.env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap()).run();
    assert_eq!(third.status, 0, "{}", third.stderr);
    assert_eq!(third.json()["attempt"], 1);
}

#[test]
fn a_session_that_lost_its_attempt_writes_nothing() {
    use std::io::Write;
    let test = Test::new();
    let start = Test::new()
        .args(["--bank-dir", tiny_bank().to_str().unwrap(), "exam", "tiny", "--seed", "1"])
        .stdin("quit\n")
        .env("PROCTOR_DATA_DIR", test.data_dir().to_str().unwrap())
        .run();
    assert!(start.stdout.contains("Saved attempt 1"), "{}", start.stdout);
    let (mut first, mut first_in) = hold_resume(&test, "1");
    // Another session takes the attempt over (as `--take-over` from another machine would).
    let conn = rusqlite::Connection::open(test.data_dir().join("proctor.db")).unwrap();
    conn.execute("UPDATE attempt_owners SET token = 'someone-else' WHERE attempt_id = 1", []).unwrap();
    first_in.write_all(b"b\n").unwrap();
    drop(first_in);
    let status = first.wait().unwrap();
    assert_eq!(status.code(), Some(2), "the stale session stops with an error");
    let answer: Option<String> = conn
        .query_row("SELECT answer FROM attempt_items WHERE attempt_id = 1 AND position = 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answer, None, "its answer was not written");
}

#[test]
fn a_store_that_fails_its_integrity_check_is_never_written() {
    let test = Test::new();
    let data = test.data_dir();
    let bank = tiny_bank();
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--bank-dir", bank.to_str().unwrap()];
        all.extend_from_slice(args);
        Test::new().args(&all).stdin(stdin).env("PROCTOR_DATA_DIR", data.to_str().unwrap()).run()
    };
    assert_eq!(run(&["exam", "tiny", "--seed", "1"], "quit\n").status, 0);
    // Damage an index so SQLite's integrity check fails while the file still opens: its
    // definition no longer matches its entries.
    let path = data.join("proctor.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX attempts_by_exam ON attempts(mode, started_at)'
           WHERE name = 'attempts_by_exam';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    // Before: exam, resume and review exited 0 and modified it.
    for (args, stdin) in [
        (&["exam", "tiny", "--seed", "2"][..], "b\nsubmit\n"),
        (&["resume", "1"][..], "b\nsubmit\n"),
        (&["review"][..], ""),
    ] {
        let out = run(args, stdin);
        assert_eq!(out.status, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("damaged"), "{args:?}: {}", out.stderr);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the damaged store was left untouched");
}

#[test]
fn the_total_an_exam_may_load_is_bounded() {
    // Three 200 MiB question files (sparse: no disk is used): each is under the per-file
    // limit, together over the per-exam one, and nothing is read.
    let test = Test::new();
    let dir = copy_tiny(&test, "huge/tiny");
    for n in 0..3 {
        let file = std::fs::File::create(dir.join(format!("big{n}.toml"))).unwrap();
        file.set_len(200 * 1024 * 1024).unwrap();
    }
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("question files hold 600 MiB; at most 512 MiB are read"), "{}", run.stdout);
}

#[test]
fn deep_folders_warn_and_an_unreadable_folder_does_not_stop_the_others() {
    let test = Test::new();
    let dir = copy_tiny(&test, "banks/tiny");
    let deep = dir.join("a/b/c/d/e/f/g/h/i");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(dir.join("questions.toml"), deep.join("more.toml")).unwrap();
    let run = Test::new().args(["check", dir.to_str().unwrap()]).run();
    assert!(run.stdout.contains("more than 8 levels below its exam folder"), "{}", run.stdout);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Running as root, permissions do not stop reads: then there is nothing to test.
        let locked = test.dir.path().join("banks/locked");
        std::fs::create_dir_all(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::read_dir(&locked).is_ok();
        let banks = test.dir.path().join("banks");
        let list = Test::new().args(["--bank-dir", banks.to_str().unwrap(), "list", "--json"]).run();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            eprintln!("skipped the unreadable-folder half: permissions do not apply to this user");
        } else {
            assert!(list.stderr.contains("cannot read this folder"), "{}", list.stderr);
            assert!(list.stdout.contains("\"tiny\""), "the readable bank is still listed: {}", list.stdout);
        }
    }
}

#[test]
fn an_expired_attempt_never_resumed_is_listed_as_expired() {
    let test = Test::new();
    let data = test.data_dir();
    let env = data.to_str().unwrap();
    let bank = tiny_bank();
    let bank = bank.to_str().unwrap();
    let start = Test::new()
        .args(["--bank-dir", bank, "--fake-clock", "1800000000000", "exam", "tiny", "--time-limit", "1m"])
        .stdin("quit\n")
        .env("PROCTOR_DATA_DIR", env)
        .run();
    assert!(start.stdout.contains("Saved attempt 1"), "{}", start.stdout);
    // An hour later it is past its deadline.
    let later = |args: &[&str]| {
        let mut all = vec!["--bank-dir", bank, "--fake-clock", "1800003600000"];
        all.extend_from_slice(args);
        Test::new().args(&all).env("PROCTOR_DATA_DIR", env).run()
    };
    let history = later(&["history"]);
    assert!(history.stdout.contains("expired"), "{}", history.stdout);
    assert_eq!(later(&["history", "--json"]).json()[0]["expired"], true);
}

/// The peak resident memory (VmHWM) of `proctor ... exam tiny` on `bank`, in KiB, read
/// while the session waits at its first question (the bank is loaded by then).
#[cfg(target_os = "linux")]
fn peak_kib_at_first_question(test: &Test, bank: &std::path::Path) -> u64 {
    use std::io::{Read, Write};
    let mut command = test.command();
    command.args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "1"]);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("Question 1 of") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "the exam ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    stdin.write_all(b"quit\n").unwrap();
    drop(stdin);
    std::thread::spawn(move || while stdout.read(&mut buf).is_ok_and(|n| n > 0) {});
    assert!(child.wait().unwrap().success());
    peak
}

#[cfg(target_os = "linux")]
#[test]
fn a_large_question_file_takes_a_few_times_its_size_in_memory() {
    // One 8 MB file of small questions: its parsed TOML document alone used to take
    // twenty times the file (the 200 MB bank took 5.5 GB); read in pieces, the
    // exam holds the questions and little more.
    let test = Test::new();
    let small = copy_tiny(&test, "small/tiny");
    let large = copy_tiny(&test, "large/tiny");
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 8 * 1024 * 1024 {
        let domain = if n % 2 == 0 { "alpha" } else { "beta" };
        text.push_str(&format!(
            "[[question]]\nid = \"bulk-{n}\"\ndomain = \"{domain}\"\nkind = \"multiple-choice\"\n\
             stem = \"Which storage class suits data read once a year, case {n}?\"\n\
             explanation = \"S3 Glacier Deep Archive costs least for data read about once a year.\"\n\
             references = [\"https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html\"]\n"
        ));
        for (i, option) in
            ["S3 Standard", "S3 Glacier Deep Archive", "S3 One Zone-IA", "EBS gp3"].iter().enumerate()
        {
            let correct = if i == 1 { "true" } else { "false" };
            text.push_str(&format!(
                "[[question.option]]\ntext = \"{option} for case {n}\"\ncorrect = {correct}\nrationale = \"Option {i} of case {n}.\"\n"
            ));
        }
        text.push('\n');
        n += 1;
    }
    std::fs::write(large.join("bulk.toml"), &text).unwrap();
    let baseline = peak_kib_at_first_question(&test, &small);
    let peak = peak_kib_at_first_question(&test, &large);
    let file_kib = text.len() as u64 / 1024;
    // The questions themselves take about three times their TOML here (small strings,
    // each its own allocation); the whole parsed document took more than twenty.
    assert!(
        peak.saturating_sub(baseline) < 6 * file_kib,
        "{n} questions in {file_kib} KiB took {} KiB more than the tiny exam ({peak} against {baseline})",
        peak.saturating_sub(baseline)
    );
}
