//! `cargo bench --bench check_throughput`: generates a synthetic bank of 10,000 questions
//! (about 26 MB of TOML) and compares, in one run, the throughput of
//!   1. a bare `toml::from_str::<toml::Table>` of the same files (the floor: parsing only),
//!   2. proctor's full check (parse with spans, validate, cross-file checks) in-process,
//!      files parsed on every core as `proctor check` does (and, for reference, the
//!      per-file parse on one thread, and the authoring checks alone on one thread),
//!   3. `proctor check PATH` as a user runs it (the real binary, end to end).
//!
//! Each figure is printed as a ratio to the floor, the bare parse on one thread, measured in
//! the same run; the binary is also run pinned to one core (`taskset -c 0`, when there is
//! one) and its peak memory (max RSS) is printed. Targets (issue 13): at least 1.0x the bare
//! parse on one core; peak memory under 60 MiB at 50,000 questions
//! (`PROCTOR_BENCH_QUESTIONS=50000 cargo bench --bench check_throughput`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use proctor::bench as source;

const FILES: usize = 20;
const RUNS: usize = 5;

/// Questions in the generated bank: 10,000 unless PROCTOR_BENCH_QUESTIONS says otherwise.
fn questions() -> usize {
    std::env::var("PROCTOR_BENCH_QUESTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

fn generate(dir: &Path) -> u64 {
    let questions = questions();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("exam.toml"),
        "format = 1\nid = \"synthetic\"\ncode = \"SYN-01\"\ntitle = \"Synthetic\"\nvendor = \"Bench\"\n\
         level = \"associate\"\nexam_questions = 65\nscored_questions = 50\nminutes = 130\npassing_score = 720\n\
         [status]\nstate = \"active\"\ndate = \"2026-01-01\"\n\
         [[domain]]\nid = \"a\"\nname = \"A\"\nweight = 50\n[[domain]]\nid = \"b\"\nname = \"B\"\nweight = 50\n",
    )
    .unwrap();
    let filler = "The company runs a fleet of services across several accounts and Regions and must keep \
                  costs predictable while meeting strict availability and security requirements. ";
    let mut total = 0;
    for f in 0..FILES {
        let mut text = String::new();
        for n in 0..questions / FILES {
            let id = f * (questions / FILES) + n;
            let multi = id.is_multiple_of(4);
            text.push_str(&format!(
                "[[question]]\nid = \"q-{id:05}\"\ndomain = \"{}\"\nkind = \"{}\"\ndifficulty = \"medium\"\n\
                 tags = [\"s3\", \"iam\", \"kms\"]\nstem = \"\"\"\n{}{}\n\nWhich solution meets these requirements?\"\"\"\n\
                 explanation = \"\"\"\n{}{}\"\"\"\nreferences = [\"https://docs.aws.amazon.com/example/{id}.html\"]\n\n",
                if id.is_multiple_of(2) { "a" } else { "b" },
                if multi { "multiple-response" } else { "multiple-choice" },
                filler.repeat(4),
                id,
                filler.repeat(2),
                id
            ));
            for k in 0..if multi { 5 } else { 4 } {
                let correct = k == 0 || (multi && k == 1);
                text.push_str(&format!(
                    "[[question.option]]\ntext = \"Option {k} for question {id}: use a managed service with a policy that fits the constraint.\"\n\
                     correct = {correct}\nrationale = \"{}\"\n\n",
                    filler.trim()
                ));
            }
        }
        total += text.len() as u64;
        std::fs::write(dir.join(format!("questions-{f:02}.toml")), text).unwrap();
    }
    total
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/synthetic");
    let bytes = generate(&dir);
    let files: Vec<String> = (0..FILES)
        .map(|f| std::fs::read_to_string(dir.join(format!("questions-{f:02}.toml"))).unwrap())
        .collect();
    let mb = bytes as f64 / 1e6;
    println!("synthetic bank: {} questions, {mb:.1} MB in {FILES} files", questions());

    let bare = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                for text in &files {
                    let table: toml::Table = toml::from_str(text).unwrap();
                    std::hint::black_box(table);
                }
                start.elapsed()
            })
            .collect(),
    );
    let typed = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                for text in &files {
                    let parsed = proctor::bench::parse_questions("f", text.as_bytes(), None);
                    std::hint::black_box(parsed);
                }
                start.elapsed()
            })
            .collect(),
    );
    // The authoring checks alone (issue 12): each file's checks and stem fingerprints, then
    // the exam's near-duplicate index, on files already parsed.
    let parsed: Vec<_> =
        files.iter().map(|text| proctor::bench::parse_questions("f", text.as_bytes(), None)).collect();
    let lint = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let mut authoring = proctor::bench::Authoring::default();
                let mut facts = Vec::new();
                for file in &parsed {
                    let first = facts.len();
                    facts.extend(file.questions.iter().map(proctor::bench::QuestionFacts::of));
                    let found = authoring.add(proctor::bench::check_file(&file.questions), first);
                    // Written out as the report does (near duplicates are kept compact until then).
                    let found: Vec<_> = found.into_iter().filter_map(|f| f.into_diagnostic(&facts)).collect();
                    std::hint::black_box(found);
                }
                start.elapsed()
            })
            .collect(),
    );
    drop(parsed);
    let check = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let folders = source::folders_at(&dir).unwrap();
                let diagnostics = source::check_folders(&folders);
                assert!(diagnostics.iter().all(|d| !d.is_error()), "{:?}", diagnostics.first());
                start.elapsed()
            })
            .collect(),
    );
    let binary = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let status = Command::new(env!("CARGO_BIN_EXE_proctor"))
                    .args(["check", dir.to_str().unwrap()])
                    .stdout(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success());
                start.elapsed()
            })
            .collect(),
    );
    // The binary on one core, when taskset is there to pin it.
    let pinned =
        Command::new("taskset").arg("--version").output().is_ok_and(|o| o.status.success()).then(|| {
            median(
                (0..RUNS)
                    .map(|_| {
                        let start = Instant::now();
                        let status = Command::new("taskset")
                            .args(["-c", "0", env!("CARGO_BIN_EXE_proctor"), "check", dir.to_str().unwrap()])
                            .stdout(std::process::Stdio::null())
                            .status()
                            .unwrap();
                        assert!(status.success());
                        start.elapsed()
                    })
                    .collect(),
            )
        });
    let rate = |d: Duration| mb / d.as_secs_f64();
    let line = |what: &str, d: Duration| {
        println!(
            "{what:<44} {:>7.1} ms  {:>6.1} MB/s  {:>5.2}x the floor",
            d.as_secs_f64() * 1e3,
            rate(d),
            rate(d) / rate(bare)
        );
    };
    line("floor: bare toml::from_str::<Table>, 1 thread", bare);
    line("parse_questions per file, 1 thread", typed);
    line("  authoring checks alone (lint), 1 thread", lint);
    line("full check in-process (files on every core)", check);
    line("proctor check PATH (binary, every core)", binary);
    if let Some(pinned) = pinned {
        line("proctor check PATH (binary, taskset -c 0)", pinned);
    }
    // Peak memory through GNU time: a child spawned by this process would report this
    // process's own peak (Linux carries the parent's high-water mark over the fork and exec
    // into the child's max RSS, and this process holds the whole bank), so `time`, small,
    // spawns `check` and reports its max RSS alone.
    for (what, pin) in [("every core", false), ("taskset -c 0", true)] {
        let mut command = Command::new("/usr/bin/time");
        command.args(["-f", "%M"]);
        if pin {
            command.args(["taskset", "-c", "0"]);
        }
        command.arg(env!("CARGO_BIN_EXE_proctor")).args(["check", dir.to_str().unwrap()]);
        match command.stdout(std::process::Stdio::null()).output() {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stderr);
                let kib: Option<f64> = text.lines().last().and_then(|l| l.trim().parse().ok());
                match kib {
                    Some(kib) => println!("peak memory of proctor check ({what}): {:.1} MiB", kib / 1024.0),
                    None => println!("peak memory of proctor check ({what}): /usr/bin/time said {text:?}"),
                }
            }
            _ => {
                println!("peak memory of proctor check ({what}): not measured (no /usr/bin/time or taskset)")
            }
        }
    }
    println!("targets: at least 1.0x the floor on one core; under 60 MiB at 50,000 questions");
}
