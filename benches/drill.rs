//! `cargo bench --bench drill`: `proctor --bank-dir DIR drill EXAM --count N` with `quit` on
//! stdin, on a generated bank of 50,000 questions (`PROCTOR_BENCH_QUESTIONS` changes it),
//! end to end with the release binary: medians of `RUNS` runs for `--count 10` and
//! `--count 1000`, each as a ratio to a bare start (`proctor --version`) and the 1,000 as a
//! ratio to the 10. Issue 13: a drill must not cost questions x bank size.
//!
//! A `--bank-dir` bank is parsed at every start (the shipped banks are embedded), so the
//! end-to-end figures are mostly parsing; the bench also measures in-process what the
//! drill itself adds: loading the bank (the parse), and the selection alone (the bank's
//! candidates, the drill order, the paper laid out), for 10 and 1,000 questions and the
//! whole bank.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proctor::bench::{Catalog, assemble_set, drill_choice, filter};

const FILES: usize = 20;
const RUNS: usize = 11;
const EXAM: &str = "drill-bench";

/// Questions in the generated bank: 50,000 unless PROCTOR_BENCH_QUESTIONS says otherwise.
fn questions() -> usize {
    std::env::var("PROCTOR_BENCH_QUESTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(50_000)
}

/// A bank of `questions` in four domains (the style of `check_throughput`'s generator,
/// shorter texts), written once: a stamp file names the count it was written for.
fn generate(root: &Path, questions: usize) -> std::path::PathBuf {
    let dir = root.join(EXAM);
    let stamp = root.join("questions");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(&questions.to_string()) {
        return root.to_path_buf();
    }
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(&dir).unwrap();
    let mut blueprint = format!(
        "format = 1\nid = \"{EXAM}\"\ncode = \"DRL-01\"\ntitle = \"Drill bench\"\nvendor = \"Bench\"\n\
         level = \"associate\"\nexam_questions = 65\nscored_questions = 50\nminutes = 130\npassing_score = 720\n\
         [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n"
    );
    for d in ["a", "b", "c", "d"] {
        blueprint.push_str(&format!("[[domain]]\nid = \"{d}\"\nname = \"Domain {d}\"\nweight = 25\n"));
    }
    std::fs::write(dir.join("exam.toml"), blueprint).unwrap();
    let filler = "The company runs services across several accounts and must keep costs predictable. ";
    for f in 0..FILES {
        let mut text = String::new();
        for n in 0..questions / FILES {
            let id = f * (questions / FILES) + n;
            let multi = id.is_multiple_of(4);
            text.push_str(&format!(
                "[[question]]\nid = \"q-{id:05}\"\ndomain = \"{}\"\nkind = \"{}\"\n\
                 stem = \"\"\"\n{}Question {id}: which solution meets these requirements?\"\"\"\n\
                 explanation = \"Because of the constraint in question {id}.\"\n\
                 references = [\"https://docs.aws.amazon.com/example/{id}.html\"]\n\n",
                ["a", "b", "c", "d"][id % 4],
                if multi { "multiple-response" } else { "multiple-choice" },
                filler.repeat(2),
            ));
            for k in 0..if multi { 5 } else { 4 } {
                let correct = k == 0 || (multi && k == 1);
                text.push_str(&format!(
                    "[[question.option]]\ntext = \"Option {k} of question {id}.\"\ncorrect = {correct}\n\
                     rationale = \"Why option {k} fits or not.\"\n\n"
                ));
            }
        }
        std::fs::write(dir.join(format!("questions-{f:02}.toml")), text).unwrap();
    }
    std::fs::write(&stamp, questions.to_string()).unwrap();
    root.to_path_buf()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median wall time of `proctor ARGS` with `stdin`, each run on a fresh data folder (a
/// drill writes its attempt; the next run must not see it as history).
fn run(args: &[&str], stdin: &str, data: &Path) -> Duration {
    median(
        (0..RUNS)
            .map(|n| {
                let folder = data.join(format!("run-{n}"));
                let _ = std::fs::remove_dir_all(&folder);
                let start = Instant::now();
                let mut child = Command::new(env!("CARGO_BIN_EXE_proctor"))
                    .args(args)
                    .env("PROCTOR_DATA_DIR", &folder)
                    .env_remove("PROCTOR_FAKE_CLOCK")
                    .env_remove("PROCTOR_BANK_DIR")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
                let status = child.wait().unwrap();
                let took = start.elapsed();
                assert!(status.success(), "proctor {args:?}");
                took
            })
            .collect(),
    )
}

/// Median time of `f` over `RUNS` calls.
fn timed(mut f: impl FnMut()) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let questions = questions();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/drill");
    let banks = generate(&root, questions);
    let data = tempfile::tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("target")).unwrap();
    let bank_dir = banks.to_str().unwrap();
    println!("generated bank: {questions} questions in {FILES} files ({bank_dir})");

    let bare = run(&["--version"], "", data.path());
    let list = run(&["--bank-dir", bank_dir, "list"], "", data.path());
    let drill = |count: &str| {
        run(&["--bank-dir", bank_dir, "drill", EXAM, "--count", count, "--seed", "1"], "quit\n", data.path())
    };
    let (ten, thousand) = (drill("10"), drill("1000"));
    println!("bare start (proctor --version): {:.2} ms; `list` with the bank: {:.2} ms", ms(bare), ms(list));
    for (name, t) in [("--count 10", ten), ("--count 1000", thousand)] {
        println!(
            "proctor --bank-dir DIR drill {EXAM} {name}, quit: median {:7.2} ms  ({:.1}x a bare start, {:.2}x --count 10)",
            ms(t),
            t.as_secs_f64() / bare.as_secs_f64(),
            t.as_secs_f64() / ten.as_secs_f64()
        );
    }

    // In process: the parse, then the selection alone.
    let catalog = Catalog::open(std::slice::from_ref(&banks)).unwrap();
    let parse = timed(|| {
        std::hint::black_box(catalog.load_by_id(EXAM).unwrap());
    });
    let exam = catalog.load_by_id(EXAM).unwrap();
    let history = std::collections::HashMap::new();
    println!("in process: loading the {questions}-question bank (parse and validate): {:.1} ms", ms(parse));
    let mut first = None;
    for count in [10, 1_000, questions] {
        let select = timed(|| {
            let candidates = filter(&exam, &[], &[]);
            let chosen = drill_choice(&candidates, &history, 1, count);
            std::hint::black_box(assemble_set(&exam, &chosen, 1));
        });
        let base = *first.get_or_insert(select);
        println!(
            "in process: selecting and laying out {count:>6} questions of {questions}: {:6.2} ms ({:.2}x the 10)",
            ms(select),
            select.as_secs_f64() / base.as_secs_f64()
        );
    }
}
