//! User-facing fixes from a new-user trial: lists in bank text, wrapped lines, partial
//! ordering answers, resume and drill times, unknown exam ids, zero limits and short banks.

use crate::util::{Test, tiny_bank};

/// The tiny bank copied into `test`'s folder (`bank/tiny`), each question file's text
/// passed through `change`; returns the `--bank-dir` to pass.
fn tiny_copy(test: &Test, change: impl Fn(&str) -> String) -> String {
    let from = tiny_bank();
    for name in ["exam.toml", "questions.toml"] {
        let text = std::fs::read_to_string(from.join(name)).unwrap();
        let text = if name == "questions.toml" { change(&text) } else { text };
        test.write(&format!("bank/tiny/{name}"), text);
    }
    test.dir.path().join("bank").display().to_string()
}

/// Every stem's scenario line replaced by a numbered list and a bulleted one.
const LIST_STEM: &str = "A hospital imaging group is moving three data sets to Amazon S3:
1. Processed image sets (20 TB, about 40 MB each) that are derived from the originals and can
be regenerated at any time.
2) Original scans (2 PB) that must be kept for 10 years.
- Prior studies that are opened about once a quarter and must open immediately when asked.
* Nothing else.";

/// The tiny bank with every stem's scenario line replaced by `LIST_STEM`.
fn list_bank(test: &Test) -> String {
    tiny_copy(test, |text| {
        (1..=6).fold(text.to_string(), |text, n| {
            let start = text.find(&format!("Scenario {n}:")).unwrap();
            let end = start + text[start..].find('\n').unwrap();
            format!("{}{LIST_STEM}{}", &text[..start], &text[end..])
        })
    })
}

#[test]
fn list_items_in_a_stem_keep_their_lines_with_a_hanging_indent() {
    let test = Test::new();
    let dir = list_bank(&test);
    let run = test.args(["--bank-dir", &dir, "exam", "tiny", "--seed", "1"]).stdin("quit\n").run();
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let expected = "A hospital imaging group is moving three data sets to Amazon S3:
1. Processed image sets (20 TB, about 40 MB each) that are derived from the
   originals and can be regenerated at any time.
2) Original scans (2 PB) that must be kept for 10 years.
- Prior studies that are opened about once a quarter and must open immediately
  when asked.
* Nothing else.
";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
}

#[test]
fn the_pass_probability_lines_are_wrapped_to_the_width_like_the_rest() {
    let bank = tiny_bank();
    for columns in ["40", "80"] {
        let test = Test::new()
            .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "1"])
            .env("COLUMNS", columns)
            .stdin("submit\n");
        let exam = test.run();
        assert_eq!(exam.status, 0, "{}", exam.stderr);
        let stats = test.args(["--bank-dir", bank.to_str().unwrap(), "stats", "tiny"]).stdin("").run();
        assert_eq!(stats.status, 0, "{}", stats.stderr);
        for out in [&exam.stdout, &stats.stdout] {
            let from = out.find("Pass probability").unwrap_or_else(|| panic!("{out}"));
            let width: usize = columns.parse().unwrap();
            for line in out[from..].lines() {
                assert!(line.chars().count() <= width, "{columns} columns: {line:?}\n{out}");
            }
        }
    }
}

fn kinds_bank() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/kinds")
}

#[test]
fn a_partial_ordering_answer_is_not_counted_answered_until_complete() {
    let bank = kinds_bank();
    let bank = bank.to_str().unwrap();
    let test = Test::new();
    let key =
        test.args(["--bank-dir", bank, "exam", "kinds", "--seed", "9", "--json"]).stdin("submit\n").run();
    let key = key.json();
    let questions = key["questions"].as_array().unwrap();
    let total = questions.len();
    let order = questions.iter().position(|q| q["id"] == "k-order").unwrap() + 1;
    let step = key["questions"][order - 1]["correct_response"].as_str().unwrap()[..1].to_lowercase();
    // One step placed of several: saved, incomplete, wrong if scored, not "answered".
    let test = Test::new()
        .args(["--bank-dir", bank, "exam", "kinds", "--seed", "9"])
        .stdin(&format!("goto {order}\n{step}\nreview\nquit\n"));
    let run = test.run();
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Not complete yet"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("Review (all questions: {total}): 0 complete")), "{}", run.stdout);
    assert!(run.stdout.contains(&format!(": 0 of {total} answered.")), "{}", run.stdout);
    // Its cell says it is partial, and the legend says what that means.
    assert!(run.stdout.contains(&format!("{order:>3} part")), "{}", run.stdout);
    assert!(run.stdout.contains("part partial"), "{}", run.stdout);
    let result = test.args(["--bank-dir", bank, "resume", "--json"]).stdin("submit\n").run().json();
    let scored = &result["questions"][order - 1];
    assert_eq!((scored["id"].as_str(), scored["correct"].as_bool()), (Some("k-order"), Some(false)));
}

