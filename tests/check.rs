//! `proctor check`: every diagnostic at its file:line:col, all at once, with the right exit
//! status. Each broken bank below has exactly one kind of defect.

use crate::util::{Run, Test, tiny_bank};

const BLUEPRINT: &str = r#"format = 1
id = "bad"
code = "BAD-01"
title = "Broken Bank"
vendor = "Tests"
level = "associate"
exam_questions = 2
scored_questions = 2
minutes = 10
passing_score = 720

[status]
state = "active"
date = "2026-01-01"

[[domain]]
id = "one"
name = "Domain One"
weight = 100
"#;

/// A valid multiple-choice question with id `id` (its stem names the id, so two of them are
/// not near duplicates).
fn question(id: &str) -> String {
    format!(
        r#"[[question]]
id = "{id}"
domain = "one"
kind = "multiple-choice"
stem = "A team needs thing {id}. Which option works?"
explanation = "Because."
references = ["https://docs.aws.amazon.com/x.html"]

[[question.option]]
text = "Right"
correct = true
rationale = "It works."

[[question.option]]
text = "Wrong 1"
rationale = "It does not."

[[question.option]]
text = "Wrong 2"
rationale = "It does not."

[[question.option]]
text = "Wrong 3"
rationale = "It does not."
"#
    )
}

/// `line:col` (1-based) of the first `needle` in `text`, found independently of proctor.
fn at(text: &str, needle: &str) -> String {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

/// Runs `check` on an exam folder with this blueprint and questions file.
fn check(blueprint: &str, questions: &str) -> Run {
    let test = Test::new();
    test.write("bank/bad/exam.toml", blueprint);
    test.write("bank/bad/questions.toml", questions);
    test.args(["check", "bank"]).run()
}

fn assert_reports(run: &Run, expected: &str) {
    assert!(run.stdout.contains(expected), "expected {expected:?} in:\n{}{}", run.stdout, run.stderr);
}

fn two_questions() -> String {
    question("q1") + "\n" + &question("q2")
}

#[test]
fn the_shipped_banks_are_clean() {
    let run = Test::new().args(["check"]).run();
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s), 0 warning(s)"), "{}", run.stdout);
}

#[test]
fn a_good_bank_passes() {
    let run = check(BLUEPRINT, &two_questions());
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.contains("checked 1 exam(s): 0 error(s), 0 warning(s)"), "{}", run.stdout);
    let fixture = Test::new().args(["check", tiny_bank().to_str().unwrap()]).run();
    assert_eq!(fixture.status, 0, "{}", fixture.stdout);
}

#[test]
fn toml_syntax_error() {
    let questions = two_questions().replace("kind = \"multiple-choice\"", "kind = multiple-choice");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, &format!("bank/bad/questions.toml:{}: error: ", at(&questions, "multiple-choice")));
}

#[test]
fn unknown_key_is_an_error_at_its_place() {
    let questions = two_questions().replacen("explanation = ", "explenation = ", 1);
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!("questions.toml:{}: error: unknown field `explenation`", at(&questions, "explenation")),
    );
}

#[test]
fn missing_key() {
    let questions =
        two_questions().replacen("stem = \"A team needs thing q1. Which option works?\"\n", "", 1);
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, "error: missing field `stem`");
}

#[test]
fn mistyped_value() {
    let blueprint = BLUEPRINT.replace("minutes = 10", "minutes = \"ten\"");
    let run = check(&blueprint, &two_questions());
    assert_eq!(run.status, 1);
    assert_reports(&run, &format!("exam.toml:{}: error: invalid type", at(&blueprint, "\"ten\"")));
}

#[test]
fn not_utf8() {
    let mut bytes = two_questions().into_bytes();
    let offset = bytes.windows(5).position(|w| w == b"Right").unwrap();
    bytes[offset] = 0xff;
    let test = Test::new();
    test.write("bank/bad/exam.toml", BLUEPRINT);
    test.write("bank/bad/questions.toml", &bytes);
    let run = test.args(["check", "bank"]).run();
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!("questions.toml:{}: error: not UTF-8: invalid byte 0xFF", at(&two_questions(), "Right")),
    );
}

#[test]
fn duplicate_question_ids_point_at_both() {
    let questions = question("q1") + "\n" + &question("q1");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    let second = questions.match_indices("id = \"q1\"").nth(1).unwrap().0;
    let (line2, _) = (questions[..second].matches('\n').count() + 1, 0);
    assert_reports(
        &run,
        &format!(
            "questions.toml:{line2}:6: error: duplicate question id \"q1\": first defined at bank/bad/questions.toml:2:6"
        ),
    );
}

