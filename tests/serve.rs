//! `proctor serve` over plain HTTP: the token, the headers, escaping, the exam flow
//! through its forms, ownership between tabs and with the terminal. (tests/browser.rs
//! drives the same pages in a real headless Chromium.)

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use crate::util::{Test, tiny_bank};

/// A running `proctor serve`, stopped (SIGKILL) when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/TOKEN` (no trailing slash).
    pub base: String,
    pub origin: String,
}

impl Server {
    pub fn start(test: &Test, bank_dir: &Path) -> Server {
        let mut child = test
            .command()
            .args(["--bank-dir", bank_dir.to_str().unwrap(), "serve", "--no-open"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start proctor serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(at) = line.find("http://") {
                break line[at..].trim().to_string();
            }
        };
        let base = url.trim_end_matches('/').to_string();
        let origin = base.rsplit_once('/').unwrap().0.to_string();
        Server { child, base, origin }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub csp: Option<String>,
    pub body: String,
}

fn page(mut response: ureq::http::Response<ureq::Body>) -> Page {
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (location, csp) = (header("location"), header("content-security-policy"));
    Page {
        status: response.status().as_u16(),
        location,
        csp,
        body: response.body_mut().read_to_string().unwrap(),
    }
}

pub fn get(url: &str) -> Page {
    page(agent().get(url).call().unwrap())
}

pub fn post(server: &Server, path: &str, form: &[(&str, &str)]) -> Page {
    let url = if path.starts_with('/') {
        format!("{}{path}", server.origin)
    } else {
        format!("{}/{path}", server.base)
    };
    page(agent().post(&url).send_form(form.iter().copied()).unwrap())
}

/// The form fields that answer the question on `page` with its first option(s) and do `what`.
fn answer<'a>(page: &Page, letters: &'a str, what: &'a str) -> Vec<(&'static str, &'a str)> {
    let take = if page.body.contains("(Select TWO.)") { 2 } else { 1 };
    let mut form = vec![("answering", "1"), ("do", what)];
    form.extend((0..take).map(|i| ("choice", &letters[i..=i])));
    form
}

/// Starts a mock exam of the tiny bank and returns the attempt's path.
fn begin(server: &Server) -> String {
    begin_exam_of(server, "tiny")
}

/// Starts a mock exam of `exam` and returns the attempt's path.
fn begin_exam_of(server: &Server, exam: &str) -> String {
    let started = post(server, &format!("exam/{exam}"), &[]);
    assert_eq!(started.status, 303, "{}", started.body);
    started.location.unwrap()
}

#[test]
fn requests_without_the_token_are_refused() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let wrong = get(&format!("{}/0123456789abcdef0123456789abcdef/", server.origin));
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("Forbidden"), "{}", wrong.body);
    // The likely cause, a restarted server, is said, and that nothing was lost.
    assert!(wrong.body.contains("restarted") && wrong.body.contains("saved"), "{}", wrong.body);
    assert_eq!(get(&format!("{}/", server.origin)).status, 403);
    assert_eq!(get(&format!("{}/static/style.css", server.origin)).status, 403);
    let home = get(&format!("{}/", server.base));
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Tiny Test Exam"), "{}", home.body);
    let csp = home.csp.expect("a Content-Security-Policy");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    // A form posted from another site is refused even with the token.
    let cross = agent()
        .post(&format!("{}/exam/tiny", server.base))
        .header("Origin", "http://evil.example")
        .send_form([("a", "b")])
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    // And a name rebound to 127.0.0.1 is not our host.
    let rebound = agent().get(&format!("{}/", server.base)).header("Host", "evil.example").call().unwrap();
    assert_eq!(rebound.status().as_u16(), 403);
}

