//! The real interactive prompt in a pseudo-terminal of 80x24: the start screen, the status
//! line with its live clock, answering, flagging, the review screen, paging a long
//! question, Ctrl-C, and the deadline interrupting an idle prompt.

use rexpect::session::{PtySession, spawn_command};

use crate::util::{Test, tiny_bank};

/// Runs proctor with `args` in an 80x24 pty (20 s expect timeout: 2-core CI is slow).
fn spawn(test: &Test, args: &[&str]) -> PtySession {
    let mut command = std::process::Command::new("sh");
    // The pty gets its size from stty, as a terminal emulator would set it.
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    command.arg("-c").arg(format!(
        "stty rows 24 cols 80 && exec '{}' {}",
        crate::util::BIN,
        quoted.join(" ")
    ));
    command.current_dir(test.dir.path()).env("PROCTOR_DATA_DIR", test.data_dir()).env("TERM", "xterm");
    command.env_remove("PROCTOR_FAKE_CLOCK").env_remove("COLUMNS").env_remove("LINES");
    spawn_command(command, Some(20_000)).expect("spawn proctor in a pty")
}

/// Starts `proctor exam tiny` (all scored, so the counts are the paper's) and passes its
/// start screen.
fn start(test: &Test, extra: &[&str]) -> PtySession {
    let bank = tiny_bank();
    let mut args = vec!["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "4", "--all-scored"];
    args.extend_from_slice(extra);
    let mut p = spawn(test, &args);
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    p
}

#[test]
fn answer_flag_review_and_countdown_at_the_real_prompt() {
    let test = Test::new();
    let mut p = start(&test, &[]);
    // The prompt, and the status line on top (redrawn every second): question and clock.
    // (The two are drawn by different threads, so their order in the output varies.)
    p.exp_regex(r"\[1/5 \| answered 0 \| flagged 0\] > ").unwrap();
    p.exp_regex(r"Question 1 of 5 +Time left 0:(10:00|09:5\d)").unwrap();
    p.send_line("b?").unwrap();
    p.exp_string("Question 1: answer B (guessing) saved.").unwrap();
    p.exp_regex(r"\[2/5 \| answered 1 \| flagged 0\] > ").unwrap();
    p.send_line("flag").unwrap();
    p.exp_string("Question 2 flagged for review.").unwrap();
    p.exp_regex(r"\[2/5 \| answered 1 \| flagged 1\] > ").unwrap();
    p.exp_regex(r"Question 2 of 5   \[Flagged\] +Time left").unwrap();
    p.send_line("review").unwrap();
    p.exp_string("Review (all questions: 5): 1 complete, 1 incomplete, 3 unseen, 1 flagged.").unwrap();
    p.exp_string("   1 B    >  2 --!     3 ..").unwrap();
    p.exp_string("] > ").unwrap();
    // Ending asks first, and says what is not complete.
    p.send_line("end review").unwrap();
    p.exp_string("4 not complete and 1 flagged. End the exam and score it? [y/N]").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("Not submitted.").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("submit").unwrap();
    p.exp_string("End the exam and score it?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("TINY-01 mock exam: attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_offers_to_save_and_quit() {
    let test = Test::new();
    let mut p = start(&test, &[]);
    p.exp_string("] > ").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Save and quit?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn the_deadline_interrupts_an_idle_prompt() {
    let test = Test::new();
    let mut p = start(&test, &["--time-limit", "3s"]);
    p.exp_string("] > ").unwrap();
    // Type nothing: the attempt must end on its own.
    p.exp_string("Time is up").unwrap();
    p.exp_string("Result: FAIL").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_warning_is_printed_above_the_prompt_at_one_minute_left() {
    let test = Test::new();
    let mut p = start(&test, &["--time-limit", "62s"]);
    // Idle: at 60 s left the timer thread prints above the prompt, with the same time as
    // the status line.
    p.exp_string("*** 1 minute left (0:01:00 remaining) ***").unwrap();
    p.send_line("quit").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_d_saves_and_quits() {
    let test = Test::new();
    let mut p = start(&test, &[]);
    p.exp_string("] > ").unwrap();
    p.send_line("c").unwrap();
    p.exp_string("Question 1: answer C saved.").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_control('d').unwrap();
    p.exp_string("Saved attempt 1: 1 of 5 answered").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn drill_feedback_waits_for_enter_at_the_prompt() {
    let test = Test::new();
    let bank = tiny_bank();
    let mut p = spawn(
        &test,
        &["--bank-dir", bank.to_str().unwrap(), "drill", "tiny", "--domain", "beta", "--seed", "1"],
    );
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("a").unwrap();
    p.exp_regex("(Correct|Incorrect)").unwrap();
    p.exp_string("Explanation of question").unwrap();
    p.exp_string("Press Enter for the next question").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[2/2 | answered 1").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("a").unwrap();
    p.exp_string("Press Enter for the summary").unwrap();
    p.send_line("").unwrap();
    p.exp_string("TINY-01 drill: attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn an_ordering_item_is_answered_at_the_real_prompt() {
    let test = Test::new();
    let bank = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/kinds");
    let mut p = spawn(&test, &["--bank-dir", bank.to_str().unwrap(), "exam", "kinds", "--seed", "9"]);
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    p.exp_string("] > ").unwrap();
    // Seed 9 puts the ordering item third; its steps are shuffled from the seed.
    p.send_line("goto 3").unwrap();
    p.exp_string("Put 4 of these steps in order").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("e b").unwrap();
    p.exp_string("Question 3: answer EB saved.").unwrap();
    p.exp_string("Not complete yet").unwrap();
    p.exp_string("] > ").unwrap();
    // Tab offers the steps not used yet (a, c, d): the first, a, then d typed.
    p.send("e b \t").unwrap();
    p.send_line("d").unwrap();
    p.exp_string("Question 3: answer EBAD saved.").unwrap();
    p.exp_string("[4/6").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("submit").unwrap();
    p.exp_string("End the exam and score it?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("KINDS-01 mock exam: attempt 1").unwrap();
    p.exp_string("Correct: 1 of 6").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn the_clock_ticks_while_the_candidate_is_idle() {
    // Before: the prompt said "2:00 left" for ever, above a warning that said 0:59.
    let test = Test::new();
    let mut p = start(&test, &["--time-limit", "2m"]);
    p.exp_regex(r"Time left 0:02:00|Time left 0:01:59").unwrap();
    // Nothing typed: the status line is redrawn as the seconds pass.
    p.exp_string("Time left 0:01:58").unwrap();
    p.exp_string("Time left 0:01:57").unwrap();
    p.send_line("quit").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn with_pace_the_status_line_says_when_the_candidate_falls_behind() {
    // 5 questions in 25 s: 5 s each, and "behind" once more than one question's time is
    // used without an answer (the time left falls below 20 s).
    let test = Test::new();
    let mut p = start(&test, &["--time-limit", "25s", "--pace"]);
    p.exp_regex(r"Question 1 of 5 +Time left 0:00:2[45]").unwrap();
    p.exp_string("Behind pace   Time left 0:00:19").unwrap();
    // Answering catches up: the cue goes again.
    p.send_line("a").unwrap();
    p.exp_string("Question 1: answer A saved.").unwrap();
    p.exp_regex(r"Question 2 of 5 +Time left 0:00:1\d").unwrap();
    p.send_line("quit").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_resized_terminal_gets_its_status_line_and_screen_at_the_new_size() {
    let test = Test::new();
    let bank = tiny_bank();
    let mut command = std::process::Command::new("sh");
    // As `spawn`, and the pty's name written down so the test can resize it.
    command.arg("-c").arg(format!(
        "stty rows 24 cols 80 && tty > pty-name && exec '{}' --bank-dir '{}' exam tiny --seed 4 --all-scored",
        crate::util::BIN,
        bank.display()
    ));
    command.current_dir(test.dir.path()).env("PROCTOR_DATA_DIR", test.data_dir()).env("TERM", "xterm");
    command.env_remove("PROCTOR_FAKE_CLOCK").env_remove("COLUMNS").env_remove("LINES");
    let mut p = spawn_command(command, Some(20_000)).expect("spawn proctor in a pty");
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    p.exp_regex(r"\[1/5 \| answered 0 \| flagged 0\] > ").unwrap();
    let name = std::fs::read_to_string(test.dir.path().join("pty-name")).unwrap();
    // What a terminal emulator does when its window is resized (the kernel then signals
    // the program, SIGWINCH).
    let resized = std::process::Command::new("stty")
        .args(["-F", name.trim(), "rows", "30", "cols", "100"])
        .status()
        .unwrap();
    assert!(resized.success());
    // The scrolling region is set again for 30 rows, and the status line spans 100 columns.
    p.exp_string("\u{1b}[2;30r").unwrap();
    p.exp_regex(r"Question 1 of 5 {60,}Time left").unwrap();
    // Enter draws the question again below the status line.
    p.send_line("").unwrap();
    p.exp_string("\u{1b}[2;1H\u{1b}[JScenario").unwrap();
    p.send_line("quit").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn the_start_screen_waits_and_ending_always_asks() {
    let test = Test::new();
    let bank = tiny_bank();
    let mut p =
        spawn(&test, &["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "4", "--all-scored"]);
    // The start screen names the exam, its length, time and pass mark; the clock waits.
    p.exp_string("5 questions, 10 minutes, pass mark 720").unwrap();
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    // The paper's keys, from a scripted run of the same seed (any complete answer will do).
    let key = crate::util::Test::new()
        .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "4", "--all-scored", "--json"])
        .stdin("submit\n")
        .run()
        .json();
    for (n, question) in key["questions"].as_array().unwrap().iter().enumerate() {
        p.exp_string(&format!("[{}/5 | answered {}", n + 1, n)).unwrap();
        p.exp_string("] > ").unwrap();
        p.send_line(&question["correct_response"].as_str().unwrap().to_lowercase()).unwrap();
    }
    // Every question complete and nothing flagged: the real exam still asks.
    p.exp_string("[5/5 | answered 5").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("submit").unwrap();
    p.exp_string("Every question is complete. End the exam and score it? [y/N]").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("TINY-01 mock exam: attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_question_taller_than_the_terminal_is_paged_under_its_status_line() {
    // One question with a long stem: at 80x24 it cannot fit, so it is shown a page at a
    // time and the status line (question number, flag, clock) is never scrolled away.
    let test = Test::new();
    let long_stem: String =
        (1..=40).map(|n| format!("Line {n} of a long scenario about a company.\n\n")).collect();
    test.write(
        "long/exam.toml",
        "format = 1\nid = \"long\"\ncode = \"LONG-1\"\ntitle = \"Long\"\nvendor = \"T\"\nlevel = \"associate\"\n\
         exam_questions = 1\nscored_questions = 1\nminutes = 5\npassing_score = 700\n\
         [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n[[domain]]\nid = \"d\"\nname = \"D\"\nweight = 100\n",
    );
    test.write(
        "long/q.toml",
        format!(
            "[[question]]\nid = \"q\"\ndomain = \"d\"\nkind = \"multiple-choice\"\nstem = \"\"\"\n{long_stem}Which option?\"\"\"\n\
             explanation = \"e\"\nreferences = [\"https://example.com\"]\n\
             [[question.option]]\ntext = \"First\"\ncorrect = true\nrationale = \"r\"\n\
             [[question.option]]\ntext = \"Second\"\nrationale = \"r\"\n"
        ),
    );
    let bank = test.dir.path().join("long");
    let mut p = spawn(&test, &["--bank-dir", bank.to_str().unwrap(), "exam", "long"]);
    p.exp_string("Press Enter to begin").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Line 1 of a long scenario").unwrap();
    p.exp_string("-- page 1 of").unwrap();
    p.exp_regex(r"\x1b\[1;1H\x1b\[2K.*Question 1 of 1").unwrap();
    p.send_line("").unwrap();
    p.exp_string("-- page 2 of").unwrap();
    p.send_line("quit").unwrap();
    p.exp_string("Saved attempt 1").unwrap();
    p.exp_eof().unwrap();
}