#[test]
fn unknown_domain() {
    let questions = question("q1").replace("domain = \"one\"", "domain = \"eno\"") + "\n" + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!(
            "questions.toml:{}: error: question q1: domain \"eno\" is not in the blueprint (domains: one)",
            at(&questions, "\"eno\"")
        ),
    );
}

#[test]
fn multiple_choice_needs_exactly_one_correct() {
    let questions = question("q1")
        .replace("rationale = \"It does not.\"", "correct = true\nrationale = \"It does not.\"");
    let questions = questions + "\n" + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!(
            "questions.toml:{}: error: question q1 is multiple-choice but has 4 correct options; it needs exactly 1",
            at(&questions, "\"multiple-choice\"")
        ),
    );
}

#[test]
fn multiple_response_needs_two_correct_and_five_options() {
    let questions = question("q1").replace("multiple-choice", "multiple-response") + "\n" + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    let kind = at(&questions, "\"multiple-response\"");
    assert_reports(
        &run,
        &format!(
            "{kind}: error: question q1 is multiple-response but has 1 correct option(s); it needs at least 2"
        ),
    );
    assert_reports(&run, "warning: question q1: multiple response should have at least 5 options, not 4");
}

#[test]
fn fewer_than_two_options() {
    let one = question("q1");
    let cut = one.find("[[question.option]]\ntext = \"Wrong 1\"").unwrap();
    let questions = one[..cut].to_string() + "\n" + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!("{}: error: question q1 has 1 option(s); it needs at least 2", at(&questions, "\"q1\"")),
    );
}

#[test]
fn more_than_ten_options_is_an_error_and_plain_http_a_warning() {
    let extra: String = (4..11)
        .map(|n| format!("\n[[question.option]]\ntext = \"Wrong {n}\"\nrationale = \"No.\"\n"))
        .collect();
    let questions = question("q1") + &extra + "\n" + &question("q2").replace("https://docs", "http://docs");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!(
            "{}: error: question q1 has 11 options; at most 10 (A to J) are allowed",
            at(&questions, "\"q1\"")
        ),
    );
    assert_reports(&run, "warning: question q2: reference is not an https:// URL");
}

#[test]
fn empty_stem_and_option() {
    let questions = question("q1")
        .replace("stem = \"A team needs thing q1. Which option works?\"", "stem = \"  \"")
        .replace("text = \"Wrong 2\"", "text = \"\"")
        + "\n"
        + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, &format!("{}: error: stem is empty", at(&questions, "\"  \"")));
    assert_reports(&run, &format!("{}: error: option text is empty", at(&questions, "\"\"\n")));
}

#[test]
fn missing_rationale_explanation_and_references_are_warnings() {
    let questions = question("q1")
        .replacen("rationale = \"It does not.\"\n", "", 1)
        .replace("explanation = \"Because.\"\n", "")
        .replace("references = [\"https://docs.aws.amazon.com/x.html\"]\n", "")
        + "\n"
        + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 0, "warnings only: {}", run.stdout);
    assert_reports(&run, "warning: question q1 has no explanation");
    assert_reports(&run, "warning: question q1 has no references");
    assert_reports(
        &run,
        &format!("{}: warning: question q1: an option has no rationale", at(&questions, "\"Wrong 1\"")),
    );
    assert_reports(&run, "0 error(s), 3 warning(s)");
}

#[test]
fn weights_must_sum_to_100() {
    let blueprint = BLUEPRINT.replace("weight = 100", "weight = 90");
    let run = check(&blueprint, &two_questions());
    assert_eq!(run.status, 1);
    assert_reports(&run, "error: domain weights sum to 90, not 100");
}

#[test]
fn a_domain_too_small_for_a_full_exam_is_a_warning_with_numbers() {
    let blueprint = BLUEPRINT.replace("exam_questions = 2", "exam_questions = 65");
    let run = check(&blueprint, &two_questions());
    assert_eq!(run.status, 0);
    assert_reports(
        &run,
        &format!(
            "exam.toml:{}: warning: domain one has 2 question(s); a full 65-question exam draws 65 from it",
            at(&blueprint, "\"one\"")
        ),
    );
}

