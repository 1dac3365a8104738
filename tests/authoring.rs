//! `proctor check`'s authoring checks through the real binary: the fixture bank
//! tests/fixtures/banks/cues trips each check once; the summary by kind, `--quiet` and
//! `--format json`; an exam id that a shipped exam uses; `--bank-dir` with `check` and a
//! broken `--bank-dir` with `list`.

use std::path::Path;

use crate::util::{Run, Test, tiny_bank};

const CUES: &str = "tests/fixtures/banks/cues";

/// Runs proctor from the repository root (so fixture paths are reported as written).
fn from_root(test: &Test) -> Run {
    let output = test.command().current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("start proctor");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn every_authoring_check_reports_at_its_place_with_a_summary_by_kind() {
    let run = from_root(&Test::new().args(["check", CUES]));
    assert_eq!(run.status, 0, "warnings do not change the exit code: {}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("cues_text", run.stdout);
}

#[test]
fn quiet_prints_errors_only() {
    let run = from_root(&Test::new().args(["check", "--quiet", CUES]));
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "checked 1 exam(s): 0 error(s), 6 warning(s) (1 same-key-position, 1 key-length, 1 absolute-words, \
         1 near-duplicate-stem, 2 letter-in-explanation)\n"
    );
    // With an error: the error is printed, the warnings are not.
    let test = Test::new();
    let bank = test.dir.path().join("bank");
    copy_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(CUES).as_path(), &bank);
    test.write("bank/broken.toml", "[[question]\n");
    let run = test.args(["check", "-q", "bank"]).run();
    assert_eq!(run.status, 1, "{}", run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(lines[0].starts_with("bank/broken.toml:1:") && lines[0].contains(": error: "), "{}", run.stdout);
    assert!(lines[1].starts_with("checked 1 exam(s): 1 error(s), 6 warning(s) ("), "{}", run.stdout);
}

#[test]
fn json_lists_every_diagnostic_with_kind_severity_and_place() {
    let run = from_root(&Test::new().args(["check", CUES, "--format", "json"]));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["exams"], 1);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 6);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let mut kinds: Vec<&str> = diagnostics.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "absolute-words",
            "key-length",
            "letter-in-explanation",
            "letter-in-explanation",
            "near-duplicate-stem",
            "same-key-position"
        ]
    );
    let letter =
        diagnostics.iter().find(|d| d["message"].as_str().unwrap().contains("\"Option B\"")).unwrap();
    assert_eq!(letter["severity"], "warning");
    assert_eq!(letter["file"], "tests/fixtures/banks/cues/positions.toml");
    assert_eq!((letter["line"].as_u64(), letter["column"].as_u64()), (Some(29), Some(6)));
    // --quiet keeps the counts and drops the warnings from the list.
    let quiet = from_root(&Test::new().args(["check", CUES, "--format", "json", "--quiet"])).json();
    assert_eq!(quiet["warnings"], 6);
    assert_eq!(quiet["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn the_tiny_fixture_bank_trips_no_authoring_check() {
    let run = Test::new().args(["check", tiny_bank().to_str().unwrap()]).run();
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(run.stdout.ends_with(": 0 error(s), 0 warning(s)\n"), "{}", run.stdout);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The tiny bank under another id, with one broken question file.
fn clashing_bank(test: &Test, id: &str) {
    copy_dir(&tiny_bank(), &test.dir.path().join("mine"));
    let blueprint = std::fs::read_to_string(tiny_bank().join("exam.toml")).unwrap();
    let blueprint = blueprint.replace("id = \"tiny\"", &format!("id = \"{id}\""));
    assert!(blueprint.contains(id), "the tiny blueprint's id line moved");
    test.write("mine/exam.toml", blueprint);
    test.write("mine/broken.toml", "[[question]]\nid = \"b1\"\nstem = \n");
}

#[test]
fn a_shipped_exam_id_is_a_warning_that_hides_no_error() {
    let test = Test::new();
    clashing_bank(&test, "saa-c03");
    let run = test.args(["check", "mine"]).run();
    assert_eq!(run.status, 1, "the syntax error still fails the check: {}", run.stdout);
    assert!(
        run.stdout.contains(
            "mine/exam.toml:1:1: warning: exam id \"saa-c03\" is a shipped exam's \
             (question-banks/aws/saa-c03/exam.toml): `--bank-dir` refuses this bank; give it another id"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("mine/broken.toml:3:"), "{}", run.stdout);
    assert!(run.stdout.contains("1 error(s), 1 warning(s) (1 shipped-id-clash)"), "{}", run.stdout);
    // The same bank under its own id: no clash.
    let test = Test::new();
    clashing_bank(&test, "mine");
    let run = test.args(["check", "mine"]).run();
    assert!(!run.stdout.contains("shipped-id-clash"), "{}", run.stdout);
}

#[test]
fn check_with_bank_dir_checks_those_banks_too_and_says_so() {
    let tiny = tiny_bank();
    let run = Test::new().args(["--bank-dir", tiny.to_str().unwrap(), "check"]).run();
    assert_eq!(run.status, 0, "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("checked 8 exam(s) (7 shipped, 1 from {}): 0 error(s), 0 warning(s)", tiny.display())
    );
    // PROCTOR_BANK_DIR counts as --bank-dir; a broken bank there is checked, not skipped.
    let test = Test::new();
    clashing_bank(&test, "mine");
    let run = test.env("PROCTOR_BANK_DIR", "mine").args(["check", "--format", "json"]).run();
    assert_eq!(run.status, 1);
    let report = run.json();
    assert_eq!(report["exams"], 8);
    assert!(report["errors"].as_u64().unwrap() >= 1, "{report:#}");
    // Paths on the command line are checked instead.
    let run = Test::new().args(["--bank-dir", tiny.to_str().unwrap(), "check", tiny.to_str().unwrap()]).run();
    assert!(run.stdout.contains("checked 1 exam(s): "), "{}", run.stdout);
}

#[test]
fn list_shows_what_loads_when_a_bank_dir_is_broken() {
    for broken in ["missing", "empty"] {
        let test = Test::new();
        std::fs::create_dir_all(test.dir.path().join("empty")).unwrap();
        let run = test.args(["--bank-dir", broken, "list"]).run();
        assert_eq!(run.status, 2, "{broken}: {}", run.stderr);
        assert!(
            run.stdout.contains("saa-c03  AWS Certified Solutions Architect"),
            "{broken}: {}",
            run.stdout
        );
        assert!(run.stderr.contains(broken), "{broken}: {}", run.stderr);
    }
    // A bank whose blueprint is broken: the others are listed, the broken one reported.
    let test = Test::new();
    test.write("b/x/exam.toml", "format = \n");
    let tiny = tiny_bank();
    let run = test.args(["--bank-dir", "b", "--bank-dir", tiny.to_str().unwrap(), "list", "--json"]).run();
    assert_eq!(run.status, 2);
    let ids: Vec<String> =
        run.json().as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().into()).collect();
    assert!(ids.contains(&"tiny".to_string()) && ids.contains(&"saa-c03".to_string()), "{ids:?}");
    assert!(run.stderr.contains("b/x/exam.toml:1:"), "{}", run.stderr);
}