#[test]
fn bank_text_is_escaped() {
    let test = Test::new();
    let original = std::fs::read_to_string(tiny_bank().join("questions.toml")).unwrap();
    let hostile = original.replace("Scenario ", "<script>document.title='pwned'</script><b>Scenario ");
    test.write("banks/tiny/exam.toml", std::fs::read(tiny_bank().join("exam.toml")).unwrap());
    test.write("banks/tiny/questions.toml", hostile);
    let server = Server::start(&test, &test.dir.path().join("banks"));
    let attempt = begin(&server);
    let question = get(&format!("{}{attempt}", server.origin));
    assert_eq!(question.status, 200);
    assert!(question.body.contains("&lt;script&gt;document.title="), "{}", question.body);
    assert!(!question.body.contains("<script>document"), "{}", question.body);
    assert!(!question.body.contains("<b>Scenario"), "{}", question.body);
}

#[test]
fn an_exam_through_the_forms_to_its_report() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let nothing = post(&server, "review", &[]);
    assert!(nothing.body.contains("Nothing is due for review"), "{}", nothing.body);
    let attempt = begin(&server);
    let path = attempt.as_str();
    let first = get(&format!("{}{path}", server.origin));
    assert!(first.body.contains("Question 1 of 5"), "{}", first.body);
    assert!(first.body.contains("Time remaining"), "{}", first.body);
    // Answer, strike and flag question 1; Next carries the answer on screen with it.
    let multiple = first.body.contains("(Select TWO.)");
    let key = if multiple { "AB" } else { "A" };
    post(&server, path, &answer(&first, "AB", "strike:C"));
    post(&server, path, &answer(&first, "AB", "flag"));
    let after = get(&format!("{}{path}", server.origin));
    assert!(after.body.contains("Flagged for review"), "{}", after.body);
    assert!(after.body.contains("option struck"), "{}", after.body);
    assert!(after.body.contains(r#"value="A" checked"#), "{}", after.body);
    assert!(!after.body.contains(r#"class="note""#), "{}", after.body);
    post(&server, path, &answer(&first, "AB", "next"));
    let second = get(&format!("{}{path}", server.origin));
    assert!(second.body.contains("Question 2 of 5"), "{}", second.body);
    // The review screen's filters.
    let flagged = get(&format!("{}{path}?review=flagged", server.origin));
    assert!(flagged.body.contains("Question 1</button>"), "{}", flagged.body);
    assert!(!flagged.body.contains("Question 2</button>"), "{}", flagged.body);
    let unseen = get(&format!("{}{path}?review=unseen", server.origin));
    assert_eq!(unseen.body.matches(">Unseen<").count(), 3, "{}", unseen.body);
    let incomplete = get(&format!("{}{path}?review=incomplete", server.origin));
    assert!(incomplete.body.contains("Question 2</button>"), "{}", incomplete.body);
    // End Exam asks first, then the report.
    let end = post(&server, path, &[("do", "end")]);
    let confirm = get(&format!("{}{}", server.origin, end.location.unwrap()));
    assert!(confirm.body.contains("Yes, end now"), "{}", confirm.body);
    post(&server, path, &[("do", "submit")]);
    let report = get(&format!("{}{path}", server.origin));
    assert!(report.body.contains("Estimated scaled score"), "{}", report.body);
    assert!(report.body.contains("<svg class=\"meter\""), "{}", report.body);
    // Nothing was missed before this exam; now its misses can be re-taken, with feedback.
    let review = post(&server, "review", &[("attempt", "1")]);
    assert_eq!(review.status, 303, "{}", review.body);
    let retake = get(&format!("{}{}", server.origin, review.location.unwrap()));
    assert!(retake.body.contains("TINY-01 review"), "{}", retake.body);
    // The same attempt, as the terminal sees it.
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "show", "1", "--json"]);
    let run = test.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let shown = run.json();
    assert_eq!(shown["questions"][0]["response"], key, "{shown}");
    assert_eq!(shown["questions"][0]["flagged"], true, "{shown}");
}

#[test]
fn a_second_tab_is_told_and_can_take_the_attempt_over() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let attempt = begin(&server);
    let (prefix, _seat) = attempt.rsplit_once('/').unwrap();
    let other = get(&format!("{}{prefix}/0000000000000000", server.origin));
    assert_eq!(other.status, 409);
    assert!(other.body.contains("open in another browser tab"), "{}", other.body);
    let moved = post(&server, "resume/1", &[]);
    let new_seat = moved.location.unwrap();
    assert_ne!(new_seat, attempt);
    assert_eq!(get(&format!("{}{attempt}", server.origin)).status, 409);
    assert_eq!(get(&format!("{}{new_seat}", server.origin)).status, 200);
}