#[test]
fn control_characters_and_escape_sequences_are_errors() {
    let questions = question("q1").replace("Which option works?", "Which option works?\\u001b[2J")
        + "\n"
        + &question("q2");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!("{}: error: stem contains the control character U+001B", at(&questions, "\"A team needs")),
    );
    // Nothing raw reaches the terminal, not even in the report.
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn escape_sequences_in_keys_and_file_names_are_neutralised() {
    let test = Test::new();
    test.write("bank/bad/exam.toml", format!("\"\\u001b]0;PWNED\\u0007\\u001b[2J\" = 1\n{BLUEPRINT}"));
    test.write("bank/bad/\u{1b}[31mevil.toml", two_questions());
    let run = test.args(["check", "bank"]).run();
    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("unknown field"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'), "{:?}", run.stdout);
    let listed = Test::new();
    listed.write("bank/bad/exam.toml", format!("\"\\u001b[2J\" = 1\n{BLUEPRINT}"));
    let run = listed.args(["--bank-dir", "bank", "list"]).run();
    assert_eq!(run.status, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

#[test]
fn all_problems_are_reported_at_once() {
    let questions = question("q1").replace("domain = \"one\"", "domain = \"nope\"")
        + "\n"
        + &question("q1").replace("text = \"Wrong 3\"", "text = \"\"");
    let blueprint = BLUEPRINT.replace("weight = 100", "weight = 99");
    let run = check(&blueprint, &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, "weights sum to 99");
    assert_reports(&run, "domain \"nope\"");
    assert_reports(&run, "duplicate question id");
    assert_reports(&run, "option text is empty");
}

#[test]
fn schema_errors_in_several_questions_are_all_reported() {
    // serde stops at the first; check must still report each question's problem.
    let questions = question("q1").replacen("explanation = ", "anwser = true\nexplanation = ", 1)
        + "\n"
        + &question("q2").replace("correct = true", "correct = \"yes\"")
        + "\n"
        + &question("q3").replace("domain = \"one\"", "domain = \"two\"");
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, &format!("{}: error: unknown field `anwser`", at(&questions, "anwser")));
    assert_reports(&run, &format!("{}: error: invalid type: string \"yes\"", at(&questions, "\"yes\"")));
    assert_reports(&run, &format!("{}: error: question q3: domain \"two\"", at(&questions, "\"two\"")));
    assert!(!run.stdout.contains("has no questions"), "no false 'no questions': {}", run.stdout);
}

#[test]
fn an_unreadable_path_exits_2() {
    let run = Test::new().args(["check", "does-not-exist"]).run();
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("does-not-exist"), "{}", run.stderr);
}

#[test]
fn duplicate_exam_ids_name_both_places() {
    let test = Test::new();
    test.write("a/x/exam.toml", BLUEPRINT);
    test.write("a/x/q.toml", two_questions());
    test.write("b/y/exam.toml", BLUEPRINT);
    test.write("b/y/q.toml", two_questions());
    let run = test.args(["check", "a", "b"]).run();
    assert_eq!(run.status, 1);
    assert!(
        run.stdout.contains("b/y/exam.toml:1:1: error: exam id \"bad\" is also used by a/x/exam.toml"),
        "{}",
        run.stdout
    );
    // `--bank-dir` with a clash: loading refuses, naming both.
    let test = Test::new();
    test.write("b/y/exam.toml", BLUEPRINT.replace("\"bad\"", "\"saa-c03\""));
    test.write("b/y/q.toml", two_questions());
    let run = test.args(["--bank-dir", "b", "list"]).run();
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("exam id \"saa-c03\" is also used by question-banks/aws/saa-c03/exam.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_bytes_never_panic() {
    // A few nasty files through the real binary; the property test in the library covers
    // arbitrary bytes.
    for bytes in [
        &b"\x00\x01\x02"[..],
        b"[[question]]\n[[question]]",
        b"a = [[[[[[[[[[[[",
        b"\"\"\"",
        b"\xef\xbb\xbfformat=1",
    ] {
        let test = Test::new();
        test.write("bank/bad/exam.toml", bytes);
        test.write("bank/bad/q.toml", bytes);
        let run = test.args(["check", "bank"]).run();
        assert_eq!(run.status, 1, "{:?}: {}{}", bytes, run.stdout, run.stderr);
    }
}

const ORDERING: &str = r#"
[[question]]
id = "o1"
domain = "one"
kind = "ordering"
stem = "Put the steps in order."
explanation = "Because."
references = ["https://docs.aws.amazon.com/x.html"]

[[question.step]]
text = "First"
position = 1
rationale = "First."

[[question.step]]
text = "Second"
position = 2
rationale = "Second."

[[question.step]]
text = "Third"
position = 3
rationale = "Third."
"#;

const MATCHING: &str = r#"
[[question]]
id = "m1"
domain = "one"
kind = "matching"
stem = "Match them."
explanation = "Because."
references = ["https://docs.aws.amazon.com/x.html"]

[[question.prompt]]
text = "P1"
match = "a"
rationale = "R1."

[[question.prompt]]
text = "P2"
match = "b"
rationale = "R2."

[[question.prompt]]
text = "P3"
match = "a"
rationale = "R3."

[[question.response]]
id = "a"
text = "A"

[[question.response]]
id = "b"
text = "B"
"#;

const ALL_KINDS: &str = r#"item_types = ["multiple-choice", "multiple-response", "ordering", "matching", "case-study"]
"#;

/// The blueprint with every item type allowed, so only the defect under test is reported.
fn all_kinds_blueprint() -> String {
    BLUEPRINT.replace("[status]", &format!("{ALL_KINDS}\n[status]"))
}

#[test]
fn good_ordering_and_matching_questions_pass() {
    let run = check(&all_kinds_blueprint(), &(two_questions() + ORDERING + MATCHING));
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 error(s), 0 warning(s)"), "{}", run.stdout);
}

#[test]
fn too_few_steps_and_a_gap_in_positions() {
    let two_steps =
        ORDERING.replace("[[question.step]]\ntext = \"Third\"\nposition = 3\nrationale = \"Third.\"\n", "");
    let questions = two_questions() + &two_steps;
    let run = check(&all_kinds_blueprint(), &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!(
            "{}: error: question o1 is ordering with 2 step(s); it lists 3 to 5",
            at(&questions, "\"o1\"")
        ),
    );
    let gap = two_questions()
        + &ORDERING.replace("position = 2", "position = 3").replacen("position = 3", "position = 2", 0);
    let run = check(&all_kinds_blueprint(), &gap);
    assert_eq!(run.status, 1);
    assert_reports(&run, "two steps have position 3");
}

#[test]
fn a_prompt_without_a_match_points_at_its_match() {
    let questions = two_questions() + &MATCHING.replace("match = \"b\"", "match = \"zz\"");
    let run = check(&all_kinds_blueprint(), &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!(
            "{}: error: question m1: prompt matches \"zz\", which is not one of its responses",
            at(&questions, "\"zz\"")
        ),
    );
}

#[test]
fn too_few_prompts() {
    let questions = two_questions()
        + &MATCHING.replace("[[question.prompt]]\ntext = \"P3\"\nmatch = \"a\"\nrationale = \"R3.\"\n", "");
    let run = check(&all_kinds_blueprint(), &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, "question m1 is matching with 2 prompt(s); it needs 3 to 7");
}

#[test]
fn another_kinds_tables_are_an_error() {
    let questions = two_questions() + &ORDERING.replace("kind = \"ordering\"", "kind = \"multiple-choice\"");
    let run = check(&all_kinds_blueprint(), &questions);
    assert_eq!(run.status, 1);
    assert_reports(&run, "question o1 is multiple-choice but has [[question.step]] tables");
}

#[test]
fn case_studies_need_a_known_scenario_and_two_questions() {
    let scenario = "[[scenario]]\nid = \"shop\"\ntitle = \"A shop\"\ntext = \"A shop moves to AWS.\"\n\n";
    let in_case = |id: &str, scenario: &str| {
        question(id).replace("domain = \"one\"", &format!("domain = \"one\"\nscenario = \"{scenario}\""))
    };
    // One question in the case study, and one pointing at a scenario that does not exist.
    let questions =
        format!("{scenario}{}\n{}\n{}", in_case("c1", "shop"), in_case("c2", "nope"), question("q3"));
    let run = check(&all_kinds_blueprint(), &questions);
    assert_eq!(run.status, 1);
    assert_reports(
        &run,
        &format!("{}: error: scenario \"shop\" has 1 question(s)", at(&questions, "\"shop\"")),
    );
    assert_reports(
        &run,
        &format!("{}: error: question c2: scenario \"nope\" is not defined", at(&questions, "\"nope\"")),
    );
    // Two questions make a case study.
    let good = format!("{scenario}{}\n{}", in_case("c1", "shop"), in_case("c2", "shop"));
    let run = check(&all_kinds_blueprint(), &good);
    assert_eq!(run.status, 0, "{}", run.stdout);
}

#[test]
fn a_kind_the_exam_does_not_use_is_a_warning() {
    let questions = two_questions() + ORDERING;
    let run = check(BLUEPRINT, &questions);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_reports(
        &run,
        &format!(
            "{}: warning: question o1 is ordering but exam bad uses multiple-choice, multiple-response",
            at(&questions, "\"o1\"")
        ),
    );
}

#[test]
fn the_documented_ordering_and_matching_examples_check_clean() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/bank-format.md")).unwrap();
    let examples: Vec<&str> = doc
        .split("```toml")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|block| block.contains("kind = \"ordering\"") || block.contains("kind = \"matching\""))
        .collect();
    assert_eq!(examples.len(), 2, "the ordering and the matching example");
    for example in examples {
        let questions = two_questions()
            + "\n"
            + &example
                .replace("domain = \"iam\"", "domain = \"one\"")
                .replace("domain = \"data\"", "domain = \"one\"");
        let run = check(&all_kinds_blueprint(), &questions);
        assert_eq!(run.status, 0, "{}", run.stdout);
        assert!(run.stdout.contains("0 error(s), 0 warning(s)"), "{example}\n{}", run.stdout);
    }
}
