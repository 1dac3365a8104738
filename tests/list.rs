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
fn proctor_bank_dir_adds_folders_like_bank_dir() {
    let kinds = tiny_bank().parent().unwrap().join("kinds");
    // Two folders and an empty entry, separated as in PATH.
    let value = format!("{}::{}", tiny_bank().display(), kinds.display());
    let run = Test::new().args(["list", "--json"]).env("PROCTOR_BANK_DIR", &value).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let ids: Vec<String> =
        run.json().as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    assert!(ids.contains(&"tiny".to_string()) && ids.contains(&"kinds".to_string()), "{ids:?}");
    // With --bank-dir too, both are used.
    let both = Test::new()
        .args(["--bank-dir", kinds.to_str().unwrap(), "drill", "tiny", "--count", "1", "--seed", "1"])
        .env("PROCTOR_BANK_DIR", tiny_bank().to_str().unwrap())
        .stdin("quit\n")
        .run();
    assert_eq!(both.status, 0, "{}", both.stderr);
    assert!(both.stdout.contains("seed 1: 1 question, "), "{}", both.stdout);
    let without = Test::new().args(["drill", "tiny", "--count", "1"]).stdin("quit\n").run();
    assert_eq!(without.status, 2, "without the variable there is no tiny exam");
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

#[test]
fn the_whole_program_is_listed_by_tier_with_statuses_and_successors() {
    let run = Test::new().args(["list"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Exams with banks first, then the rest of the program.
    let banks = run.stdout.find("saa-c03").unwrap();
    let rest = run.stdout.find("The rest of the AWS Certification program").expect(&run.stdout);
    assert!(banks < rest);
    let program = &run.stdout[rest..];
    assert!(program.contains("DVA-C02 - AWS Certified Developer - Associate: retired on"), "{program}");
    assert!(program.contains("successor DVA-C03"), "{program}");
    assert!(program.contains("ANS-C01") && program.contains("retiring"), "{program}");
    assert!(!program.contains("SAA-C03 -"), "exams with banks are not listed again: {program}");

    let all = Test::new().args(["list", "--all", "--json"]).run().json();
    let certifications = all["program"]["certifications"].as_array().unwrap();
    let find =
        |code: &str| certifications.iter().find(|c| c["code"] == code).unwrap_or_else(|| panic!("{code}"));
    assert_eq!(find("SOA-C02")["status"], "retired");
    assert_eq!(find("SOA-C02")["successor"], "SOA-C03");
    assert_eq!(find("SAA-C03")["bank"], true);
    assert_eq!(find("MLA-C02")["bank"], false);
    assert!(all["exams"].as_array().unwrap().iter().any(|e| e["id"] == "clf-c02"));
    assert!(!all["program"]["paths"].as_array().unwrap().is_empty());
}

#[test]
fn an_exam_without_a_bank_or_retired_says_so_and_names_the_closest() {
    let retired = Test::new().args(["exam", "dva-c02"]).run();
    assert_eq!(retired.status, 2);
    assert!(
        retired.stderr.contains("DVA-C02") && retired.stderr.contains("retired on"),
        "{}",
        retired.stderr
    );
    assert!(retired.stderr.contains("successor is DVA-C03"), "{}", retired.stderr);
    assert!(retired.stderr.contains("`proctor exam dva-c03`"), "{}", retired.stderr);
    let bankless = Test::new().args(["drill", "mla-c02"]).run();
    assert_eq!(bankless.status, 2);
    assert!(bankless.stderr.contains("proctor has no bank for MLA-C02"), "{}", bankless.stderr);
    assert!(bankless.stderr.contains("The closest exam with a bank is"), "{}", bankless.stderr);
    // A code the program does not know either keeps the plain error.
    let unknown = Test::new().args(["exam", "xyz-c01"]).run();
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("xyz-c01"), "{}", unknown.stderr);
}

#[test]
fn paths_by_role_mark_the_exams_with_banks() {
    let run = Test::new().args(["paths"]).run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("* SAA-C03") || run.stdout.contains("* CLF-C02"), "{}", run.stdout);
    assert!(run.stdout.contains("(no bank yet)"), "{}", run.stdout);
    let json = Test::new().args(["paths", "--json"]).run().json();
    assert!(json.as_array().unwrap().iter().all(|p| p["exams"].as_array().is_some_and(|e| !e.is_empty())));
}

/// Largest-remainder quotas (the blueprint's rule), computed here independently.
fn quotas(weights: &[u64], total: u64) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    let mut quotas: Vec<u64> = weights.iter().map(|w| w * total / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i] * total % sum));
    let missing = total - quotas.iter().sum::<u64>();
    for &i in order.iter().take(missing as usize) {
        quotas[i] += 1;
    }
    quotas
}

#[test]
fn a_seeded_mock_exam_of_every_shipped_bank_follows_its_blueprint() {
    let exams = Test::new().args(["list", "--json"]).run().json();
    for exam in exams.as_array().unwrap() {
        let id = exam["id"].as_str().unwrap();
        let run =
            Test::new().args(["exam", id, "--seed", "1", "--all-scored", "--json"]).stdin("submit\n").run();
        assert_eq!(run.status, 0, "{id}: {}", run.stderr);
        let result = run.json();
        let total = exam["exam_questions"].as_u64().unwrap();
        assert_eq!(result["questions"].as_array().unwrap().len() as u64, total, "{id}");
        let weights: Vec<u64> =
            exam["domains"].as_array().unwrap().iter().map(|d| d["weight"].as_u64().unwrap()).collect();
        let drawn: Vec<u64> =
            result["domains"].as_array().unwrap().iter().map(|d| d["total"].as_u64().unwrap()).collect();
        assert_eq!(drawn, quotas(&weights, total), "{id}: questions per domain");
        // And every bank holds at least three full forms in every domain.
        let have: Vec<u64> =
            exam["domains"].as_array().unwrap().iter().map(|d| d["questions"].as_u64().unwrap()).collect();
        for ((h, q), d) in have.iter().zip(quotas(&weights, total)).zip(exam["domains"].as_array().unwrap()) {
            assert!(*h >= 3 * q, "{id}: domain {} has {h}, three forms need {}", d["id"], 3 * q);
        }
    }
}
