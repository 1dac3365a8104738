//! Format additions of issue 12: fenced code blocks (checked, shown verbatim at the prompt
//! and in the browser, carried through GIFT and QTI), task statements with
//! `check --coverage`, and `[source]` provenance.

use crate::serve::{Server, get, post};
use crate::util::{Run, Test};

const BLUEPRINT: &str = r#"format = 1
id = "code"
code = "CODE-01"
title = "Code Blocks"
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
id = "dev"
name = "Development"
weight = 100

[[domain.task]]
id = "1.1"
text = "Develop code for applications hosted on AWS"

[[domain.task]]
id = "1.2"
text = "Develop code for AWS Lambda"
"#;

/// A code line wider than 80 columns, which must stay one line.
const LONG: &str = "    return {\"statusCode\": 200, \"body\": json.dumps({\"message\": \"a line far wider than eighty columns\"})}";

fn questions() -> String {
    format!(
        r#"[source]
licence = "CC0-1.0"
url = "https://example.com/bank"

[[question]]
id = "q1"
domain = "dev"
kind = "multiple-choice"
task = "1.2"
stem = """
A Lambda function fails. Its handler is:
```python
def handler(event, context):
{LONG}
```
Which change fixes it?"""
explanation = """
Import the module:
```python
import json
```"""
references = ["https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html"]

[question.source]
original_id = "lambda-7"
commit = "abc123"

[[question.option]]
text = """
```python
import json
```"""
correct = true
rationale = "json.dumps needs the module."

[[question.option]]
text = "Raise the timeout."
rationale = "Timeouts are not the problem."

[[question.option]]
text = "Raise the memory."
rationale = "Memory is not the problem."

[[question.option]]
text = "Use a layer."
rationale = """
A layer does not import anything:
```
<script>alert('rationale')</script>
```"""

[[question]]
id = "q2"
domain = "dev"
kind = "multiple-choice"
stem = """
Which line prints in this page?
```html
<script>alert('pwned')</script>
	<b>tabbed</b>
```"""
explanation = "None."
references = ["https://docs.aws.amazon.com/x.html"]

[[question.option]]
text = "A"
correct = true
rationale = "r"

[[question.option]]
text = "B"
rationale = "r"

[[question.option]]
text = "C"
rationale = "r"

[[question.option]]
text = "D"
rationale = "r"
"#
    )
}

fn bank(test: &Test, blueprint: &str, questions: &str) -> String {
    test.write("bank/code/exam.toml", blueprint);
    test.write("bank/code/questions.toml", questions);
    test.dir.path().join("bank").display().to_string()
}

fn check(blueprint: &str, questions: &str, extra: &[&str]) -> Run {
    let test = Test::new();
    let dir = bank(&test, blueprint, questions);
    let mut args = vec!["check", dir.as_str()];
    args.extend(extra);
    test.args(args).run()
}