#[test]
fn resume_of_a_timed_exam_says_how_much_time_is_left_and_that_the_clock_ran_on() {
    let bank = tiny_bank();
    let bank = bank.to_str().unwrap();
    let test = Test::new()
        .env("PROCTOR_FAKE_CLOCK", "1000000")
        .args(["--bank-dir", bank, "exam", "tiny", "--seed", "4", "--time-limit", "10m"])
        .stdin("b\nquit\n");
    assert_eq!(test.run().status, 0);
    // Four minutes later by the clock, closed all the while.
    let later =
        test.env("PROCTOR_FAKE_CLOCK", "1240000").args(["--bank-dir", bank, "resume"]).stdin("quit\n");
    let run = later.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "Time left: 0:06:00 of 0:10:00. The clock kept running while the attempt was\nclosed, and it runs on now."
        ),
        "{}",
        run.stdout
    );
    // Past the deadline: it says so, and scores.
    let late = later.env("PROCTOR_FAKE_CLOCK", "9000000").stdin("").args(["--bank-dir", bank, "resume"]);
    let run = late.run();
    assert!(run.stdout.contains("The time ran out while the attempt was closed"), "{}", run.stdout);
    assert!(run.stdout.contains("Time is up"), "{}", run.stdout);
}

#[test]
fn a_drills_time_used_counts_only_the_time_it_was_open() {
    let bank = tiny_bank();
    let bank = bank.to_str().unwrap();
    // The fake clock moves a second at every reading.
    let test = Test::new()
        .env("PROCTOR_FAKE_CLOCK", "1000000+1000")
        .args(["--bank-dir", bank, "drill", "tiny", "--count", "2", "--seed", "3"])
        .stdin("a\nquit\n");
    let run = test.run();
    assert!(run.stdout.contains("Saved attempt 1"), "{}", run.stdout);
    // Resumed an hour later: the hour closed is not time used.
    let later = test
        .env("PROCTOR_FAKE_CLOCK", "4600000+1000")
        .args(["--bank-dir", bank, "resume"])
        .stdin("next\na\nsubmit\n");
    let run = later.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let used =
        run.stdout.lines().find(|l| l.starts_with("Time used: ")).unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(used.starts_with("Time used: 0:00:") && used != "Time used: 0:00:00", "{used}\n{}", run.stdout);
}

#[test]
fn an_unknown_exam_id_gets_the_nearest_known_one_with_the_command_typed() {
    let exam = Test::new().args(["exam", "saa-c02"]).run();
    assert_eq!(exam.status, 2);
    assert!(
        exam.stderr.contains("no exam \"saa-c02\"; did you mean saa-c03 (`proctor exam saa-c03`)?"),
        "{}",
        exam.stderr
    );
    // A retired exam the catalogue knows: its status, its successor, and the same command.
    let drill = Test::new().args(["drill", "clf-c01"]).run();
    assert_eq!(drill.status, 2);
    assert!(drill.stderr.contains("retired"), "{}", drill.stderr);
    assert!(drill.stderr.contains("its successor is CLF-C02"), "{}", drill.stderr);
    assert!(drill.stderr.contains("`proctor drill clf-c02`"), "{}", drill.stderr);
    assert!(!drill.stderr.contains("proctor exam"), "{}", drill.stderr);
    // --bank-dir ids count, and far-off ids get no guess.
    let bank = tiny_bank();
    let typo = Test::new().args(["--bank-dir", bank.to_str().unwrap(), "drill", "tinny"]).run();
    assert!(typo.stderr.contains("did you mean tiny (`proctor drill tiny`)?"), "{}", typo.stderr);
    let far = Test::new().args(["exam", "kubernetes"]).run();
    assert_eq!(far.status, 2);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
    assert!(far.stderr.contains("available: "), "{}", far.stderr);
    // Commands that only name an exam say it too.
    let stats = Test::new().args(["stats", "saa-c3"]).run();
    assert!(stats.stderr.contains("did you mean saa-c03?"), "{}", stats.stderr);
}

