//! `proctor import` and `proctor export` through the real binary, on the real third-party
//! samples in ../shared/interop (read in place, never copied into the project).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{Run, Test};

/// The third-party samples: `PROCTOR_INTEROP_DIR`, else ../shared/interop beside the
/// checkout (they are not ours to copy in).
fn samples() -> PathBuf {
    std::env::var_os("PROCTOR_INTEROP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/interop"))
}

/// Whether the samples are there; without them a test is skipped, loudly (and fails when
/// `PROCTOR_REQUIRE_SAMPLES` is set, as CI sets it where the samples are).
fn have_samples() -> bool {
    if samples().join("gift").is_dir() {
        return true;
    }
    let message = format!("interop sample tests SKIPPED: no samples at {}", samples().display());
    if std::env::var_os("PROCTOR_REQUIRE_SAMPLES").is_some() {
        panic!("{message}, and PROCTOR_REQUIRE_SAMPLES is set");
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "\nwarning: {message}");
    });
    false
}

fn sample(relative: &str) -> String {
    samples().join(relative).display().to_string()
}

fn import(test: &Test, format: &str, sources: &[&str], out: &str) -> Run {
    let mut args = vec!["import", format];
    args.extend_from_slice(sources);
    args.extend_from_slice(&["--exam", "imported", "--out", out]);
    let Test { dir, .. } = test;
    let runner = Test::new().args(&args);
    let mut command = runner.command();
    command.current_dir(dir.path());
    let output = command.output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn lines<'a>(run: &'a Run, outcome: &str) -> Vec<&'a str> {
    run.stdout.lines().filter(|l| l.starts_with(&format!("{outcome} "))).collect()
}

/// "imported X of Y item(s)": (X, Y).
fn counts(run: &Run) -> (usize, usize) {
    let line =
        run.stdout.lines().find(|l| l.starts_with("imported ")).unwrap_or_else(|| panic!("{}", run.stdout));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[1].parse().unwrap(), words[3].parse().unwrap())
}

/// The questions of the oracle (the .json the GIFT-grammar parser gives), categories aside.
fn oracle_count(gift: &Path) -> usize {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(gift.with_extension("json")).unwrap()).unwrap();
    json.as_array().unwrap().iter().filter(|q| q["type"] != "Category").count()
}

fn check(test: &Test, dir: &str) -> Run {
    Test::new().args(["check", &test.dir.path().join(dir).display().to_string()]).run()
}

