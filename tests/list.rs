//! `proctor list`: the exams for people and as JSON.

use crate::util::{Test, tiny_bank};

#[test]
fn lists_the_shipped_exams_as_json() {
    let run = Test::new().args(["list", "--json"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let exams = run.json();
    let saa = exams.as_array().unwrap().iter().find(|e| e["id"] == "saa-c03").expect("saa-c03 listed");
    assert_eq!(saa["code"], "SAA-C03");
    assert_eq!(saa["status"], "active");
    assert_eq!(saa["exam_questions"], 65);
    assert_eq!(saa["minutes"], 130);
    assert_eq!(saa["passing_score"], 720);
    let domains = saa["domains"].as_array().unwrap();
    let weights: Vec<u64> = domains.iter().map(|d| d["weight"].as_u64().unwrap()).collect();
    assert_eq!(weights, [30, 26, 24, 20]);
    let per_domain: u64 = domains.iter().map(|d| d["questions"].as_u64().unwrap()).sum();
    assert_eq!(per_domain, saa["questions"].as_u64().unwrap());
    assert!(saa["questions"].as_u64().unwrap() >= 20);
}

#[test]
fn lists_for_people_and_adds_bank_dirs() {
    let run = Test::new().args(["--bank-dir", tiny_bank().to_str().unwrap(), "list"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("saa-c03"), "{}", run.stdout);
    assert!(run.stdout.contains("tiny"), "{}", run.stdout);
    assert!(run.stdout.contains("alpha 60% (4q)"), "{}", run.stdout);
}

#[test]
fn works_from_any_folder_because_banks_are_embedded() {
    // The test runs in an empty temporary folder: nothing to read from disk.
    let run = Test::new().args(["list"]).run();
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("clf-c02"));
}

#[test]
fn usage_errors_exit_2() {
    let run = Test::new().args(["lsit"]).run();
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("unrecognized subcommand"), "{}", run.stderr);
    let run = Test::new().args(["exam", "saa-c03", "--time-limit", "soon"]).run();
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("not a duration"), "{}", run.stderr);
    let run = Test::new().args(["exam", "nope"]).run();
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no exam \"nope\"; available:"), "{}", run.stderr);
    let run = Test::new().args(["--help"]).run();
    assert_eq!(run.status, 0);
}

#[test]
fn one_broken_bank_does_not_hide_the_others() {
    let test = Test::new();
    let tiny = std::fs::read_to_string(tiny_bank().join("exam.toml")).unwrap();
    let questions = std::fs::read_to_string(tiny_bank().join("questions.toml")).unwrap();
    test.write("banks/good/exam.toml", &tiny);
    test.write("banks/good/questions.toml", &questions);
    test.write(
        "banks/bad/exam.toml",
        tiny.replace("id = \"tiny\"", "id = \"bad\"").replace("minutes = 10", "minutes = \"ten\""),
    );
    test.write("banks/bad/questions.toml", &questions);
    let test = test.args(["--bank-dir", "banks", "list"]);
    let run = test.run();
    assert_eq!(run.status, 2, "a broken bank is an error");
    assert!(
        run.stdout.contains("tiny ") && run.stdout.contains("saa-c03"),
        "the good exams are listed: {}",
        run.stdout
    );
    assert!(run.stderr.contains("banks/bad/exam.toml:10:11: error: invalid type"), "{}", run.stderr);
    let exam = test.args(["--bank-dir", "banks", "exam", "tiny", "--json"]).stdin("submit\n").run();
    assert_eq!(exam.status, 0, "{}", exam.stderr);
    assert!(exam.stderr.contains("warning: an exam could not be loaded"), "{}", exam.stderr);
}