/// An attempt's old address, once the server no longer holds it, says what became of it.
#[test]
fn an_old_attempt_address_says_whether_the_attempt_is_unfinished_finished_or_not_there() {
    let test = Test::new();
    let bank = tiny_bank();
    let server = Server::start(&test, &bank);
    let attempt = begin(&server);
    let old = format!("{}{attempt}", server.origin);
    post(&server, &attempt, &[("do", "quit")]);
    let left = get(&old);
    assert_eq!(left.status, 409);
    assert!(
        left.body.contains("is unfinished: you can resume it") && left.body.contains("Resume attempt 1"),
        "{}",
        left.body
    );
    // Finished in the terminal: the old address points at its page, with no Resume.
    let test = test.args(["--bank-dir", bank.to_str().unwrap(), "resume", "1"]).stdin("submit\n");
    let run = test.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let finished = get(&old);
    assert_eq!(finished.status, 409);
    assert!(
        finished.body.contains("Attempt 1 is finished") && finished.body.contains("/show/1"),
        "{}",
        finished.body
    );
    assert!(!finished.body.contains("Resume"), "{}", finished.body);
    // What needs an unfinished attempt finished says so with a button, not a command.
    let test =
        test.args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "3"]).stdin("b\nquit\n");
    assert_eq!(test.run().status, 0);
    for page in [get(&format!("{}/show/2", server.base)), post(&server, "review", &[("attempt", "2")])] {
        assert_eq!(page.status, 400, "{}", page.body);
        assert!(
            page.body.contains("attempt 2 is not finished") && page.body.contains("Resume attempt 2"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("proctor resume"), "{}", page.body);
    }
    // A number that was never an attempt.
    let (prefix, seat) = attempt.rsplit_once('/').unwrap();
    let (prefix, _) = prefix.rsplit_once('/').unwrap();
    let missing = get(&format!("{}{prefix}/999/{seat}", server.origin));
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("There is no attempt 999"), "{}", missing.body);
    assert!(!missing.body.contains("Resume"), "{}", missing.body);
}

#[test]
fn an_attempt_moves_between_the_browser_and_the_terminal() {
    let test = Test::new();
    let bank = tiny_bank();
    let mut server = Server::start(&test, &bank);
    let attempt = begin(&server);
    let first = get(&format!("{}{attempt}", server.origin));
    post(&server, &attempt, &answer(&first, "CD", "next"));
    let key = if first.body.contains("(Select TWO.)") { "CD" } else { "C" };
    // While the server holds it, the terminal is refused.
    let test = test.args(["--bank-dir", bank.to_str().unwrap(), "resume", "1"]).stdin("submit\n");
    let held = test.run();
    assert_eq!(held.status, 2, "{}", held.stderr);
    assert!(held.stderr.contains("attempt 1 is open"), "{}", held.stderr);
    // Killed: nothing is lost, and the terminal finishes it.
    server.kill();
    let test = test.args(["--bank-dir", bank.to_str().unwrap(), "resume", "1", "--json"]).stdin("submit\n");
    let run = test.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.json()["questions"][0]["response"], key);
    // The other way: an exam left in the terminal is resumed in the browser.
    let test =
        test.args(["--bank-dir", bank.to_str().unwrap(), "exam", "tiny", "--seed", "3"]).stdin("b\nquit\n");
    let left = test.run();
    assert_eq!(left.status, 0, "{}", left.stderr);
    let test = test.args(Vec::<&str>::new());
    let server = Server::start(&test, &bank);
    let home = get(&format!("{}/", server.base));
    assert!(home.body.contains("Attempt 2"), "{}", home.body);
    let resumed = post(&server, "resume/2", &[]);
    assert_eq!(resumed.status, 303, "{}", resumed.body);
    let page = get(&format!("{}{}", server.origin, resumed.location.unwrap()));
    assert!(page.body.contains("Question 2 of 5"), "{}", page.body);
    let review = get(&format!(
        "{}{}?review=complete",
        server.origin,
        post(&server, "resume/2", &[]).location.unwrap()
    ));
    assert!(review.body.contains("<td>B</td>"), "{}", review.body);
}