#[test]
fn every_gift_sample_imports_or_is_reported_item_by_item() {
    if !have_samples() {
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples().join("gift"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "gift"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "samples missing: {files:?}");
    for (n, file) in files.iter().enumerate() {
        let test = Test::new();
        let out = format!("out{n}");
        let run = import(&test, "gift", &[&file.display().to_string()], &out);
        let expected = oracle_count(file);
        let skipped = lines(&run, "skipped");
        if run.status == 0 {
            let (imported, total) = counts(&run);
            assert_eq!(total, expected, "{}: {}", file.display(), run.stdout);
            assert_eq!(imported + skipped.len(), total, "{}: {}", file.display(), run.stdout);
            assert!(run.stdout.contains("check: 0 error(s)"), "{}", run.stdout);
            let checked = check(&test, &out);
            assert_eq!(checked.status, 0, "{}: {}", file.display(), checked.stdout);
        } else {
            // Nothing importable: every item is named with its reason, and nothing is written.
            assert_eq!(run.status, 2, "{}: {}{}", file.display(), run.stdout, run.stderr);
            assert_eq!(skipped.len(), expected, "{}: {}", file.display(), run.stdout);
            assert!(run.stderr.contains("nothing to import"), "{}", run.stderr);
            assert!(!test.dir.path().join(&out).exists());
        }
    }
}

#[test]
fn gift_scoring_changes_are_reported() {
    if !have_samples() {
        return;
    }
    let test = Test::new();
    let run = import(
        &test,
        "gift",
        &[
            &sample("gift/multipleAnswersFloat.gift"),
            &sample("gift/escapeColon.gift"),
            &sample("gift/giftFormatPhpExamples.gift"),
            &sample("gift/TFTwoFeedback.gift"),
        ],
        "out",
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let changed = lines(&run, "changed").join("\n");
    let skipped = lines(&run, "skipped").join("\n");
    assert!(changed.contains("multipleAnswersFloat.gift:1") && changed.contains("33.33%"), "{changed}");
    assert!(changed.contains("penalties"), "{changed}");
    assert!(changed.contains("partial credit (50%) for \"half credit answer\""), "{changed}");
    assert!(changed.contains("TFTwoFeedback.gift:3") && changed.contains("true/false"), "{changed}");
    assert!(
        skipped.contains("escapeColon.gift:1") && skipped.contains("any one of them is right"),
        "{skipped}"
    );
    assert!(skipped.contains("giftFormatPhpExamples.gift:13") && skipped.contains("numerical"), "{skipped}");
    assert!(
        skipped.contains("giftFormatPhpExamples.gift:11") && skipped.contains("short answer"),
        "{skipped}"
    );
    let bank = std::fs::read_to_string(test.dir.path().join("out/multipleanswersfloat.toml")).unwrap();
    assert!(bank.contains("kind = \"multiple-response\""), "{bank}");
    assert_eq!(bank.matches("correct = true").count(), 3, "{bank}");
    // Moodle's rule: {TRUE#feedback if wrong} puts the feedback on False.
    let tf = std::fs::read_to_string(test.dir.path().join("out/tftwofeedback.toml")).unwrap();
    let second = tf.split("[[question]]").nth(2).unwrap();
    let false_option = second.split("[[question.option]]").nth(2).unwrap();
    assert!(
        false_option.contains("text = \"False\"") && false_option.contains("feedback for true"),
        "{second}"
    );
}

#[test]
fn crlf_and_bom_read_the_same_as_lf() {
    if !have_samples() {
        return;
    }
    let test = Test::new();
    let original = std::fs::read_to_string(samples().join("gift/multiLineFeedback1.gift")).unwrap();
    let crlf = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let copy = test.write("multiLineFeedback1.gift", crlf);
    assert_eq!(import(&test, "gift", &[&sample("gift/multiLineFeedback1.gift")], "lf").status, 0);
    assert_eq!(import(&test, "gift", &[&copy.display().to_string()], "crlf").status, 0);
    let read = |dir: &str| {
        let text =
            std::fs::read_to_string(test.dir.path().join(dir).join("multilinefeedback1.toml")).unwrap();
        // The comments name the source file; the questions must be the same.
        text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(read("lf"), read("crlf"));
    let bank = read("lf");
    assert!(bank.contains("explanation = \"Global feedback split on multiple lines\""), "{bank}");
    assert!(!bank.contains("&nbsp;") && !bank.contains("<span"), "{bank}");
}

#[test]
fn moodle_xml_multiple_choice_and_ordering() {
    if !have_samples() {
        return;
    }
    let test = Test::new();
    let run = import(
        &test,
        "moodle-xml",
        &[&sample("moodle-xml/multiple-choiceRef.xml"), &sample("moodle-xml/orderingRef.xml")],
        "out",
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(counts(&run), (4, 4), "{}", run.stdout);
    let changed = lines(&run, "changed").join("\n");
    assert!(
        changed.contains("multiple-choiceRef.xml:52") && changed.contains("\"Partial answer\""),
        "{changed}"
    );
    assert!(changed.contains("orderingRef.xml:53") && changed.contains("3 of the 5"), "{changed}");
    assert!(changed.contains("grading type 7"), "{changed}");
    let ordering = std::fs::read_to_string(test.dir.path().join("out/orderingref.toml")).unwrap();
    let steps: Vec<&str> = ordering.lines().filter(|l| l.starts_with("text = ")).take(5).collect();
    assert_eq!(
        steps,
        [
            "text = \"SELECT\"",
            "text = \"DISTINCT\"",
            "text = \"FROM\"",
            "text = \"WHERE\"",
            "text = \"GROUP BY\""
        ]
    );
    let choice = std::fs::read_to_string(test.dir.path().join("out/multiple-choiceref.toml")).unwrap();
    assert!(
        choice.contains("id = \"Question-title\"") && choice.contains("id = \"Question-title-2\""),
        "{choice}"
    );
    assert!(choice.contains("rationale = \"Feedback for option 2\""), "{choice}");
    assert!(choice.contains("explanation = \"General feedback\""), "{choice}");
    assert_eq!(check(&test, "out").status, 0);
    // The imported exam is usable: a drill runs on it.
    let drill = Test::new()
        .args([
            "--bank-dir",
            &test.dir.path().join("out").display().to_string(),
            "drill",
            "imported",
            "--count",
            "1",
            "--seed",
            "1",
        ])
        .stdin("quit\n")
        .run();
    assert_eq!(drill.status, 0, "{}{}", drill.stdout, drill.stderr);
}

#[test]
fn mkdocs_quiz_samples_import_or_are_reported_item_by_item() {
    if !have_samples() {
        return;
    }
    let test = Test::new();
    let (demo, reference) =
        (sample("markdown-quiz/demo-quiz.md"), sample("markdown-quiz/multiple-choice.md"));
    let run = import(&test, "markdown", &[&demo, &reference], "out");
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    // Three quizzes in the demo, seven in the reference's "Example" tabs; the copies in its
    // "Syntax" tabs and the broken example are inside code blocks, so they are not quizzes.
    assert_eq!(counts(&run), (9, 10), "{}", run.stdout);
    let skipped = lines(&run, "skipped");
    assert_eq!(skipped.len(), 1, "{}", run.stdout);
    assert!(
        skipped[0].contains("demo-quiz.md:13") && skipped[0].contains("fill-in-the-blank"),
        "{}",
        skipped[0]
    );
    assert_eq!(check(&test, "out").status, 0);
    let mut bank = String::new();
    for entry in std::fs::read_dir(test.dir.path().join("out")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "exam.toml" {
            bank.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    assert_eq!(bank.matches("[[question]]").count(), 9, "{bank}");
    // Per-answer feedback becomes the option's rationale, the content section the explanation.
    assert!(bank.contains("rationale = \"Nope, but close!\""), "{bank}");
    assert!(bank.contains("Blueberries are _blue_.\\n...\\nYou _fool_."), "{bank}");
    assert!(bank.contains("Did you know: The Eiffel Tower grows"), "{bank}");
    // A code block in the question is kept in the stem, as written.
    assert!(bank.contains("What is the answer to the following sum?\\n```\\n2 + 2\\n```"), "{bank}");
    // Sections are domains.
    let blueprint = std::fs::read_to_string(test.dir.path().join("out/exam.toml")).unwrap();
    assert!(blueprint.contains("name = \"Per-Answer Feedback\""), "{blueprint}");
}

#[test]
fn aiken_and_a_blueprint_with_domains() {
    let test = Test::new();
    let aiken = test.write(
        "quiz.txt",
        "Which port does HTTPS use?\r\nA. 80\r\nB. 443\r\nC. 22\r\nD. 25\r\nANSWER: B\r\n\r\nNo answer line here\r\nA. x\r\nB. y\r\n",
    );
    let blueprint = test.write(
        "exam.toml",
        "format = 1\nid = \"net\"\ncode = \"NET\"\ntitle = \"Net\"\nvendor = \"me\"\nlevel = \"associate\"\nexam_questions = 1\nscored_questions = 1\nminutes = 5\npassing_score = 700\n\n[status]\nstate = \"active\"\ndate = \"2026-01-01\"\n\n[[domain]]\nid = \"ports\"\nname = \"Ports\"\nweight = 100\n",
    );
    let run = Test::new()
        .args([
            "import",
            "aiken",
            &aiken.display().to_string(),
            "--blueprint",
            &blueprint.display().to_string(),
            "--out",
            &test.dir.path().join("out").display().to_string(),
        ])
        .run();
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(counts(&run), (1, 2));
    let skipped = lines(&run, "skipped");
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].contains("quiz.txt:8") && skipped[0].contains("no ANSWER: line"), "{skipped:?}");
    let bank = std::fs::read_to_string(test.dir.path().join("out/quiz.toml")).unwrap();
    assert!(bank.contains("domain = \"ports\""), "{bank}");
    assert_eq!(
        std::fs::read_to_string(test.dir.path().join("out/exam.toml")).unwrap(),
        std::fs::read_to_string(&blueprint).unwrap()
    );
}

#[test]
fn import_refuses_a_used_folder_and_broken_xml() {
    if !have_samples() {
        return;
    }
    let test = Test::new();
    test.write("used/keep.txt", "mine");
    let run = import(&test, "gift", &[&sample("gift/mc5.gift")], "used");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("not an empty folder"), "{}", run.stderr);
    let shipped = Test::new()
        .args([
            "import",
            "gift",
            &sample("gift/mc5.gift"),
            "--exam",
            "saa-c03",
            "--out",
            &test.dir.path().join("x").display().to_string(),
        ])
        .run();
    assert_eq!(shipped.status, 2);
    assert!(shipped.stderr.contains("shipped exam"), "{}", shipped.stderr);
    let broken = test.write("broken.xml", "<quiz>\n<question type=\"multichoice\">\n</quiz>\n");
    let run = import(&test, "moodle-xml", &[&broken.display().to_string()], "out");
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("broken.xml:3:"), "{}", run.stderr);
    // A .zip that is no zip, and an export onto an existing package.
    let fake = test.write("fake.zip", "this is not a zip archive");
    let run = import(&test, "qti", &[&fake.display().to_string()], "out");
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(run.stderr.contains("fake.zip: not a readable zip package"), "{}", run.stderr);
    let tiny = crate::util::tiny_bank().display().to_string();
    let taken = Test::new()
        .args(["--bank-dir", &tiny, "export", "qti12", "tiny", "--out", &fake.display().to_string()])
        .run();
    assert_eq!(taken.status, 2);
    assert!(taken.stderr.contains("exists: choose a new --out"), "{}", taken.stderr);
    assert_eq!(std::fs::read_to_string(&fake).unwrap(), "this is not a zip archive");
}

#[test]
fn exported_gift_qti_and_markdown_import_back_to_the_same_bank() {
    let test = Test::new();
    let tiny = crate::util::tiny_bank();
    let bank_dir = tiny.display().to_string();
    let gift = Test::new().args(["--bank-dir", &bank_dir, "export", "gift", "tiny"]).run();
    assert_eq!(gift.status, 0, "{}", gift.stderr);
    let gift_file = test.write("tiny.gift", &gift.stdout);
    // What GIFT cannot hold is said, not lost without a word.
    assert!(gift.stderr.contains("note: GIFT has no place for references"), "{}", gift.stderr);
    let qti_dir = test.dir.path().join("tiny-qti");
    let qti = Test::new()
        .args(["--bank-dir", &bank_dir, "export", "qti", "tiny", "--out", &qti_dir.display().to_string()])
        .run();
    assert_eq!(qti.status, 0, "{}", qti.stderr);
    assert!(qti_dir.join("imsmanifest.xml").is_file());
    assert!(qti.stderr.contains("note: QTI 2.1 has no place for references"), "{}", qti.stderr);
    let markdown = Test::new().args(["--bank-dir", &bank_dir, "export", "markdown", "tiny"]).run();
    assert_eq!(markdown.status, 0, "{}", markdown.stderr);
    let markdown_file = test.write("tiny.md", &markdown.stdout);
    // QTI as zip packages (2.1 and 1.2) and as one QTI 1.2 file.
    let export = |format: &str, out: &Path| {
        let run = Test::new()
            .args(["--bank-dir", &bank_dir, "export", format, "tiny", "--out", &out.display().to_string()])
            .run();
        assert_eq!(run.status, 0, "{format}: {}", run.stderr);
        assert!(out.is_file(), "{format}: {}", run.stdout);
        out.display().to_string()
    };
    let qti_zip = export("qti", &test.dir.path().join("tiny-qti21.zip"));
    let qti12_zip = export("qti12", &test.dir.path().join("tiny-qti12.zip"));
    let qti12_file = export("qti12", &test.dir.path().join("tiny-qti12.xml"));
    assert!(std::fs::read_to_string(&qti12_file).unwrap().contains("<questestinterop"));
    let blueprint = tiny.join("exam.toml").display().to_string();
    for (format, source, out) in [
        ("gift", gift_file.display().to_string(), "from-gift"),
        ("qti", qti_dir.display().to_string(), "from-qti"),
        ("qti", qti_zip, "from-qti-zip"),
        ("qti", qti12_zip, "from-qti12-zip"),
        ("qti", qti12_file, "from-qti12"),
        ("markdown", markdown_file.display().to_string(), "from-markdown"),
    ] {
        let out = test.dir.path().join(out).display().to_string();
        let run =
            Test::new().args(["import", format, &source, "--blueprint", &blueprint, "--out", &out]).run();
        assert_eq!(run.status, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(lines(&run, "skipped").is_empty(), "{}", run.stdout);
        // The same questions, keys and rationales: the CSV export of both banks, up to the
        // columns neither GIFT nor QTI carries (references, tags, difficulty); Markdown
        // carries the references too.
        let columns = if format == "markdown" { 18 } else { 17 };
        let rows = |dir: &str| {
            let run = Test::new().args(["--bank-dir", dir, "export", "csv", "tiny"]).run();
            assert_eq!(run.status, 0, "{}", run.stderr);
            parse_csv(&run.stdout)
                .into_iter()
                .map(|mut row| {
                    row.truncate(columns);
                    row
                })
                .collect::<Vec<_>>()
        };
        let (original, back) = (rows(&bank_dir), rows(&out));
        assert!(original.len() > 3);
        assert_eq!(back, original, "{format} from {source}");
    }
}

#[test]
fn anki_csv_and_markdown_exports() {
    let bank_dir = crate::util::tiny_bank().display().to_string();
    let anki = Test::new().args(["--bank-dir", &bank_dir, "export", "anki", "tiny"]).run();
    assert_eq!(anki.status, 0, "{}", anki.stderr);
    let mut lines = anki.stdout.lines();
    assert_eq!(lines.next(), Some("#separator:tab"));
    assert!(anki.stdout.contains("#notetype:Basic\n"));
    let notes: Vec<&str> = anki.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(!notes.is_empty());
    for note in &notes {
        let fields: Vec<&str> = note.split('\t').collect();
        assert_eq!(fields.len(), 3, "{note}");
        assert!(fields[2].starts_with("tiny::"), "{note}");
    }
    let csv = Test::new().args(["--bank-dir", &bank_dir, "export", "csv", "tiny"]).run();
    assert_eq!(csv.status, 0);
    assert!(csv.stdout.starts_with("id,domain,kind,stem,A,B,C,D,E,F,G,H,I,J,answer,"), "{}", csv.stdout);
    let markdown = Test::new().args(["--bank-dir", &bank_dir, "export", "markdown", "tiny"]).run();
    assert_eq!(markdown.status, 0);
    assert!(markdown.stdout.contains("<quiz>") && markdown.stdout.contains("- [x] "), "{}", markdown.stdout);
}

/// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// Every shipped bank goes out as GIFT and QTI and comes back the same (questions, keys,
/// rationales, explanations), apart from the questions the export names as left out.
/// GIFT matching keeps its pairs but not the order of the answers nor per-pair rationales,
/// so it is compared by its pairs only.
#[test]
fn every_shipped_bank_survives_gift_qti_qti12_and_markdown() {
    let test = Test::new();
    let list = Test::new().args(["list", "--json"]).run().json();
    let banks = Path::new(env!("CARGO_MANIFEST_DIR")).join("question-banks");
    for exam in list.as_array().unwrap() {
        let id = exam["id"].as_str().unwrap();
        let blueprint = std::fs::read_dir(&banks)
            .unwrap()
            .map(|vendor| vendor.unwrap().path().join(id).join("exam.toml"))
            .find(|p| p.is_file())
            .unwrap();
        let renamed = std::fs::read_to_string(&blueprint).unwrap().replacen(
            &format!("id = \"{id}\""),
            &format!("id = \"rt-{id}\""),
            1,
        );
        let blueprint = test.write(&format!("{id}-exam.toml"), renamed);
        let csv = |bank_dir: Option<&Path>, exam: &str| {
            let mut args = Vec::new();
            if let Some(dir) = bank_dir {
                args.extend(["--bank-dir".to_string(), dir.display().to_string()]);
            }
            args.extend(["export".to_string(), "csv".to_string(), exam.to_string()]);
            let run = Test::new().args(&args).run();
            assert_eq!(run.status, 0, "{}", run.stderr);
            parse_csv(&run.stdout)
                .into_iter()
                .skip(1)
                .map(|mut row| {
                    // Up to the references (carried by Markdown only, compared apart).
                    row.truncate(18);
                    row
                })
                .collect::<Vec<_>>()
        };
        let original = csv(None, id);
        let gift = Test::new().args(["export", "gift", id]).run();
        assert_eq!(gift.status, 0, "{}", gift.stderr);
        let gift_file = test.write(&format!("{id}.gift"), &gift.stdout);
        let qti_dir = test.dir.path().join(format!("{id}-qti"));
        let qti = Test::new().args(["export", "qti", id, "--out", &qti_dir.display().to_string()]).run();
        assert_eq!(qti.status, 0, "{}", qti.stderr);
        let qti12_file = test.dir.path().join(format!("{id}-qti12.xml"));
        let qti12 =
            Test::new().args(["export", "qti12", id, "--out", &qti12_file.display().to_string()]).run();
        assert_eq!(qti12.status, 0, "{}", qti12.stderr);
        let markdown = Test::new().args(["export", "markdown", id]).run();
        assert_eq!(markdown.status, 0, "{}", markdown.stderr);
        let markdown_file = test.write(&format!("{id}.md"), &markdown.stdout);
        // Markdown quizzes are choice questions: the others are lists, not quizzes.
        let not_quizzes: String = original
            .iter()
            .filter(|r| r[2] == "ordering" || r[2] == "matching")
            .map(|r| format!("skipped {}: not a quiz\n", r[0]))
            .collect();
        for (name, format, source, stderr) in [
            ("gift", "gift", gift_file, gift.stderr),
            ("qti", "qti", qti_dir, qti.stderr),
            ("qti12", "qti", qti12_file, qti12.stderr),
            ("markdown", "markdown", markdown_file, not_quizzes),
        ] {
            let left_out: Vec<&str> =
                stderr.lines().filter_map(|l| l.strip_prefix("skipped ")?.split(':').next()).collect();
            if name == "qti" {
                assert!(left_out.is_empty(), "QTI holds every kind: {stderr}");
            }
            if name == "qti12" {
                for id in &left_out {
                    let row = original.iter().find(|r| r[0] == *id).unwrap();
                    assert_eq!(row[2], "ordering", "QTI 1.2 left out {id}: {stderr}");
                }
            }
            let out = test.dir.path().join(format!("{id}-from-{name}"));
            let run = Test::new()
                .args([
                    "import",
                    format,
                    &source.display().to_string(),
                    "--blueprint",
                    &blueprint.display().to_string(),
                    "--out",
                    &out.display().to_string(),
                ])
                .run();
            assert_eq!(run.status, 0, "{id} {name}: {}{}", run.stdout, run.stderr);
            assert!(lines(&run, "skipped").is_empty(), "{}", run.stdout);
            let back = csv(Some(&out), &format!("rt-{id}"));
            let expected: Vec<&Vec<String>> =
                original.iter().filter(|r| !left_out.contains(&r[0].as_str())).collect();
            assert_eq!(back.len(), expected.len(), "{id} {name}");
            for (want, got) in expected.into_iter().zip(&back) {
                if format == "gift" && want[2] == "matching" {
                    let pairs = |row: &Vec<String>| {
                        let mut pairs: Vec<(String, String)> = row[14]
                            .split(' ')
                            .map(|p| {
                                let letter = p.chars().last().unwrap() as usize - 'a' as usize;
                                (p[..p.len() - 1].to_string(), row[4 + letter].clone())
                            })
                            .collect();
                        pairs.sort();
                        pairs
                    };
                    assert_eq!(pairs(got), pairs(want), "{id} {format} {}", want[0]);
                    assert_eq!(got[3], want[3]);
                } else if format == "markdown" {
                    assert_eq!(got, want, "{id} {name}");
                } else {
                    assert_eq!(got[..17], want[..17], "{id} {name}");
                }
            }
        }
    }
}

#[test]
fn hostile_text_skips_its_item_and_the_report_stays_printable() {
    let test = Test::new();
    let source = test.write(
        "evil.gift",
        "::bad\u{1b}]0;pwned\u{7}::Pick \u{1b}[31mred{=a ~b ~c ~d}\n\n::title \u{1b}[2J only::Fine question?{=yes ~no ~maybe ~later}\n",
    );
    let run = import(&test, "gift", &[&source.display().to_string()], "out");
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'), "{:?}", run.stdout);
    let skipped = lines(&run, "skipped");
    assert_eq!(skipped.len(), 1, "{}", run.stdout);
    assert!(skipped[0].contains("evil.gift:1") && skipped[0].contains("U+001B"), "{}", skipped[0]);
    assert_eq!(counts(&run), (1, 2));
    // The title went into a comment: shown with U+FFFD there, and the folder checks clean.
    let bank = std::fs::read_to_string(test.dir.path().join("out/evil.toml")).unwrap();
    assert!(!bank.contains('\u{1b}') && bank.contains('\u{fffd}'), "{bank}");
    assert_eq!(check(&test, "out").status, 0);
}
