//! `cargo bench --bench history`: `proctor stats saa-c03` and `proctor history` end to end
//! (the release binary) over generated histories of 100, 1,000 and 10,000 finished
//! 65-question mock exams, each figure the median of `RUNS` runs, with its ratio to the
//! 100-attempt figure and to a bare process start measured in the same run. Targets
//! (issue 13): at 10,000 attempts at most 20 ms each and at most 1.5x the 100-attempt time.
//! Also a mock exam submitted at once (its report with the pass probability, which reads
//! the per-exam running sums). Then recording one answer durably, as the session does before every prompt
//! (`Store::save_progress`, WAL + synchronous=FULL).
//!
//! The generator writes attempts and items with SQL in one transaction (the schema's
//! columns, as `finish` leaves them), then lets the store's migration backfill the running
//! totals from those items, which the tests show equal to the totals `finish` keeps.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proctor::bench::{Catalog, ItemState, Mode, NewAttempt, Response, Store, assemble_exam};

const SIZES: [u64; 3] = [100, 1_000, 10_000];

const RUNS: usize = 21;
const ANSWERS: usize = 2_000;
const DAY: u64 = 24 * 3600 * 1000;

/// A store in `dir` with `attempts` finished 65-question mock exams at saa-c03.
fn generate(dir: &Path, attempts: u64) -> Duration {
    let start = Instant::now();
    let catalog = Catalog::open(&[]).unwrap();
    let exam = catalog.load_by_id("saa-c03").unwrap();
    drop(Store::open(dir).unwrap());
    let mut conn = rusqlite::Connection::open(dir.join("proctor.db")).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut attempt = tx
            .prepare(
                "INSERT INTO attempts (id, exam, mode, seed, engine_version, started_at, deadline, time_limit_ms,
                                       position, last_tick, finished_at, end_reason)
                 VALUES (?1, 'saa-c03', 'exam', ?1, '0', ?2, ?2 + 7800000, 7800000, 64, ?3, ?3, 'submitted')",
            )
            .unwrap();
        let mut item = tx
            .prepare(
                "INSERT INTO attempt_items (attempt_id, position, question_id, domain, content_hash, layout, scored,
                                            answer, flagged, struck, millis, correct, seen_at)
                 VALUES (?1, ?2, ?3, ?4, '0000000000000000', '{\"choice\":{\"order\":[0,1,2,3]}}', ?5,
                         ?6, 0, '', 60000, ?7, ?8)",
            )
            .unwrap();
        // Four a day, the newest a day ago: every attempt started in the past, as in real use
        // (readiness reads every attempt's totals when one started after now).
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        let first = now - DAY - attempts * DAY / 4;
        for n in 0..attempts {
            let paper = assemble_exam(&exam, n, false);
            let started = first + n * DAY / 4;
            attempt
                .execute(rusqlite::params![n as i64 + 1, started as i64, (started + 6_000_000) as i64])
                .unwrap();
            for (i, p) in paper.items.iter().enumerate() {
                item.execute(rusqlite::params![
                    n as i64 + 1,
                    i as i64,
                    p.question_id,
                    p.domain,
                    p.scored,
                    format!("{{\"choice\":[{}]}}", i % 4),
                    !(i as u64 + n).is_multiple_of(3),
                    (started + i as u64 * 60_000) as i64,
                ])
                .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    drop(conn);
    // Back to the schema before the totals: opening migrates and backfills them.
    Store::open(dir).unwrap().forget_totals().unwrap();
    drop(Store::open(dir).unwrap());
    start.elapsed()
}

/// Median wall time of `proctor ARGS` over `RUNS` runs.
fn median(program: &str, args: &[&str], data: &Path) -> Duration {
    median_with(program, args, data, "")
}

/// `median` with `stdin` on standard input.
fn median_with(program: &str, args: &[&str], data: &Path, stdin: &str) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let mut child = Command::new(program)
                .args(args)
                .env("PROCTOR_DATA_DIR", data)
                .env_remove("PROCTOR_FAKE_CLOCK")
                .env_remove("PROCTOR_BANK_DIR")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(if std::env::var_os("SHOW").is_some() { Stdio::inherit() } else { Stdio::null() })
                .spawn()
                .unwrap();
            std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
            let status = child.wait().unwrap();
            assert!(status.success(), "{program} {args:?}");
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let proctor = env!("CARGO_BIN_EXE_proctor");
    // On the project's disk, not /tmp (which may be a RAM disk where fsync costs nothing).
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
    // KEEP=N: generate one store of N attempts, keep it and stop (to look at it by hand).
    if let Some(n) = std::env::var("KEEP").ok().and_then(|n| n.parse().ok()) {
        let dir = tempfile::tempdir_in(root).unwrap();
        generate(dir.path(), n);
        println!("{}", dir.keep().display());
        return;
    }
    let stores: Vec<(u64, tempfile::TempDir)> = SIZES
        .iter()
        .map(|&n| {
            let dir = tempfile::tempdir_in(root).unwrap();
            let took = generate(dir.path(), n);
            println!(
                "generated {n} attempts x 65 answers in {:.1} s (items, then the totals backfill)",
                took.as_secs_f64()
            );
            (n, dir)
        })
        .collect();
    let bare_true = median("/bin/true", &[], stores[0].1.path());
    let bare = median(proctor, &["--version"], stores[0].1.path());
    println!(
        "bare process: /bin/true {:.2} ms, proctor --version {:.2} ms (median of {RUNS})",
        ms(bare_true),
        ms(bare)
    );
    // The last: a mock exam submitted at once, so its report (with the pass probability
    // read from the running sums) is printed; each run adds one attempt to the store.
    for (name, args, stdin) in [
        ("stats saa-c03", &["stats", "saa-c03"][..], ""),
        ("history", &["history"][..], ""),
        ("exam saa-c03, submit (report)", &["exam", "saa-c03", "--seed", "1"][..], "submit\n"),
    ] {
        let mut first = None;
        for (n, dir) in &stores {
            let t = median_with(proctor, args, dir.path(), stdin);
            let base = *first.get_or_insert(t);
            println!(
                "proctor {name} at {n:>6} attempts: median {:6.2} ms  ({:.2}x the 100-attempt time, {:.1}x proctor --version)",
                ms(t),
                t.as_secs_f64() / base.as_secs_f64(),
                t.as_secs_f64() / bare.as_secs_f64()
            );
        }
    }

    // One durable answer, as before each prompt, on the largest history.
    let data = stores.last().unwrap().1.path();
    let catalog = Catalog::open(&[]).unwrap();
    let exam = catalog.load_by_id("saa-c03").unwrap();
    let mut store = Store::open(data).unwrap();
    let paper = assemble_exam(&exam, 7, false);
    let hashes: Vec<String> = paper.items.iter().map(|_| "0".repeat(16)).collect();
    let id = store
        .create_attempt(&NewAttempt {
            exam: "saa-c03",
            mode: Mode::Exam,
            seed: 7,
            started_at: 0,
            deadline: None,
            time_limit_ms: None,
            items: &paper.items,
            content_hashes: &hashes,
            hide_domain: false,
            seen_before: None,
            retake_of: None,
            states: &[],
            position: 0,
            last_tick: 0,
            released: false,
        })
        .unwrap();
    let mut saves: Vec<Duration> = (0..ANSWERS)
        .map(|n| {
            let state = ItemState {
                response: Some(Response::Choice(vec![n % 4])),
                flagged: false,
                struck: vec![],
                millis: n as u64,
                seen_at: Some(0),
                confidence: None,
            };
            let position = n % paper.items.len();
            let start = Instant::now();
            store
                .save_progress(id, position, n as u64, &[(position, &state), ((position + 1) % 65, &state)])
                .unwrap();
            start.elapsed()
        })
        .collect();
    saves.sort();
    println!(
        "record one answer durably ({ANSWERS} saves): median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(saves[ANSWERS / 2]),
        ms(saves[ANSWERS * 99 / 100]),
        ms(saves[ANSWERS - 1])
    );
}
