//! `cargo bench --bench history`: a generated history of 1,000 finished 65-question
//! attempts at saa-c03, then
//!   1. `proctor stats saa-c03` end to end (target: under 100 ms), and
//!   2. recording one answer durably, as the session does before every prompt
//!      (`Store::save_progress`, WAL + synchronous=FULL; target: p99 under 20 ms).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proctor::bench::{Catalog, EndReason, ItemState, Mode, NewAttempt, Response, Store, assemble_exam};

const ATTEMPTS: u64 = 1_000;
const ANSWERS: usize = 2_000;

fn main() {
    // On the project's disk, not /tmp (which may be a RAM disk where fsync costs nothing).
    let data = tempfile::tempdir_in(concat!(env!("CARGO_MANIFEST_DIR"), "/target")).unwrap();
    let catalog = Catalog::open(&[]).unwrap();
    let exam = catalog.load_by_id("saa-c03").unwrap();
    let mut store = Store::open(data.path()).unwrap();
    let start = Instant::now();
    let day = 24 * 3600 * 1000;
    for n in 0..ATTEMPTS {
        let paper = assemble_exam(&exam, n, false);
        let hashes: Vec<String> = paper.items.iter().map(|_| "0".repeat(16)).collect();
        let started = 1_700_000_000_000 + n * day;
        let id = store
            .create_attempt(&NewAttempt {
                exam: "saa-c03",
                mode: Mode::Exam,
                seed: n,
                started_at: started,
                deadline: Some(started + 7_800_000),
                time_limit_ms: Some(7_800_000),
                items: &paper.items,
                content_hashes: &hashes,
                hide_domain: false,
                seen_before: None,
                retake_of: None,
                first_on_screen: false,
            })
            .unwrap();
        let states: Vec<ItemState> = (0..paper.items.len())
            .map(|i| ItemState {
                response: Some(Response::Choice(vec![i % 4])),
                flagged: i.is_multiple_of(9),
                struck: vec![],
                millis: 60_000,
                seen_at: Some(started),
                confidence: None,
            })
            .collect();
        let items: Vec<(&ItemState, bool)> =
            states.iter().enumerate().map(|(i, s)| (s, !(i as u64 + n).is_multiple_of(3))).collect();
        store.finish(id, started + 6_000_000, EndReason::Submitted, &items, |_| Vec::new()).unwrap();
    }
    println!("generated {ATTEMPTS} attempts x 65 answers in {:.1} s", start.elapsed().as_secs_f64());

    // 1. stats, through the real binary.
    let mut times: Vec<Duration> = (0..11)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_proctor"))
                .args(["stats", "saa-c03"])
                .env("PROCTOR_DATA_DIR", data.path())
                .stdout(Stdio::null())
                .stderr(if std::env::var_os("SHOW").is_some() { Stdio::inherit() } else { Stdio::null() })
                .status()
                .unwrap();
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "proctor stats saa-c03 over {ATTEMPTS} attempts: median {:.1} ms, max {:.1} ms",
        times[5].as_secs_f64() * 1e3,
        times[10].as_secs_f64() * 1e3
    );

    // 2. one durable answer, as before each prompt.
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
            first_on_screen: false,
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
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "record one answer durably ({ANSWERS} saves): median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(saves[ANSWERS / 2]),
        ms(saves[ANSWERS * 99 / 100]),
        ms(saves[ANSWERS - 1])
    );
}