#[test]
fn a_mistyped_tag_gets_the_nearest_tag_or_the_tags_that_hold_it_never_a_dump() {
    let tag = |typed: &str| {
        let run = Test::new().args(["drill", "saa-c03", "--tag", typed]).run();
        assert_eq!(run.status, 2, "{}", run.stderr);
        run.stderr
    };
    assert!(tag("lamda").contains("no question tagged \"lamda\"; did you mean lambda?"), "{}", tag("lamda"));
    let part = tag("encrypt");
    assert!(
        part.contains("tags with \"encrypt\" in them: ") && part.contains("encryption-at-rest"),
        "{part}"
    );
    // Nothing near: a cut list that says how many tags there are.
    let far = tag("zzzzqq");
    assert!(far.contains("tags include ") && far.trim_end().ends_with(", ..."), "{far}");
    assert!(far.len() < 1000, "{far}");
}

#[test]
fn a_zero_time_limit_and_a_zero_history_limit_are_refused_with_what_to_give() {
    let bank = tiny_bank();
    let exam =
        Test::new().args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--time-limit", "0"]).run();
    assert_eq!(exam.status, 2);
    assert!(
        exam.stderr.contains("a time limit of \"0\" would end the attempt before it starts"),
        "{}",
        exam.stderr
    );
    assert!(!exam.stderr.contains("is not a duration"), "{}", exam.stderr);
    let drill =
        Test::new().args(["--bank-dir", bank.to_str().unwrap(), "drill", "tiny", "--time-limit", "0s"]).run();
    assert_eq!(drill.status, 2);
    assert!(drill.stderr.contains("would end the attempt before it starts"), "{}", drill.stderr);
    let count = Test::new().args(["drill", "saa-c03", "--count", "0"]).run();
    assert_eq!(count.status, 2);
    assert!(
        count.stderr.contains("the number of questions must be a whole number from 1 to 1000"),
        "{}",
        count.stderr
    );
    let history = Test::new().args(["history", "--limit", "0"]).run();
    assert_eq!(history.status, 2);
    assert!(history.stderr.contains("0 would list no attempt: give 1 or more"), "{}", history.stderr);
    assert!(history.stderr.contains("--all"), "{}", history.stderr);
}

/// The tiny bank's questions, split into (alpha questions, beta questions) as TOML.
fn tiny_by_domain() -> (String, String) {
    let text = std::fs::read_to_string(tiny_bank().join("questions.toml")).unwrap();
    let (mut alpha, mut beta) = (String::new(), String::new());
    for part in text.split("[[question]]").skip(1) {
        let target = if part.contains("domain = \"beta\"") { &mut beta } else { &mut alpha };
        target.push_str("[[question]]");
        target.push_str(part);
    }
    (alpha, beta)
}

