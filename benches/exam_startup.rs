//! `cargo bench --bench exam_startup`: time from launching `proctor exam` until the first
//! question is on screen, with every shipped bank embedded, and the peak memory of a whole
//! scripted 65-question exam. Targets (issue 3): under 10 ms median, under 15 MB peak.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 41;

fn proctor(data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_proctor"));
    command.env("PROCTOR_DATA_DIR", data).env_remove("PROCTOR_FAKE_CLOCK");
    command
}

/// Peak resident set size (KiB) of a finished child, from wait4's rusage.
#[cfg(target_os = "linux")]
fn run_with_peak(mut command: Command, input: &str) -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait().unwrap();
    // RUSAGE_CHILDREN's maxrss is the largest of all waited-for children so far.
    getrusage(UsageWho::RUSAGE_CHILDREN).unwrap().max_rss() as u64
}

fn main() {
    let data = tempfile::tempdir().unwrap();
    let mut times = Vec::new();
    for seed in 0..RUNS {
        let mut child = proctor(data.path())
            .args(["exam", "saa-c03", "--seed", &seed.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            assert!(out.read_line(&mut line).unwrap() > 0, "no question shown");
            if line.starts_with("Question 1 of") {
                break;
            }
        }
        times.push(start.elapsed());
        let mut stdin = child.stdin.take().unwrap();
        let _ = writeln!(stdin, "quit");
        drop(stdin);
        child.wait().unwrap();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "launch to first question ({RUNS} runs): median {:.2} ms, min {:.2} ms, p90 {:.2} ms",
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS * 9 / 10])
    );

    #[cfg(target_os = "linux")]
    {
        // A whole exam: answer every question, review, submit.
        let script = "a\n".repeat(70) + "review\nsubmit\n";
        let mut command = proctor(data.path());
        command.args(["exam", "saa-c03", "--seed", "1", "--json"]);
        let peak = run_with_peak(command, &script);
        println!("peak memory of a scripted 65-question exam: {:.1} MB", peak as f64 / 1024.0);
    }
}
