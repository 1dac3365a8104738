//! The real interactive prompt in a pseudo-terminal: answering, flagging, the review
//! screen, the countdown, Ctrl-C, and the deadline interrupting an idle prompt.

use rexpect::session::{PtySession, spawn_command};

use crate::util::{Test, tiny_bank};

/// Starts `proctor exam tiny` in a pty with a 20 s expect timeout (2-core CI is slow).
fn start(test: &Test, extra: &[&str]) -> PtySession {
    let bank = tiny_bank();
    let mut args = vec!["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "4"];
    args.extend_from_slice(extra);
    let mut command = test.command();
    command.args(&args);
    command.env("TERM", "xterm");
    spawn_command(command, Some(20_000)).expect("spawn proctor in a pty")
}

#[test]
fn answer_flag_review_and_countdown_at_the_real_prompt() {
    let test = Test::new();
    let mut p = start(&test, &[]);
    p.exp_string("Question 1 of 5").unwrap();
    // The prompt shows position, progress and the countdown.
    p.exp_regex(r"\[1/5 \| answered 0 \| flagged 0 \| (10:00|9:5\d) left\] > ").unwrap();
    p.send_line("b").unwrap();
    p.exp_string("Question 1: answer B saved.").unwrap();
    p.exp_string("Question 2 of 5").unwrap();
    p.send_line("flag").unwrap();
    p.exp_string("Question 2 flagged for review.").unwrap();
    p.exp_regex(r"\[2/5 \| answered 1 \| flagged 1 \| ").unwrap();
    p.send_line("review").unwrap();
    p.exp_string("Review (5 questions): 1 answered, 4 unanswered, 1 flagged.").unwrap();
    p.exp_string("   1 B    >  2 --!").unwrap();
    // Submitting with unanswered questions asks first.
    p.send_line("submit").unwrap();
    p.exp_string("4 unanswered and 1 flagged. Submit now? [y/N]").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("Not submitted.").unwrap();
    p.send_line("submit").unwrap();
    p.exp_string("Submit now?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("TINY-01 mock exam: attempt 1").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_offers_to_save_and_quit() {
    let test = Test::new();
    let mut p = start(&test, &[]);
    p.exp_string("Question 1 of 5").unwrap();
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
    p.exp_string("Question 1 of 5").unwrap();
    // Type nothing: the attempt must end on its own.
    p.exp_string("Time is up").unwrap();
    p.exp_string("Result: FAIL").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_warning_is_printed_above_the_prompt_at_one_minute_left() {
    let test = Test::new();
    let mut p = start(&test, &["--time-limit", "62s"]);
    p.exp_string("Question 1 of 5").unwrap();
    p.exp_string("] > ").unwrap();
    // Idle: at 60 s left the timer thread prints above the prompt.
    p.exp_string("1 minute left").unwrap();
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
    let mut command = test.command();
    command.args(["--bank-dir", bank.to_str().unwrap(), "drill", "tiny", "--domain", "beta", "--seed", "1"]);
    command.env("TERM", "xterm");
    let mut p = spawn_command(command, Some(20_000)).expect("spawn proctor in a pty");
    p.exp_string("Question 1 of 2").unwrap();
    p.exp_string("] > ").unwrap();
    p.send_line("a").unwrap();
    p.exp_regex("(Correct|Incorrect)").unwrap();
    p.exp_string("Explanation of question").unwrap();
    p.exp_string("Press Enter for the next question").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Question 2 of 2").unwrap();
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
    let mut command = test.command();
    command.arg("--bank-dir").arg(&bank).args(["exam", "kinds", "--seed", "9"]);
    command.env("TERM", "xterm");
    let mut p = spawn_command(command, Some(20_000)).expect("spawn proctor in a pty");
    p.exp_string("Question 1 of 6").unwrap();
    // Seed 9 puts the ordering item third; its steps are shuffled from the seed.
    p.send_line("goto 3").unwrap();
    p.exp_string("Put 4 of these steps in order").unwrap();
    p.send_line("e b").unwrap();
    p.exp_string("Question 3: answer EB saved.").unwrap();
    p.exp_string("Not complete yet").unwrap();
    // Tab offers the steps not used yet (a, c, d): the first, a, then d typed.
    p.send("e b \t").unwrap();
    p.send_line("d").unwrap();
    p.exp_string("Question 3: answer EBAD saved.").unwrap();
    p.exp_string("Question 4 of 6").unwrap();
    p.send_line("submit").unwrap();
    p.exp_string("Submit now?").unwrap();
    p.send_line("y").unwrap();
    p.exp_string("KINDS-01 mock exam: attempt 1").unwrap();
    p.exp_string("Correct: 1 of 6").unwrap();
    p.exp_eof().unwrap();
}