/// Leaves a mock exam of the tiny bank in the terminal (seed 2: question 1 is the
/// multiple-response one), with `env` on the terminal's command.
fn leave_in_terminal(test: &Test, env: &[(&str, &str)]) {
    let mut command = test.command();
    command.args(["--bank-dir", tiny_bank().to_str().unwrap(), "exam", "tiny", "--seed", "2"]);
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"quit\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_partial_multiple_response_choice_stays_ticked_and_is_not_saved() {
    let test = Test::new();
    leave_in_terminal(&test, &[]);
    let server = Server::start(&test, &tiny_bank());
    let attempt = post(&server, "resume/1", &[]).location.unwrap();
    let page = get(&format!("{}{attempt}", server.origin));
    assert!(page.body.contains("(Select TWO.)"), "{}", page.body);
    // One box ticked, then Strike: the strike is saved, the one box stays ticked on screen
    // and the page says the answer is not saved yet.
    post(&server, &attempt, &[("answering", "1"), ("choice", "B"), ("do", "strike:C")]);
    let page = get(&format!("{}{attempt}", server.origin));
    assert!(page.body.contains("Question 1: select TWO options (you selected 1)"), "{}", page.body);
    assert!(page.body.contains(r#"value="B" checked"#), "{}", page.body);
    assert!(page.body.contains("option struck"), "{}", page.body);
    // Drawn again (a reload), the page shows what is saved: nothing.
    let page = get(&format!("{}{attempt}", server.origin));
    assert!(!page.body.contains(r#"name="choice" value="B" checked"#), "{}", page.body);
    post(&server, &attempt, &[("answering", "1"), ("choice", "B"), ("choice", "D"), ("do", "save")]);
    let page = get(&format!("{}{attempt}", server.origin));
    assert!(
        page.body.contains(r#"value="B" checked"#) && page.body.contains(r#"value="D" checked"#),
        "{}",
        page.body
    );
}

#[test]
fn an_attempt_past_its_deadline_is_scored_at_the_next_request() {
    let test = Test::new();
    // Begun in 1970 by the test clock: its 10 minutes are long over.
    leave_in_terminal(&test, &[("PROCTOR_FAKE_CLOCK", "1000000")]);
    let server = Server::start(&test, &tiny_bank());
    let resumed = post(&server, "resume/1", &[]);
    let report = get(&format!("{}{}", server.origin, resumed.location.unwrap()));
    assert!(report.body.contains("Time ran out"), "{}", report.body);
    assert!(report.body.contains("Estimated scaled score"), "{}", report.body);
    // Answers after the deadline do not count: the attempt is finished.
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "show", "1", "--json"]);
    let shown = test.run().json();
    assert_eq!(shown["end_reason"], "time-up", "{shown}");
}

#[test]
fn stats_are_drawn_by_the_server() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let empty = get(&format!("{}/stats/tiny", server.base));
    assert!(empty.body.contains("No finished attempts of this exam yet."), "{}", empty.body);
    let attempt = begin(&server);
    post(&server, &attempt, &[("do", "submit")]);
    let stats = get(&format!("{}/stats/tiny", server.base));
    assert_eq!(stats.status, 200);
    assert!(stats.body.contains("1 finished attempt."), "{}", stats.body);
    assert!(stats.body.contains("Alpha Domain"), "{}", stats.body);
    assert!(stats.body.contains(r#"<svg class="trend""#), "{}", stats.body);
    assert!(
        stats.body.contains("Estimated scaled scores of 1 mock exams, oldest first: 100"),
        "{}",
        stats.body
    );
    assert_eq!(get(&format!("{}/stats/nosuch", server.base)).status, 400);
}

#[test]
fn an_answer_can_say_how_sure_the_candidate_is() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let attempt = begin(&server);
    let path = attempt.as_str();
    let first = get(&format!("{}{path}", server.origin));
    assert!(first.body.contains("How sure are you?"), "{}", first.body);
    assert!(first.body.contains(r#"name="sure" value="" checked"#), "none said yet: {}", first.body);
    // Guessing on question 1, then changing only the mark to sure.
    let mut form = answer(&first, "AB", "save");
    form.push(("sure", "unsure"));
    post(&server, path, &form);
    let after = get(&format!("{}{path}", server.origin));
    assert!(after.body.contains(r#"name="sure" value="unsure" checked"#), "{}", after.body);
    let mut form = answer(&first, "AB", "next");
    form.push(("sure", "sure"));
    post(&server, path, &form);
    // Question 2 answered without a mark.
    let second = get(&format!("{}{path}", server.origin));
    post(&server, path, &answer(&second, "AB", "save"));
    post(&server, path, &[("do", "submit")]);
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "show", "1", "--json"]);
    let shown = test.run().json();
    assert_eq!(shown["questions"][0]["confidence"], "sure", "{shown}");
    assert_eq!(shown["questions"][1]["confidence"], serde_json::Value::Null, "{shown}");
}

/// The milliseconds left that the question page's clock starts from.
fn remaining_ms(page: &Page) -> u64 {
    let at = page.body.find("data-remaining-ms=\"").expect("a clock") + "data-remaining-ms=\"".len();
    page.body[at..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn the_start_forms_take_the_terminals_options() {
    let test = Test::new();
    let bank = tiny_bank();
    let server = Server::start(&test, &bank);
    let start = get(&format!("{}/exam/tiny", server.base));
    for field in [
        r#"name="seed""#,
        r#"name="time_limit""#,
        r#"name="include_seen""#,
        r#"name="pace""#,
        r#"value="missed""#,
        r#"name="missed_attempt""#,
        r#"name="tags""#,
        r#"name="all""#,
    ] {
        assert!(start.body.contains(field), "{field}: {}", start.body);
    }
    // A seed, a time limit and the pace cue; drawn by the seed alone.
    let started = post(
        &server,
        "exam/tiny",
        &[("paper", "fresh"), ("seed", "7"), ("time_limit", "90s"), ("include_seen", "1"), ("pace", "1")],
    );
    assert_eq!(started.status, 303, "{}", started.body);
    let path = started.location.unwrap();
    let page = get(&format!("{}{path}", server.origin));
    let left = remaining_ms(&page);
    assert!(left <= 90_000 && left > 60_000, "{left}");
    assert!(page.body.contains(r#"id="pace""#) && page.body.contains("On pace"), "{}", page.body);
    post(&server, &path, &[("do", "submit")]);
    // The same paper as `proctor exam tiny --seed 7 --include-seen` draws.
    let ids = |result: &serde_json::Value| -> Vec<String> {
        result["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect()
    };
    let test = test.args(["--bank-dir", bank.to_str().unwrap(), "show", "1", "--json"]);
    let browser = test.run().json();
    assert_eq!(browser["seed"], 7, "{browser}");
    let test = test
        .args([
            "--bank-dir",
            bank.to_str().unwrap(),
            "exam",
            "tiny",
            "--seed",
            "7",
            "--include-seen",
            "--json",
        ])
        .stdin("submit\n");
    let terminal = test.run().json();
    assert_eq!(ids(&browser), ids(&terminal));
    // Without the pace cue there is none.
    let plain = post(&server, "exam/tiny", &[("paper", "fresh")]).location.unwrap();
    let page = get(&format!("{}{plain}", server.origin));
    assert!(!page.body.contains(r#"id="pace""#), "{}", page.body);
    // A retake of attempt 1's misses (everything was left unanswered): only those, timed
    // at the real exam's pace per question; its report offers it as a button.
    let missed = browser["questions"].as_array().unwrap().iter().filter(|q| q["scored"] == true).count();
    let report = get(&format!("{}{path}", server.origin));
    assert!(report.body.contains(r#"name="missed_attempt" value="1""#), "{}", report.body);
    let retake = post(&server, "exam/tiny", &[("paper", "missed"), ("missed_attempt", "1")]);
    assert_eq!(retake.status, 303, "{}", retake.body);
    let page = get(&format!("{}{}", server.origin, retake.location.unwrap()));
    assert!(page.body.contains(&format!("Question 1 of {missed}")), "{}", page.body);
    assert!(remaining_ms(&page) <= 10 * 60_000 / 5 * missed as u64, "{}", page.body);
    // A drill with a tag, a seed and a time limit.
    let drill = post(
        &server,
        "drill/tiny",
        &[("tags", "test"), ("seed", "5"), ("count", "2"), ("time_limit", "15m")],
    );
    assert_eq!(drill.status, 303, "{}", drill.body);
    let page = get(&format!("{}{}", server.origin, drill.location.unwrap()));
    assert!(page.body.contains("Question 1 of 2"), "{}", page.body);
    assert!(remaining_ms(&page) <= 15 * 60_000, "{}", page.body);
    // Review: every question being learned, due or not.
    let review = post(&server, "review", &[("exam", "tiny"), ("all", "1")]);
    assert_eq!(review.status, 303, "{}", review.body);
}

#[test]
fn bad_start_form_values_are_refused_on_the_start_screen() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let refused = |path: &str, form: &[(&str, &str)], which: &str, says: &str| {
        let page = post(&server, path, form);
        assert_eq!(page.status, 400, "{form:?}: {}", page.body);
        // The start screen again, the error beside the form it came from.
        assert!(page.body.contains("Begin the exam"), "{}", page.body);
        let at = page
            .body
            .find(&format!(r#"id="{which}-error""#))
            .unwrap_or_else(|| panic!("{which}: {}", page.body));
        assert!(page.body[at..].contains(says), "{form:?} should say {says:?}: {}", page.body);
        page
    };
    let page = refused(
        "exam/tiny",
        &[("paper", "fresh"), ("seed", "abc")],
        "exam",
        "the seed must be a whole number",
    );
    // What was typed is kept.
    assert!(page.body.contains(r#"name="seed" id="exam-seed" size="22" value="abc""#), "{}", page.body);
    // The field is marked and points at the message; no other field is.
    assert!(
        page.body.contains(r#"value="abc" aria-invalid="true" aria-describedby="exam-error""#),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("aria-invalid").count(), 1, "{}", page.body);
    refused("exam/tiny", &[("seed", "-1")], "exam", "the seed must be a whole number");
    refused(
        "exam/tiny",
        &[("time_limit", "soon")],
        "exam",
        "is not a duration: write e.g. 90s, 130m or 2h10m",
    );
    refused("exam/tiny", &[("time_limit", "0")], "exam", "would end the attempt before it starts");
    refused("exam/tiny", &[("time_limit", "8d")], "exam", "is not a duration");
    refused(
        "exam/tiny",
        &[("paper", "missed")],
        "exam",
        "no finished mock exam of tiny yet: take a mock exam of it first",
    );
    refused(
        "exam/tiny",
        &[("paper", "missed"), ("missed_attempt", "x")],
        "exam",
        "must be an attempt number",
    );
    refused("exam/tiny", &[("paper", "fresh"), ("missed_attempt", "3")], "exam", "a fresh paper was chosen");
    refused("exam/tiny", &[("paper", "missed"), ("include_seen", "1")], "exam", "choose one of the two");
    refused("exam/tiny", &[("paper", "other")], "exam", "unknown choice");
    let page = refused(
        "drill/tiny",
        &[("tags", "nosuch")],
        "drill",
        "has no question tagged &quot;nosuch&quot;; its tags: test",
    );
    assert!(page.body.contains(r#"value="nosuch""#), "{}", page.body);
    refused("drill/tiny", &[("count", "0")], "drill", "from 1 to 1000");
    refused("drill/tiny", &[("domain", "nosuch")], "drill", "has no domain");
    refused("drill/tiny", &[("seed", "1.5")], "drill", "the seed must be a whole number");
    refused(
        "review",
        &[("exam", "tiny"), ("attempt", "1"), ("all", "1")],
        "review",
        "not one attempt's misses",
    );
    refused("review", &[("exam", "tiny"), ("seed", "x")], "review", "the seed must be a whole number");
    // Nothing was started by any of them.
    let test = test.args(["history", "--json"]);
    let history = test.run().json();
    assert_eq!(history, serde_json::json!([]), "{history}");
    // The same rule for the terminal's --tag.
    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "drill", "tiny", "--tag", "nosuch"]);
    let run = test.run();
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("has no question tagged \"nosuch\"; its tags: test"), "{}", run.stderr);
}

/// The letter the page gives the step or response whose text is `text`.
fn letter_on(page: &Page, text: &str) -> String {
    let end =
        page.body.find(&format!(r#"<span class="text">{text}</span>"#)).unwrap_or_else(|| panic!("{text}"));
    let start = page.body[..end].rfind(r#"data-letter=""#).unwrap() + r#"data-letter=""#.len();
    page.body[start..start + 1].to_string()
}

#[test]
fn ordering_and_matching_work_without_javascript() {
    let test = Test::new();
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks/kinds");
    let server = Server::start(&test, &bank);
    let path = begin_exam_of(&server, "kinds");
    let mut page = get(&format!("{}{path}", server.origin));
    let (mut order_at, mut match_at) = (None, None);
    for n in 1..=6 {
        if page.body.contains(r#"<fieldset class="options ordering""#) {
            // The selects are the form: each step's letter in its place.
            let first = letter_on(&page, "Create a second access key.");
            let second = letter_on(&page, "Update the application to use the new key.");
            assert!(page.body.contains(r#"<select name="step4">"#), "{}", page.body);
            post(
                &server,
                &path,
                &[("answering", "1"), ("step1", &first), ("step2", &second), ("do", "save")],
            );
            order_at = Some((n, format!("{first}{second}")));
        }
        if page.body.contains(r#"<fieldset class="options matching""#) {
            let s3 = letter_on(&page, "Amazon S3");
            post(&server, &path, &[("answering", "1"), ("match1", &s3), ("do", "save")]);
            match_at = Some((n, format!("1{s3}")));
        }
        post(&server, &path, &[("do", "next")]);
        page = get(&format!("{}{path}", server.origin));
    }
    post(&server, &path, &[("do", "submit")]);
    let test = test.args(["--bank-dir", bank.to_str().unwrap(), "show", "1", "--json"]);
    let shown = test.run().json();
    let (n, order) = order_at.expect("an ordering question");
    assert_eq!(shown["questions"][n - 1]["response"], order.as_str(), "{shown}");
    let (n, matched) = match_at.expect("a matching question");
    assert!(shown["questions"][n - 1]["response"].as_str().unwrap().starts_with(&matched), "{shown}");
}

#[test]
fn a_problem_reported_from_the_question_screen_is_a_note_and_keeps_the_answer() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let attempt = begin(&server);
    let path = attempt.as_str();
    let first = get(&format!("{}{path}", server.origin));
    assert!(first.body.contains("Report a problem with this question"), "{}", first.body);
    assert!(first.body.contains(r#"maxlength="2000""#), "{}", first.body);
    // The answer on screen (not saved yet) goes with the note.
    let mut form = answer(&first, "AB", "report");
    form.push(("report", "The key is wrong <script>alert(1)</script>\n\u{1b}[31m"));
    let sent = post(&server, path, &form);
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location.as_deref(), Some(path), "back on the same question");
    let after = get(&format!("{}{path}", server.origin));
    assert!(after.body.contains("Question 1 of 5"), "{}", after.body);
    assert!(after.body.contains("Question 1: note saved for the bank"), "{}", after.body);
    assert!(after.body.contains(r#"value="A" checked"#), "the answer is kept: {}", after.body);
    // An empty note is refused and said so; nothing else changes.
    post(&server, path, &[("do", "report"), ("report", "  ")]);
    let refused = get(&format!("{}{path}", server.origin));
    assert!(refused.body.contains("the note is empty"), "{}", refused.body);
    assert!(refused.body.contains(r#"value="A" checked"#), "{}", refused.body);
    // A form from another site is refused before anything is written.
    let cross = agent()
        .post(&format!("{}{path}", server.origin))
        .header("Origin", "http://evil.example")
        .send_form([("do", "report"), ("report", "forged")])
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    // A note typed but sent by another button (saving an answer, Next) waits on its question.
    post(&server, path, &[("do", "next"), ("report", "half <a> note")]);
    let second = get(&format!("{}{path}", server.origin));
    assert!(second.body.contains("Question 2 of 5"), "{}", second.body);
    assert!(!second.body.contains("half &lt;a&gt; note"), "{}", second.body);
    post(&server, path, &[("do", "prev"), ("report", "")]);
    let back = get(&format!("{}{path}", server.origin));
    assert!(back.body.contains("Question 1 of 5"), "{}", back.body);
    assert!(back.body.contains(r#"id="report" open"#), "{}", back.body);
    assert!(back.body.contains(">half &lt;a&gt; note</textarea>"), "{}", back.body);
    assert!(back.body.contains(r#"value="A" checked"#), "{}", back.body);

    let test = test.args(["--bank-dir", tiny_bank().to_str().unwrap(), "notes", "--json"]);
    let run = test.run();
    assert_eq!(run.status, 0, "{}", run.stderr);
    let notes = run.json();
    let notes = notes.as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(notes[0]["text"], "The key is wrong <script>alert(1)</script> [31m");
    assert_eq!(notes[0]["mode"], "exam");
    assert_eq!(notes[0]["attempt"], 1);
}

#[test]
fn a_review_started_while_one_is_unfinished_says_so() {
    let test = Test::new();
    let bank = tiny_bank();
    let bank_dir = bank.to_str().unwrap();
    let cli = |args: &[&str], stdin: &str| {
        let mut child = test
            .command()
            .args(["--bank-dir", bank_dir])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    };
    cli(&["exam", "tiny", "--seed", "3", "--all-scored"], "a\na\na\na\nab\nsubmit\ny\n");
    // A review with an answer (seed 5 asks a single-answer question first), then quit:
    // attempt 2, unfinished.
    cli(&["review", "--all", "--seed", "5"], "a\nquit\n");
    let server = Server::start(&test, &bank);
    let started = post(&server, "review", &[("exam", "tiny"), ("all", "on")]);
    assert_eq!(started.status, 303, "{}", started.body);
    let page = get(&format!("{}{}", server.origin, started.location.unwrap()));
    assert!(page.body.contains("Review 2 is unfinished"), "{}", page.body);
}

#[test]
fn a_page_asked_for_with_the_wrong_method_is_405_with_the_methods_it_takes() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let call = |method: &str, path: &str| {
        let url = format!("{}{path}", server.base);
        let request = ureq::http::Request::builder().method(method).uri(&url).body(()).unwrap();
        agent().run(request).unwrap()
    };
    let wrong = call("DELETE", "/");
    assert_eq!(wrong.status().as_u16(), 405);
    assert_eq!(wrong.headers().get("allow").unwrap(), "GET, HEAD");
    let put = call("PUT", "/exam/tiny");
    assert_eq!(put.status().as_u16(), 405);
    assert_eq!(put.headers().get("allow").unwrap(), "GET, HEAD, POST");
    assert_eq!(call("GET", "/drill/tiny").headers().get("allow").unwrap(), "POST");
    // HEAD is GET without its body; a page that does not exist is still 404.
    assert_eq!(call("HEAD", "/").status().as_u16(), 200);
    assert_eq!(call("GET", "/no/such/page").status().as_u16(), 404);
}

#[test]
fn a_drill_report_in_the_browser_has_no_scaled_score_a_mock_exams_does() {
    let test = Test::new();
    let server = Server::start(&test, &tiny_bank());
    let report_of = |path: &str, form: &[(&str, &str)]| {
        let started = post(&server, path, form);
        assert_eq!(started.status, 303, "{}", started.body);
        let attempt = started.location.unwrap();
        post(&server, &attempt, &[("do", "submit")]);
        get(&format!("{}{attempt}", server.origin)).body
    };
    let drill = report_of("drill/tiny", &[("count", "2")]);
    assert!(drill.contains("scored questions correct"), "{drill}");
    assert!(!drill.contains("scaled score"), "{drill}");
    let exam = report_of("exam/tiny", &[]);
    assert!(exam.contains("Estimated scaled score"), "{exam}");
}