/// `line:col` (1-based) of the first `needle` at or after `from` in `text`.
fn at(text: &str, from: &str, needle: &str) -> String {
    let start = text.find(from).unwrap();
    let offset = start + text[start..].find(needle).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

#[test]
fn a_bank_with_code_tasks_and_sources_checks_clean() {
    let run = check(BLUEPRINT, &questions(), &[]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 error(s), 0 warning(s)"), "{}", run.stdout);
}

#[test]
fn an_unclosed_fence_is_an_error_at_the_fence() {
    let questions = questions().replacen(&format!("{LONG}\n```\nWhich"), &format!("{LONG}\nWhich"), 1);
    let run = check(BLUEPRINT, &questions, &[]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    let place = at(&questions, "A Lambda function fails", "```python");
    assert!(
        run.stdout.contains(&format!(
            "questions.toml:{place}: error: stem: the code block opened here is never closed"
        )),
        "{place}\n{}",
        run.stdout
    );
}

#[test]
fn a_task_outside_its_domains_list_is_an_error_with_its_place() {
    let questions = questions().replace("task = \"1.2\"", "task = \"4.2\"");
    let run = check(BLUEPRINT, &questions, &[]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    let place = at(&questions, "task = ", "\"4.2\"");
    assert!(
        run.stdout.contains(&format!(
            "questions.toml:{place}: error: question q1: task \"4.2\" is not a task statement of its domain: the task statements of domain dev are 1.1, 1.2"
        )),
        "{}",
        run.stdout
    );
    // A domain with no task statements takes no task.
    let bare = BLUEPRINT.split("[[domain.task]]").next().unwrap();
    let run = check(bare, &questions, &[]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("domain dev lists no task statements"), "{}", run.stdout);
    // Task ids are unique in the blueprint.
    let twice = BLUEPRINT.replace("id = \"1.2\"", "id = \"1.1\"");
    let run = check(&twice, &questions, &[]);
    assert!(run.stdout.contains("task id \"1.1\" is declared twice"), "{}", run.stdout);
}

#[test]
fn coverage_counts_questions_per_task_statement() {
    let run = check(BLUEPRINT, &questions(), &["--coverage"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let expected = "coverage of code (CODE-01): 2 question(s)\n\
        \x20 Development (dev, 100%): 2 question(s); 1 task statement(s) without questions\n\
        \x20     0  1.1  Develop code for applications hosted on AWS  <- none\n\
        \x20     1  1.2  Develop code for AWS Lambda\n\
        \x20     1  without a task\n";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    // --coverage EXAM picks one exam; one that was not checked is a usage error.
    let test = Test::new();
    let dir = bank(&test, BLUEPRINT, &questions());
    let one = Test::new().args(["check", &dir, "--coverage", "code"]).run();
    assert!(one.stdout.contains(expected), "{}", one.stdout);
    let folder = Test::new().args(["check", "--coverage", &dir]).run();
    assert!(folder.stdout.contains(expected), "{}", folder.stdout);
    let none = Test::new().args(["check", &dir, "--coverage", "nope"]).run();
    assert_eq!(none.status, 2, "{}", none.stdout);
    assert!(
        none.stderr.contains("--coverage nope: no such exam among those checked (code)"),
        "{}",
        none.stderr
    );
    // Without --coverage, nothing of it.
    let plain = Test::new().args(["check", &dir]).run();
    assert!(!plain.stdout.contains("coverage of"), "{}", plain.stdout);
}

#[test]
fn the_prompt_and_drill_feedback_show_code_verbatim() {
    let test = Test::new();
    let dir = bank(&test, BLUEPRINT, &questions());
    let run = test
        .args(["--bank-dir", &dir, "drill", "code", "--seed", "3"])
        .env("COLUMNS", "80")
        .stdin("c\nc\n")
        .run();
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // Indented four, never re-wrapped: the long line is whole, wider than 80 columns.
    assert!(lines.contains(&"    def handler(event, context):"), "{}", run.stdout);
    assert!(lines.contains(&format!("    {LONG}").as_str()), "{}", run.stdout);
    // The tab was expanded at load (to the next multiple of four columns).
    assert!(lines.contains(&"        <b>tabbed</b>"), "{}", run.stdout);
    // An option that is only code: the letter on its line, the code under it.
    assert!(
        run.stdout.contains("A.\n")
            || run.stdout.contains("B.\n")
            || run.stdout.contains("C.\n")
            || run.stdout.contains("D.\n"),
        "{}",
        run.stdout
    );
    assert!(lines.contains(&"          import json"), "{}", run.stdout);
    // Feedback: the rationale's and the explanation's code blocks too; no fence shows.
    assert!(lines.contains(&"         <script>alert('rationale')</script>"), "{}", run.stdout);
    assert!(lines.contains(&"    import json"), "{}", run.stdout);
    assert!(!run.stdout.contains("```"), "{}", run.stdout);
}

#[test]
fn the_browser_room_shows_code_as_escaped_pre() {
    let test = Test::new();
    bank(&test, BLUEPRINT, &questions());
    let server = Server::start(&test, &test.dir.path().join("bank"));
    let started = post(&server, "exam/code", &[]);
    assert_eq!(started.status, 303, "{}", started.body);
    let attempt = started.location.unwrap();
    let mut pages = vec![get(&format!("{}{attempt}", server.origin)).body];
    let next = post(&server, &attempt, &[("do", "next")]);
    pages.push(match next.location {
        Some(to) => get(&format!("{}{to}", server.origin)).body,
        None => next.body,
    });
    let all = pages.join("\n");
    assert!(all.contains("<pre class=\"code\"><code class=\"language-html\">&lt;script&gt;alert("), "{all}");
    assert!(!all.contains("<script>alert"), "{all}");
    assert!(all.contains("<code class=\"language-python\">def handler(event, context):\n"), "{all}");
    assert!(all.contains("<div class=\"stem\" id=\"stem\">"), "{all}");
}

#[test]
fn code_blocks_survive_gift_and_qti_and_imports_record_their_source() {
    let test = Test::new();
    let dir = bank(&test, BLUEPRINT, &questions());
    let gift = Test::new().args(["--bank-dir", &dir, "export", "gift", "code"]).run();
    assert_eq!(gift.status, 0, "{}", gift.stderr);
    assert!(gift.stdout.contains("::q1::[html]"), "{}", gift.stdout);
    assert!(
        gift.stdout.contains("<pre><code class\\=\"language-python\">def handler(event, context)\\:\\n"),
        "{}",
        gift.stdout
    );
    let gift_file = test.write("code.gift", &gift.stdout);
    let qti_dir = test.dir.path().join("code-qti");
    let qti = Test::new()
        .args(["--bank-dir", &dir, "export", "qti", "code", "--out", &qti_dir.display().to_string()])
        .run();
    assert_eq!(qti.status, 0, "{}", qti.stderr);
    let item = std::fs::read_to_string(qti_dir.join("items/q1.xml")).unwrap();
    assert!(item.contains("<pre><code class=\"language-python\">def handler(event, context):\n"), "{item}");
    let blueprint = test.dir.path().join("bank/code/exam.toml").display().to_string();
    let original = std::fs::read_to_string(test.dir.path().join("bank/code/questions.toml")).unwrap();
    let original: toml::Value = toml::from_str(&original).unwrap();
    for (format, source, out) in [
        ("gift", gift_file.display().to_string(), "from-gift"),
        ("qti", qti_dir.display().to_string(), "from-qti"),
    ] {
        let out = test.dir.path().join(out);
        let run = Test::new()
            .args(["import", format, &source, "--blueprint", &blueprint, "--out", &out.display().to_string()])
            .run();
        assert_eq!(run.status, 0, "{format}: {}{}", run.stdout, run.stderr);
        // One question file per source file (QTI: one per item): all of them, by id.
        let mut back: Vec<toml::Value> = Vec::new();
        for entry in std::fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() != "exam.toml" {
                let file: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                back.extend(file["question"].as_array().unwrap().iter().cloned());
            }
        }
        back.sort_by_key(|q| q["id"].as_str().unwrap().to_string());
        for i in 0..2 {
            let (a, b) = (original["question"][i].clone(), back[i].clone());
            assert_eq!(b["stem"], a["stem"].as_str().unwrap().replace('\t', "    ").into(), "{format}");
            assert_eq!(b["explanation"], a["explanation"], "{format}");
            assert_eq!(b["option"].as_array().unwrap().len(), 4);
            for k in 0..4 {
                assert_eq!(b["option"][k]["text"], a["option"][k]["text"], "{format}");
                assert_eq!(b["option"][k]["rationale"], a["option"][k]["rationale"], "{format}");
            }
            // The source id and file are kept in [question.source].
            assert_eq!(
                b["source"]["original_id"].as_str().unwrap().trim_start_matches('q'),
                (i + 1).to_string()
            );
            assert!(b["source"]["file"].as_str().unwrap().len() > 1, "{b:?}");
        }
        let check = Test::new().args(["check", &out.display().to_string()]).run();
        assert_eq!(check.status, 0, "{}", check.stdout);
    }
}

#[test]
fn the_attempt_result_carries_each_questions_task_and_source() {
    let test = Test::new();
    let dir = bank(&test, BLUEPRINT, &questions());
    let data = test.data_dir().display().to_string();
    let run = Test::new()
        .env("PROCTOR_DATA_DIR", &data)
        .args(["--bank-dir", &dir, "exam", "code", "--seed", "1", "--json"])
        .stdin("submit\n")
        .run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let show = Test::new()
        .env("PROCTOR_DATA_DIR", &data)
        .args(["--bank-dir", &dir, "show", &run.json()["attempt"].to_string(), "--json"])
        .run();
    for result in [run.json(), show.json()] {
        let questions = result["questions"].as_array().unwrap();
        let q1 = questions.iter().find(|q| q["id"] == "q1").unwrap();
        assert_eq!(q1["task"], "1.2");
        assert_eq!(q1["source"]["original_id"], "lambda-7");
        assert_eq!(q1["source"]["commit"], "abc123");
        // From the file's [source]: the licence, and the url.
        assert_eq!(q1["source"]["licence"], "CC0-1.0");
        assert_eq!(q1["source"]["url"], "https://example.com/bank");
        assert!(q1["source"]["file"].is_null());
        let q2 = questions.iter().find(|q| q["id"] == "q2").unwrap();
        assert!(q2["task"].is_null());
        assert_eq!(q2["source"]["licence"], "CC0-1.0");
        assert!(q2["source"]["original_id"].is_null());
    }
}

#[test]
fn csv_markdown_and_anki_carry_code_and_source() {
    let test = Test::new();
    let dir = bank(&test, BLUEPRINT, &questions());
    let export = |format: &str| {
        let run = Test::new().args(["--bank-dir", &dir, "export", format, "code"]).run();
        assert_eq!(run.status, 0, "{}", run.stderr);
        run.stdout
    };
    let csv = export("csv");
    assert!(
        csv.starts_with("id,domain,kind,stem,A,B,C,D,E,F,G,H,I,J,answer,explanation,rationales,references,tags,difficulty,task,source_url,source_licence,source_commit,source_original_id,source_file\r\n"),
        "{csv}"
    );
    assert!(csv.contains(",1.2,https://example.com/bank,CC0-1.0,abc123,lambda-7,\r\n"), "{csv}");
    assert!(
        csv.contains("\"A Lambda function fails. Its handler is:\n```python\ndef handler(event, context):\n"),
        "{csv}"
    );
    let markdown = export("markdown");
    assert!(markdown.contains("```python\ndef handler(event, context):\n"), "{markdown}");
    // An option that is code: the block indented under its list item.
    assert!(markdown.contains("- [x] Code:\n\n  ```python\n  import json\n  ```\n"), "{markdown}");
    assert!(
        markdown.contains("Source: https://example.com/bank (CC0-1.0), commit abc123, id lambda-7\n"),
        "{markdown}"
    );
    let anki = export("anki");
    assert!(anki.contains("<pre><code class=\"language-python\">def handler(event, context):<br>"), "{anki}");
    assert!(
        anki.contains("Source: https://example.com/bank (CC0-1.0), commit abc123, id lambda-7"),
        "{anki}"
    );
    for note in anki.lines().filter(|l| !l.starts_with('#')) {
        assert_eq!(note.split('\t').count(), 3, "{note}");
    }
}