#[test]
fn an_exam_from_a_bank_with_an_empty_domain_warns_once_at_the_start() {
    let test = Test::new();
    let (alpha, _) = tiny_by_domain();
    // Enough questions for a full paper, none of them in beta.
    let more = alpha.replace("id = \"alpha-0", "id = \"alpha-1").replace("Scenario ", "Another scenario ");
    let blueprint = std::fs::read_to_string(tiny_bank().join("exam.toml")).unwrap();
    test.write("bank/tiny/exam.toml", blueprint);
    test.write("bank/tiny/questions.toml", alpha + &more);
    let dir = test.dir.path().join("bank").display().to_string();
    for json in [false, true] {
        let mut args = vec!["--bank-dir", dir.as_str(), "exam", "tiny", "--seed", "1"];
        if json {
            args.push("--json");
        }
        let run = Test::new().args(args).stdin("submit\n").run();
        assert_eq!(run.status, 0, "{}", run.stderr);
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let warning = "warning: the bank of exam tiny has no question in domain beta (Beta Domain, weight 40%), \
                       so this paper cannot meet the blueprint's domain weights: its places are drawn from the \
                       other domains.";
        assert!(words(&run.stderr).contains(warning), "{}", run.stderr);
        assert_eq!(run.stderr.matches("no question in domain beta").count(), 1, "{}", run.stderr);
        assert!(!run.stdout.contains("no question in domain beta"), "{}", run.stdout);
        assert!(!run.stderr.contains("beta has 0") && !run.stdout.contains("beta has 0"), "{}", run.stdout);
    }
    // A full bank: no warning.
    let bank = tiny_bank();
    let full =
        Test::new().args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny"]).stdin("submit\n").run();
    assert!(!full.stderr.contains("warning"), "{}", full.stderr);
}

#[test]
fn a_question_file_that_fails_to_parse_does_not_also_empty_its_domain_in_check() {
    let test = Test::new();
    let (alpha, beta) = tiny_by_domain();
    let blueprint = std::fs::read_to_string(tiny_bank().join("exam.toml")).unwrap();
    test.write("bank/tiny/exam.toml", blueprint);
    test.write("bank/tiny/alpha.toml", alpha);
    // A syntax error: the whole beta file is lost.
    test.write("bank/tiny/beta.toml", beta.replacen("[[question]]", "[[question]\n", 1));
    let dir = test.dir.path().join("bank").display().to_string();
    let run = Test::new().args(["check", &dir]).run();
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("beta.toml:"), "{}", run.stdout);
    assert!(!run.stdout.contains("domain beta has 0 question(s)"), "{}", run.stdout);
    // Without the broken file the empty domain is a warning, as before.
    std::fs::remove_file(test.dir.path().join("bank/tiny/beta.toml")).unwrap();
    let run = Test::new().args(["check", &dir]).run();
    assert!(run.stdout.contains("domain beta has 0 question(s)"), "{}", run.stdout);
}

#[test]
fn the_browser_room_shows_list_items_as_blocks_too() {
    use crate::serve::{Server, get, post};
    let test = Test::new();
    let dir = list_bank(&test);
    let server = Server::start(&test, std::path::Path::new(&dir));
    let started = post(&server, "exam/tiny", &[]);
    assert_eq!(started.status, 303, "{}", started.body);
    let page = get(&format!("{}{}", server.origin, started.location.unwrap())).body;
    assert!(
        page.contains(
            "<span class=\"li\"><span class=\"marker\">1. </span>Processed image sets (20 TB, about 40 MB each) \
             that are derived from the originals and can be regenerated at any time.</span>"
        ),
        "{page}"
    );
    assert!(page.contains("<span class=\"marker\">* </span>Nothing else.</span>"), "{page}");
}

#[test]
fn a_counted_mock_exam_with_blanks_says_its_pass_probability_leaves_them_out() {
    let bank = tiny_bank();
    let exam = |stdin: &str| {
        let run = Test::new()
            .args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "3", "--all-scored"])
            .stdin(stdin)
            .run();
        assert_eq!(run.status, 0, "{}", run.stderr);
        format!("{}{}", run.stdout, run.stderr).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    // Three of five answered (seed 3: four single-answer questions first): counted, blanks said.
    let blanks = exam("a\na\na\nsubmit\ny\n");
    assert!(blanks.contains("Pass probability on a fresh form"), "{blanks}");
    assert!(
        blanks.contains("This probability assumes you answer every question: the 2 you left unanswered"),
        "{blanks}"
    );
    // Every question answered: no such line.
    let full = exam("a\na\na\na\nab\nsubmit\ny\n");
    assert!(full.contains("Pass probability on a fresh form"), "{full}");
    assert!(!full.contains("This probability assumes"), "{full}");
}
